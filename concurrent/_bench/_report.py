"""The bench's outputs: the terminal table and the JSON document.

Every cell of our backends sits beside the stdlib cell of the same run, followed by the ratio
``vs`` = our speed / the stdlib's speed (above 1: ours is faster), whatever the unit.
"""

import json

from concurrent._bench._modes import (
    BASELINE,
    LINEAR,
    OURS_INTERPRETING,
    OURS_PROCESSING,
    OURS_THREADING,
    STDLIB_PROCESSING,
    STDLIB_THREADING,
)
from concurrent._bench._results import INTERPRETER_START_BASELINE, Figure, Results

__all__ = ["format_ms", "format_rate", "format_table", "read_json", "to_json", "write_json"]

# Column order: each of our backends right after the stdlib mode it replaces, then the ratio;
# the interpreters last, their ratio against threading (BASELINE).
PAIRS = ((STDLIB_THREADING, OURS_THREADING), (STDLIB_PROCESSING, OURS_PROCESSING),
         (STDLIB_THREADING, OURS_INTERPRETING))
UNAVAILABLE = "unavailable"
PARAM_MEANING = {"workloads": "workers", "throughput": "operations per sample",
                 "payloads": "payload", "startup": "case"}
NOT_MEASURED = "-"  # a row that a mode has no figure for (a thread has no start method)


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


def _ratio(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}x" if value >= 0.1 else f"{value:.2g}x"


def format_ms(seconds: float) -> str:
    """Seconds as milliseconds, three significant digits (whole ones from 100 ms)."""
    milliseconds = seconds * 1000
    return f"{milliseconds:.3g}" if milliseconds < 100 else f"{milliseconds:.0f}"


def format_rate(value: float) -> str:
    """A rate with a k/M/G suffix, three significant digits."""
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def _show_seconds(figure: Figure) -> str:
    return f"{format_ms(figure.median)} ({format_ms(figure.best)})"


def _show_rate(figure: Figure) -> str:
    return f"{format_rate(figure.median)} ({format_rate(figure.best)})"


def _fraction(value: float | None) -> str:
    """A fraction of memcpy: a percentage below 1, a multiple above (threads pass references)."""
    if value is None:
        return "-"
    if value < 1:
        return f"{value * 100:.3g}%"
    return f"{value:.3g}x" if value < 1000 else f"{value:.0f}x"


def _modes_in(results: Results, section: str) -> list[str]:
    present = {figure.mode for figure in results.figures if figure.section == section}
    ordered = [LINEAR] if LINEAR in present else []
    for stdlib_mode, our_mode in PAIRS:
        ordered += [mode for mode in (stdlib_mode, our_mode)
                    if mode in present and mode not in ordered]
    return ordered


def _header(first: list[str], modes: list[str]) -> list[str]:
    header = list(first)
    for mode in modes:
        header.append(mode)
        if mode in BASELINE and BASELINE[mode] in modes:
            header.append("vs")
    return header


def _cells(results: Results, section: str, test: str, param, modes, show) -> list[str]:
    cells = []
    for mode in modes:
        figure = results.find(section, test, param, mode)
        if figure is None:
            cells.append(NOT_MEASURED)
        else:
            cells.append(show(figure) if figure.ok else UNAVAILABLE)
        if mode in BASELINE and BASELINE[mode] in modes:
            cells.append(_ratio(results.vs_stdlib(figure) if figure is not None else None))
    return cells


def _notes(results: Results, section: str) -> list[str]:
    reasons: dict[str, list[str]] = {}
    for figure in results.figures:
        if figure.section == section and figure.unavailable:
            seen = reasons.setdefault(figure.mode, [])
            if figure.unavailable not in seen:
                seen.append(figure.unavailable)
    return [f"  {mode}: unavailable: {reason}"
            for mode, found in reasons.items() for reason in found]


def _ordered(values):
    return list(dict.fromkeys(values))


def _workloads_section(results: Results, repeat: int) -> list[str]:
    section = "workloads"
    figures = [figure for figure in results.figures if figure.section == section]
    if not figures:
        return []
    modes = _modes_in(results, section)
    lines = [
        f"PEP 371 workloads: milliseconds, median (best) of {repeat} interleaved run(s)",
        "N workers each run the workload once; linear runs it N times in one thread",
        "",
    ]
    for test in _ordered(figure.test for figure in figures):
        lines.append(f"{test}: {results.tests.get(test, test)}")
        rows = []
        for workers in _ordered(f.param for f in figures if f.test == test):
            cells = _cells(results, section, test, workers, modes, _show_seconds)
            rows.append([str(workers), *cells])
        lines += _grid(_header(["workers"], modes), rows) + [""]
    return lines + _notes(results, section)


def _throughput_section(results: Results, repeat: int) -> list[str]:
    section = "throughput"
    figures = [figure for figure in results.figures if figure.section == section]
    if not figures:
        return []
    modes = _modes_in(results, section)
    rows = []
    for figure in figures:
        if figure.mode != modes[0]:
            continue
        cells = _cells(results, section, figure.test, figure.param, modes, _show_rate)
        rows.append([figure.test, *cells])
    lines = [
        f"pyprocessing's benchmarks: operations per second, median (best) of {repeat} run(s)",
        "(threading's Manager is multiprocessing.dummy's: plain objects, no proxy)",
        "",
    ]
    lines += _grid(_header(["benchmark"], modes), rows) + [""]
    for test in _ordered(figure.test for figure in figures):
        lines.append(f"  {test}: {results.tests.get(test, test)}")
    return lines + _notes(results, section)


