"""``Process``: multiprocessing's process, with clear misuse errors and caller-side pickling errors.

The stdlib checks misuse with ``assert`` (gone under ``-O``) and, under spawn/forkserver, reports
an unpicklable target or argument without saying which one.  ``Process`` raises
``RuntimeError`` for misuse and ``UnpicklableError`` naming the offending path
(``args[1]['callback']``) before any child exists.  Starting itself is the stdlib's ``Popen``
machinery, chosen by start method: the class's own (``ForkProcess`` ...), else the program's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from multiprocessing import context as _mp_context
from multiprocessing import process as _mp_process
from typing import Any

from concurrent import _shared
from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.leaving_threads import wait_until_left
from concurrent.processing._forkserver import add_ours
from concurrent.processing._datapath.pickler import PICKLING_ERRORS, explain, first_failure, restate
from concurrent.processing._start import mp_context

__all__ = [
    "PROCESS_CLASSES",
    "ForkProcess",
    "ForkServerProcess",
    "Process",
    "SpawnProcess",
    "active_children",
    "current_process",
    "parent_process",
]

# The stdlib's processes (the main process included) have the same API: they are workers too.
_shared.Worker.register(_mp_process.BaseProcess)

current_process = _mp_process.current_process
parent_process = _mp_process.parent_process
active_children = _mp_process.active_children


class Process(_mp_process.BaseProcess, _shared.Worker):
    """A worker process running ``target(*args, **kwargs)`` (or an overridden ``run()``).

    It starts with the start method in force at ``start()`` time: the running Python's
    multiprocessing default (``fork`` on Linux up to 3.13; 3.14 moved Linux to ``forkserver``)
    unless ``set_start_method`` chose another.  A context's ``Process``
    (``get_context("spawn").Process``) is bound to that context's method.
    """

    _start_method: str | None = None

    def __init__(self, group: None = None, target: Callable[..., object] | None = None,
                 name: str | None = None, args: Iterable[Any] = (),
                 kwargs: Mapping[str, Any] | None = None, *, daemon: bool | None = None) -> None:
        if group is not None:
            raise ValueError(f"group must be None (reserved for a future extension), "
                             f"not {group!r}")
        super().__init__(None, target, name, args, kwargs or {}, daemon=daemon)

    def _Popen(self, process_obj):
        context = mp_context(self._start_method)
        method = context.get_start_method()
        if method == "fork":
            wait_until_left()  # our helper threads that just ended: the fork must not see them
        elif method == "forkserver":
            add_ours()  # before the server starts, so our children find our modules in it
        return context.Process._Popen(process_obj)

    def start(self) -> None:
        """Start the child; ``RuntimeError`` on misuse, ``UnpicklableError`` for bad arguments."""
        self._check_closed()
        if self._popen is not None:
            raise RuntimeError(f"cannot start a process twice: {self.name!r} was already "
                               f"started; create a new Process object instead")
        if self._parent_pid != os.getpid():
            raise RuntimeError(f"{self.name!r} was created by process {self._parent_pid}; "
                               f"only that process can start it")
        if _mp_process.current_process()._config.get("daemon"):
            raise RuntimeError(f"daemonic processes are not allowed to have children: "
                               f"{_mp_process.current_process().name!r} is a daemon, so it "
                               f"cannot start {self.name!r}; create the parent with "
                               f"daemon=False")
        try:
            super().start()
        except PICKLING_ERRORS as exc:
            if self._popen is not None:
                raise
            raise self._explain_pickling_error(exc) from exc

    def _explain_pickling_error(self, error: BaseException) -> BaseException:
        """Name the part of the target, args, kwargs or the process object that failed."""
        _mp_context.set_spawning_popen(_ProbePopen())
        try:
            for what, part in (("target", self._target), ("args", self._args),
                               ("kwargs", self._kwargs),
                               (f"{type(self).__name__} object", self)):
                failure = first_failure(part, None)
                if failure is not None:
                    found = explain(part, what=what, error=failure)
                    return restate(failure, f"{self.name} could not start: {found}",
                                   getattr(found, "path", None))
        finally:
            _mp_context.set_spawning_popen(None)
        return error

    def join(self, timeout: float | None = None) -> None:
        """Wait until the child ends or ``timeout`` passes; check ``is_alive()`` afterwards."""
        self._check_closed()
        if self is _mp_process.current_process():
            raise RuntimeError(f"cannot join the current process {self.name!r}: "
                               f"it would wait for itself forever")
        if self._parent_pid != os.getpid():
            raise RuntimeError(f"can only join a child process: {self.name!r} is a child of "
                               f"process {self._parent_pid}")
        self._check_started("join")
        super().join(timeout)

    def terminate(self) -> None:
        """Ask the child to stop (SIGTERM on POSIX)."""
        self._check_closed()
        self._check_started("terminate")
        super().terminate()

    def kill(self) -> None:
        """Stop the child at once (SIGKILL on POSIX)."""
        self._check_closed()
        self._check_started("kill")
        super().kill()

    def _check_started(self, operation: str) -> None:
        if self._popen is None:
            raise RuntimeError(f"cannot {operation} process {self.name!r}: it was never "
                               f"started; call start() first")


class ForkProcess(Process):
    """A ``Process`` that always starts with fork."""

    _start_method = "fork"


class SpawnProcess(Process):
    """A ``Process`` that always starts with spawn (a fresh interpreter)."""

    _start_method = "spawn"


class ForkServerProcess(Process):
    """A ``Process`` that always starts from the fork server."""

    _start_method = "forkserver"


PROCESS_CLASSES: dict[str | None, type[Process]] = {
    None: Process, "fork": ForkProcess, "spawn": SpawnProcess, "forkserver": ForkServerProcess,
}


class _ProbePopen:
    """Stands in for a spawning ``Popen`` while we re-pickle parts to find the bad one.

    Locks and connections only pickle while a process is being spawned; this lets them, without
    duplicating any file descriptor for a child that will never exist.
    """

    def duplicate_for_child(self, fd: int) -> int:
        return fd

    def DupFd(self, fd: int) -> object:
        return _ProbeFd(fd)


class _ProbeFd:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def detach(self) -> int:
        return self.fd

__dir__ = public_dir(globals())
