"""The pool's worker processes: starting them on private pipes, stopping and reaping them.

Every worker has a private duplex pipe, watched (with its sentinel) by the pool thread's
selector.  Under fork the workers come from the pool's zygote (``zygote``), which holds none of
the pool's own descriptors, or from its process's shared zygote (a manager's server).
"""

from __future__ import annotations

import collections
import enum
import functools
import itertools
import os
import selectors
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing import connection as _mp_connection
from typing import Any, NamedTuple

from concurrent.processing._datapath.codec import BufferCodec
from concurrent.processing._pool.messages import READ_SIZE, STOP, take_frames
from concurrent.processing._pool.worker import worker_main
from concurrent.processing._pool.zygote import Zygote
from concurrent.processing._start import mp_context
from concurrent.processing.process import PROCESS_CLASSES

__all__ = ["Watched", "WorkerHandle", "Workers", "describe_exit", "owns_codec", "pool_codec",
           "serve_workers_from_here"]


class Watched(enum.Enum):
    """What a descriptor in the pool thread's selector stands for."""

    ANSWER = "a worker's pipe: it sent something"
    EXIT = "a worker's sentinel: it ended"
    WAKE = "the wake-up pipe: the queue or the state changed"


@dataclass(eq=False)
class WorkerHandle:
    """One worker process, its pipe, and the chunks it was sent and has not answered."""

    process: Any
    conn: Any
    inbox: bytearray = field(default_factory=bytearray)  # read, not yet handled
    ready: bool = False
    sent: int = 0
    last_seconds: float | None = None  # how long its last chunk ran
    outstanding: collections.deque = field(default_factory=collections.deque)


class _ForkSource(NamedTuple):
    """A zygote that every fork pool of one process shares, and the codec they all use."""

    pid: int  # the process that made it: a fork child does not inherit it
    zygote: Zygote
    codec: BufferCodec


_fork_source: _ForkSource | None = None
_served_codec: BufferCodec | None = None  # set before the shared zygote forks: its workers' codec


def serve_workers_from_here(close_in_zygote: tuple[int, ...]) -> None:
    """Fork a zygote that the fork pools made later in this process share, with one codec
    (call it while the process runs no thread of its own: a manager's server, before it
    serves).  The pools' arguments reached this process pickled, so their workers can be sent
    what they run, pickled too."""
    global _fork_source, _served_codec
    _served_codec = BufferCodec.for_channel(ctx=mp_context("fork"))
    _fork_source = _ForkSource(os.getpid(), Zygote(None, close_in_zygote), _served_codec)


def _shared_source(method: str | None) -> _ForkSource | None:
    source = _fork_source
    if (source is None or source.pid != os.getpid() or not source.zygote.process.is_alive()
            or mp_context(method).get_start_method() != "fork"):
        return None
    return source


def pool_codec(method: str | None) -> BufferCodec:
    """The codec a new pool uses: the process's shared one under its shared zygote (never to
    be closed by a pool), else a codec of the pool's own."""
    source = _shared_source(method)
    return source.codec if source is not None else BufferCodec.for_channel(ctx=mp_context(method))


def owns_codec(codec: BufferCodec) -> bool:
    """False for the shared codec of ``serve_workers_from_here``: no pool may close it."""
    return _fork_source is None or codec is not _fork_source.codec


