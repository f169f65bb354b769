"""Write each package's ``__init__.pyi`` from its export table: the type checkers' view.

A package loads its names lazily (``exports.lazy_exports``), which type checkers cannot follow;
the stub spells out the same table as imports.  ``python -m concurrent._shared._machinery.stubs``
rewrites the stubs (``--check`` only lists the stale ones); a test keeps them current.  A package
this Python cannot import (``concurrent.interpreting`` before 3.14, ``concurrent.distributed``
without its extra) is skipped and said so: run it where every package imports.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Mapping

from concurrent._shared._machinery.exports import Export

__all__ = ["PACKAGES", "render_stub", "stub_path"]

PACKAGES = ("concurrent._shared", "concurrent.threading", "concurrent.processing",
            "concurrent.distributed", "concurrent.interpreting")


def render_stub(package: str, table: Mapping[str, Export], docstring: str) -> str:
    """The ``__init__.pyi`` text for ``package``: one import per public name, and ``__all__``.

    A name bound to an attribute of an object (``DEFAULT.cpu_count``: a method of the default
    backend) is assigned from that object, so type checkers see its annotations.
    """
    blocks: dict[tuple[int, int] | None, tuple[set[str], list[str], list[str]]] = {}
    for name in sorted(table):
        export = table[name]
        imports, assignments, names = blocks.setdefault(export.since, (set(), [], []))
        imports.add(_import_line(package, name, export))
        if export.attribute is not None and "." in export.attribute:
            owner, _, rest = export.attribute.partition(".")
            assignments.append(f"{name} = _{owner}.{rest}")
        names.append(name)
    imports, assignments, names = blocks.pop(None, (set(), [], []))
    lines = [f'"""{docstring}"""', "", "# Generated from the export table in __init__.py by",
             "# python -m concurrent._shared._machinery.stubs; do not edit.", ""]
    if blocks:  # names only some Python versions have
        lines += ["import sys", ""]
    lines += sorted(imports) + [""] + assignments + ["", "__all__ = ["]
    lines += [f"    {name!r}," for name in names] + ["]"]
    for since in sorted(blocks):
        imports, assignments, names = blocks[since]
        lines += ["", f"if sys.version_info >= {since!r}:"]
        lines += ["    " + line for line in sorted(imports) + assignments]
        lines.append(f"    __all__ += {names!r}")
    return "\n".join(lines) + "\n"


def _import_line(package: str, name: str, export: Export) -> str:
    module = export.module_name(package)
    if export.attribute is None:
        parent, _, leaf = module.rpartition(".")
        return f"from {parent} import {leaf} as {name}"
    if "." in export.attribute:
        owner = export.attribute.partition(".")[0]
        return f"from {module} import {owner} as _{owner}"
    return f"from {module} import {export.attribute} as {name}"


def stub_path(package: str) -> str:
    """Where ``package``'s stub lives: beside its ``__init__.py`` (found without running it)."""
    return os.path.join(os.path.dirname(importlib.util.find_spec(package).origin),
                        "__init__.pyi")


def current_stub(package: str) -> str:
    """The stub that ``package``'s export table produces now."""
    module = importlib.import_module(package)
    first = (module.__doc__ or "").strip().splitlines()[0]
    return render_stub(package, module._EXPORTS, first)


def main(argv: list[str]) -> int:
    """Rewrite the stale stubs (``--check``: only list them, and fail if there are any)."""
    check = "--check" in argv
    stale = []
    for package in PACKAGES:
        try:
            text = current_stub(package)
        except ImportError as exc:
            print(f"skipped: {package} ({exc})")
            continue
        path = stub_path(package)
        try:
            with open(path, encoding="utf-8") as file:
                current = file.read()
        except FileNotFoundError:
            current = None
        if current != text:
            stale.append(path)
            if not check:
                with open(path, "w", encoding="utf-8") as file:
                    file.write(text)
    for path in stale:
        print(("stale: " if check else "wrote: ") + path)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
