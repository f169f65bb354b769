"""Rewrite legacy source to the new names (what python -m compat.migrate does per file)."""

from compat.migrate import migrate_source

LEGACY = """\
import threading
import processing

def report():
    me = threading.currentThread()
    print(me.getName(), processing.cpuCount())
"""

if __name__ == "__main__":
    result = migrate_source(LEGACY)
    print(result.source, end="")
    print("left for a person:", result.findings or "nothing")
    # Migrated code is a fixed point: a second pass changes nothing.
    print("second pass changes it:", migrate_source(result.source).source != result.source)
