"""``python -m compat SCRIPT [ARGS...]``: run a legacy program unchanged, with -3 style warnings."""

import argparse

from compat._runner import run


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m compat",
        description="Run a program written for Python 2.6 threading, pyprocessing 0.52 or "
                    "pprocess 0.5.1 on concurrent.*: `import processing`, `import pprocess` "
                    "and legacy threading names work, and each legacy use is reported once "
                    "per call site on stderr.")
    parser.add_argument("script", help="the legacy program to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="its arguments")
    options = parser.parse_args()
    run(options.script, options.args)


if __name__ == "__main__":
    main()
