"""``python -m compat.migrate PATHS... [--diff|--write]``: move legacy code to ``concurrent.*``.

Rewrites Python 2.6 ``threading`` and pyprocessing 0.52 imports and names to their PEP 8
``concurrent.threading`` / ``concurrent.processing`` spellings, by the table in
``compat.renames``, and pprocess 0.5.1's ``pmap``/``get_number_of_cores`` to ``Pool.imap`` and
``cpu_count`` (``compat._rewrite_pprocess``).  It works on the syntax tree (libcst), so
formatting and comments stay as they were; rerunning it changes nothing.  What it cannot
rewrite safely it lists as ``file:line: message`` and leaves running through ``compat``.

Legacy methods (``t.getName()``, ``q.putNoWait(x)``) are rewritten in files that import a
legacy module, whatever the receiver: the tool cannot know every object's type, and these names
are specific enough to the old APIs.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Result", "main", "migrate_source"]

INSTALL_HINT = "pip install 'concurrent-pep371[migrate]'"


@dataclass
class Result:
    """The rewritten source of one file and what was left for a person."""

    source: str
    findings: list = field(default_factory=list)

    def changed(self, original: str) -> bool:
        return self.source != original


def _require_libcst():
    try:
        import libcst
    except ImportError:
        raise SystemExit(f"compat.migrate needs libcst, an optional extra; install it with: "
                         f"{INSTALL_HINT}") from None
    return libcst


def _legacy_imports(module) -> set[str]:
    import libcst as cst
    from libcst.helpers import get_full_name_for_node

    from compat.renames import MODULES

    found: set[str] = set()
    for node in _walk(module):
        if isinstance(node, cst.Import):
            for alias in node.names:
                name = get_full_name_for_node(alias.name)
                found.update(m for m in MODULES if name == m or name.startswith(m + "."))
        elif isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
            name = get_full_name_for_node(node.module)
            if name in MODULES:
                found.add(name)
                if not isinstance(node.names, cst.ImportStar):
                    found.update(f"{name}.{a.name.value}" for a in node.names
                                 if f"{name}.{a.name.value}" in MODULES)
    return found


def _walk(node) -> Iterator:
    yield node
    for child in node.children:
        yield from _walk(child)


def migrate_source(source: str) -> Result:
    """Rewrite one module's source; raises ``libcst.ParserSyntaxError`` on invalid code."""
    cst = _require_libcst()
    from libcst.metadata import MetadataWrapper

    from compat._rewrite import ImportRewriter, UsageRewriter
    from compat._rewrite_pprocess import migrate_pprocess

    module, findings = migrate_pprocess(cst.parse_module(source))
    imported = _legacy_imports(module)
    if imported:
        usages = UsageRewriter(imported)
        module = MetadataWrapper(module).visit(usages)
        module = module.visit(ImportRewriter(usages.kept, usages.renamed))
        findings += usages.findings
    return Result(module.code, sorted(findings, key=lambda f: f.line))


def _python_files(paths: Iterable[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.py") if p.is_file())
        elif path.is_file():
            yield path
        else:
            raise SystemExit(f"compat.migrate: no such file or directory: {name!r}; give "
                             f"Python files or directories that contain them")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m compat.migrate",
        description="Rewrite Python 2.6 threading, pyprocessing 0.52 and pprocess 0.5.1 names "
                    "to concurrent.* PEP 8 names. Without --diff or --write, list the files "
                    "that would change.")
    parser.add_argument("paths", nargs="+", help="Python files or directories")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print a unified diff of the changes")
    mode.add_argument("--write", action="store_true", help="rewrite the files in place")
    options = parser.parse_args(argv)
    cst = _require_libcst()

    status = 0
    for path in _python_files(options.paths):
        original = path.read_text(encoding="utf-8")
        try:
            result = migrate_source(original)
        except cst.ParserSyntaxError as error:
            print(f"{path}: cannot parse, left unchanged: {error.message} "
                  f"(line {error.raw_line})", file=sys.stderr)
            status = 1
            continue
        for finding in result.findings:
            print(f"{path}:{finding.line}: {finding.message}", file=sys.stderr)
        if not result.changed(original):
            continue
        if options.write:
            path.write_text(result.source, encoding="utf-8")
            print(f"rewrote {path}")
        elif options.diff:
            sys.stdout.writelines(difflib.unified_diff(
                original.splitlines(keepends=True), result.source.splitlines(keepends=True),
                fromfile=str(path), tofile=str(path)))
        else:
            print(f"would rewrite {path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
