"""``Process`` on a cluster: its ``run()`` is a Dask task (``Client.submit``) on some worker.

``start()`` submits the task (``_process_task.run_process``); it ends with an ``Outcome`` that
gives ``exitcode``, ``pid`` and ``host`` of where it ran (``pid``/``host`` are known while it
runs, from a Dask ``Variable`` the task fills first).  A target that raised has its traceback
printed here, on the caller's stderr, as a child process prints it on the shared terminal.

``terminate()``/``kill()``: a target not started yet never runs; a running target gets
``Terminated`` raised in its thread, so it stops at its next Python bytecode, and a call blocked
in C (a sleep, a socket read) returns first; the worker process and its other tasks go on.
``exitcode`` is then ``-SIGTERM`` (``-SIGKILL``).  A target whose worker process dies is run
again by Dask on another worker, up to ``distributed.scheduler.allowed-failures`` (3) times;
then ``exitcode`` is ``-SIGKILL``.
"""

from __future__ import annotations

import atexit
import itertools
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from concurrent._shared import _workers as _abc
from concurrent._shared._machinery.exports import publish
from concurrent.distributed import _cluster, _monitor, _process_task
from concurrent.distributed._calls import request
from concurrent.distributed._errors import SchedulerLostError
from concurrent.distributed._store import new_name

__all__ = ["MainProcess", "Process", "active_children", "cpu_count", "current_process"]

_numbers = itertools.count(1)
_children: set[Process] = set()
_children_lock = threading.Lock()
# What a Process keeps here and never sends to the worker.
_LOCAL_STATE = ("_future", "_done", "_outcome", "_where", "_lost", "_watch", "_client")


class Process(_abc.Worker):
    """A worker whose ``run()`` executes on the cluster (see the module docstring)."""

    def __init__(self, group: None = None, target: Callable[..., object] | None = None,
                 name: str | None = None, args: Iterable[Any] = (),
                 kwargs: Mapping[str, Any] | None = None, *, daemon: bool | None = None) -> None:
        if group is not None:
            raise ValueError("group argument must be None for now")
        self._target, self._args, self._kwargs = target, tuple(args), dict(kwargs or {})
        self._name = str(name) if name is not None else f"DaskProcess-{next(_numbers)}"
        self._daemon = bool(daemon)
        self._key = new_name("process")
        self._future = self._outcome = self._where = self._lost = self._watch = None
        self._client = None
        self._done = threading.Event()

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in _LOCAL_STATE}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._future = self._outcome = self._where = self._lost = self._watch = None
        self._client = None
        self._done = threading.Event()

    def __repr__(self) -> str:
        if self._future is None:
            state = "initial"
        elif self.is_alive():
            state = "started"
        else:
            state = f"stopped exitcode={self.exitcode}"
        return f"<{type(self).__qualname__} name={self._name!r} {state}>"

    # -- attributes -------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = str(value)

    @property
    def daemon(self) -> bool:
        return self._daemon

    @daemon.setter
    def daemon(self, value: bool) -> None:
        if self._future is not None:
            raise RuntimeError("cannot set daemon status of an active process")
        self._daemon = bool(value)

    @property
    def exitcode(self) -> int | None:
        """``None`` until it ends; then 0, 1 if ``run`` raised, the ``sys.exit`` code, or
        ``-SIGTERM``/``-SIGKILL`` when terminated or its worker was lost for good."""
        return None if self._outcome is None else self._outcome.exitcode

    @property
    def pid(self) -> int | None:
        """The pid of the worker process that runs (ran) it; ``None`` before it starts there."""
        where = self._locate()
        return None if where is None else where.pid

    ident = pid

    @property
    def host(self) -> str | None:
        """The host name of the worker that runs (ran) it; ``None`` before it starts there."""
        where = self._locate()
        return None if where is None else where.host

    # -- running ------------------------------------------------------------------------------
    def run(self) -> None:
        """Call ``target(*args, **kwargs)``; override it in a subclass instead if you like."""
        if self._target is not None:
            self._target(*self._args, **self._kwargs)

    def start(self) -> None:
        if self._future is not None:
            raise RuntimeError("cannot start a process twice")
        client = _cluster.client()
        self._client = client
        self._future = request(client, lambda limit: client.submit(
            _process_task.run_process, self, self._key, self._key + "-where",
            self._key + "-stop", key=self._key, pure=False))
        with _children_lock:
            _children.add(self)
        if not _cluster.in_worker():
            self._watch = _monitor.watch(client, self._scheduler_lost)
        self._future.add_done_callback(self._finished)

    def _finished(self, future: Any) -> None:
        if self._outcome is not None:
            return
        if future.status == "finished":
            try:
                outcome = future.result()
            except Exception as exc:  # the result could not be fetched
                outcome = _process_task.Outcome(1, 0, "", f"{type(exc).__name__}: {exc}\n")
        elif future.status == "error":
            error = future.exception()
            from distributed import KilledWorker

            if isinstance(error, KilledWorker):
                outcome = _process_task.Outcome(-signal.SIGKILL, 0, "", None)
            else:  # e.g. the target could not be unpickled on the worker
                outcome = _process_task.Outcome(1, 0, "", f"{type(error).__name__}: {error}\n")
        else:  # cancelled, and not by terminate() (that recorded the outcome): Dask lost the
            # scheduler and cancelled what was pending
            address = self._client.scheduler.address
            self._lost = SchedulerLostError(f"the Dask scheduler at {address} was lost while "
                                            f"{self._name} ran", address)
            outcome = _process_task.Outcome(-signal.SIGKILL, 0, "", None)
        self._end(outcome)

    def _end(self, outcome: _process_task.Outcome) -> None:
        if self._outcome is not None:
            return
        if outcome.pid:
            self._where = _process_task.Where(outcome.host, outcome.pid, "")
        self._outcome = outcome
        if outcome.traceback:
            sys.stderr.write(f"Process {self._name}:\n{outcome.traceback}")
            sys.stderr.flush()
        if self._watch is not None:
            _monitor.unwatch(self._watch)
        self._done.set()

    def _scheduler_lost(self, error: SchedulerLostError) -> None:
        self._lost = error
        self._end(_process_task.Outcome(-signal.SIGKILL, 0, "", None))

    def _locate(self) -> _process_task.Where | None:
        if self._where is not None or self._future is None or self._outcome is not None:
            return self._where
        from distributed import Variable

        variable = Variable(self._key + "-where", self._client)
        try:
            found = request(self._client, lambda limit: variable.get(
                timeout=0, callback_timeout=limit))
        except TimeoutError:
            return None
        self._where = _process_task.Where(*found)
        return self._where

    def join(self, timeout: float | None = None) -> None:
        if self._future is None:
            raise RuntimeError("can only join a started process")
        if _process_task.current() is not None and _process_task.current()._key == self._key:
            raise RuntimeError("cannot join current process")
        self._done.wait(None if timeout is None else max(0.0, timeout))
        if self._lost is not None:
            raise self._lost
        if self._done.is_set():
            with _children_lock:
                _children.discard(self)

    def is_alive(self) -> bool:
        return self._future is not None and not self._done.is_set()

    def terminate(self) -> None:
        """Stop it: it never runs if it has not started, else ``Terminated`` is raised in its
        thread (see the module docstring); ``exitcode`` becomes ``-SIGTERM``."""
        self._stop(signal.SIGTERM)

    def kill(self) -> None:
        """As ``terminate()``, reported as ``-SIGKILL``."""
        self._stop(signal.SIGKILL)

    if sys.version_info >= (3, 14):  # multiprocessing's Process has it since 3.14

        def interrupt(self) -> None:
            """Raise ``KeyboardInterrupt`` in the running target, as ``SIGINT`` does in a
            process: the target may catch it; uncaught, it ends the worker with exit code 1."""
            if self._future is None or self._done.is_set():
                return
            where = self._locate()
            if where is not None:
                client = self._client
                request(client, lambda limit: client.run(
                    _process_task.interrupt, self._key, signal.SIGINT, workers=[where.worker],
                    on_error="ignore"))

    def _stop(self, signum: int) -> None:
        if self._future is None or self._done.is_set():
            return
        from distributed import Event

        client = self._client
        stop = Event(self._key + "-stop", client)
        request(client, lambda limit: client.sync(client.scheduler.event_set, name=stop.name,
                                                  callback_timeout=limit))
        where = self._locate()
        if where is not None:
            request(client, lambda limit: client.run(
                _process_task.interrupt, self._key, signum, workers=[where.worker],
                on_error="ignore"))
        self._end(_process_task.Outcome(-signum, where.pid if where else 0,
                                        where.host if where else "", None))
        self._future.cancel()

    def close(self) -> None:
        """Release what it holds; ``ValueError`` while it still runs."""
        if self.is_alive():
            raise ValueError(f"cannot close {self!r}: it is still running")


