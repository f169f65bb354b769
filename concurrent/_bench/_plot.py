"""``--plot FILE``: speed-up over linear against workers, one panel per workload, one line per mode.

matplotlib is an optional extra; it is imported only here, only when a plot is asked for, and
through ``matplotlib.figure`` so no GUI backend or global pyplot state is involved.
"""

import importlib.util
import os

from concurrent._bench._modes import LINEAR
from concurrent._bench._results import Results

__all__ = ["FORMATS", "MISSING_MATPLOTLIB", "matplotlib_available", "plot_format", "write_plot"]

FORMATS = ("png", "svg")
MISSING_MATPLOTLIB = (
    "--plot needs matplotlib, which is not installed; "
    "install the plot extra: pip install 'concurrent-pep371[plot]'"
)


def matplotlib_available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def plot_format(path: str) -> str:
    """The image format named by ``path``'s extension; ``ValueError`` unless png or svg."""
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    if extension not in FORMATS:
        raise ValueError(
            f"--plot {path!r}: the file name must end in .png or .svg "
            f"(got {('.' + extension) if extension else 'no extension'})"
        )
    return extension


def write_plot(results: Results, path: str) -> None:
    """Draw the workloads section of ``results`` into ``path`` (png or svg)."""
    from matplotlib.figure import Figure

    figures = [f for f in results.figures if f.section == "workloads" and f.mode != LINEAR]
    tests = list(dict.fromkeys(f.test for f in figures))
    if not tests:
        raise ValueError("--plot: no workload figures to draw (did the workloads section run?)")
    columns = min(3, len(tests))
    rows = -(-len(tests) // columns)
    canvas = Figure(figsize=(4.2 * columns, 3.4 * rows), layout="constrained")
    axes = canvas.subplots(rows, columns, squeeze=False).ravel()
    for panel, test in zip(axes, tests):
        for mode in dict.fromkeys(f.mode for f in figures if f.test == test):
            points = [(f.param, results.speedup(f)) for f in figures
                      if f.test == test and f.mode == mode and results.speedup(f) is not None]
            if points:
                panel.plot(*zip(*points), marker="o", label=mode)
        panel.axhline(1.0, color="grey", linewidth=0.8, linestyle="--")
        panel.set_title(test)
        panel.set_xlabel("workers")
        panel.set_ylabel("speed-up over linear")
        panel.set_xscale("log", base=2)
        counts = sorted({f.param for f in figures if f.test == test})
        panel.set_xticks(counts, [str(count) for count in counts])
        panel.legend(fontsize="small")
    for unused in axes[len(tests):]:
        unused.set_visible(False)
    meta = results.meta
    canvas.suptitle(f"concurrent bench: Python {meta.get('python', '?')}, "
                    f"{meta.get('cpus', '?')} CPU(s), start method {meta.get('start_method', '?')}")
    canvas.savefig(path, format=plot_format(path))
