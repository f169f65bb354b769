"""Lock, RLock, Semaphore and BoundedSemaphore: tokens in a Dask ``Queue``.

``distributed.Lock`` and ``distributed.Semaphore`` are lease-based: only the instance that
acquired may release, a lease expires when its holder stops refreshing it, and a semaphore cannot
start at zero and be released by another worker.  multiprocessing's semantics need none of that
and all of the rest, so ours are counters of tokens in a channel (``_store.Channel``, a Dask
``Queue``): ``acquire`` takes a token, ``release`` puts one back, from any worker.  A bounded
channel (``maxsize`` = the initial value) makes an extra ``release`` of a ``Lock`` or
``BoundedSemaphore`` raise ``ValueError``, as multiprocessing's do.

``acquire`` follows ``LockConvention.SEMLOCK`` (multiprocessing's ``SemLock``):
``acquire(block=True, timeout=None)``, ``None`` waits for ever, a negative timeout means "do not
wait".  An ``RLock`` knows its owner (a thread of this process) and depth here, where only the
owner can look; a worker that does not own it gets ``AssertionError`` from ``release``.
"""

from __future__ import annotations

import threading

from concurrent._shared import _sync as _abc
from concurrent._shared._machinery.exports import publish
from concurrent.distributed._store import Channel

__all__ = ["BoundedSemaphore", "Lock", "RLock", "Semaphore"]


def _wait_for(block: bool, timeout: float | None) -> float | None:
    # SemLock's convention: no block or a negative timeout: do not wait; None: for ever.
    if not block:
        return 0.0
    if timeout is None:
        return None
    return max(0.0, timeout)


class _Tokens:
    """A counter of tokens in a channel; ``bounded``: never above its initial value."""

    __slots__ = ("_channel", "_kind")

    def __init__(self, value: int, bounded: bool, kind: str, channel: Channel | None = None):
        self._kind = kind
        if channel is not None:
            self._channel = channel
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{kind} value must be an int, got {value!r}")
        if value < 0:
            raise ValueError(f"{kind} initial value must be >= 0, got {value}")
        self._channel = Channel(maxsize=value if bounded else 0)
        for _ in range(value):
            self._channel.put(None, 0)

    @property
    def name(self) -> str:
        return self._channel.name

    def take(self, block: bool = True, timeout: float | None = None) -> bool:
        return self._channel.get(_wait_for(block, timeout))[0]

    def give(self) -> None:
        if not self._channel.put(None, 0):
            raise ValueError(f"{self._kind} released too many times")

    def value(self) -> int:
        return self._channel.qsize()


class Semaphore(_abc.Semaphore):
    """``Semaphore(value=1)`` shared by the whole cluster; any worker may release it."""

    _bounded = False
    __slots__ = ("_tokens",)

    def __init__(self, value: int = 1) -> None:
        self._tokens = _Tokens(value, self._bounded, type(self).__name__)

    def __reduce__(self):
        return _rebuild, (type(self), self._tokens._channel)

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        """Take one; ``False`` if none came within ``timeout`` (negative: do not wait)."""
        return self._tokens.take(block, timeout)

    def release(self) -> None:
        """Give one back (``ValueError`` past the initial value if bounded)."""
        self._tokens.give()

    def get_value(self) -> int:
        """How many acquires would succeed now."""
        return self._tokens.value()

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} {self._tokens.name}>"


class BoundedSemaphore(Semaphore, _abc.BoundedSemaphore):
    """A ``Semaphore`` whose ``release`` past the initial value raises ``ValueError``."""

    _bounded = True
    __slots__ = ()


class Lock(_abc.Lock):
    """A non-reentrant lock of the cluster: any worker may release it.

    Releasing it while unlocked raises ``ValueError`` (as multiprocessing's ``Lock``).
    """

    __slots__ = ("_holder", "_tokens")

    def __init__(self) -> None:
        self._tokens = _Tokens(1, True, "Lock")
        self._holder: int | None = None  # the thread of this process that acquired it last

    def __reduce__(self):
        return _rebuild, (type(self), self._tokens._channel)

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        if self._tokens.take(block, timeout):
            self._holder = threading.get_ident()
            return True
        return False

    def release(self) -> None:
        self._tokens.give()
        self._holder = None

    def _is_owned(self) -> bool:
        return self._holder == threading.get_ident()

    def _release_save(self) -> int:
        self.release()
        return 1

    def _acquire_restore(self, depth: int) -> None:
        self.acquire()

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} {self._tokens.name}>"


# RLock owners, per lock name: (thread ident, depth).  Only the owner's process can own it, so
# this process's table is the whole truth for its threads, whichever copy of the lock they use.
_owners: dict[str, tuple[int, int]] = {}
_owners_lock = threading.Lock()


class RLock(_abc.RLock):
    """A reentrant lock of the cluster: its owner (one thread of one worker) may nest it."""

    __slots__ = ("_tokens",)

    def __init__(self) -> None:
        self._tokens = _Tokens(1, True, "RLock")

    def __reduce__(self):
        return _rebuild, (type(self), self._tokens._channel)

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        me, name = threading.get_ident(), self._tokens.name
        with _owners_lock:
            owner = _owners.get(name)
            if owner is not None and owner[0] == me:
                _owners[name] = (me, owner[1] + 1)
                return True
        if not self._tokens.take(block, timeout):
            return False
        with _owners_lock:
            _owners[name] = (me, 1)
        return True

    def release(self) -> None:
        me, name = threading.get_ident(), self._tokens.name
        with _owners_lock:
            owner = _owners.get(name)
            if owner is None or owner[0] != me:
                raise AssertionError("attempt to release recursive lock not owned by thread")
            if owner[1] > 1:
                _owners[name] = (me, owner[1] - 1)
                return
            del _owners[name]
        self._tokens.give()

    def _is_owned(self) -> bool:
        owner = _owners.get(self._tokens.name)
        return owner is not None and owner[0] == threading.get_ident()

    def _release_save(self) -> int:
        with _owners_lock:
            depth = _owners.pop(self._tokens.name)[1]
        self._tokens.give()
        return depth

    def _acquire_restore(self, depth: int) -> None:
        self._tokens.take()
        with _owners_lock:
            _owners[self._tokens.name] = (threading.get_ident(), depth)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} {self._tokens.name}>"


def _rebuild(cls: type, channel: Channel):
    obj = cls.__new__(cls)
    obj._tokens = _Tokens(0, False, cls.__name__, channel)
    if cls is Lock:
        obj._holder = None
    return obj


publish("concurrent.distributed", globals(), __all__)
