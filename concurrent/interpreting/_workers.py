"""``Process``: a worker that runs its target in a fresh interpreter, in a thread of its own.

``start()`` pickles the ``Process`` (an unpicklable target or argument fails there) and starts a
thread that creates an interpreter (``_interpreters.start``), runs the target in it, records the
exit code and hands the interpreter to the reaper::

    start() -> thread: start an interpreter -> call _bootstrap.run_process(the Process pickled)
            -> exitcode, ``join()`` returns -> the interpreter is closed once what it sent was taken

Inside, ``current_process()`` is the unpickled copy.  As for a child process: ``exitcode`` is 0,
1 after an uncaught exception (its traceback printed to stderr) or the code given to
``sys.exit``; the worker ends when its target and every thread it started have ended.  Unlike
a process it cannot be terminated: an interpreter cannot be stopped from outside.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from collections.abc import Callable, Iterable, Mapping

from concurrent import interpreters
from concurrent._shared import _workers as _abc
from concurrent._shared._machinery.exports import publish
from concurrent._shared._machinery.leaving_threads import start_thread

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Process", "active_children", "cpu_count", "current_process"]

_numbers = itertools.count(1)
_children: set[Process] = set()  # started here, not yet known to have ended
_children_lock = threading.Lock()
_current: Process | None = None  # the worker this interpreter runs (set on first use)
# Daemon threads exist only in the main interpreter (the stdlib refuses them elsewhere).
DAEMON_THREADS = interpreters.get_current().id == interpreters.get_main().id


def exit_status(code: Any) -> int:
    """What ``sys.exit(code)`` makes a process's exit status: None 0, an int itself, else 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