class Workers:
    """Starts workers and keeps them by sentinel; the pool thread watches them with
    ``selector``, which gets ``(Watched.ANSWER, worker)`` and ``(Watched.EXIT, worker)`` keys.

    The dict is read and changed under the pool's lock (the caller's), except by ``reap_all``.
    """

    def __init__(self, method: str | None, initializer: Callable | None, initargs: Iterable,
                 maxtasks: int | None, codec: BufferCodec, selector: selectors.BaseSelector,
                 inherited: tuple[int, ...]) -> None:
        self._method = method
        self._initializer = initializer
        self._initargs = tuple(initargs)
        self._maxtasks = maxtasks
        self._selector = selector
        self._names = itertools.count(1)
        self.by_sentinel: dict[int, WorkerHandle] = {}
        self._zygote: Zygote | None = None
        self._send_spec = False  # the zygote is shared: each worker reads what it runs
        if mp_context(method).get_start_method() == "fork":
            # Fork workers come from a copy of this process made before the pool's thread
            # exists (see zygote); ``inherited``: the pool's descriptors that copy must close.
            source = _shared_source(method)
            if source is None:
                self._zygote = Zygote(functools.partial(
                    _zygote_worker, codec, os.getpid(), initializer, self._initargs, maxtasks),
                    inherited)
            else:
                self._zygote, self._send_spec = source.zygote, True
                self._spec = functools.partial(_zygote_worker, None, os.getpid(), initializer,
                                               self._initargs, maxtasks)

    def start(self, codec: BufferCodec) -> WorkerHandle:
        """Start a worker that decodes tasks and encodes results with ``codec``; the caller
        adds it to ``by_sentinel`` under its lock."""
        # The stdlib's Pipe: the pool moves bytes in its own frames and encodes large buffers
        # itself, so a channel codec (and its shared-memory table) would be waste here.
        parent, child = _mp_connection.Pipe(duplex=True)
        name = f"PoolWorker-{next(self._names)}"
        if self._zygote is not None:
            process = self._zygote.start_worker(name, child.fileno())
            if self._send_spec:
                parent.send(self._spec)
        else:
            process = PROCESS_CLASSES[self._method](
                target=worker_main, name=name, daemon=True,
                args=(child, codec, self._initializer, self._initargs, self._maxtasks,
                      os.getpid()))
            process.start()
        child.close()
        worker = WorkerHandle(process, parent)
        self._selector.register(parent.fileno(), selectors.EVENT_READ, (Watched.ANSWER, worker))
        self._selector.register(process.sentinel, selectors.EVENT_READ, (Watched.EXIT, worker))
        return worker

    def forget(self, worker: WorkerHandle) -> None:
        """Stop watching ``worker`` (it ended)."""
        for fd in (worker.conn.fileno(), worker.process.sentinel):
            try:
                self._selector.unregister(fd)
            except (KeyError, ValueError):
                pass

    def close(self, worker: WorkerHandle) -> None:
        """Let go of an ended worker's pipe and process object."""
        self.forget(worker)
        worker.conn.close()
        _close_process(worker.process)

    def stop_all(self) -> None:
        """Ask every worker to exit after its chunks, and wait for them (bounded)."""
        workers = list(self.by_sentinel.values())
        for worker in workers:
            try:
                worker.conn.send_bytes(STOP)
            except OSError:
                pass
        for worker in workers:
            worker.process.join(10)

    def signal_all(self) -> None:
        """SIGTERM every worker (unblocks a pool thread stuck sending to a busy one)."""
        for worker in list(self.by_sentinel.values()):
            _signal(worker.process.terminate)

    def reap_all(self) -> list[WorkerHandle]:
        """End every worker (terminate, then kill), let go of them, and of the zygote; the
        workers that were here."""
        workers = list(self.by_sentinel.values())
        self.by_sentinel.clear()
        for worker in workers:
            process = worker.process
            if process.exitcode is None:
                _signal(process.terminate)
                process.join(1)
            if process.exitcode is None:
                _signal(process.kill)
                process.join(5)
            self.close(worker)
        if self._zygote is not None and not self._send_spec:  # ours, not the process's
            self._zygote.close()
            self._zygote.join(5)
            _close_process(self._zygote.process)
            self._zygote = None
        return workers

    def read(self, worker: WorkerHandle) -> list[bytes]:
        """The complete frames ``worker`` sent so far (one read takes them all)."""
        try:
            data = os.read(worker.conn.fileno(), READ_SIZE)
        except OSError:
            return []  # the worker is gone; its sentinel fires next
        worker.inbox += data
        return take_frames(worker.inbox)

    def drain(self, worker: WorkerHandle) -> list[bytes]:
        """The frames a dead worker sent before it died (read without ever blocking)."""
        fd = worker.conn.fileno()
        try:
            os.set_blocking(fd, False)
            while data := os.read(fd, READ_SIZE):
                worker.inbox += data
        except OSError:  # the end of the data (or of the pipe): all read
            pass
        return take_frames(worker.inbox)

    def pids(self) -> list[int]:
        return [worker.process.pid for worker in self.by_sentinel.values()]


def _zygote_worker(codec: BufferCodec | None, owner: int, initializer: Callable | None,
                   initargs: tuple, maxtasks: int | None, name: str,
                   conn: _mp_connection.Connection):
    """The process object a worker forked by a zygote runs (in the zygote's child); ``None``:
    the codec of the shared zygote, which this child inherited."""
    return PROCESS_CLASSES["fork"](
        target=worker_main, name=name, daemon=True,
        args=(conn, _served_codec if codec is None else codec, initializer, initargs, maxtasks,
              owner))


def _signal(action: Callable[[], None]) -> None:
    try:
        action()
    except (OSError, ValueError, AttributeError):
        pass


def _close_process(process) -> None:
    try:
        process.close()
    except ValueError:
        pass


def describe_exit(exitcode: int | None) -> str:
    """Say how a worker ended, from its ``exitcode`` (negative: killed by that signal)."""
    if exitcode is None:
        return "an unknown exit status"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"signal {name} (exitcode {exitcode})"
    return f"exit code {exitcode}"