Worker = Process


class MainProcess:
    """What ``current_process()`` returns outside any ``Process``: this program, or the Dask
    worker running a pool task."""

    __slots__ = ("daemon", "name", "pid")

    def __init__(self, name: str) -> None:
        self.name, self.pid, self.daemon = name, os.getpid(), False

    @property
    def ident(self) -> int:
        return self.pid

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__} name={self.name!r} pid={self.pid}>"


_main = MainProcess("MainProcess")


def current_process() -> Any:
    """The ``Process`` whose target runs the caller; else this program (``MainProcess``) or,
    in a pool task, the Dask worker by its name."""
    process = _process_task.current()
    if process is not None:
        return process
    if "distributed" in sys.modules and _cluster.in_worker():
        from distributed import get_worker

        return MainProcess(str(get_worker().name))
    return _main


def active_children() -> list[Process]:
    """The ``Process``\\ es this program started that have not ended."""
    with _children_lock:
        ended = {child for child in _children if not child.is_alive()}
        _children.difference_update(ended)
        return sorted(_children, key=lambda child: child.name)


def cpu_count() -> int:
    """The cluster's worker threads in all (what a ``Pool`` runs at once by default)."""
    client = _cluster.client()
    threads = request(client, lambda limit: client.nthreads(callback_timeout=limit))
    total = sum(threads.values())
    if total < 1:
        raise NotImplementedError("the cluster has no workers yet")
    return total


def _at_exit() -> None:
    # As multiprocessing does at exit: wait for non-daemon children, stop the daemon ones.
    for child in active_children():
        if child.daemon:
            child.terminate()
        else:
            child.join()


atexit.register(_at_exit)
publish("concurrent.distributed", globals(), __all__)
