"""The start-method functions of a backend whose workers start one way (threads, interpreters,
cluster workers).

Code written for processes calls ``set_start_method("spawn")``, ``get_start_method()`` and
``get_context("fork")``.  Such a backend accepts its own method and every process start method
of the platform, which change nothing, and keeps multiprocessing's rules: the method is fixed by
the first ``get_start_method`` or ``set_start_method``, and setting it again needs ``force``.
"""

from __future__ import annotations

import types

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Self

__all__ = ["OneStartMethod"]

_METHODS = ("get_context", "get_start_method", "set_start_method", "get_all_start_methods")


def _process_start_methods() -> list[str]:
    import multiprocessing  # only for code that names a process start method

    return multiprocessing.get_all_start_methods()


class OneStartMethod:
    """Mixin for a ``Backend`` with one start method, ``START_METHOD``; its workers are named
    ``WORKERS`` in errors.  The subclass gives ``_start_method_chosen`` a slot and sets it to
    ``False`` in ``__init__``."""

    __slots__ = ()
    START_METHOD: str
    WORKERS: str
    _start_method_chosen: bool

    def __init_subclass__(cls, **kwargs) -> None:
        """Give the subclass its own copy of each method, defined in its module and naming its
        start method: a backend's methods are its package's module functions (``publish``)."""
        super().__init_subclass__(**kwargs)
        for name in _METHODS:
            if name not in vars(cls):
                shared = vars(OneStartMethod)[name]
                method = types.FunctionType(shared.__code__, shared.__globals__, name,
                                            shared.__defaults__, shared.__closure__)
                method.__doc__ = shared.__doc__.replace("START_METHOD", f'"{cls.START_METHOD}"')
                method.__annotations__ = shared.__annotations__
                method.__module__ = cls.__module__
                method.__qualname__ = f"{cls.__qualname__}.{name}"
                setattr(cls, name, method)

    def get_context(self, method: str | None = None) -> Self:
        """This backend, for ``None``, ``START_METHOD`` or any of the platform's process start
        methods (code written for processes runs unchanged); ``ValueError`` for others."""
        if method is None or method == self.START_METHOD or method in _process_start_methods():
            return self
        raise ValueError(f"unknown start method {method!r}: {self.WORKERS} start as "
                         f"{self.START_METHOD!r}; the process start methods "
                         f"{_process_start_methods()} are accepted too and change nothing")

    def get_start_method(self, allow_none: bool = False) -> str | None:
        """``START_METHOD`` (``None`` with ``allow_none`` before ``set_start_method``)."""
        if allow_none and not self._start_method_chosen:
            return None
        self._start_method_chosen = True
        return self.START_METHOD

    def set_start_method(self, method: str | None, force: bool = False) -> None:
        """Fix the start method once, as multiprocessing does: ``RuntimeError`` if it was set
        already (unless ``force``).  Every accepted method starts workers the one way."""
        if self._start_method_chosen and not force:
            raise RuntimeError("context has already been set")
        if method is None and force:
            self._start_method_chosen = False
            return
        self.get_context(method)  # ValueError for an unknown name
        self._start_method_chosen = True

    def get_all_start_methods(self) -> list[str]:
        """``[START_METHOD]``: workers start one way."""
        return [self.START_METHOD]
