"""Rewrite pprocess code: what maps 1:1 onto concurrent.processing, and what is left."""

from compat.migrate import migrate_source

LEGACY = """\
import pprocess

def squares(numbers):
    return pprocess.pmap(square, numbers, limit=pprocess.get_number_of_cores())

for total in pprocess.pmap(sum, rows, limit=2):
    print(total)

queue = pprocess.Queue(limit=4)
"""

if __name__ == "__main__":
    result = migrate_source(LEGACY)
    print(result.source, end="")
    print("left for a person:")
    for finding in result.findings:
        print(f"  line {finding.line}: {finding.message}")
    # Migrated code is a fixed point: a second pass changes nothing.
    print("second pass changes it:", migrate_source(result.source).source != result.source)
