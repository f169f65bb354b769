"""The backend contract: one object that carries everything user code calls.

A backend is an object, not a module: each ``concurrent.processing.get_context(method)`` is one,
``concurrent.threading.get_context()`` is the thread backend, and later backends (a cluster, the
stdlib's subinterpreters) are more.  Each backend package's module-level API is its default
backend's, so ``from concurrent import threading as backend`` and
``backend = concurrent.processing.get_context("spawn")`` give the same names.

Every name below is the same kind of object on every backend (a class, a function, a module or
an exception class) with the same signature: a class's is its contract ABC's ``__init__``
(``concurrent._shared.Queue.__init__`` for ``Queue``), a function's is the method below.  What
cannot be the same everywhere is declared here, never left to a silent skip:

- ``capabilities``: what this backend's workers can do (``Capability``);
- ``lock_convention``: how ``acquire`` treats its timeout and what ``release`` raises when the
  lock is not held (``LockConvention``): each backend keeps its native C ``acquire``.
"""

from __future__ import annotations

import enum
import types
from abc import ABC, abstractmethod
from collections.abc import Iterable

from concurrent._shared import _errors
from concurrent._shared._machinery.exports import publish

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (it is slow to import)

if TYPE_CHECKING:
    from typing import Any

    from concurrent._shared._channels import Connection
    from concurrent._shared._managers import Manager
    from concurrent._shared._pools import Pool
    from concurrent._shared._queues import JoinableQueue, Queue, SimpleQueue
    from concurrent._shared._sync import (
        Barrier,
        BoundedSemaphore,
        Condition,
        Event,
        Lock,
        RLock,
        Semaphore,
    )
    from concurrent._shared._workers import Worker

__all__ = ["Backend", "Capability", "LockConvention", "contract_names"]


class Capability(enum.Enum):
    """What a backend's workers can do beyond the common contract."""

    #: Workers do not share memory: what crosses a queue, pipe or pool is a copy (so it must be
    #: picklable), and a worker's crash cannot corrupt the caller.  Without it the receiver gets
    #: the very object sent.
    COPIES_OBJECTS = "copies objects"
    #: ``Process.terminate()``/``kill()`` stop a running worker.  Threads cannot be stopped from
    #: outside; without it those methods do not exist.
    TERMINATES_WORKERS = "terminates workers"
    #: A worker can die while it runs a task (a signal, ``os._exit``): its pool task raises
    #: ``WorkerLostError`` and the pool replaces it.
    LOSES_WORKERS = "loses workers"
    #: Several ways to start a worker (``get_all_start_methods()`` lists more than one).
    START_METHODS = "start methods"


class LockConvention(enum.Enum):
    """How the lock-like primitives' native ``acquire``/``release`` behave.

    Both agree on ``acquire()``, ``acquire(False)``, ``acquire(True, t)`` with ``t >= 0`` and
    ``with lock:``; write code that sticks to those (timeouts positionally) to run on both.
    """

    #: ``threading``'s C locks: ``acquire(blocking=True, timeout=-1)``; ``-1`` waits forever,
    #: another negative timeout or a timeout with ``blocking=False`` raises ``ValueError``.
    #: Releasing an unheld ``Lock`` raises ``RuntimeError``; an ``RLock`` the caller does not
    #: own, ``RuntimeError``.
    THREADING = "threading"
    #: multiprocessing's SemLock: ``acquire(block=True, timeout=None)``; ``None`` waits forever,
    #: a negative timeout means "do not wait".  Releasing an unheld ``Lock`` raises
    #: ``ValueError``; an ``RLock`` the caller does not own, ``AssertionError``.
    SEMLOCK = "semlock"

    @property
    def release_error(self) -> type[Exception]:
        """What ``Lock().release()`` raises when the lock is not held."""
        return RuntimeError if self is LockConvention.THREADING else ValueError

    @property
    def rlock_release_error(self) -> type[Exception]:
        """What ``RLock().release()`` raises when the caller does not own it."""
        return RuntimeError if self is LockConvention.THREADING else AssertionError


