"""``--plot DIR``: one figure per section, ours beside the stdlib row by row, with the spread.

Each figure has a panel per pair (``concurrent.threading`` beside ``threading``,
``concurrent.processing`` beside ``multiprocessing`` ...).  A row shows both sides as speeds
relative to the stdlib's median on a log axis (``_comparison``): the stdlib sits at 1, ours at
its ratio, each with a bar from its slowest to its fastest sample.  The figure is written as
``DIR/<section>.svg`` (or ``.png``).

matplotlib is an optional extra; it is imported only here, only when a plot is asked for, and
through ``matplotlib.figure`` so no GUI backend or global pyplot state is involved.
"""

from __future__ import annotations

import importlib.util
import os

from concurrent._bench._comparison import Pair, compare, sections_in
from concurrent._bench._results import Results

__all__ = ["FORMATS", "MISSING_MATPLOTLIB", "check_plot_dir", "matplotlib_available",
           "write_plots"]

FORMATS = ("svg", "png")
MISSING_MATPLOTLIB = (
    "--plot needs matplotlib, which is not installed; "
    "install the plot extra: pip install 'concurrent-pep371[plot]'"
)
# What --plot FILE used to take: such a name now gets a message saying what changed.
_FILE_SUFFIXES = (".png", ".svg", ".pdf", ".jpg", ".jpeg", ".eps", ".ps")
STDLIB_COLOR, OURS_COLOR = "#7f7f7f", "#1f77b4"


def matplotlib_available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def check_plot_dir(path: str) -> str | None:
    """Why ``path`` cannot take the figures (``None`` if it can, created or not yet)."""
    if os.path.isdir(path):
        return None
    if os.path.exists(path):
        return f"--plot {path!r}: not a directory"
    if os.path.splitext(path)[1].lower() in _FILE_SUFFIXES:
        return (f"--plot {path!r}: --plot now takes a directory and writes one figure per "
                f"section into it (workloads.svg, throughput.svg ...); give a directory, and "
                f"--plot-format png for PNG files")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        return f"--plot {path!r}: directory {parent!r} does not exist"
    return None


def write_plots(results: Results, directory: str, image_format: str = "svg") -> list[str]:
    """Draw every section of ``results`` that compares ours with the stdlib; the paths."""
    import matplotlib

    os.makedirs(directory, exist_ok=True)
    written = []
    for section in sections_in(results):
        pairs = compare(results, section)
        if not pairs:
            continue  # nothing of ours measured there (e.g. an extra that is not installed)
        path = os.path.join(directory, f"{section}.{image_format}")
        # Text stays text in an SVG (small files); no date or random ids, so a figure that
        # did not change is the same file.
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "concurrent-bench",
                                    "font.size": 8, "font.sans-serif": ["DejaVu Sans"],
                                    "ytick.major.size": 0}):
            _draw(results, section, pairs).savefig(
                path, format=image_format, metadata={"Date": None} if image_format == "svg"
                else {})
        written.append(path)
    return written


def _draw(results: Results, section: str, pairs: list[Pair]):
    from matplotlib.figure import Figure

    labels = list(dict.fromkeys(row.label for pair in pairs for row in pair.rows))
    canvas = Figure(figsize=(3.4 + 3.2 * len(pairs), 1.3 + 0.24 * len(labels)),
                    layout="constrained")
    axes = canvas.subplots(1, len(pairs), sharey=True, squeeze=False)[0]
    for panel, pair in zip(axes, pairs):
        _draw_pair(panel, pair, labels)
    axes[0].set_yticks(range(len(labels)), labels)
    axes[0].invert_yaxis()
    for panel, pair in zip(axes, pairs):  # our median ratio, as labels on the right
        ratios = panel.twinx()
        ratios.set_ylim(panel.get_ylim())
        ratios.set_yticks([labels.index(row.label) for row in pair.rows],
                          [f"{row.ours.median:.2f}x" for row in pair.rows])
        ratios.tick_params(axis="y", length=0, labelcolor=OURS_COLOR)
    meta = results.meta
    canvas.suptitle(
        f"{section}: our speed relative to the stdlib's median (log scale; bars: slowest to "
        f"fastest of {meta.get('repeat', '?')} samples)\nPython {meta.get('python', '?')}, "
        f"{meta.get('platform', '?')}, {meta.get('cpus', '?')} CPUs, start method "
        f"{meta.get('start_method', '?')}", fontsize=8)
    return canvas


def _draw_pair(panel, pair: Pair, labels: list[str]) -> None:
    from matplotlib import ticker

    rows = [labels.index(row.label) for row in pair.rows]
    for side, offset, color in (("stdlib", -0.17, STDLIB_COLOR), ("ours", 0.17, OURS_COLOR)):
        points = [getattr(row, side) for row in pair.rows]
        panel.errorbar([point.median for point in points], [y + offset for y in rows],
                       xerr=[[point.median - point.low for point in points],
                             [point.high - point.median for point in points]],
                       fmt="o", markersize=3.5, color=color, elinewidth=1.2)
    panel.axvline(1.0, color=STDLIB_COLOR, linewidth=0.8, linestyle="--")
    panel.set_xscale("log")
    panel.xaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    panel.xaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:g}x"))
    panel.xaxis.set_minor_locator(ticker.NullLocator())
    panel.set_title(f"{pair.our_mode} (blue) vs {pair.stdlib_mode} (grey)", fontsize=8)
    panel.set_xlabel("speed relative to the stdlib's median (above 1: faster)")
    panel.grid(axis="x", color="#e0e0e0", linewidth=0.5)
    panel.set_axisbelow(True)
