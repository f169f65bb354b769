"""Run an unchanged pprocess program with ``python -m compat`` and show what it reports."""

import os
import subprocess
import sys

PROGRAM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "legacy",
                       "pprocess_program.py")

if __name__ == "__main__":
    done = subprocess.run([sys.executable, "-m", "compat", PROGRAM],
                          capture_output=True, text=True, timeout=60, check=True)
    print("the program printed:")
    print(done.stdout, end="")
    print("the warnings, once per call site (file:line: category: message):")
    seen = []  # processes started by spawn or forkserver import the program again: once each
    for line in done.stderr.splitlines():
        if "Warning:" in line and line not in seen:
            seen.append(line)
            where, _, rest = line.partition(": ")
            print(f"  {os.path.basename(where)}: {rest}")
