"""Start methods and contexts: the whole module API bound to one way of starting processes.

A ``Context`` is written out method by method (multiprocessing builds its context API
dynamically, hiding it from readers and type checkers).  It wraps the stdlib context of the same
start method, which owns the machinery: ``Popen`` classes, semaphore unlinking, the fork server.

The start method in force is the stdlib's, shared with ``multiprocessing``: children started
either way agree on it, and ``set_start_method`` here sets it for both.
"""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing import util as _util
from typing import TYPE_CHECKING, Any

from concurrent import _shared
from concurrent.processing import _pickling
from concurrent.processing import connection as _connection
from concurrent.processing import process as _process
from concurrent.processing import queues as _queues
from concurrent.processing import synchronize as _synchronize

if TYPE_CHECKING:
    import logging

__all__ = [
    "Context",
    "get_all_start_methods",
    "get_context",
    "get_start_method",
    "set_start_method",
]

_PROCESS_CLASSES = {
    None: _process.Process,
    "fork": _process.ForkProcess,
    "spawn": _process.SpawnProcess,
    "forkserver": _process.ForkServerProcess,
}


def get_all_start_methods() -> list[str]:
    """The start methods this platform supports, the default first."""
    return multiprocessing.get_all_start_methods()


def get_start_method(allow_none: bool = False) -> str | None:
    """The start method in force, fixing the default if none was chosen yet.

    The default is the running Python's multiprocessing default: ``fork`` on Linux up to 3.13
    (3.14 moved Linux to ``forkserver``), ``spawn`` on macOS and Windows.  With
    ``allow_none=True``, return ``None`` instead of fixing it.
    """
    return multiprocessing.get_start_method(allow_none)


def set_start_method(method: str | None, force: bool = False) -> None:
    """Choose the start method for this program, once (``force=True`` to change it)."""
    _check_method(method, allow_none=force)
    multiprocessing.set_start_method(method, force)


def _check_method(method: str | None, *, allow_none: bool) -> None:
    if method is None and allow_none:
        return
    if method not in multiprocessing.get_all_start_methods():
        raise ValueError(f"unknown start method {method!r}; this platform supports "
                         f"{multiprocessing.get_all_start_methods()}")


