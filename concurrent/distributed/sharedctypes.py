"""``Value`` and ``Array`` on a cluster: ctypes objects kept in a Dask ``Variable``.

There is no memory that every machine of a cluster shares, so the object's bytes live in the
scheduler (a Dask ``Variable``) and each read or write is a request; ``lock=True`` guards them
with a cluster ``RLock``, and a read-modify-write (``value.value += 1``) is atomic under
``get_lock()`` as with multiprocessing.  ``get_obj()`` returns a snapshot: a ctypes object
holding the current bytes, whose changes are not written back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.values import TYPECODES, check_lock, resolve_ctype
from concurrent.distributed import _cluster
from concurrent.distributed._calls import request
from concurrent.distributed._locks import RLock
from concurrent.distributed._store import new_name

__all__ = ["TYPECODES", "Array", "RawArray", "RawValue", "SynchronizedArray",
           "SynchronizedValue", "Value"]


class _Stored:
    """The bytes of one ctypes object in a Dask ``Variable``."""

    __slots__ = ("_ctype", "_name", "_variable")

    def __init__(self, ctype: type, initial: Any, name: str | None = None) -> None:
        self._ctype, self._name, self._variable = ctype, name or new_name("value"), None
        if initial is not None:
            self.write(initial)

    def __reduce__(self):
        return _Stored, (self._ctype, None, self._name)

    def _var(self) -> Any:
        if self._variable is None:
            from distributed import Variable

            self._variable = Variable(self._name, _cluster.client())
        return self._variable

    def read(self) -> Any:
        variable = self._var()
        data = request(variable.client, lambda limit: variable.get(timeout=GRACE_READ,
                                                                   callback_timeout=limit))
        return self._ctype.from_buffer_copy(data)

    def write(self, obj: Any) -> None:
        variable = self._var()
        data = bytes(memoryview(obj).cast("B"))
        request(variable.client, lambda limit: variable.set(data, callback_timeout=limit))


GRACE_READ = 1.0  # the variable is set when made: a read never waits long for it


class _Raw:
    """A ctypes object of the cluster, unlocked: every access is one request."""

    __slots__ = ("_stored",)

    def __init__(self, stored: _Stored) -> None:
        self._stored = stored

    def __reduce__(self):
        return type(self), (self._stored,)

    def get_obj(self) -> Any:
        """A snapshot of the object (changes to it are not written back)."""
        return self._stored.read()

    @property
    def value(self) -> Any:
        return self._stored.read().value

    @value.setter
    def value(self, new: Any) -> None:
        obj = self._stored.read()
        obj.value = new
        self._stored.write(obj)

    def __len__(self) -> int:
        return len(self._stored.read())

    def __getitem__(self, index):
        return self._stored.read()[index]

    def __setitem__(self, index, value) -> None:
        obj = self._stored.read()
        obj[index] = value
        self._stored.write(obj)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._stored.read()!r}>"


class RawValueProxy(_Raw):
    """``RawValue``: read and write ``.value``."""

    __slots__ = ()


class RawArrayProxy(_Raw):
    """``RawArray``: indexing, slicing and ``len``."""

    __slots__ = ()


class _Synchronized(_Raw):
    """A ctypes object of the cluster with the lock that guards it."""

    __slots__ = ("_lock",)

    def __init__(self, stored: _Stored, lock: Any) -> None:
        super().__init__(stored)
        self._lock = lock

    def __reduce__(self):
        return type(self), (self._stored, self._lock)

    def get_lock(self) -> Any:
        return self._lock

    def acquire(self, *args: Any) -> bool:
        return self._lock.acquire(*args)

    def release(self) -> None:
        self._lock.release()

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *exc_info):
        return self._lock.__exit__(*exc_info)

    @property
    def value(self) -> Any:
        with self._lock:
            return _Raw.value.fget(self)

    @value.setter
    def value(self, new: Any) -> None:
        with self._lock:
            _Raw.value.fset(self, new)

    def __getitem__(self, index):
        with self._lock:
            return _Raw.__getitem__(self, index)

    def __setitem__(self, index, value) -> None:
        with self._lock:
            _Raw.__setitem__(self, index, value)


class SynchronizedValue(_Synchronized):
    """A locked value of the cluster: ``.value`` under its lock."""

    __slots__ = ()


class SynchronizedArray(_Synchronized):
    """A locked array of the cluster: indexing, slicing, ``len``, each under its lock."""

    __slots__ = ()


def _guard(lock: Any) -> Any:
    return RLock() if lock is True or lock is None else check_lock(lock)


def RawValue(typecode_or_type: str | type, *args: Any) -> RawValueProxy:
    """An unlocked value of the cluster of that ctypes type, built from ``args``."""
    ctype = resolve_ctype(typecode_or_type)
    return RawValueProxy(_Stored(ctype, ctype(*args)))


def _new_array(typecode_or_type: str | type, size_or_initializer: int | Iterable) -> _Stored:
    ctype = resolve_ctype(typecode_or_type)
    if isinstance(size_or_initializer, int):
        if size_or_initializer < 0:
            raise ValueError(f"array size must be >= 0, got {size_or_initializer!r}")
        return _Stored(ctype * size_or_initializer, (ctype * size_or_initializer)())
    items = list(size_or_initializer)
    return _Stored(ctype * len(items), (ctype * len(items))(*items))


def RawArray(typecode_or_type: str | type, size_or_initializer: int | Iterable) -> RawArrayProxy:
    """An unlocked array of the cluster: zero-filled of that size, or the initializer's items."""
    return RawArrayProxy(_new_array(typecode_or_type, size_or_initializer))


def Value(typecode_or_type: str | type, *args: Any, lock: Any = True) -> Any:
    """A value of the cluster guarded by ``lock`` (True: a new ``RLock``; False: none)."""
    ctype = resolve_ctype(typecode_or_type)
    if lock is not False:
        lock = _guard(lock)
    stored = _Stored(ctype, ctype(*args))
    return RawValueProxy(stored) if lock is False else SynchronizedValue(stored, lock)


def Array(typecode_or_type: str | type, size_or_initializer: int | Iterable, *,
          lock: Any = True) -> Any:
    """An array of the cluster guarded by ``lock`` (True: a new ``RLock``; False: none)."""
    if lock is not False:
        lock = _guard(lock)
    stored = _new_array(typecode_or_type, size_or_initializer)
    return RawArrayProxy(stored) if lock is False else SynchronizedArray(stored, lock)


__dir__ = public_dir(globals())
