"""Package attributes loaded on first use, as ``concurrent.futures`` loads its executors.

A backend package lists ``name -> (submodule, attribute)`` and gets the module-level
``__getattr__``/``__dir__`` pair from ``lazy_exports``: importing the package stays cheap, and a
name costs its submodule's import only when code first touches it.
"""

import importlib
from collections.abc import Callable, Mapping

__all__ = ["lazy_exports"]


def lazy_exports(package: str, exports: Mapping[str, tuple[str, str | None]],
                 namespace: dict) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``; ``attribute=None`` exports the submodule."""

    def module_getattr(name: str):
        try:
            submodule, attribute = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        module = importlib.import_module(f"{package}.{submodule}")
        value = module if attribute is None else getattr(module, attribute)
        namespace[name] = value  # later lookups skip __getattr__
        return value

    def module_dir() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return module_getattr, module_dir
