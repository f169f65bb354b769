"""Run an unchanged legacy program with ``python -m compat`` and show what it reports."""

import os
import subprocess
import sys

PROGRAM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "legacy",
                       "pyprocessing_program.py")

if __name__ == "__main__":
    done = subprocess.run([sys.executable, "-m", "compat", PROGRAM],
                          capture_output=True, text=True, timeout=60, check=True)
    print("the program printed:")
    print(done.stdout, end="")
    print("the warnings, once per call site (file:line: category: message):")
    for line in done.stderr.splitlines():
        if "Warning:" in line:
            where, _, rest = line.partition(": ")
            print(f"  {os.path.basename(where)}: {rest}")
