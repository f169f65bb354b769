"""The one abstract interface that ``concurrent.threading`` and ``concurrent.processing`` implement.

Code written against these names runs on either backend:
``isinstance(obj, concurrent._shared.Lock)`` holds for a lock of either.  C-implemented stdlib
types join by ``register``, never by a wrapper.

Each name loads its small module on first use (as ``concurrent.futures`` loads its executors), so
a backend that needs only the primitives does not pay for the pool or manager interfaces.
"""

from typing import TYPE_CHECKING

from concurrent._shared._lazy import lazy_exports
from concurrent._shared._version import __version__

# name -> the submodule of this package that defines it
_MODULES = {
    "AsyncResult": "_pools",
    "Barrier": "_sync",
    "BoundedSemaphore": "_sync",
    "BrokenBarrierError": "_errors",
    "BrokenPoolError": "_errors",
    "BufferTooShort": "_errors",
    "Condition": "_sync",
    "Connection": "_channels",
    "Empty": "_errors",
    "Event": "_sync",
    "Full": "_errors",
    "JoinableQueue": "_queues",
    "Lock": "_sync",
    "Manager": "_managers",
    "Pool": "_pools",
    "Queue": "_queues",
    "RLock": "_sync",
    "RemoteTraceback": "_errors",
    "Semaphore": "_sync",
    "SimpleQueue": "_queues",
    "TimeoutError": "_errors",
    "Worker": "_workers",
    "WorkerLostError": "_errors",
    "check_timeout": "_timeouts",
}

__all__ = [
    "AsyncResult",
    "Barrier",
    "BoundedSemaphore",
    "BrokenBarrierError",
    "BrokenPoolError",
    "BufferTooShort",
    "Condition",
    "Connection",
    "Empty",
    "Event",
    "Full",
    "JoinableQueue",
    "Lock",
    "Manager",
    "Pool",
    "Queue",
    "RLock",
    "RemoteTraceback",
    "Semaphore",
    "SimpleQueue",
    "TimeoutError",
    "Worker",
    "WorkerLostError",
    "__version__",
    "check_timeout",
]


__getattr__, __dir__ = lazy_exports(
    __name__, {name: (submodule, name) for name, submodule in _MODULES.items()}, globals())


if TYPE_CHECKING:  # the same names, spelled out for type checkers and readers
    from concurrent._shared._channels import Connection
    from concurrent._shared._errors import (
        BrokenBarrierError,
        BrokenPoolError,
        BufferTooShort,
        Empty,
        Full,
        RemoteTraceback,
        TimeoutError,
        WorkerLostError,
    )
    from concurrent._shared._managers import Manager
    from concurrent._shared._pools import AsyncResult, Pool
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
    from concurrent._shared._timeouts import check_timeout
    from concurrent._shared._workers import Worker
