"""Where a fork pool's workers come from: a single-threaded copy of the pool's process.

Forking a process that runs threads can leave the child with a lock that no thread will ever
release (CPython 3.12+ warns: "This process is multi-threaded, use of fork() may lead to
deadlocks in the child"), and a pool's own thread is one such thread: it replaces workers that
die or reach ``maxtasksperchild``.  So a pool whose start method is fork forks a zygote when it
is created, before its thread starts, and the zygote forks every worker.  The zygote runs no
thread, so no fork of ours happens from a multi-threaded process, and every worker starts from
the same state: the pool's process as it was when the pool was created (the stdlib's initial
workers too start from that state).

A manager's server serves each client from a thread of its own, so a pool it makes cannot fork
its zygote then; it forks one zygote for its process when it starts serving, and its pools share
it (``workers.serve_workers_from_here``): such a zygote is not told what a worker runs, and each
worker first reads that, pickled, from its pipe.

The pool asks for a worker with one message on a socket, carrying the worker's pipe end and a
status pipe (``SCM_RIGHTS``).  The zygote forks, writes the new pid on the status pipe, and when
the worker ends, its exit code: the status pipe is the worker's sentinel, as with the stdlib's
fork server (whose ``read_signed``/``write_signed`` these are).  The pool says when it is done
(other processes it forks later may hold copies of its socket, so the end of file may never
come); a zygote whose pool's process died stops too.
"""

from __future__ import annotations

import os
import selectors
import signal
import socket
import threading
from collections.abc import Callable
from enum import Enum
from multiprocessing import connection as _mp_connection
from multiprocessing import forkserver
from multiprocessing.process import BaseProcess

__all__ = ["Zygote", "ZygoteWorker"]

# make_worker(name, connection): the process object a new worker runs (it is not started: the
# zygote's child bootstraps it in place).  A shared zygote's workers receive it on connection.
MakeWorker = Callable[[str, _mp_connection.Connection], BaseProcess]


class Request(bytes, Enum):
    """The first byte of a message from the pool to its zygote."""

    START = b"+"  # fork a worker; the worker's name follows, its two pipe ends ride along
    DONE = b"."  # the pool is done: fork no more


_OWNER_CHECK = 1.0  # seconds between checks, while idle, that the pool's process still lives


class ZygoteWorker:
    """A worker the zygote forked: what the pool needs of a ``Process`` (pid, sentinel,
    exitcode, join, terminate, kill, close), read from its status pipe."""

    def __init__(self, name: str, status: int) -> None:
        self.name = name
        self.sentinel = status
        self.pid = forkserver.read_signed(status)
        self._exitcode: int | None = None

    @property
    def exitcode(self) -> int | None:
        """``None`` while it runs; then its exit code (``-N`` when signal ``N`` ended it)."""
        if self._exitcode is None and self.sentinel >= 0 and _mp_connection.wait(
                [self.sentinel], 0):
            try:
                self._exitcode = forkserver.read_signed(self.sentinel)
            except (OSError, EOFError):  # the zygote itself is gone
                self._exitcode = 255
        return self._exitcode

    def is_alive(self) -> bool:
        return self.exitcode is None

    def join(self, timeout: float | None = None) -> None:
        if self.exitcode is None:
            _mp_connection.wait([self.sentinel], timeout)

    def terminate(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)

    def _signal(self, signum: int) -> None:
        if self.exitcode is None:  # after it ended, the pid may belong to another process
            os.kill(self.pid, signum)

    def close(self) -> None:
        if self.sentinel >= 0:
            os.close(self.sentinel)
            self.sentinel = -1


