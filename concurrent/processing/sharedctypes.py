"""ctypes objects in shared memory: ``RawValue``/``RawArray``, and lock-guarded ``Value``/``Array``.

The objects are multiprocessing's; this module adds a clear error for an unknown typecode and
guards with this package's ``RLock`` (SemLock's C ``acquire``).
``Value(...).get_lock()`` is that lock; ``get_obj()`` the raw ctypes object.  ``lock=False``
returns the raw object, a lock object uses that lock.
"""

from __future__ import annotations

from multiprocessing import sharedctypes as _mp

from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.values import check_lock
from concurrent.processing.synchronize import RLock

__all__ = ["Array", "RawArray", "RawValue", "Value", "copy", "synchronized"]

copy = _mp.copy
typecode_to_type = _mp.typecode_to_type


def _ctype(typecode_or_type):
    if isinstance(typecode_or_type, str):
        if typecode_or_type not in typecode_to_type:
            raise ValueError(f"unknown typecode {typecode_or_type!r}; use one of "
                             f"{''.join(sorted(typecode_to_type))} (as in the array module) "
                             f"or a ctypes type such as ctypes.c_double")
        return typecode_or_type
    if not isinstance(typecode_or_type, type):
        raise TypeError(f"expected a typecode string or a ctypes type, not {typecode_or_type!r}")
    return typecode_or_type


def _check_lock(lock) -> None:
    if lock is not True and lock is not False and lock is not None:
        check_lock(lock)


def _guard(lock, ctx):
    """What guards a new value: ``lock`` as given, or (True/None) a new RLock of ``ctx``, by
    default of this package (the stdlib would make one of its own)."""
    if lock is True or lock is None:
        return (RLock if ctx is None else ctx.RLock)()
    return lock


def RawValue(typecode_or_type, *args):
    """A ctypes object allocated in shared memory, with no lock."""
    return _mp.RawValue(_ctype(typecode_or_type), *args)


def RawArray(typecode_or_type, size_or_initializer):
    """A ctypes array allocated in shared memory, with no lock."""
    return _mp.RawArray(_ctype(typecode_or_type), size_or_initializer)


def Value(typecode_or_type, *args, lock=True, ctx=None):
    """A shared ctypes object guarded by ``lock``: True (a new RLock), False (none), or a lock."""
    _check_lock(lock)
    return _mp.Value(_ctype(typecode_or_type), *args, lock=_guard(lock, ctx), ctx=ctx)


def Array(typecode_or_type, size_or_initializer, *, lock=True, ctx=None):
    """A shared ctypes array guarded by ``lock``: True (a new RLock), False (none), or a lock."""
    _check_lock(lock)
    return _mp.Array(_ctype(typecode_or_type), size_or_initializer, lock=_guard(lock, ctx),
                     ctx=ctx)


def synchronized(obj, lock=None, ctx=None):
    """Wrap a raw shared ctypes object so that each access takes ``lock`` (a new RLock if None)."""
    return _mp.synchronized(obj, _guard(lock, ctx), ctx=ctx)

__dir__ = public_dir(globals())