def _payloads_section(results: Results, repeat: int) -> list[str]:
    section = "payloads"
    figures = [figure for figure in results.figures if figure.section == section]
    if not figures:
        return []
    modes = _modes_in(results, section)

    def show(figure: Figure) -> str:
        return f"{format_rate(figure.median)} ({_fraction(results.memcpy_fraction(figure))})"

    rows = []
    for test in _ordered(figure.test for figure in figures):
        for payload in _ordered(f.param for f in figures if f.test == test):
            memcpy = results.memcpy_mb_s(payload)
            memcpy_cell = "-" if memcpy is None else format_rate(memcpy)
            cells = _cells(results, section, test, payload, modes, show)
            rows.append([test, payload, memcpy_cell, *cells])
    lines = [
        f"Large payloads: MB/s (1 MB = 2**20 bytes), median of {repeat} run(s), "
        "(that as a fraction of a memcpy of the same payload in this run)",
        "threads pass a reference, so their figures can exceed memcpy",
        "",
    ]
    return lines + _grid(_header(["channel", "payload", "memcpy"], modes), rows) + [
        ""] + _notes(results, section)


def _startup_section(results: Results, repeat: int) -> list[str]:
    section = "startup"
    figures = [figure for figure in results.figures if figure.section == section]
    if not figures:
        return []
    modes = _modes_in(results, section)
    rows = []
    for test in _ordered(figure.test for figure in figures):
        for case in _ordered(f.param for f in figures if f.test == test):
            rows.append([test, str(case),
                         *_cells(results, section, test, case, modes, _show_seconds)])
    lines = [
        f"Start-up costs: milliseconds, median (best) of {repeat} interleaved run(s)",
        "import and start_join run in fresh interpreters, one program per side",
        "",
    ]
    lines += _grid(_header(["test", "case"], modes), rows) + [""]
    for test in _ordered(figure.test for figure in figures):
        lines.append(f"  {test}: {results.tests.get(test, test)}")
    return lines + _notes(results, section)


def format_table(results: Results) -> str:
    """The whole report as text: the machine, then one block per section that ran."""
    meta = results.meta
    repeat = meta.get("repeat", 1)
    lines = [
        f"concurrent bench: Python {meta.get('python', '?')} on {meta.get('platform', '?')}, "
        f"{meta.get('cpus', '?')} CPU(s), start method {meta.get('start_method', '?')}"
        + (", --quick" if meta.get("quick") else ""),
        "vs = our speed / the stdlib's speed in the same run (above 1.00x: ours is faster)",
        *([f"{OURS_INTERPRETING}'s vs is against {STDLIB_THREADING}, the other way to run "
           f"workers in one process (its start-up rows: against {STDLIB_PROCESSING} under "
           f"{INTERPRETER_START_BASELINE})"] if any(figure.mode == OURS_INTERPRETING and figure.ok
                                            for figure in results.figures) else []),
        "",
    ]
    from concurrent._bench._scaleout import format_section

    for section in (_workloads_section, _throughput_section, _payloads_section,
                    _startup_section, format_section):
        block = section(results, repeat)
        if block:
            lines += block + [""]
    if "duration_s" in meta:
        lines.append(f"finished in {meta['duration_s']:.1f} s")
    return "\n".join(lines).rstrip() + "\n"


def _versus(figure: Figure, baseline: Figure, ratio: float) -> dict:
    """The ratio and the mode it is against (and the baseline's row, when it is another)."""
    versus = {"baseline": baseline.mode, "ratio": ratio}
    if baseline.param != figure.param:
        versus["baseline_param"] = baseline.param
    return versus


def _figure_json(results: Results, figure: Figure) -> dict:
    ratio = results.vs_stdlib(figure)
    document = {
        "section": figure.section,
        "test": figure.test,
        "param": figure.param,
        "param_is": PARAM_MEANING.get(figure.section, "parameter"),
        "mode": figure.mode,
        "unit": figure.unit,
        "samples": list(figure.samples),
        "median": figure.median if figure.ok else None,
        "best": figure.best if figure.ok else None,
        "unavailable": figure.unavailable,
        "vs_stdlib": None if ratio is None else _versus(figure, results.baseline(figure), ratio),
    }
    if figure.section == "workloads":
        document["speedup_vs_linear"] = results.speedup(figure)
    if figure.section == "payloads":
        document["memcpy_fraction"] = results.memcpy_fraction(figure)
    return document


def to_json(results: Results) -> dict:
    """The run as a JSON-ready dict: its description, every figure with samples, memcpy."""
    return {
        "meta": results.meta,
        "tests": results.tests,
        "figures": [_figure_json(results, figure) for figure in results.figures],
        "memcpy_mb_s": {
            payload: {"samples": samples, "median": results.memcpy_mb_s(payload)}
            for payload, samples in results.memcpy.items()
        },
    }


def write_json(results: Results, path: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(to_json(results), out, indent=2)
        out.write("\n")


def read_json(path: str) -> Results:
    """The run that ``write_json`` saved, with every sample, to report or plot it again."""
    with open(path, encoding="utf-8") as source:
        document = json.load(source)
    try:
        results = Results(meta=document["meta"], tests=document["tests"])
        for figure in document["figures"]:
            results.figures.append(Figure(
                figure["section"], figure["test"], figure["param"], figure["mode"],
                figure["unit"], list(figure["samples"]), figure["unavailable"]))
        for payload, memcpy in document.get("memcpy_mb_s", {}).items():
            results.memcpy[payload] = list(memcpy["samples"])
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a bench --json document ({type(exc).__name__}: "
                         f"{exc})") from None
    return results
