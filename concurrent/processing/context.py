"""The process backend as objects: one ``Context`` per start method, each the whole contract.

``get_context("spawn")`` is a ``SpawnContext``: its classes (``Lock``, ``Queue``, ``Pool``, ...)
are bound to spawn (``_start.bind``), so ``get_context("spawn").Queue()`` is a queue whose
semaphores children started with spawn can open, and ``isinstance`` against
``concurrent.processing.Queue`` holds for it.  ``get_context()`` is the ``DefaultContext``: its
classes are the package's own, which follow the program's start method (multiprocessing's, so
children started either way agree on it); it alone may change that method.

Each member is written out (multiprocessing builds its context API dynamically, hiding it from
readers and type checkers); the modules behind pools, managers and shared values load on first
use.  The module-level API of ``concurrent.processing`` is ``DEFAULT``'s.
"""

from __future__ import annotations

import multiprocessing
import types
from collections.abc import Iterable
from multiprocessing import util as _util

from concurrent._shared._backend import Backend, Capability, LockConvention
from concurrent._shared._machinery.exports import public_dir
from concurrent.processing import process as _process
from concurrent.processing._start import bind

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (it is slow to import)

if TYPE_CHECKING:  # full names, so that the docs link them to the right backend's classes
    import logging
    from typing import Any, ClassVar

    import concurrent.processing.connection
    import concurrent.processing.managers
    import concurrent.processing.pool
    from concurrent.processing import queues as _queues
    from concurrent.processing import synchronize as _synchronize

__all__ = [
    "DEFAULT",
    "Context",
    "DefaultContext",
    "ForkContext",
    "ForkServerContext",
    "SpawnContext",
]


# The primitives and queues load on first use: a program that only starts processes (and every
# fork child, which inherits what its parent imported) does not pay for the shared-memory
# data path behind the queues.
def _primitives() -> types.ModuleType:
    from concurrent.processing import synchronize

    return synchronize


def _queue_classes() -> types.ModuleType:
    from concurrent.processing import queues

    return queues


def _check_method(method: str) -> None:
    # multiprocessing.get_context(method) rather than a look in get_all_start_methods(), which
    # on 3.14+ works out the default method first and so imports tempfile (10 ms there).
    try:
        multiprocessing.get_context(method)
    except (ValueError, TypeError):  # TypeError: an unhashable method
        raise ValueError(f"cannot find context for {method!r}: this platform supports "
                         f"{multiprocessing.get_all_start_methods()}") from None


