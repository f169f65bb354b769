"""What runs on a cluster worker for a ``Process``: its ``run()``, and how it is stopped.

The task leaves the worker's thread pool at once (``distributed.secede``), as a long-running
task should, so a ``Process`` never holds a task slot: any number of them run side by side, as
processes do.  It says where it runs (host, pid) in a Dask ``Variable`` before it checks the
terminate flag (a Dask ``Event``), so ``terminate()`` either finds it there or stops it before
``run()`` starts.  ``terminate()`` of a running target raises ``Terminated`` in its thread, the
way Ctrl-C interrupts Python code.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import threading
import traceback
from typing import Any, NamedTuple

__all__ = ["Outcome", "Terminated", "current", "interrupt", "run_process"]


class Terminated(BaseException):
    """Raised in a running target's thread by ``Process.terminate()``/``kill()``."""


class Outcome(NamedTuple):
    """How a ``Process`` ended, reported by its task: where, and its exit code."""

    exitcode: int
    pid: int
    host: str
    traceback: str | None  # the text of the exception that ended ``run()``, if any


class Where(NamedTuple):
    """Where a started ``Process`` runs."""

    host: str
    pid: int
    worker: str  # the Dask worker's address, for ``Client.run``


_running: dict[str, tuple[int, int]] = {}  # task key -> (thread ident, signal to report)
_running_lock = threading.Lock()
_local = threading.local()


def current() -> Any:
    """The ``Process`` whose target runs in the calling thread, or ``None``."""
    return getattr(_local, "process", None)


def _exit_status(code: Any) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def run_process(process: Any, key: str, where_name: str, stop_name: str) -> Outcome:
    """Run ``process.run()`` here; return how it ended (never raises for the target)."""
    from distributed import Event, Variable, get_client, get_worker, secede

    secede()
    client, host, pid = get_client(), socket.gethostname(), os.getpid()
    with _running_lock:
        _running[key] = (threading.get_ident(), signal.SIGTERM)
    try:
        Variable(where_name, client).set(list(Where(host, pid, get_worker().address)))
        if Event(stop_name, client).is_set():
            return Outcome(-signal.SIGTERM, pid, host, None)
        _local.process = process
        try:
            process.run()
        except SystemExit as exc:
            return Outcome(_exit_status(exc.code), pid, host, None)
        except Terminated:
            return Outcome(-_running[key][1], pid, host, None)
        except BaseException:
            return Outcome(1, pid, host, traceback.format_exc())
        return Outcome(0, pid, host, None)
    finally:
        _local.process = None
        with _running_lock:
            _running.pop(key, None)


def interrupt(key: str, signum: int) -> bool:
    """Raise ``Terminated`` (``KeyboardInterrupt`` for ``SIGINT``, which the target may catch)
    in the thread running task ``key`` here; False if it is not."""
    with _running_lock:
        entry = _running.get(key)
        if entry is None:
            return False
        if signum != signal.SIGINT:
            _running[key] = (entry[0], signum)
    error = KeyboardInterrupt if signum == signal.SIGINT else Terminated
    done = ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(entry[0]),
                                                      ctypes.py_object(error))
    return done == 1
