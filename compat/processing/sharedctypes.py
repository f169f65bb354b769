"""pyprocessing 0.52's ``processing.sharedctypes`` on ``concurrent.processing.sharedctypes``.

0.52 already spelled the functions the PEP 8 way, so calling them does not warn.  The objects
``Value``, ``Array`` and ``synchronized`` return keep 0.52's ``getobj()``/``getlock()`` (which
warn, naming ``get_obj()``/``get_lock()``), also in the child process they are passed to.
"""

from __future__ import annotations

from multiprocessing import sharedctypes as _mp
from multiprocessing.context import assert_spawning
from typing import Any

from compat._legacy import adopt
from concurrent.processing import sharedctypes as _new

__all__ = ["Array", "RawArray", "RawValue", "Value", "copy", "synchronized"]

RawArray = _new.RawArray
RawValue = _new.RawValue
copy = _new.copy


def _rebuild(obj: Any, lock: Any) -> Any:
    return legacy(_new.synchronized(obj, lock))


def _reduce(self: Any) -> tuple[Any, tuple[Any, ...]]:
    # multiprocessing's, rebuilt with the legacy methods on the other side
    assert_spawning(self)
    return _rebuild, (self._obj, self._lock)


def legacy(obj: Any) -> Any:
    """``obj`` with 0.52's ``getobj()``/``getlock()`` if it is a synchronized wrapper (a value
    made with ``lock=False`` is the raw ctypes object, as in 0.52)."""
    if isinstance(obj, _mp.SynchronizedBase):
        adopt(obj, "processing", "Synchronized", {"__reduce__": _reduce})
    return obj


def Value(typecode_or_type: Any, *args: Any, lock: Any = True, ctx: Any = None) -> Any:
    """A shared ctypes object guarded by ``lock``, as ``concurrent.processing.sharedctypes``'s."""
    return legacy(_new.Value(typecode_or_type, *args, lock=lock, ctx=ctx))


def Array(typecode_or_type: Any, size_or_initializer: Any, *, lock: Any = True,
          ctx: Any = None) -> Any:
    """A shared ctypes array guarded by ``lock``, as ``concurrent.processing.sharedctypes``'s."""
    return legacy(_new.Array(typecode_or_type, size_or_initializer, lock=lock, ctx=ctx))


def synchronized(obj: Any, lock: Any = None, ctx: Any = None) -> Any:
    """``obj`` wrapped so that each access takes ``lock``, with 0.52's method names."""
    return legacy(_new.synchronized(obj, lock, ctx))