class Context(Backend):
    """The process backend bound to one start method (``method``; ``None``: the default).

    Everything created through it (processes, and the semaphores behind primitives, queues and
    shared values) uses that start method.
    """

    __slots__ = ()
    method: ClassVar[str | None] = None

    capabilities = frozenset({Capability.COPIES_OBJECTS, Capability.TERMINATES_WORKERS,
                              Capability.LOSES_WORKERS, Capability.START_METHODS})
    lock_convention = LockConvention.SEMLOCK

    ProcessError = multiprocessing.ProcessError
    AuthenticationError = multiprocessing.AuthenticationError

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} {self.method or 'default'!r}>"

    def __reduce__(self):
        """Unpickle to the receiving process's context for the same method."""
        return _context_for, (self.method,)

    @property
    def module(self) -> types.ModuleType:
        """``concurrent.processing``."""
        import concurrent.processing

        return concurrent.processing

    # -- start methods --------------------------------------------------------------------------
    def get_context(self, method: str | None = None) -> Context:
        """The context for ``method`` ("fork", "spawn", "forkserver"); ``None``: this one.

        ``ValueError`` names an unsupported method.  ``get_context()`` is the default context,
        which follows ``set_start_method`` and otherwise the running Python's multiprocessing
        default (``fork`` on Linux up to 3.13; 3.14 moved Linux to ``forkserver``).
        """
        return self if method is None else _context_for(method)

    def get_start_method(self, allow_none: bool = False) -> str | None:
        """This context's start method."""
        return self.method

    def set_start_method(self, method: str | None, force: bool = False) -> None:
        """Only the default context chooses the program's start method: ``ValueError`` here."""
        raise ValueError(f"the {self.method!r} context is bound to its start method; call "
                         f"concurrent.processing.set_start_method() to change the default")

    def get_all_start_methods(self) -> list[str]:
        """The start methods this platform supports, the default first."""
        return multiprocessing.get_all_start_methods()

    def set_executable(self, executable: str) -> None:
        """The Python interpreter that spawn (and the fork server) start."""
        multiprocessing.set_executable(executable)

    def set_forkserver_preload(self, module_names: list[str]) -> None:
        """Modules the fork server imports once, so forkserver children start with them.

        It counts when the server starts.  When one of our processes starts it, the modules
        our children need are preloaded too, after ``module_names``; a name that fails to
        import there is skipped.
        """
        multiprocessing.set_forkserver_preload(module_names)

    def freeze_support(self) -> None:
        """Let a frozen Windows executable act as a spawned child; a no-op elsewhere."""
        multiprocessing.freeze_support()

    def allow_connection_pickling(self) -> None:
        """Kept for multiprocessing compatibility: connections are always picklable now."""
        multiprocessing.allow_connection_pickling()

    @property
    def reducer(self) -> types.ModuleType:
        """The pickling support used to send objects (multiprocessing.reduction)."""
        return multiprocessing.reducer

    # -- workers --------------------------------------------------------------------------------
    @property
    def Process(self) -> type[_process.Process]:
        """The process class bound to this context's start method (subclass it freely)."""
        return _process.PROCESS_CLASSES[self.method]

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

    # -- primitives and queues: the package's classes, bound to this start method ---------------
    @property
    def Lock(self) -> type[_synchronize.Lock]:
        """A non-recursive lock shared by processes."""
        return bind(_primitives().Lock, self.method)

    @property
    def RLock(self) -> type[_synchronize.RLock]:
        """A recursive lock shared by processes."""
        return bind(_primitives().RLock, self.method)

    @property
    def Condition(self) -> type[_synchronize.Condition]:
        """A condition variable over ``lock`` (a new ``RLock`` by default)."""
        return bind(_primitives().Condition, self.method)

    @property
    def Semaphore(self) -> type[_synchronize.Semaphore]:
        """A semaphore starting at ``value``."""
        return bind(_primitives().Semaphore, self.method)

    @property
    def BoundedSemaphore(self) -> type[_synchronize.BoundedSemaphore]:
        """A semaphore that cannot be released past ``value``."""
        return bind(_primitives().BoundedSemaphore, self.method)

    @property
    def Event(self) -> type[_synchronize.Event]:
        """An event flag shared by processes."""
        return bind(_primitives().Event, self.method)

    @property
    def Barrier(self) -> type[_synchronize.Barrier]:
        """A barrier for ``parties`` processes."""
        return bind(_primitives().Barrier, self.method)

    @property
    def Queue(self) -> type[_queues.Queue]:
        """A FIFO queue between processes (bounded when ``maxsize > 0``)."""
        return bind(_queue_classes().Queue, self.method)

    @property
    def JoinableQueue(self) -> type[_queues.JoinableQueue]:
        """A queue with ``task_done``/``join``."""
        return bind(_queue_classes().JoinableQueue, self.method)

    @property
    def SimpleQueue(self) -> type[_queues.SimpleQueue]:
        """An unbounded queue: ``put``, ``get``, ``empty``, ``close``."""
        return bind(_queue_classes().SimpleQueue, self.method)

    # -- channels -------------------------------------------------------------------------------
    def Pipe(self, duplex: bool = True
             ) -> tuple[concurrent.processing.connection.Connection,
                        concurrent.processing.connection.Connection]:
        """Two connected ``Connection`` objects."""
        return self.connection.Pipe(duplex)

    def wait(self, object_list: Iterable[Any], timeout: float | None = None) -> list:
        """The connections, sockets and sentinels of ``object_list`` ready to read."""
        return self.connection.wait(object_list, timeout)

    @property
    def Connection(self) -> type[concurrent.processing.connection.Connection]:
        """One end of a pipe or socket between processes."""
        return self.connection.Connection

    @property
    def connection(self) -> types.ModuleType:
        """``concurrent.processing.connection``."""
        from concurrent.processing import connection

        return connection

    # -- pools, managers, shared data (their modules load on first use) -------------------------
    @property
    def Pool(self) -> type[concurrent.processing.pool.Pool]:
        """A pool of worker processes started with this context's method."""
        from concurrent.processing.pool import Pool

        return bind(Pool, self.method)

    def Manager(self) -> concurrent.processing.managers.SyncManager:
        """A started ``SyncManager`` whose server process uses this context's method."""
        from concurrent.processing.managers import SyncManager

        manager = SyncManager(ctx=self)
        manager.start()
        return manager

    def RawValue(self, typecode_or_type: Any, *args: Any) -> Any:
        """A ctypes object in shared memory, without a lock."""
        from concurrent.processing import sharedctypes

        return sharedctypes.RawValue(typecode_or_type, *args)

    def RawArray(self, typecode_or_type: Any, size_or_initializer: Any) -> Any:
        """A ctypes array in shared memory, without a lock."""
        from concurrent.processing import sharedctypes

        return sharedctypes.RawArray(typecode_or_type, size_or_initializer)

    def Value(self, typecode_or_type: Any, *args: Any, lock: Any = True) -> Any:
        """A ctypes object in shared memory, guarded by ``lock`` (a new ``RLock`` if True)."""
        from concurrent.processing import sharedctypes

        return sharedctypes.Value(typecode_or_type, *args, lock=lock, ctx=self)

    def Array(self, typecode_or_type: Any, size_or_initializer: Any, *,
              lock: Any = True) -> Any:
        """A ctypes array in shared memory, guarded by ``lock`` (a new ``RLock`` if True)."""
        from concurrent.processing import sharedctypes

        return sharedctypes.Array(typecode_or_type, size_or_initializer, lock=lock, ctx=self)

    # -- logging --------------------------------------------------------------------------------
    def get_logger(self) -> logging.Logger:
        """The ``multiprocessing`` logger that the machinery reports to (no handler by default)."""
        return _util.get_logger()

    def log_to_stderr(self, level: int | str | None = None) -> logging.Logger:
        """Send that logger to stderr as ``[LEVEL/ProcessName] message``; return it."""
        return _util.log_to_stderr(level)


