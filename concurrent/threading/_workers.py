"""Workers on threads: ``Thread`` (PEP 8 names only), ``Timer``, and the Process-API ``Process``.

``Process`` lets code written for ``concurrent.processing`` move to threads by changing one
import, as ``processing.dummy`` did: it has ``pid`` and ``exitcode`` like a real process.
"""

import functools
import os
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from concurrent._shared._machinery.exports import publish
from concurrent.threading._pep8 import PEP8Only, Renamed

__all__ = [
    "Process",
    "Thread",
    "Timer",
    "Worker",
    "active_children",
    "cpu_count",
    "current_process",
    "current_worker",
]


class Thread(threading.Thread, metaclass=PEP8Only):
    """``threading.Thread`` without the camelCase aliases (use ``name``, ``daemon``)."""

    getName = Renamed("the name attribute")  # noqa: N815
    setName = Renamed("the name attribute")  # noqa: N815
    isDaemon = Renamed("the daemon attribute")  # noqa: N815
    setDaemon = Renamed("the daemon attribute")  # noqa: N815
    isAlive = Renamed("is_alive()")  # noqa: N815

    def start(self) -> None:
        """Start the thread; remember who started it, for ``active_children()``."""
        self._starter_ident = threading.get_ident()
        super().start()


Worker = Thread


class Timer(Thread):
    """Call ``function(*args, **kwargs)`` after ``interval`` seconds, unless cancelled first."""

    def __init__(self, interval: float, function: Callable, args: Iterable | None = None,
                 kwargs: Mapping | None = None) -> None:
        if interval < 0:
            raise ValueError(f"interval must be a non-negative number of seconds, got {interval!r}")
        super().__init__()
        self.interval = interval
        self.function = function
        self.args = args if args is not None else []  # each timer its own, as threading's
        self.kwargs = kwargs if kwargs is not None else {}
        self.finished = threading.Event()

    def cancel(self) -> None:
        """Stop the timer if it is still waiting."""
        self.finished.set()

    def run(self) -> None:
        cancelled = self.finished.wait(self.interval)
        if not cancelled:
            self.function(*self.args, **self.kwargs)
        self.finished.set()


def _own_handles(value: Any, handles: list, depth: int = 0) -> Any:
    """``value`` with each open pipe end in it (in lists, tuples and dicts, a few levels deep)
    replaced by a new handle on the same end, collected in ``handles``."""
    connection = sys.modules.get("concurrent.threading.connection")
    if connection is None:  # no pipe exists yet
        return value
    if isinstance(value, connection.Connection):
        if value.closed:
            return value
        handles.append(value._duplicate())
        return handles[-1]
    if depth < 4 and type(value) in (list, tuple):
        items = [_own_handles(item, handles, depth + 1) for item in value]
        if any(new is not old for new, old in zip(items, value)):
            return type(value)(items)
    elif depth < 4 and type(value) is dict:
        items = {key: _own_handles(item, handles, depth + 1) for key, item in value.items()}
        if any(items[key] is not value[key] for key in value):
            return items
    return value


def _exit_status(code: Any) -> int:
    # sys.exit(code) in a process: None -> 0, an int -> itself, anything else -> 1.
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _recording_outcome(run: Callable) -> Callable:
    """Wrap ``run`` so the thread's outcome becomes a process-style ``exitcode``.

    As in a child process, an exception ends the worker with exit code 1 after its traceback is
    printed to stderr; it does not reach ``threading.excepthook``.
    """

    @functools.wraps(run)
    def run_and_record(self) -> None:
        try:
            run(self)
        except SystemExit as exc:
            self._exit_status = _exit_status(exc.code)
        except BaseException:
            self._exit_status = 1
            import traceback  # only on failure: keeps ``import concurrent.threading`` light

            traceback.print_exc()
        else:
            self._exit_status = 0
        finally:
            for handle in self._own_handles:  # what a child process's exit closes
                handle.close()

    run_and_record._records_outcome = True
    return run_and_record


class Process(Thread):
    """A thread-backed worker with the ``Process`` API: ``pid``, ``exitcode`` and the rest.

    ``exitcode`` is ``None`` until the worker ends, then 0, 1 if ``run`` raised, or the code
    passed to ``sys.exit``, as for a real process.  ``pid`` is this process's id once started.
    """

    def __init__(self, group: None = None, target: Callable | None = None, name: str | None = None,
                 args: Iterable = (), kwargs: Mapping | None = None, *,
                 daemon: bool | None = None) -> None:
        super().__init__(group, target, name, args, kwargs, daemon=daemon)
        self._exit_status: int | None = None
        self._own_handles: list = []

    def start(self) -> None:
        """Start the worker.  Pipe ends among its arguments become handles of its own, as a
        child process gets its own descriptors: closing them here leaves the worker's open."""
        self._args, self._kwargs = _own_handles((self._args, self._kwargs), self._own_handles)
        super().start()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        run = cls.__dict__.get("run")
        if run is not None and not getattr(run, "_records_outcome", False):
            cls.run = _recording_outcome(run)

    @_recording_outcome
    def run(self) -> None:
        super().run()

    @property
    def pid(self) -> int | None:
        """The id of the process the thread runs in; ``None`` before ``start()``."""
        return os.getpid() if self.ident is not None else None

    @property
    def exitcode(self) -> int | None:
        """``None`` until the worker ends; then 0, 1 after an exception, or the exit code."""
        if self.ident is None or self.is_alive():
            return None
        return self._exit_status


def current_worker() -> threading.Thread:
    """The worker (thread) running the caller."""
    return threading.current_thread()


def current_process() -> threading.Thread:
    """The worker running the caller: on threads, the same object as ``current_worker()``."""
    return threading.current_thread()


def active_children() -> list[threading.Thread]:
    """The live workers the calling thread started (threads started through this module)."""
    me = threading.get_ident()
    return [worker for worker in threading.enumerate()
            if getattr(worker, "_starter_ident", None) == me and worker.is_alive()]


_count_cpus = getattr(os, "process_cpu_count", os.cpu_count)


def cpu_count() -> int:
    """The number of CPUs this process may use; ``NotImplementedError`` if the OS cannot say."""
    count = _count_cpus()
    if count is None:
        raise NotImplementedError("cannot determine the number of CPUs")
    return count


publish("concurrent.threading", globals(), __all__)
