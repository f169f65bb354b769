"""Rerun the bench; replace docs/_data/bench.json and the figures the benchmarks page shows.

    python docs/tools/regenerate_bench.py          # python -m concurrent bench --quick --json ...
    python docs/tools/regenerate_bench.py --full   # the full bench (several minutes)
    python docs/tools/regenerate_bench.py --replot # only redraw the figures of bench.json

It runs ``python -m concurrent bench ... --json FILE --plot DIR`` once, so the tables (rendered
from the JSON when the docs are built) and the figures (SVG files in docs/figures/bench/, one
per section) describe the same run; the figures need the plot extra (matplotlib).  ``--replot``
runs nothing: it redraws the figures of the recorded bench.json (``--from-json``).  Any other
arguments go to ``python -m concurrent bench`` unchanged (see its --help). Run it on an
otherwise idle machine: the figures describe that machine. The new document is checked with the
same reader the docs build uses before it and the figures replace the old ones.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

DOCS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(DOCS)
TARGET = os.path.join(DOCS, "_data", "bench.json")
FIGURES = os.path.join(DOCS, "figures", "bench")


def main(argv: list[str]) -> int:
    sys.path.insert(0, os.path.join(DOCS, "_ext"))
    from tables import SECTIONS, bench_rows, load_bench

    args = list(argv)
    replot = "--replot" in args
    if replot:
        args.remove("--replot")
    elif "--full" in args:
        args.remove("--full")
    elif "--quick" not in args:
        args.insert(0, "--quick")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, env.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory() as directory:
        output = TARGET if replot else os.path.join(directory, "bench.json")
        figures = os.path.join(directory, "figures")
        source = ["--from-json", TARGET] if replot else [*args, "--json", output]
        command = [sys.executable, "-m", "concurrent", "bench", *source, "--plot", figures,
                   "--plot-format", "svg"]
        print("running:", " ".join(command), flush=True)
        subprocess.run(command, check=True, cwd=ROOT, env=env)
        document = load_bench(output)
        for section in SECTIONS:
            header, rows = bench_rows(document, section)
            print(f"{section}: {len(rows)} rows, columns: {', '.join(header)}")
        if not replot:
            _copy(output, TARGET)
            print(f"wrote {TARGET}")
        os.makedirs(FIGURES, exist_ok=True)
        for name in os.listdir(FIGURES):  # a section that did not run leaves no stale figure
            if name.endswith(".svg"):
                os.remove(os.path.join(FIGURES, name))
        for name in sorted(os.listdir(figures)):
            _copy(os.path.join(figures, name), os.path.join(FIGURES, name))
            print(f"wrote {os.path.join(FIGURES, name)}")
    return 0


def _copy(source: str, target: str) -> None:
    with open(source, encoding="utf-8") as stream:
        text = stream.read()
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as stream:
        stream.write(text)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
