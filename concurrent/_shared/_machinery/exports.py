"""A package's public names from one table: ``__all__``, lazy loading, type stubs and identity.

Each backend package keeps ONE table, ``name -> Export(module, attribute)``, and derives from it:

- ``__all__`` (the table's keys), which is also what ``dir()`` lists;
- the module ``__getattr__`` that imports a name's submodule on first use, as
  ``concurrent.futures`` loads its executors, so importing the package stays cheap;
- the type checkers' view: ``render_stub`` writes the package's ``__init__.pyi`` from the table,
  and a test checks that the stub in the tree is current (``python -m
  concurrent._shared._machinery.exports`` rewrites the stubs).

``publish`` fixes ``__module__`` of the objects a private module defines to the public module
that exports them, so reprs, tracebacks, pickles and the docs show ``concurrent.threading.Event``
rather than a private path (trio does the same).  Pickles then load through the public module.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

__all__ = ["Export", "available", "lazy_exports", "publish", "render_stub"]


class Export(NamedTuple):
    """Where a public name lives: ``attribute`` (a dotted path; ``None``: the module itself) of
    ``module``, written as in an import: ``"._sync"`` is relative to the exporting package,
    ``"threading"`` absolute.  ``since``: the first Python version that has it."""

    module: str
    attribute: str | None
    since: tuple[int, int] | None = None

    def module_name(self, package: str) -> str:
        """The absolute name of ``module``."""
        return package + self.module if self.module.startswith(".") else self.module


def available(table: Mapping[str, Export]) -> list[str]:
    """The names of ``table`` that the running Python has, sorted: a package's ``__all__``."""
    return sorted(name for name, export in table.items()
                  if export.since is None or sys.version_info >= export.since)


def _resolve(package: str, export: Export) -> object:
    value = importlib.import_module(export.module_name(package))
    for part in export.attribute.split(".") if export.attribute else ():
        value = getattr(value, part)
    return value


def lazy_exports(package: str, table: Mapping[str, Export], namespace: dict
                 ) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: each name loads its submodule on first use."""

    def module_getattr(name: str) -> object:
        export = table.get(name)
        if export is None or (export.since is not None and sys.version_info < export.since):
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = _resolve(package, export)
        namespace[name] = value  # later lookups skip __getattr__
        return value

    def module_dir() -> list[str]:
        return sorted(namespace["__all__"])

    return module_getattr, module_dir


def publish(public: str, namespace: dict, names: Iterable[str]) -> None:
    """Report ``public`` as the module of every object ``names`` that ``namespace`` defines,
    and of the methods those classes define (a backend object's methods are module functions).

    Objects another module defined (a stdlib class re-exported here) keep their own module.
    """
    home = namespace["__name__"]
    for name in names:
        obj = namespace.get(name)  # a name a module __getattr__ provides is not there yet
        if getattr(obj, "__module__", None) != home:
            continue
        try:
            obj.__module__ = public
        except (AttributeError, TypeError):  # a builtin that cannot be relabelled
            continue
        if isinstance(obj, type):
            for member in vars(obj).values():
                function = getattr(member, "fget", member)
                if callable(function) and getattr(function, "__module__", None) == home:
                    function.__module__ = public


def render_stub(package: str, table: Mapping[str, Export], docstring: str) -> str:
    """The ``__init__.pyi`` text for ``package``: one import per public name, and ``__all__``.

    A name bound to an attribute of an object (``DEFAULT.cpu_count``: a method of the default
    backend) is assigned from it, so type checkers see that object's annotations.
    """
    lines = [f'"""{docstring}"""', "", "# Generated from the export table in __init__.py by",
             "# python -m concurrent._shared._machinery.exports; do not edit.", "",
             "import sys", ""]
    gated: dict[tuple[int, int], list[str]] = {}
    for name in sorted(table):
        export = table[name]
        target = lines if export.since is None else gated.setdefault(export.since, [])
        target.extend(_stub_lines(package, name, export))
    for since in sorted(gated):
        lines.append(f"if sys.version_info >= {since!r}:")
        lines.extend("    " + line for line in gated[since])
    lines += ["", "__all__ = ["]
    for name in sorted(table):
        since = table[name].since
        if since is None:
            lines.append(f"    {name!r},")
    lines.append("]")
    for since in sorted(gated):
        names = sorted(name for name, export in table.items() if export.since == since)
        lines.append(f"if sys.version_info >= {since!r}:")
        lines.append(f"    __all__ += {names!r}")
    return "\n".join(lines) + "\n"


def _stub_lines(package: str, name: str, export: Export) -> list[str]:
    module = export.module_name(package)
    if export.attribute is None:
        parent, _, leaf = module.rpartition(".")
        return [f"from {parent} import {leaf} as {name}"] if parent else [f"import {module}"]
    if "." not in export.attribute:
        return [f"from {module} import {export.attribute} as {name}"]
    owner, _, rest = export.attribute.partition(".")
    alias = f"_{owner}"
    return [f"from {module} import {owner} as {alias}", f"{name} = {alias}.{rest}"]


def _packages() -> list[str]:
    return ["concurrent._shared", "concurrent.threading", "concurrent.processing"]


def stub_path(package: str) -> str:
    """Where ``package``'s generated stub lives (beside its ``__init__.py``)."""
    module = importlib.import_module(package)
    return module.__file__[:-len("__init__.py")] + "__init__.pyi"


def current_stub(package: str) -> str:
    """The stub that ``package``'s export table produces now."""
    module = importlib.import_module(package)
    first = (module.__doc__ or "").strip().splitlines()[0]
    return render_stub(package, module._EXPORTS, first)


def main(argv: list[str]) -> int:
    """Rewrite every package's stub (``--check``: only report the stale ones)."""
    check = "--check" in argv
    stale = []
    for package in _packages():
        path, text = stub_path(package), current_stub(package)
        try:
            with open(path, encoding="utf-8") as file:
                old = file.read()
        except FileNotFoundError:
            old = None
        if old != text:
            stale.append(path)
            if not check:
                with open(path, "w", encoding="utf-8") as file:
                    file.write(text)
    for path in stale:
        print(("stale: " if check else "wrote: ") + path)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
