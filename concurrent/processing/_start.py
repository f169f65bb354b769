"""Which start method, and which of multiprocessing's contexts carries it: asked in one place.

Every object of this package that needs the machinery of a start method (the ``Popen`` classes,
whether a semaphore is unlinked at once, the fork server) asks ``mp_context(method)``, with the
method its class is bound to; ``None`` follows the program's default, which is multiprocessing's
own (so children started either way agree on it).

A backend object (``get_context("spawn")``) hands out classes bound to its method: subclasses
made once by ``bind`` whose only difference is the class attribute ``_start_method``.  Their
instances pickle as instances of the same bound class, rebuilt by ``bind`` in the receiver.

This module imports nothing of the package: everything else may import it.
"""

from __future__ import annotations

import copyreg
import multiprocessing
import threading
from abc import ABCMeta
from multiprocessing.context import BaseContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (it is slow to import)
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T", bound=type)

__all__ = ["bind", "mp_context"]


def mp_context(method: str | None) -> BaseContext:
    """multiprocessing's context for ``method``; ``None``: the default one (follows
    ``set_start_method``, otherwise the running Python's default)."""
    return multiprocessing.get_context(method)


class _BoundClass(ABCMeta):
    """The metaclass of bound classes.  For type checks a bound class is the class it binds
    (``isinstance(get_context("fork").JoinableQueue(), get_context("spawn").Queue)`` holds, as
    it does for their unbound classes), and pickle finds it through ``copyreg`` below."""

    # Plain (nominal) checks against the class it binds: going through the ABC machinery would
    # recurse, for that class's check consults its subclasses, the bound class among them.
    def __instancecheck__(cls, instance: object) -> bool:
        return type.__instancecheck__(cls.__mro__[1], instance)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return type.__subclasscheck__(cls.__mro__[1], subclass)


_bound: dict[tuple[type, str], type] = {}
_bound_lock = threading.Lock()


def bind(cls: T, method: str | None) -> T:
    """``cls`` bound to start method ``method``: itself for ``None``, else a cached subclass.

    The subclass keeps the name, module and docstring of ``cls``, so reprs, tracebacks and
    ``help()`` read the same; for ``isinstance``/``issubclass`` it is ``cls``.
    """
    if method is None or cls._start_method == method:
        return cls
    key = (cls, method)
    bound = _bound.get(key)
    if bound is None:
        with _bound_lock:
            bound = _bound.get(key)
            if bound is None:
                namespace = {"_start_method": method, "__module__": cls.__module__,
                             "__qualname__": cls.__qualname__, "__doc__": cls.__doc__}
                bound = _bound[key] = _BoundClass(cls.__name__, (cls,), namespace)
    return bound


def _reduce_bound_class(bound: type) -> tuple:
    return bind, (bound.__mro__[1], bound._start_method)


copyreg.pickle(_BoundClass, _reduce_bound_class)
