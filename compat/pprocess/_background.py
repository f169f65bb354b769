"""Background processes reached at an address: pprocess's persistent channels and exchanges.

A background process listens at a UNIX-domain socket address (a file name) through
``concurrent.processing.connection.Listener`` and outlives the process that started it: any
process may connect later (``Client``) and collect what it sends.  pprocess forked it and closed
its standard streams; here it is a fresh interpreter, started with ``os.posix_spawn`` in a new
session (safe from a process that runs threads) and prepared the way multiprocessing prepares a
spawned child, so that it holds nothing of its starter's: a child made through multiprocessing
would be joined or terminated when its starter exits, and would keep the starter's resource
tracker (and with it the starter's output) alive.  Its output goes to ``os.devnull`` once it
listens.  The starter returns only then, so connecting right after never races it, and a
failure to listen is raised in the starter.
"""

from __future__ import annotations

import enum
import os
import pickle
import sys
from collections.abc import Callable
from multiprocessing import spawn
from typing import Any, NamedTuple

import concurrent.processing as _new
from compat.pprocess._channel import BackgroundPeer, Channel, ForkedPeer, Message, ProcessLostError
from compat.pprocess._collect import Queue
from compat.pprocess._exchange import Call, Exchange
from compat.pprocess._processes import fork_available, guard_exit, report_failure, track
from compat.pprocess._warned import WarnedClass, quietly
from concurrent.processing import Connection
from concurrent.processing.connection import Client, Listener

__all__ = ["BackgroundCallable", "PersistentExchange", "PersistentQueue", "background_queue",
           "connect", "start_background"]


class _Status(enum.Enum):
    LISTENING = "listening"
    FAILED = "failed"


class _Report(NamedTuple):
    """What a background process tells its starter once it listens (or could not)."""

    status: _Status
    error: BaseException | None = None


class _PersistentChannel(Channel):
    """The background process's channel: it serves whoever connects, one peer at a time.

    A peer that goes away is replaced by the next one to connect, and what was being sent is
    sent to that one: a result waits until someone has received it.
    """

    def __init__(self, listener: Any) -> None:
        super().__init__(0, None)
        self._listener = listener
        self.address: str = listener.address

    def _open(self) -> Any:
        if self._listener is None:
            raise OSError(f"the channel at {self.address!r} is closed")
        if self._connection is None:
            self._connection = self._listener.accept()
            self._ended = self._pending = None
        return self._connection

    def _drop(self) -> None:
        self._abandon()
        self._ended = self._pending = None

    def _deliver(self, message: Message) -> None:
        while True:
            try:
                return super()._deliver(message)
            except ProcessLostError:
                self._drop()

    def _next_message(self) -> Message:
        while True:
            try:
                return super()._next_message()
            except ProcessLostError:
                self._drop()

    def close(self) -> None:
        """Stop listening (the address's file goes away), then close the connection."""
        listener, self._listener = self._listener, None
        if listener is not None:  # first: whoever sees the end finds the address gone
            listener.close()
        super().close()


def _listen(address: str, report: _new.Connection) -> Any:
    try:
        listener = Listener(address, family="AF_UNIX")
    except OSError as error:
        report.send(_Report(_Status.FAILED, error))
        report.close()
        return None
    report.send(_Report(_Status.LISTENING))
    report.close()
    return listener


def _detach_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    devnull = os.open(os.devnull, os.O_RDWR)
    for descriptor in (0, 1, 2):
        os.dup2(devnull, descriptor)
    os.close(devnull)


def _serve(report: _new.Connection, address: str, target: Callable[..., Any], args: tuple,
           kwargs: dict[str, Any]) -> None:
    """The background process: listen, then run ``target(channel, *args, **kwargs)``."""
    listener = _listen(address, report)
    if listener is None:
        return
    _detach_streams()
    channel = quietly(_PersistentChannel, listener)
    try:
        target(channel, *args, **kwargs)
    except Exception as error:  # whoever connects receives it
        report_failure(channel, error)
    channel.close()


def _listen_failure(address: str, report: _Report) -> BaseException | None:
    """The error to raise in the starter when the background process could not listen."""
    if report.status is _Status.LISTENING:
        return None
    error = report.error
    if isinstance(error, OSError) and error.errno is not None:
        return OSError(error.errno, f"cannot listen at {address!r}: {error.strerror}; remove a "
                                    f"stale socket file there, or choose another address")
    return error


# The background process's first lines, run by a fresh interpreter: prepare it as
# multiprocessing prepares a spawned child (sys.path, working directory, the main module as
# __mp_main__, so that the callable unpickles), then serve.
_BOOT = """\
import os, pickle, sys
from multiprocessing import spawn
source, report = os.fdopen(int(sys.argv[1]), "rb"), int(sys.argv[2])
spawn.prepare(pickle.load(source))
from compat.pprocess._background import run_daemon
run_daemon(source, report)
"""
_daemons: list[int] = []  # started by this process: reaped once they end


def run_daemon(source: Any, report_fd: int) -> None:
    """The background process, once prepared: read its callable, then serve it."""
    report = Connection(report_fd, readable=False)
    try:
        with source:
            address, target, args, kwargs = pickle.load(source)
    except Exception as error:  # the starter raises it
        report.send(_Report(_Status.FAILED, error))
        return
    _serve(report, address, target, args, kwargs)


def _reap_daemons() -> None:
    for pid in list(_daemons):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _daemons.remove(pid)