class Zygote:
    """Forks itself from the calling process at once; then ``start_worker`` asks it for a
    worker.  ``close_in_zygote``: descriptors of the caller that the zygote must not keep.
    ``make_worker`` is ``None`` for a shared zygote: the caller sends it on each worker's pipe."""

    def __init__(self, make_worker: MakeWorker | None, close_in_zygote: tuple[int, ...]) -> None:
        from concurrent.processing.process import ForkProcess

        ours, theirs = socket.socketpair()
        self._socket = ours
        self._lock = threading.Lock()  # a shared zygote is asked from several pools' threads
        # The owner's pid is taken here: if the owner dies while forking, the zygote's
        # getppid() is already another process's.  Its end of the socket is closed in the
        # zygote, so that the owner's death (or close) reads as the end of the file there.
        self.process = ForkProcess(
            target=_serve, name="PoolZygote", daemon=True,
            args=(theirs, ours, make_worker, close_in_zygote, os.getpid()))
        self.process.start()
        theirs.close()

    def start_worker(self, name: str, connection_fd: int) -> ZygoteWorker:
        """A new worker on ``connection_fd`` (the caller then closes its copy of it)."""
        status_r, status_w = os.pipe()
        try:
            with self._lock:
                socket.send_fds(self._socket, [Request.START + name.encode()],
                                [connection_fd, status_w])
        finally:
            os.close(status_w)
        return ZygoteWorker(name, status_r)

    def close(self) -> None:
        """No more workers: the zygote ends once those it forked have ended."""
        try:
            self._socket.send(Request.DONE)
        except OSError:  # the zygote is gone already
            pass
        self._socket.close()

    def join(self, timeout: float | None = None) -> None:
        self.process.join(timeout)


def _serve(control: socket.socket, owners_end: socket.socket, make_worker: MakeWorker | None,
           close_in_zygote: tuple[int, ...], owner: int) -> None:
    """The zygote: fork a worker per request; report each one's pid and exit code."""
    owners_end.close()
    for fd in close_in_zygote:
        try:
            os.close(fd)
        except OSError:
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the pool's owner decides what stops
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so the wake-up fd is written
    status_of: dict[int, int] = {}  # worker pid -> its status pipe
    open_for_requests = True
    with selectors.DefaultSelector() as selector:
        selector.register(control, selectors.EVENT_READ)
        selector.register(wake_r, selectors.EVENT_READ)
        while open_for_requests or status_of:
            events = selector.select(_OWNER_CHECK)
            if open_for_requests and not events and os.getppid() != owner:
                open_for_requests = False  # the pool's process died: no more requests
                selector.unregister(control)
            for key, _ in events:
                if key.fileobj is wake_r:
                    _drain(wake_r)
                    _report_exits(status_of)
                    continue
                message, fds, _flags, _address = socket.recv_fds(control, 256, 2)
                if not message.startswith(Request.START):  # the pool is done (or gone): serve until
                    for fd in fds:  # the last worker ends
                        os.close(fd)
                    open_for_requests = False
                    selector.unregister(control)
                    continue
                connection_fd, status_w = fds
                pid = os.fork()
                if pid == 0:  # the worker: nothing of the zygote's stays open in it
                    selector.close()
                    control.close()
                    _become_worker(make_worker, message[1:].decode(), connection_fd,
                                   (status_w, wake_r, wake_w, *status_of.values()))
                os.close(connection_fd)
                forkserver.write_signed(status_w, pid)
                status_of[pid] = status_w
            _report_exits(status_of)  # a SIGCHLD that came before the handler ran


def _become_worker(make_worker: MakeWorker | None, name: str, connection_fd: int,
                   zygote_fds: tuple[int, ...]) -> None:
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in zygote_fds:
            os.close(fd)
        connection = _mp_connection.Connection(connection_fd)
        if make_worker is None:  # a shared zygote's worker: the pool sends what it runs
            make_worker = connection.recv()
        worker = make_worker(name, connection)
        code = worker._bootstrap()  # multiprocessing's own start of a forked child
    finally:
        os._exit(code)


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 4096):
            pass
    except BlockingIOError:
        pass


def _report_exits(status_of: dict[int, int]) -> None:
    while status_of:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        status_w = status_of.pop(pid, None)
        if status_w is not None:
            try:
                forkserver.write_signed(status_w, os.waitstatus_to_exitcode(status))
            except BrokenPipeError:  # the pool stopped listening
                pass
            os.close(status_w)