class _Loaded:
    """An exception class of ``_errors`` that loads multiprocessing, fetched on first use."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> type[Exception]:
        return getattr(_errors, self.name)


class Backend(ABC):
    """Workers, primitives, queues, channels, pools and shared data of one kind of worker.

    Subclasses implement every abstract member; the exception classes are the same objects on
    every backend, so one ``except`` clause survives a backend switch.
    """

    __slots__ = ()

    TimeoutError = _Loaded()
    WorkerLostError = _errors.WorkerLostError
    BrokenPoolError = _errors.BrokenPoolError
    BrokenBarrierError = _errors.BrokenBarrierError
    Empty = _errors.Empty
    Full = _errors.Full
    BufferTooShort = _Loaded()

    # -- what this backend is -------------------------------------------------------------------
    @property
    @abstractmethod
    def module(self) -> types.ModuleType:
        """The public module whose top level is this backend's default (e.g. threading's)."""

    @property
    @abstractmethod
    def capabilities(self) -> frozenset[Capability]:
        """What its workers can do beyond the common contract."""

    @property
    @abstractmethod
    def lock_convention(self) -> LockConvention:
        """How its locks' native ``acquire``/``release`` behave."""

    # -- workers --------------------------------------------------------------------------------
    @property
    @abstractmethod
    def Worker(self) -> type[Worker]:
        """The native worker class (``Thread``, ``Process``, ...)."""

    @property
    @abstractmethod
    def Process(self) -> type[Worker]:
        """A worker with the ``Process`` API (name, daemon, pid, exitcode, is_alive, join)."""

    @abstractmethod
    def current_worker(self) -> Any:
        """The worker running the caller."""

    @abstractmethod
    def current_process(self) -> Any:
        """The worker running the caller, under its processing name."""

    @abstractmethod
    def active_children(self) -> list:
        """The workers the caller started that are still alive."""

    @abstractmethod
    def cpu_count(self) -> int:
        """How many workers can run at once; ``NotImplementedError`` if unknown."""

    # -- start methods --------------------------------------------------------------------------
    @abstractmethod
    def get_context(self, method: str | None = None) -> Backend:
        """The backend bound to start method ``method`` (``None``: this one).

        A backend with one way to start workers accepts its own method and the platform's
        process start methods (``multiprocessing.get_all_start_methods()``), so that code
        written for processes runs unchanged; any other name raises ``ValueError``.
        """

    @abstractmethod
    def get_start_method(self, allow_none: bool = False) -> str | None:
        """The start method in force (``None`` if not fixed yet and ``allow_none``)."""

    @abstractmethod
    def set_start_method(self, method: str | None, force: bool = False) -> None:
        """Choose the start method once; ``RuntimeError`` if already set and not ``force``."""

    @abstractmethod
    def get_all_start_methods(self) -> list[str]:
        """This backend's start methods, its default first."""

    # -- primitives -----------------------------------------------------------------------------
    @property
    @abstractmethod
    def Lock(self) -> type[Lock]:
        """``Lock()``: a non-reentrant lock."""

    @property
    @abstractmethod
    def RLock(self) -> type[RLock]:
        """``RLock()``: a reentrant lock."""

    @property
    @abstractmethod
    def Condition(self) -> type[Condition]:
        """``Condition(lock=None)``: a lock plus wait/notify."""

    @property
    @abstractmethod
    def Semaphore(self) -> type[Semaphore]:
        """``Semaphore(value=1)``."""

    @property
    @abstractmethod
    def BoundedSemaphore(self) -> type[BoundedSemaphore]:
        """``BoundedSemaphore(value=1)``."""

    @property
    @abstractmethod
    def Event(self) -> type[Event]:
        """``Event()``."""

    @property
    @abstractmethod
    def Barrier(self) -> type[Barrier]:
        """``Barrier(parties, action=None, timeout=None)``."""

    # -- queues ---------------------------------------------------------------------------------
    @property
    @abstractmethod
    def Queue(self) -> type[Queue]:
        """``Queue(maxsize=0)``."""

    @property
    @abstractmethod
    def SimpleQueue(self) -> type[SimpleQueue]:
        """``SimpleQueue()``."""

    @property
    @abstractmethod
    def JoinableQueue(self) -> type[JoinableQueue]:
        """``JoinableQueue(maxsize=0)``."""

    # -- channels -------------------------------------------------------------------------------
    @abstractmethod
    def Pipe(self, duplex: bool = True) -> tuple[Connection, Connection]:
        """Two connected ends; with ``duplex=False`` the first receives, the second sends."""

    @abstractmethod
    def wait(self, object_list: Iterable[Any], timeout: float | None = None) -> list:
        """The connections (or other waitables) of ``object_list`` ready to read."""

    @property
    @abstractmethod
    def Connection(self) -> type[Connection]:
        """The class of the ends ``Pipe()`` returns.  ``Pipe``, ``Client`` and
        ``Listener.accept`` make them; its constructor is the backend's own business."""

    @property
    @abstractmethod
    def connection(self) -> types.ModuleType:
        """The backend's ``connection`` module: ``Listener``, ``Client``, ``Pipe``, ``wait``."""

    # -- pools and shared data ------------------------------------------------------------------
    @property
    @abstractmethod
    def Pool(self) -> type[Pool]:
        """``Pool(processes=None, initializer=None, initargs=(), maxtasksperchild=None,
        context=None)``."""

    @abstractmethod
    def Manager(self) -> Manager:
        """A started manager of shared objects (list, dict, Namespace, queues, primitives)."""

    @abstractmethod
    def Value(self, typecode_or_type: Any, *args: Any, lock: Any = True) -> Any:
        """A shared value guarded by ``lock`` (True: a new ``RLock``; False: none)."""

    @abstractmethod
    def Array(self, typecode_or_type: Any, size_or_initializer: Any, *,
              lock: Any = True) -> Any:
        """A shared array guarded by ``lock`` (True: a new ``RLock``; False: none)."""

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__} of {self.module.__name__}>"


def contract_names() -> tuple[str, ...]:
    """Every name of the contract, in a stable order: the abstract members and the errors."""
    errors = [name for name, value in vars(Backend).items()
              if isinstance(value, (type, _Loaded))]
    return tuple(sorted(set(Backend.__abstractmethods__) - {"module", "capabilities",
                                                              "lock_convention"})) + tuple(errors)


publish("concurrent._shared", globals(), __all__)