class DefaultContext(Context):
    """The program's default: it follows ``set_start_method``, else the running Python's
    multiprocessing default (``fork`` on Linux up to 3.13; 3.14 moved Linux to ``forkserver``;
    ``spawn`` on macOS and Windows)."""

    __slots__ = ()

    def get_start_method(self, allow_none: bool = False) -> str | None:
        """The start method in force, fixing the default if none was chosen yet (with
        ``allow_none=True``: ``None`` instead of fixing it).  The default is the running
        Python's multiprocessing default: ``fork`` on Linux up to 3.13 (3.14 moved Linux to
        ``forkserver``), ``spawn`` on macOS and Windows."""
        return multiprocessing.get_start_method(allow_none)

    def set_start_method(self, method: str | None, force: bool = False) -> None:
        """Choose the start method for this program, once (``force=True`` to change it);
        ``RuntimeError`` if it was chosen already, as in multiprocessing."""
        multiprocessing.set_start_method(method, force)


class ForkContext(Context):
    """Children are forked from this process: fast, and they inherit its state."""

    __slots__ = ()
    method = "fork"


class SpawnContext(Context):
    """Children are fresh interpreters that import the main module: slow to start, safe."""

    __slots__ = ()
    method = "spawn"


class ForkServerContext(Context):
    """Children are forked from a server process started once, single-threaded and clean."""

    __slots__ = ()
    method = "forkserver"


_CONTEXTS: dict[str | None, Context] = {
    None: DefaultContext(),
    **{cls.method: cls() for cls in (ForkContext, SpawnContext, ForkServerContext)},
}
DEFAULT = _CONTEXTS[None]


def _context_for(method: str | None) -> Context:
    if method is not None:
        _check_method(method)
    return _CONTEXTS[method]

__dir__ = public_dir(globals())
