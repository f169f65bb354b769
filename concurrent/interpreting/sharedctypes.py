"""``Value`` and ``Array``: ctypes objects in memory every interpreter maps, guarded by a lock.

An object lives in a ``bytearray`` of the interpreter that made it; what crosses to another
interpreter is a memoryview of that buffer (``concurrent.interpreters`` shares memoryviews
without copying), on which the receiver builds the same ctypes object.  So a write in one
interpreter is seen by all, as with multiprocessing's shared memory, and the default lock is
this backend's ``RLock``.  ``RawValue``/``RawArray`` (and ``lock=False``) return the bare ctypes
object, of a subclass of its type that pickles as its buffer; it crosses only through this
backend (a ``Process``'s arguments, a queue, a pipe), not through ``pickle.dumps``.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable

from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.values import TYPECODES, check_lock, resolve_ctype
from concurrent.interpreting._locks import RLock

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "TYPECODES",
    "Array",
    "RawArray",
    "RawValue",
    "SynchronizedArray",
    "SynchronizedValue",
    "Value",
]

_shared_classes: dict[type, type] = {}


def _shared_class(ctype: type) -> type:
    """``ctype``'s subclass whose instances pickle as the buffer they live in."""
    cls = _shared_classes.get(ctype)
    if cls is None:
        cls = _shared_classes[ctype] = type(ctype.__name__, (ctype,),
                                            {"__reduce__": _reduce_shared})
    return cls


def _spec(ctype: type) -> Any:
    """How ``ctype`` is named to another interpreter: an array type by its element and length
    (it has no importable name), any other by itself."""
    if issubclass(ctype, ctypes.Array):
        return _spec(ctype._type_), ctype._length_
    return ctype


def _from_spec(spec: Any) -> type:
    if isinstance(spec, tuple):
        element, length = spec
        return _from_spec(element) * length
    return spec


def _reduce_shared(obj: Any):
    return _rebuild_shared, (_spec(type(obj).__mro__[1]), obj._buffer)


def _rebuild_shared(spec: Any, buffer: memoryview) -> Any:
    return _on(_from_spec(spec), buffer)


def _on(ctype: type, buffer: memoryview) -> Any:
    obj = _shared_class(ctype).from_buffer(buffer)
    obj._buffer = buffer
    return obj


def _allocate(ctype: type) -> Any:
    return _on(ctype, memoryview(bytearray(ctypes.sizeof(ctype))))


def RawValue(typecode_or_type: str | type, *args: Any) -> Any:
    """An unlocked ctypes object of that type in shared memory, built from ``args``."""
    obj = _allocate(resolve_ctype(typecode_or_type))
    if args:
        obj.__init__(*args)
    return obj


def RawArray(typecode_or_type: str | type, size_or_initializer: int | Iterable) -> Any:
    """An unlocked ctypes array in shared memory: zero-filled of that size, or holding the
    initializer's items."""
    ctype = resolve_ctype(typecode_or_type)
    if isinstance(size_or_initializer, int):
        if size_or_initializer < 0:
            raise ValueError(f"array size must be >= 0, got {size_or_initializer!r}")
        return _allocate(ctype * size_or_initializer)
    items = list(size_or_initializer)
    obj = _allocate(ctype * len(items))
    obj.__init__(*items)
    return obj


class _Synchronized:
    """A shared ctypes object with the lock that guards it."""

    __slots__ = ("_lock", "_obj")

    def __init__(self, obj: Any, lock: Any) -> None:
        self._obj = obj
        self._lock = lock

    def __reduce__(self):
        return type(self), (self._obj, self._lock)

    def acquire(self, *args: Any) -> bool:
        """Acquire the lock (its ``acquire``'s arguments)."""
        return self._lock.acquire(*args)

    def release(self) -> None:
        """Release the lock."""
        self._lock.release()

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
        """The value, read and written under the lock."""
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


def _guard(lock: Any) -> Any:
    return RLock() if lock is True or lock is None else check_lock(lock)


def Value(typecode_or_type: str | type, *args: Any, lock: Any = True) -> Any:
    """A shared ctypes value guarded by ``lock`` (a new ``RLock`` when True; none when False)."""
    obj = RawValue(typecode_or_type, *args)
    if lock is False:
        return obj
    return SynchronizedValue(obj, _guard(lock))


def Array(typecode_or_type: str | type, size_or_initializer: int | Iterable, *,
          lock: Any = True) -> Any:
    """A shared ctypes array guarded by ``lock`` (a new ``RLock`` when True; none when
    False)."""
    obj = RawArray(typecode_or_type, size_or_initializer)
    if lock is False:
        return obj
    return SynchronizedArray(obj, _guard(lock))


__dir__ = public_dir(globals())