class Process(_abc.Worker):
    """``Process(group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None)``:
    runs ``target(*args, **kwargs)`` (or an overridden ``run()``) in a fresh interpreter."""

    def __init__(self, group: None = None, target: Callable[..., object] | None = None,
                 name: str | None = None, args: Iterable[Any] = (),
                 kwargs: Mapping[str, Any] | None = None, *, daemon: bool | None = None) -> None:
        if group is not None:
            raise AssertionError("group argument must be None for now")
        parent = current_process()
        self._identity = parent._identity + (next(_numbers),)
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs or {})
        self._name = name if name is not None else (
            "Process-" + ":".join(str(number) for number in self._identity))
        self._daemon = parent._daemon if daemon is None else bool(daemon)
        self._pid: int | None = None
        self._ident: int | None = None
        self._exitcode: int | None = None
        self._thread: threading.Thread | None = None
        self._ended = threading.Event()
        self._running_here = False  # True in the interpreter that runs it

    def __getstate__(self) -> dict:
        state = dict(vars(self))
        for name in ("_thread", "_ended", "_exitcode", "_ident"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict) -> None:
        vars(self).update(state)
        self._thread = None
        self._ended = threading.Event()
        self._exitcode = None
        self._ident = None

    # -- what runs in the worker's interpreter ------------------------------------------------
    def run(self) -> None:
        """The worker's activity: call the target; override it in a subclass instead."""
        if self._target is not None:
            self._target(*self._args, **self._kwargs)

    def _run_here(self) -> int:
        """Run ``run()`` as the current process of this interpreter; return the exit status."""
        global _current
        _current = self
        self._running_here = True
        self._pid = os.getpid()
        self._ident = threading.get_ident()
        try:
            self.run()
        except SystemExit as exc:
            return exit_status(exc.code)
        except BaseException:
            import traceback

            print(f"Process {self._name}:", file=sys.stderr)
            traceback.print_exc()
            return 1
        finally:
            self._target = None  # what it held is released as a child process's exit
            self._args, self._kwargs = (), {}  # releases it (pipe ends see the end of file)
        return 0

    # -- what the starter sees ------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker; ``RuntimeError`` if it was started before."""
        if self._thread is not None or self._running_here:
            raise RuntimeError("cannot start a process twice")
        from concurrent.interpreting import _codec

        payload = _codec.dumps(self)  # an unpicklable target or argument fails here
        self._pid = os.getpid()
        with _children_lock:
            _children.add(self)
        try:
            self._thread = start_thread(self._serve, payload, name=self._name,
                                        daemon=self._daemon and DAEMON_THREADS)
        except BaseException:
            with _children_lock:
                _children.discard(self)
            raise
        self._ident = self._thread.ident

    def _serve(self, payload: Any) -> None:
        """The worker's thread: start an interpreter, run the target there, retire it."""
        from concurrent.interpreting import _interpreters

        try:
            self._exitcode = _interpreters.run_process(self._name, payload)
        finally:
            if self._exitcode is None:
                self._exitcode = 1
            self._ended.set()
            with _children_lock:
                _children.discard(self)

    def join(self, timeout: float | None = None) -> None:
        """Wait until the worker ends or ``timeout`` seconds pass; check ``is_alive()`` after.

        ``RuntimeError`` for a worker that was never started, or the current one.
        """
        if self._running_here:
            raise RuntimeError("cannot join the current process")
        if self._thread is None:
            raise RuntimeError("can only join a started process")
        self._thread.join(timeout)  # the thread itself: nothing of the worker runs after join

    def is_alive(self) -> bool:
        """True from ``start()`` until its target and the threads it started have ended."""
        if self._running_here:
            return True
        return self._thread is not None and not self._ended.is_set()

    @property
    def exitcode(self) -> int | None:
        """``None`` until the worker ends; then 0, 1 after an exception, or the exit code."""
        return self._exitcode if self._ended.is_set() else None

    @property
    def name(self) -> str:
        """The worker's name (``Process-N``, ``Process-N:M`` for one started by a worker)."""
        return self._name

    @name.setter
    def name(self, name: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, not {name!r}")
        self._name = name

    @property
    def daemon(self) -> bool:
        """Whether the program may exit while the worker runs (then it is stopped with the
        program); a worker started inside another one is always waited for."""
        return self._daemon

    @daemon.setter
    def daemon(self, daemonic: bool) -> None:
        if self._thread is not None:
            raise RuntimeError("cannot set daemon status of a started process")
        self._daemon = bool(daemonic)

    @property
    def pid(self) -> int | None:
        """The id of the process the interpreter runs in (this one); ``None`` until started."""
        return self._pid

    @property
    def ident(self) -> int | None:
        """The id of the thread that runs the worker; ``None`` until started."""
        return self._ident

    def __repr__(self) -> str:
        if self._running_here or self.is_alive():
            state = "started"
        elif self._thread is None:
            state = "initial"
        else:
            state = f"stopped exitcode={self._exitcode}"
        daemon = " daemon" if self._daemon else ""
        return f"<{type(self).__module__}.{type(self).__qualname__} name={self._name!r} " \
               f"{state}{daemon}>"


class _ThisInterpreter(Process):
    """The current process of an interpreter not started as a ``Process`` (the main one)."""

    def __init__(self, name: str) -> None:
        self._identity = ()
        self._target = None
        self._args, self._kwargs = (), {}
        self._name = name
        self._daemon = False
        self._pid = os.getpid()
        self._ident = threading.get_ident()
        self._exitcode = None
        self._thread = None
        self._ended = threading.Event()
        self._running_here = True


def current_process() -> Process:
    """The worker running the caller: its ``Process`` inside a worker, ``MainProcess`` in the
    main interpreter."""
    global _current
    if _current is None:
        here = interpreters.get_current().id
        main = here == interpreters.get_main().id
        _current = _ThisInterpreter("MainProcess" if main else f"Interpreter-{here}")
    return _current


def set_current(worker: Process) -> None:
    """Make ``worker`` the current process of this interpreter (a pool worker)."""
    global _current
    _current = worker


def active_children() -> list[Process]:
    """The workers this interpreter started that have not ended."""
    with _children_lock:
        return [child for child in _children if child.is_alive()]


_count_cpus = getattr(os, "process_cpu_count", os.cpu_count)


def cpu_count() -> int:
    """The number of CPUs this process may use: how many interpreters run at once; raises
    ``NotImplementedError`` if the OS cannot say."""
    count = _count_cpus()
    if count is None:
        raise NotImplementedError("cannot determine the number of CPUs")
    return count


publish("concurrent.interpreting", globals(), __all__)
