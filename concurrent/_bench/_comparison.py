"""Ours beside the stdlib, row by row, as speeds relative to the stdlib's median, with spreads.

What a figure of ``--plot`` draws, computed without matplotlib (so it is tested everywhere).
Every value is a speed relative to the baseline's median from the same run: above 1 means faster
than the stdlib's median.  A figure in seconds is turned into a speed (``baseline median /
sample``), so every section reads the same way.  Each point carries the spread of its samples
(their minimum and maximum, in the same terms), the baseline's own included.
"""

from __future__ import annotations

from typing import NamedTuple

from concurrent._bench._modes import BASELINE
from concurrent._bench._results import Figure, Results

__all__ = ["Comparison", "Pair", "Point", "compare", "label", "sections_in"]


class Point(NamedTuple):
    """One side of a row: its median and the range of its samples, relative to the baseline."""

    median: float
    low: float
    high: float


class Comparison(NamedTuple):
    """One row of one pair: the stdlib side (its median is 1 by definition) and ours."""

    label: str
    stdlib: Point
    ours: Point


class Pair(NamedTuple):
    """A backend of ours and the mode it is measured against, with the rows both have."""

    stdlib_mode: str
    our_mode: str
    rows: list[Comparison]


def label(figure: Figure) -> str:
    """How a row is named on a figure's axis."""
    if figure.section == "workloads":
        return f"{figure.test}, {figure.param} worker{'s' if figure.param != 1 else ''}"
    if figure.section in ("payloads", "startup"):
        return f"{figure.test}, {figure.param}"
    return figure.test  # throughput, cluster: the parameter is only a count


def _relative(figure: Figure, reference: float) -> Point:
    """``figure``'s median and sample range as speeds relative to ``reference`` (a median)."""
    if figure.higher_is_better:
        speeds = [sample / reference for sample in figure.samples]
        median = figure.median / reference
    else:
        speeds = [reference / sample for sample in figure.samples]
        median = reference / figure.median
    return Point(median, min(speeds), max(speeds))


def sections_in(results: Results) -> list[str]:
    """The sections of ``results``, in the order they ran."""
    return list(dict.fromkeys(figure.section for figure in results.figures))


def compare(results: Results, section: str) -> list[Pair]:
    """Each pair of modes of ``section`` with the rows where both sides have samples."""
    figures = [figure for figure in results.figures if figure.section == section]
    modes = list(dict.fromkeys(figure.mode for figure in figures))
    pairs = []
    for our_mode in modes:
        stdlib_mode = BASELINE.get(our_mode)
        if stdlib_mode not in modes:
            continue
        rows = []
        tests = list(dict.fromkeys(figure.test for figure in figures))
        ordered = sorted((figure for figure in figures if figure.mode == our_mode),
                         key=lambda figure: tests.index(figure.test))  # as the tables group
        for ours in ordered:
            baseline = results.find(section, ours.test, ours.param, stdlib_mode)
            if not ours.ok or baseline is None or not baseline.ok:
                continue
            reference = baseline.median
            rows.append(Comparison(label(ours), _relative(baseline, reference),
                                   _relative(ours, reference)))
        if rows:
            pairs.append(Pair(stdlib_mode, our_mode, rows))
    return pairs
