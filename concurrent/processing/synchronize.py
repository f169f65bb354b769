"""Cross-process primitives: multiprocessing's SemLock-based classes under the shared interface.

Each class subclasses the stdlib's (so pickling for process creation, fork handling and the
resource tracker are the stdlib's) and its ``concurrent._shared`` ABC.  ``acquire`` and
``release`` of the SemLock-based classes stay the bound C methods: no Python frame on the hot
path, so they run at the stdlib's speed.  They keep SemLock's signature,
``acquire(block=True, timeout=None)``: ``timeout=None`` waits forever and a negative timeout
means "do not wait" (threading's ``-1`` is not "forever" here); pass arguments positionally to
write code that runs on both backends.  The Python-level primitives (``Condition``, ``Event``,
``Barrier``) check their timeouts as the shared contract says.

Each class takes the constructor arguments of the shared contract (``Lock()``,
``Semaphore(value=1)``, ...) and uses the start method it is bound to (``_start_method``: the
program's default, or the one of the context that handed it out, e.g.
``get_context("spawn").Lock``), which decides whether the semaphore is unlinked at once (fork)
or kept for children to open (spawn, forkserver).
"""

from __future__ import annotations

from multiprocessing import synchronize as _mp

from concurrent import _shared
from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent.processing._start import bind, mp_context

__all__ = ["Barrier", "BoundedSemaphore", "Condition", "Event", "Lock", "RLock", "Semaphore"]


class _SemLockMixin:
    """Binds ``acquire``/``release`` to the SemLock's C methods on every instance.

    The class-level methods only satisfy the ABC (and serve ``Lock.acquire(lock)``); each
    instance shadows them with the C methods, as the stdlib does.
    """

    __slots__ = ()
    _start_method: str | None = None

    def _make_methods(self) -> None:
        self.acquire = self._semlock.acquire
        self.release = self._semlock.release

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        """Acquire; True on success, False when ``block`` is false or ``timeout`` ran out."""
        return self._semlock.acquire(block, timeout)

    def release(self) -> None:
        """Release; ``ValueError`` when released more often than acquired."""
        self._semlock.release()


class Lock(_SemLockMixin, _mp.Lock, _shared.Lock):
    """A non-recursive lock shared by processes; any process may release it."""

    def __init__(self) -> None:
        super().__init__(ctx=mp_context(self._start_method))


class RLock(_SemLockMixin, _mp.RLock, _shared.RLock):
    """A recursive lock shared by processes; only its owner may release it."""

    def __init__(self) -> None:
        super().__init__(ctx=mp_context(self._start_method))


def _check_value(value: int) -> None:
    if not isinstance(value, int) or value < 0:
        raise ValueError(f"semaphore initial value must be an int >= 0, not {value!r}")


class Semaphore(_SemLockMixin, _mp.Semaphore, _shared.Semaphore):
    """A counter shared by processes: ``acquire`` takes one, ``release`` adds one."""

    def __init__(self, value: int = 1) -> None:
        _check_value(value)
        super().__init__(value, ctx=mp_context(self._start_method))


class BoundedSemaphore(Semaphore, _mp.BoundedSemaphore, _shared.BoundedSemaphore):
    """A semaphore whose ``release`` raises ``ValueError`` past its initial value."""


class Condition(_mp.Condition, _shared.Condition):
    """A lock (an ``RLock`` unless given) plus cross-process ``wait``/``notify``."""

    _start_method: str | None = None

    def __init__(self, lock=None) -> None:
        if lock is None:
            lock = bind(RLock, self._start_method)()
        super().__init__(lock, ctx=mp_context(self._start_method))

    def _make_methods(self) -> None:
        super()._make_methods()
        self.acquire = self._lock.acquire  # the lock's checking acquire, not SemLock's

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        """Acquire the underlying lock (shadowed per instance by the lock's own method)."""
        return self._lock.acquire(block, timeout)

    def release(self) -> None:
        """Release the underlying lock (shadowed per instance by the lock's own method)."""
        self._lock.release()

    def _check_owned(self, operation: str) -> None:
        if not self._lock._semlock._is_mine():
            raise RuntimeError(f"cannot {operation} on un-acquired lock: "
                               f"acquire the condition (with cond: ...) first")

    def wait(self, timeout: float | None = None) -> bool:
        """Release the lock, wait for a notify or the timeout, reacquire; False on timeout."""
        self._check_owned("wait")
        check_timeout(timeout)
        return super().wait(timeout)

    def wait_for(self, predicate, timeout: float | None = None):
        """Wait until ``predicate()`` is true or time runs out; return its last value."""
        self._check_owned("wait")
        check_timeout(timeout)
        return super().wait_for(predicate, timeout)

    def notify(self, n: int = 1) -> None:
        """Wake up to ``n`` waiters."""
        self._check_owned("notify")
        super().notify(n)

    def notify_all(self) -> None:
        """Wake every waiter."""
        self._check_owned("notify")
        super().notify_all()


class Event(_mp.Event, _shared.Event):
    """A flag shared by processes: ``set`` wakes every waiter."""

    _start_method: str | None = None

    def __init__(self) -> None:
        super().__init__(ctx=mp_context(self._start_method))

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the flag is set or ``timeout`` passes; return the flag."""
        check_timeout(timeout)
        return super().wait(timeout)


class Barrier(_mp.Barrier, _shared.Barrier):
    """``parties`` processes meet at ``wait()``; ``action`` runs in one of them first."""

    _start_method: str | None = None

    def __init__(self, parties: int, action=None, timeout: float | None = None) -> None:
        if not isinstance(parties, int) or parties < 1:
            raise ValueError(f"Barrier needs parties >= 1, not {parties!r}")
        check_timeout(timeout)
        super().__init__(parties, action, timeout, ctx=mp_context(self._start_method))

    def wait(self, timeout: float | None = None) -> int:
        """Wait for all parties; return a distinct index in ``range(parties)``."""
        check_timeout(timeout)
        return super().wait(timeout)

__dir__ = public_dir(globals())
