"""``Value`` and ``Array``: ctypes objects guarded by a lock, as multiprocessing's are.

Between threads no shared memory is needed, but the API matches the process backend's so code
moves unchanged: ``get_lock()``, ``get_obj()``, ``lock=True/False/<a lock>``, typecodes or ctypes
types.
"""

import threading
from collections.abc import Iterable
from typing import Any

from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.values import TYPECODES, check_lock, resolve_ctype

__all__ = [
    "TYPECODES",
    "Array",
    "RawArray",
    "RawValue",
    "SynchronizedArray",
    "SynchronizedValue",
    "Value",
]

def _new_or_checked(lock: Any):
    return threading.RLock() if lock is True or lock is None else check_lock(lock)


def RawValue(typecode_or_type: str | type, *args) -> Any:
    """An unlocked ctypes object of that type, built from ``args``."""
    return resolve_ctype(typecode_or_type)(*args)


def RawArray(typecode_or_type: str | type, size_or_initializer: int | Iterable) -> Any:
    """An unlocked ctypes array: zero-filled of that size, or holding the initializer's items."""
    ctype = resolve_ctype(typecode_or_type)
    if isinstance(size_or_initializer, int):
        if size_or_initializer < 0:
            raise ValueError(f"array size must be >= 0, got {size_or_initializer!r}")
        return (ctype * size_or_initializer)()
    items = list(size_or_initializer)
    return (ctype * len(items))(*items)


class _Synchronized:
    """A ctypes object with the lock that guards it."""

    __slots__ = ("_lock", "_obj", "acquire", "release")

    def __init__(self, obj: Any, lock: Any) -> None:
        self._obj = obj
        self._lock = lock
        self.acquire = lock.acquire
        self.release = lock.release

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *exc_info):
        return self._lock.__exit__(*exc_info)

    def get_obj(self) -> Any:
        """The underlying ctypes object (unlocked access)."""
        return self._obj

    def get_lock(self) -> Any:
        """The lock that guards the object."""
        return self._lock

    def __repr__(self) -> str:
        return f"<{type(self).__name__} wrapper for {self._obj!r}>"


class SynchronizedValue(_Synchronized):
    """A locked single value: read and write it through ``.value``."""

    __slots__ = ()

    @property
    def value(self) -> Any:
        with self._lock:
            return self._obj.value

    @value.setter
    def value(self, new: Any) -> None:
        with self._lock:
            self._obj.value = new


class SynchronizedArray(_Synchronized):
    """A locked array: indexing, slicing and ``len``, each under the lock."""

    __slots__ = ()

    def __len__(self) -> int:
        return len(self._obj)

    def __getitem__(self, index):
        with self._lock:
            return self._obj[index]

    def __setitem__(self, index, value) -> None:
        with self._lock:
            self._obj[index] = value

    value = SynchronizedValue.value  # a char array's contents as one bytes/str, under the lock


def Value(typecode_or_type: str | type, *args, lock: Any = True) -> Any:
    """A ctypes value guarded by ``lock`` (a new ``RLock`` when True; none when False)."""
    obj = RawValue(typecode_or_type, *args)
    if lock is False:
        return obj
    return SynchronizedValue(obj, _new_or_checked(lock))


def Array(typecode_or_type: str | type, size_or_initializer: int | Iterable, *,
          lock: Any = True) -> Any:
    """A ctypes array guarded by ``lock`` (a new ``RLock`` when True; none when False)."""
    obj = RawArray(typecode_or_type, size_or_initializer)
    if lock is False:
        return obj
    return SynchronizedArray(obj, _new_or_checked(lock))

__dir__ = public_dir(globals())
