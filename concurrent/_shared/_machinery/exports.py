"""A package's public names from one table: ``__all__``, lazy loading, type stubs and identity.

Each backend package keeps ONE table, ``name -> Export(module, attribute)``, and derives from it:

- ``__all__`` (the table's keys), which is also what ``dir()`` lists;
- the module ``__getattr__`` that imports a name's submodule on first use, as
  ``concurrent.futures`` loads its executors, so importing the package stays cheap;
- the type checkers' view: the package's ``__init__.pyi``, written from the table by
  ``stubs.py`` (a test checks that the stubs in the tree are current).

``publish`` fixes ``__module__`` of the objects a private module defines to the public module
that exports them, so reprs, tracebacks, pickles and the docs show ``concurrent.threading.Event``
rather than a private path (trio does the same).  Pickles then load through the public module.
"""

from __future__ import annotations

import collections
import sys
from collections.abc import Callable, Iterable, Mapping

__all__ = ["Export", "available", "lazy_exports", "public_dir", "publish"]


# collections.namedtuple, not typing.NamedTuple: importing typing (and re) would be most of
# the cost of ``import concurrent.threading``.
class Export(collections.namedtuple("Export", ["module", "attribute", "since"],
                                    defaults=[None])):
    """Where a public name lives: ``attribute`` (a dotted path; ``None``: the module itself) of
    ``module``, written as in an import: ``"._sync"`` is relative to the exporting package,
    ``"threading"`` absolute.  ``since``: the first Python version that has it."""

    __slots__ = ()
    module: str
    attribute: str | None
    since: tuple[int, int] | None

    def module_name(self, package: str) -> str:
        """The absolute name of ``module``."""
        return package + self.module if self.module.startswith(".") else self.module


def available(table: Mapping[str, Export]) -> list[str]:
    """The names of ``table`` that the running Python has, sorted: a package's ``__all__``."""
    return sorted(name for name, export in table.items()
                  if export.since is None or sys.version_info >= export.since)


def _resolve(package: str, export: Export) -> object:
    import importlib  # here: a worker interpreter imports this module as it starts

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


def public_dir(namespace: dict) -> Callable[[], list[str]]:
    """A module ``__dir__`` that lists its ``__all__`` only, not its imports and helpers."""

    def module_dir() -> list[str]:
        return sorted(namespace["__all__"])

    return module_dir


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
