"""Tables the docs compute at build time instead of copying by hand.

``.. rename-table:: threading [processing ...]``
    Legacy names of those legacy modules and their replacements, read from ``compat.renames``
    (the one table the shims, the warnings and ``compat.migrate`` also read).
``.. module-renames::``
    The legacy modules and the modules that replace them (``compat.renames.MODULES``).
``.. multiprocessing-names::``
    Every name of ``multiprocessing.__all__`` and where it is in ``concurrent.processing``.
``.. backend-differences::``
    The names both backends export, and those only one of them has.
``.. bench-meta::`` and ``.. bench-table:: SECTION``
    The run recorded in ``docs/_data/bench.json`` (``python -m concurrent bench --json``).
"""

from __future__ import annotations

import importlib
import json
import os

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from concurrent._bench._report import format_ms, format_rate

logger = logging.getLogger(__name__)


# --- building docutils tables -----------------------------------------------------------------

def _cell(value) -> nodes.entry:
    """A table cell: a string is text, a ``("code", text)`` pair is inline code."""
    entry = nodes.entry()
    paragraph = nodes.paragraph()
    if isinstance(value, tuple) and value[0] == "code":
        paragraph += nodes.literal(text=value[1])
    elif isinstance(value, nodes.Node):
        paragraph += value
    else:
        paragraph += nodes.Text(str(value))
    entry += paragraph
    return entry


def make_table(header: list[str], rows: list[list], widths: list[int], classes=(),
               numeric: set[int] = frozenset()) -> nodes.table:
    table = nodes.table(classes=["colwidths-given", *classes])
    group = nodes.tgroup(cols=len(header))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row(header, numeric)
    body = nodes.tbody()
    group += body
    for values in rows:
        body += _row(values, numeric)
    return table


def _row(values, numeric) -> nodes.row:
    row = nodes.row()
    for index, value in enumerate(values):
        cell = _cell(value)
        if index in numeric:
            cell["classes"].append("num")
        row += cell
    return row


# --- names: compat.renames and multiprocessing -------------------------------------------------

def _renames(directive: SphinxDirective):
    module = importlib.import_module("compat.renames")
    directive.env.note_dependency(module.__file__)  # rebuild the page when the table changes
    return module


def _replacement(entry, kind) -> tuple[object, str]:
    """(new spelling, how) for one ``compat.renames.Rename``."""
    if entry.kind is kind.MANUAL:
        return entry.note or "(by hand)", "by hand"
    if entry.kind is kind.RESHAPE:  # a call written differently: the note says how
        return ("code", f"{entry.new_module}.{entry.new}()"), "rewritten call"
    if entry.owner is None:
        return ("code", f"{entry.new_module}.{entry.new}()"), "call"
    if entry.kind is kind.GETTER:
        return ("code", f"{entry.owner}.{entry.new}"), "attribute"
    if entry.kind is kind.SETTER:
        return ("code", f"{entry.owner}.{entry.new} = value"), "attribute"
    return ("code", f"{entry.owner}.{entry.new}()"), "call"


class RenameTable(SphinxDirective):
    """The legacy names of the given legacy modules, from ``compat.renames.RENAMES``."""

    required_arguments = 1
    optional_arguments = 10

    def run(self) -> list[nodes.Node]:
        renames = _renames(self)
        modules = set(self.arguments)
        rows = []
        for entry in renames.RENAMES:
            if entry.module not in modules:
                continue
            new, how = _replacement(entry, renames.Kind)
            legacy = f"{entry.module}.{entry.old}()" if entry.owner is None else f"{entry.old}()"
            note = entry.note if entry.kind is not renames.Kind.MANUAL else ""
            rows.append([("code", legacy), new, how, note])
        if not rows:
            logger.warning("rename-table: compat.renames has no entry for %s",
                           ", ".join(sorted(modules)), location=self.get_location())
            return []
        return [make_table(["legacy", "new", "kind", "note"], rows, [30, 40, 10, 20],
                           classes=["renames"])]


class ModuleRenames(SphinxDirective):
    """The legacy modules and their replacements, from ``compat.renames.MODULES``."""

    def run(self) -> list[nodes.Node]:
        modules = _renames(self).MODULES
        rows = [[("code", f"import {old}"), ("code", f"import {new}")]
                for old, new in modules.items()]
        return [make_table(["legacy import", "new import"], rows, [50, 50],
                           classes=["renames"])]


class MultiprocessingNames(SphinxDirective):
    """Where each name of ``multiprocessing.__all__`` lives in ``concurrent.processing``."""

    def run(self) -> list[nodes.Node]:
        import multiprocessing

        processing = importlib.import_module("concurrent.processing")
        ours = set(getattr(processing, "__all__", ()))
        theirs = list(multiprocessing.__all__)
        same = [name for name in theirs if name in ours]
        missing = [name for name in theirs if name not in ours]
        added = sorted(ours - set(theirs))
        rows = [["same name in concurrent.processing",
                 nodes.Text(", ".join(same) if same else "none")]]
        if missing:
            rows.append(["not exported by concurrent.processing", ", ".join(missing)])
        rows.append(["only in concurrent.processing", ", ".join(added) if added else "none"])
        return [make_table(["", "names"], rows, [25, 75], classes=["renames"])]


class BackendDifferences(SphinxDirective):
    """The names only one backend exports, computed from both modules' ``__all__``."""

    def run(self) -> list[nodes.Node]:
        threading = importlib.import_module("concurrent.threading")
        processing = importlib.import_module("concurrent.processing")
        on_threads, on_processes = set(threading.__all__), set(processing.__all__)
        shared = sorted(on_threads & on_processes, key=str.lower)
        rows = [
            ["both backends", ", ".join(shared)],
            ["concurrent.threading only",
             ", ".join(sorted(on_threads - on_processes, key=str.lower))],
            ["concurrent.processing only",
             ", ".join(sorted(on_processes - on_threads, key=str.lower))],
        ]
        return [make_table(["", "names"], rows, [25, 75], classes=["renames"])]


