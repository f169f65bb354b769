"""The synchronization primitives' interface.

Native C types (``_thread.lock``, ``_thread.RLock``) join these ABCs by ``register``; they are
never wrapped, so the hot path stays the C one.

Timeouts, everywhere below: seconds as a float; ``None`` waits forever; a negative timeout raises
``ValueError`` (a silent "don't wait" would hide the caller's bug).

The one exception is ``acquire`` of the lock-like primitives, which both backends leave as their
native C method so the hot path never pays a Python frame.  ``acquire()``, ``acquire(False)``
and ``acquire(True, timeout)`` with ``timeout >= 0`` mean the same on both.  Threads follow
``threading``: ``-1`` waits forever (``None`` is a ``TypeError``), another negative value or a
timeout with ``blocking=False`` raises ``ValueError``.  Processes follow ``multiprocessing``'s
SemLock: the keyword is ``block``, ``None`` waits forever, a negative timeout means "do not
wait".
"""

import _thread
from abc import ABC, abstractmethod
from collections.abc import Callable

from concurrent._shared._machinery.exports import publish

__all__ = ["Barrier", "BoundedSemaphore", "Condition", "Event", "Lock", "RLock", "Semaphore"]


class _Acquirable(ABC):
    __slots__ = ()

    @abstractmethod
    def acquire(self, blocking: bool = True, timeout: float | None = -1) -> bool:
        """Acquire; return True on success, False if ``blocking`` is false or time ran out.

        ``None`` and negative timeouts differ by backend (see the module docstring).
        """

    @abstractmethod
    def release(self) -> None:
        """Release; raises ``RuntimeError``/``ValueError`` (as the stdlib does) when not held."""

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()


class Lock(_Acquirable):
    """A non-reentrant lock: any worker may release it.

    Releasing it while unlocked raises ``RuntimeError`` (threads) or ``ValueError`` (processes,
    as multiprocessing does); catch ``(RuntimeError, ValueError)`` to cover both.
    """

    __slots__ = ()

    def __init__(self) -> None:
        """``Lock()``: the constructor every backend's ``Lock`` has."""


class RLock(_Acquirable):
    """A reentrant lock: the owner may acquire it again and must release it as often.

    Releasing it when the caller does not own it raises ``RuntimeError`` (threads) or
    ``AssertionError`` (processes, as multiprocessing does).
    """

    __slots__ = ()

    def __init__(self) -> None:
        """``RLock()``: the constructor every backend's ``RLock`` has."""


class Semaphore(_Acquirable):
    """A counter: ``acquire`` takes one (waiting while it is zero), ``release`` adds one.

    ``Semaphore(value=1)``; a negative initial value raises ``ValueError``.
    """

    __slots__ = ()

    def __init__(self, value: int = 1) -> None:
        """``Semaphore(value=1)``: the constructor every backend's semaphores have."""


class BoundedSemaphore(Semaphore):
    """A semaphore whose ``release`` raises ``ValueError`` past the initial value."""

    __slots__ = ()


class Condition(_Acquirable):
    """A lock plus ``wait``/``notify``; every call except ``acquire`` needs the lock held."""

    __slots__ = ()

    def __init__(self, lock: _Acquirable | None = None) -> None:
        """``Condition(lock=None)``: over ``lock``, or a new ``RLock`` of the same backend."""

    @abstractmethod
    def wait(self, timeout: float | None = None) -> bool:
        """Release the lock, wait for a notify or the timeout, reacquire; False on timeout.

        ``RuntimeError`` if the lock is not held; ``ValueError`` for a negative timeout.
        """

    @abstractmethod
    def wait_for(self, predicate, timeout: float | None = None):
        """Wait until ``predicate()`` is true or time runs out; return its last value."""

    @abstractmethod
    def notify(self, n: int = 1) -> None:
        """Wake up to ``n`` waiters; ``RuntimeError`` if the lock is not held."""

    @abstractmethod
    def notify_all(self) -> None:
        """Wake every waiter; ``RuntimeError`` if the lock is not held."""


class Event(ABC):
    """A flag that workers wait on: ``set`` wakes them all, ``clear`` resets it."""

    __slots__ = ()

    def __init__(self) -> None:
        """``Event()``: the constructor every backend's ``Event`` has."""

    @abstractmethod
    def is_set(self) -> bool:
        """True once ``set()`` was called and ``clear()`` has not been since."""

    @abstractmethod
    def set(self) -> None:
        """Set the flag and wake every waiter."""

    @abstractmethod
    def clear(self) -> None:
        """Reset the flag."""

    @abstractmethod
    def wait(self, timeout: float | None = None) -> bool:
        """Block until the flag is set or ``timeout`` passes; return the flag.

        ``ValueError`` for a negative timeout.
        """


class Barrier(ABC):
    """``parties`` workers meet at ``wait()``; a timeout or ``abort`` breaks it for all.

    Attributes: ``parties``, ``n_waiting``, ``broken``.  ``Barrier(0)`` or a negative party count
    raises ``ValueError``.
    """

    __slots__ = ()

    def __init__(self, parties: int, action: Callable[[], object] | None = None,
                 timeout: float | None = None) -> None:
        """``Barrier(parties, action=None, timeout=None)``: ``action`` runs in one worker when
        all arrive; ``timeout`` is the default for ``wait``."""

    @abstractmethod
    def wait(self, timeout: float | None = None) -> int:
        """Wait for all parties; return a distinct index in ``range(parties)``.

        Raises ``BrokenBarrierError`` if the barrier breaks (timeout, abort, reset) while waiting,
        ``ValueError`` for a negative timeout.
        """

    @abstractmethod
    def reset(self) -> None:
        """Return to the empty state; current waiters get ``BrokenBarrierError``."""

    @abstractmethod
    def abort(self) -> None:
        """Break the barrier: current and future waiters get ``BrokenBarrierError``."""


Lock.register(_thread.LockType)
RLock.register(_thread.RLock)


publish("concurrent._shared", globals(), __all__)