def start_background(address: str, callable: Callable[..., Any], args: tuple = (),
                     kwargs: dict[str, Any] | None = None) -> None:
    """Run ``callable(channel, *args, **kwargs)`` in a background process listening at ``address``.

    Returns once it listens: connect to ``address`` (``BackgroundQueue``, ``connect``) to
    receive what it sends.  The process is a fresh interpreter in a session of its own that
    holds nothing of this process's but what it needs (not even multiprocessing's resource
    tracker, which would otherwise live as long as it does, holding this process's output).
    """
    _reap_daemons()
    try:
        payload = pickle.dumps((address, callable, args, kwargs or {}))
    except Exception as error:
        raise _new.UnpicklableError(f"a background process gets its callable and arguments "
                                    f"pickled, and these cannot be: {error}; use a function "
                                    f"defined at the top level of a module") from error
    preparation = spawn.get_preparation_data(f"pprocess background {address}")
    preparation["authkey"] = bytes(preparation["authkey"])
    source_r, source_w = os.pipe()
    report_r, report_w = os.pipe()
    for descriptor in (source_r, report_w):
        os.set_inheritable(descriptor, True)
    try:
        pid = os.posix_spawn(sys.executable, [sys.executable, "-c", _BOOT, str(source_r),
                                              str(report_w)], os.environ, setsid=True,
                             file_actions=[(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                                           (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
    finally:
        os.close(source_r)
        os.close(report_w)
    _daemons.append(pid)
    reader = Connection(report_r, writable=False)
    try:
        with os.fdopen(source_w, "wb") as source:
            pickle.dump(preparation, source)
            source.write(payload)
        report = reader.recv()
    except (BrokenPipeError, EOFError):
        raise ProcessLostError(f"the background process for {address!r} ended before it "
                               f"listened there", pid=pid) from None
    finally:
        reader.close()
    failure = _listen_failure(address, report)
    if failure is not None:
        raise failure


def _create_background(address: str) -> Channel:
    """Fork a process that listens at ``address``; the creator gets a channel connected to it."""
    if not fork_available():
        raise RuntimeError("create(address) forks the calling process, and this platform "
                           "cannot fork; use start(address, callable, *args) instead")
    reader, writer = _new.Pipe(duplex=False)
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    pid = os.fork()
    if pid == 0:
        reader.close()
        listener = _listen(address, writer)
        if listener is None:
            os._exit(1)
        channel = quietly(_PersistentChannel, listener)
        guard_exit(channel)
        return channel
    writer.close()
    peer = ForkedPeer(pid)
    try:
        report = reader.recv()
    except EOFError:
        raise ProcessLostError(f"created process {pid} ended before it listened at "
                               f"{address!r}", pid=pid, exitcode=peer.reap(None)) from None
    finally:
        reader.close()
    failure = _listen_failure(address, report)
    if failure is not None:
        peer.reap(None)
        raise failure
    return track(quietly(Channel, pid, Client(address, family="AF_UNIX"), peer))


def connect(address: str) -> Channel:
    """A channel to the background process listening at ``address``."""
    try:
        connection = Client(address, family="AF_UNIX")
    except (FileNotFoundError, ConnectionRefusedError) as error:
        raise OSError(error.errno, f"no background process listens at {address!r}: start one "
                                   f"there first (BackgroundCallable, or an exchange's "
                                   f"start(address, ...))") from error
    return quietly(Channel, 0, connection, BackgroundPeer(address))


class _Persistent:
    """What makes an exchange persistent: its processes run in the background, at addresses."""

    def start(self, address: str, callable: Callable[..., Any], *args: Any, **kw: Any) -> None:
        """Run ``callable(channel, *args, **kw)`` in a background process listening at ``address``.

        Nothing is watched until ``connect(address)``.
        """
        self._waiting.append(Call(callable, args, kw, self._reserve(), address))
        self._start_queued()

    def _launch(self, call: Call) -> Channel | None:
        start_background(call.address, call.callable, call.args, call.kwargs)
        return None

    def create(self, address: str) -> Channel | None:
        """Fork a process listening at ``address``: it gets its channel, the creator None."""
        self.wait()
        channel = _create_background(address)
        if channel.pid == 0:
            return channel
        self.add(channel)
        return None

    def manage(self, address: str, callable: Callable[..., Any]) -> Callable[..., None]:
        """A function that starts ``callable`` in the background at ``address`` when called."""
        return _PersistentManaged(self, address, callable)

    def connect(self, address: str) -> None:
        """Watch the background process listening at ``address`` (once below the limit)."""
        self.add_wait(connect(address))


class PersistentExchange(_Persistent, Exchange):
    """An ``Exchange`` whose processes run in the background at addresses, reached by
    ``connect``; subclasses define ``store_data``."""

    __module__ = "compat.pprocess"
    _legacy_name = "PersistentExchange"


class PersistentQueue(_Persistent, Queue):
    """A ``Queue`` of what background processes send, once connected to their addresses."""

    __module__ = "compat.pprocess"
    _legacy_name = "PersistentQueue"


class _PersistentManaged:
    def __init__(self, exchange: _Persistent, address: str,
                 callable: Callable[..., Any]) -> None:
        self.exchange = exchange
        self.address = address
        self.callable = callable

    def __call__(self, *args: Any, **kw: Any) -> None:
        self.exchange.start(self.address, self.callable, *args, **kw)


class BackgroundCallable(metaclass=WarnedClass):
    """``callable`` run, when called, in a background process listening at ``address``."""

    __module__ = "compat.pprocess"
    _legacy_name = "BackgroundCallable"

    def __init__(self, address: str, callable: Callable[..., Any]) -> None:
        self.address = address
        self.callable = callable

    def __call__(self, *args: Any, **kw: Any) -> None:
        start_background(self.address, self.callable, args, kw)


def background_queue(address: str) -> PersistentQueue:
    """A queue of what the background process at ``address`` sends."""
    queue = quietly(PersistentQueue, limit=1)
    queue.connect(address)
    return queue