# --- benchmarks ---------------------------------------------------------------------------------

MODES = ("linear", "threading", "concurrent.threading", "multiprocessing",
         "concurrent.processing")
BASELINE = {"concurrent.threading": "threading", "concurrent.processing": "multiprocessing"}
SECTIONS = {
    "workloads": "milliseconds, median of the runs (lower is faster)",
    "throughput": "operations per second, median of the runs (higher is faster)",
    "payloads": "MB/s, median of the runs (higher is faster)",
    "startup": "milliseconds, median of the runs (lower is faster)",
}


def load_bench(path: str) -> dict:
    """The JSON document ``python -m concurrent bench --json`` wrote."""
    with open(path, encoding="utf-8") as stream:
        document = json.load(stream)
    for key in ("meta", "figures"):
        if key not in document:
            raise ValueError(f"{path}: not a bench --json document (no {key!r})")
    return document


def _show(figure: dict) -> str:
    if figure.get("unavailable") or figure.get("median") is None:
        return "unavailable"
    if figure["unit"] == "s":
        return format_ms(figure["median"])
    return format_rate(figure["median"])


def _ratio(figure: dict) -> str:
    ratio = (figure.get("vs_stdlib") or {}).get("ratio")
    return "-" if ratio is None else f"{ratio:.2f}x"


def bench_rows(document: dict, section: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of one section: our modes each followed by their ratio to the stdlib's."""
    figures = [figure for figure in document["figures"] if figure["section"] == section]
    present = {figure["mode"] for figure in figures}
    modes = [mode for mode in MODES if mode in present]
    index = {(f["test"], str(f["param"]), f["mode"]): f for f in figures}
    header = ["test", figures[0]["param_is"] if figures else "parameter"]
    for mode in modes:
        header.append(mode.replace(".", ".\u200b"))  # lets a narrow column break after the dot
        if BASELINE.get(mode) in modes:
            header.append("vs")
    keys = list(dict.fromkeys((f["test"], str(f["param"])) for f in figures))
    rows = []
    previous = None
    for test, param in keys:
        row = ["" if test == previous else test, param]
        previous = test
        for mode in modes:
            figure = index.get((test, param, mode))
            row.append("-" if figure is None else _show(figure))  # -: not measured there
            if BASELINE.get(mode) in modes:
                row.append("-" if figure is None else _ratio(figure))
        rows.append(row)
    return header, rows


class _BenchDirective(SphinxDirective):
    def document(self) -> dict | None:
        path = self.config.bench_json
        self.env.note_dependency(path)
        try:
            return load_bench(path)
        except (OSError, ValueError) as exc:
            logger.warning("bench: cannot read %s: %s", path, exc, location=self.get_location())
            return None


class BenchMeta(_BenchDirective):
    """What machine and options produced the recorded run."""

    def run(self) -> list[nodes.Node]:
        document = self.document()
        if document is None:
            return []
        meta = document["meta"]
        fields = [
            ("Python", f"{meta.get('python', '?')} ({meta.get('implementation', '?')})"),
            ("platform", meta.get("platform", "?")),
            ("CPUs", f"{meta.get('cpus', '?')} (usable: {meta.get('usable_cpus', '?')})"),
            ("start method", meta.get("start_method", "?")),
            ("runs per figure", str(meta.get("repeat", "?"))
             + (" (quick mode)" if meta.get("quick") else "")),
            ("worker counts", ", ".join(str(n) for n in meta.get("workers", []))),
            ("recorded", meta.get("started_utc", "?")),
        ]
        if "numpy" in meta:
            fields.append(("numpy", meta["numpy"]))
        rows = [[name, value] for name, value in fields]
        return [make_table(["", "this run"], rows, [25, 75], classes=["bench"])]


class BenchTable(_BenchDirective):
    """One section of the recorded run as a table, and what each test measures."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        section = self.arguments[0]
        if section not in SECTIONS:
            logger.warning("bench-table: unknown section %r (known: %s)", section,
                           ", ".join(SECTIONS), location=self.get_location())
            return []
        document = self.document()
        if document is None:
            return []
        header, rows = bench_rows(document, section)
        if not rows:
            return [nodes.paragraph(text=f"The recorded run has no {section} section.")]
        result: list[nodes.Node] = [nodes.paragraph(text=f"Figures: {SECTIONS[section]}; "
                                                         "vs = our speed over the stdlib's.")]
        numeric = set(range(2, len(header)))
        widths = [14, 10] + [10] * (len(header) - 2)
        result.append(make_table(header, rows, widths, classes=["bench"], numeric=numeric))
        tests = document.get("tests", {})
        described = [test for test in dict.fromkeys(row[0] for row in rows) if test]
        items = nodes.bullet_list()
        for test in described:
            if test in tests:
                item = nodes.list_item()
                paragraph = nodes.paragraph()
                paragraph += nodes.literal(text=test)
                paragraph += nodes.Text(f": {tests[test]}")
                item += paragraph
                items += item
        if len(items):
            result.append(items)
        return result


def setup(app):
    app.add_config_value("bench_json", os.path.join("_data", "bench.json"), "env", types=(str,))
    app.add_directive("rename-table", RenameTable)
    app.add_directive("module-renames", ModuleRenames)
    app.add_directive("multiprocessing-names", MultiprocessingNames)
    app.add_directive("backend-differences", BackendDifferences)
    app.add_directive("bench-meta", BenchMeta)
    app.add_directive("bench-table", BenchTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
