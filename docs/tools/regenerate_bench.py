"""Rerun the bench and replace docs/_data/bench.json, which the benchmarks page renders.

    python docs/tools/regenerate_bench.py          # python -m concurrent bench --quick --json ...
    python docs/tools/regenerate_bench.py --full   # the full bench (several minutes)

Any other arguments go to ``python -m concurrent bench`` unchanged (see its --help). Run it on an
otherwise idle machine: the figures describe that machine. The new document is checked with the
same reader the docs build uses before it replaces the old one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

DOCS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(DOCS)
TARGET = os.path.join(DOCS, "_data", "bench.json")


def main(argv: list[str]) -> int:
    sys.path.insert(0, os.path.join(DOCS, "_ext"))
    from tables import SECTIONS, bench_rows, load_bench

    args = list(argv)
    if "--full" in args:
        args.remove("--full")
    elif "--quick" not in args:
        args.insert(0, "--quick")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, env.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory() as directory:
        output = os.path.join(directory, "bench.json")
        command = [sys.executable, "-m", "concurrent", "bench", *args, "--json", output]
        print("running:", " ".join(command), flush=True)
        subprocess.run(command, check=True, cwd=ROOT, env=env)
        document = load_bench(output)
        for section in SECTIONS:
            header, rows = bench_rows(document, section)
            print(f"{section}: {len(rows)} rows, columns: {', '.join(header)}")
        _copy(output, TARGET)
    print(f"wrote {TARGET}")
    return 0


def _copy(source: str, target: str) -> None:
    with open(source, encoding="utf-8") as stream:
        text = stream.read()
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as stream:
        stream.write(text)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