class Context:
    """The module API bound to one start method, or to the default one (``method=None``).

    Get one with ``get_context(method)``.  Everything created through it (processes, and the
    semaphores behind primitives and queues) uses that start method.
    """

    ProcessError = multiprocessing.ProcessError
    AuthenticationError = multiprocessing.AuthenticationError
    BufferTooShort = _shared.BufferTooShort
    TimeoutError = _shared.TimeoutError
    WorkerLostError = _shared.WorkerLostError
    BrokenPoolError = _shared.BrokenPoolError
    BrokenBarrierError = _shared.BrokenBarrierError
    Empty = _shared.Empty
    Full = _shared.Full
    UnpicklableError = _pickling.UnpicklableError

    Connection = _connection.Connection
    connection = _connection
    wait = staticmethod(_connection.wait)

    def __init__(self, method: str | None = None) -> None:
        _check_method(method, allow_none=True)
        self._method = method
        self._fixed_mp_context = None if method is None else multiprocessing.get_context(method)

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__} {self._method or 'default'!r}>"

    def __reduce__(self):
        """Unpickle to the receiving process's context for the same method."""
        return get_context, (self._method,)

    @property
    def _mp_context(self) -> multiprocessing.context.BaseContext:
        """The stdlib context doing the work (the default one is looked up on every use)."""
        return self._fixed_mp_context or multiprocessing.get_context()

    # start methods ------------------------------------------------------------------------

    def get_context(self, method: str | None = None) -> Context:
        """The context for ``method``; ``None`` gives this one."""
        return self if method is None else get_context(method)

    def get_start_method(self, allow_none: bool = False) -> str | None:
        """This context's start method (for the default context: see ``get_start_method``)."""
        if self._method is not None:
            return self._method
        return get_start_method(allow_none)

    def set_start_method(self, method: str | None, force: bool = False) -> None:
        """Set the program's start method; only the default context can."""
        if self._method is not None:
            raise ValueError(f"the {self._method!r} context is bound to its start method; "
                             f"call concurrent.processing.set_start_method() to change the "
                             f"default")
        set_start_method(method, force)

    def get_all_start_methods(self) -> list[str]:
        """The start methods this platform supports, the default first."""
        return get_all_start_methods()

    def set_executable(self, executable: str) -> None:
        """The Python interpreter that spawn (and the fork server) start."""
        multiprocessing.set_executable(executable)

    def set_forkserver_preload(self, module_names: list[str]) -> None:
        """Modules the fork server imports once, so forkserver children start with them."""
        multiprocessing.set_forkserver_preload(module_names)

    def freeze_support(self) -> None:
        """Let a frozen Windows executable act as a spawned child; a no-op elsewhere."""
        multiprocessing.freeze_support()

    def allow_connection_pickling(self) -> None:
        """Kept for multiprocessing compatibility: connections are always picklable now."""
        multiprocessing.allow_connection_pickling()

    @property
    def reducer(self):
        """The pickling support used to send objects (multiprocessing.reduction)."""
        return self._mp_context.reducer

    # workers ------------------------------------------------------------------------------

    @property
    def Process(self) -> type[_process.Process]:  # noqa: N802 - the API's class name
        """The process class bound to this context's start method (subclass it freely)."""
        return _PROCESS_CLASSES[self._method]

    Worker = Process

    def current_process(self) -> multiprocessing.process.BaseProcess:
        """The process object of the running process."""
        return _process.current_process()

    current_worker = current_process

    def parent_process(self) -> multiprocessing.process.BaseProcess | None:
        """The parent's process object in a child, ``None`` in the main process."""
        return _process.parent_process()

    def active_children(self) -> list[multiprocessing.process.BaseProcess]:
        """The started children still alive (joining those that ended)."""
        return _process.active_children()

    def cpu_count(self) -> int:
        """The number of CPUs; ``NotImplementedError`` if it cannot be determined."""
        return multiprocessing.cpu_count()

    # primitives ---------------------------------------------------------------------------

    def Lock(self) -> _synchronize.Lock:  # noqa: N802
        """A non-recursive lock shared by processes."""
        return _synchronize.Lock(ctx=self)

    def RLock(self) -> _synchronize.RLock:  # noqa: N802
        """A recursive lock shared by processes."""
        return _synchronize.RLock(ctx=self)

    def Condition(self, lock=None) -> _synchronize.Condition:  # noqa: N802
        """A condition variable over ``lock`` (a new ``RLock`` by default)."""
        return _synchronize.Condition(lock, ctx=self)

    def Semaphore(self, value: int = 1) -> _synchronize.Semaphore:  # noqa: N802
        """A semaphore starting at ``value``."""
        return _synchronize.Semaphore(value, ctx=self)

    def BoundedSemaphore(self, value: int = 1) -> _synchronize.BoundedSemaphore:  # noqa: N802
        """A semaphore that cannot be released past ``value``."""
        return _synchronize.BoundedSemaphore(value, ctx=self)

    def Event(self) -> _synchronize.Event:  # noqa: N802
        """An event flag shared by processes."""
        return _synchronize.Event(ctx=self)

    def Barrier(self, parties: int, action=None,  # noqa: N802
                timeout: float | None = None) -> _synchronize.Barrier:
        """A barrier for ``parties`` processes."""
        return _synchronize.Barrier(parties, action, timeout, ctx=self)

    # queues and channels ------------------------------------------------------------------

    def Queue(self, maxsize: int = 0) -> _queues.Queue:  # noqa: N802
        """A FIFO queue between processes (bounded when ``maxsize > 0``)."""
        return _queues.Queue(maxsize, ctx=self)

    def JoinableQueue(self, maxsize: int = 0) -> _queues.JoinableQueue:  # noqa: N802
        """A queue with ``task_done``/``join``."""
        return _queues.JoinableQueue(maxsize, ctx=self)

    def SimpleQueue(self) -> _queues.SimpleQueue:  # noqa: N802
        """An unbounded queue with no feeder thread."""
        return _queues.SimpleQueue(ctx=self)

    def Pipe(self, duplex: bool = True) -> tuple[_connection.Connection,  # noqa: N802
                                                _connection.Connection]:
        """Two connected ``Connection`` objects."""
        return _connection.Pipe(duplex)

    # shared data --------------------------------------------------------------------------

    def RawValue(self, typecode_or_type, *args):  # noqa: N802
        """A ctypes object in shared memory, without a lock."""
        from concurrent.processing import sharedctypes

        return sharedctypes.RawValue(typecode_or_type, *args)

    def RawArray(self, typecode_or_type, size_or_initializer):  # noqa: N802
        """A ctypes array in shared memory, without a lock."""
        from concurrent.processing import sharedctypes

        return sharedctypes.RawArray(typecode_or_type, size_or_initializer)

    def Value(self, typecode_or_type, *args, lock=True):  # noqa: N802
        """A ctypes object in shared memory, guarded by ``lock`` (a new ``RLock`` if True)."""
        from concurrent.processing import sharedctypes

        return sharedctypes.Value(typecode_or_type, *args, lock=lock, ctx=self)

    def Array(self, typecode_or_type, size_or_initializer, *, lock=True):  # noqa: N802
        """A ctypes array in shared memory, guarded by ``lock`` (a new ``RLock`` if True)."""
        from concurrent.processing import sharedctypes

        return sharedctypes.Array(typecode_or_type, size_or_initializer, lock=lock, ctx=self)

    # pools and managers (built in their own modules, loaded on first use) -----------------

    def Pool(self, *args: Any, **kwargs: Any):  # noqa: N802
        """A pool of worker processes started with this context's method."""
        from concurrent.processing.pool import Pool

        return Pool(*args, context=self, **kwargs)

    def Manager(self):  # noqa: N802
        """A started ``SyncManager`` whose server process uses this context's method."""
        from concurrent.processing.managers import SyncManager

        manager = SyncManager(ctx=self)
        manager.start()
        return manager

    # logging ------------------------------------------------------------------------------

    def get_logger(self) -> logging.Logger:
        """The ``multiprocessing`` logger that the machinery reports to (no handler by default)."""
        return _util.get_logger()

    def log_to_stderr(self, level: int | str | None = None) -> logging.Logger:
        """Send that logger to stderr as ``[LEVEL/ProcessName] message``; return it."""
        return _util.log_to_stderr(level)


_contexts: dict[str | None, Context] = {}
_contexts_lock = threading.Lock()


def get_context(method: str | None = None) -> Context:
    """The context for start method ``method`` ("fork", "spawn", "forkserver").

    ``None`` gives the default context, which follows ``set_start_method`` and otherwise uses
    the running Python's multiprocessing default (``fork`` on Linux up to 3.13; 3.14 moved Linux
    to ``forkserver``).  ``ValueError`` names an unsupported method.
    """
    try:
        return _contexts[method]
    except KeyError:
        pass
    with _contexts_lock:
        if method not in _contexts:
            _contexts[method] = Context(method)
        return _contexts[method]
