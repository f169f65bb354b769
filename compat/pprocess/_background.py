"""Background processes reached at an address: pprocess's persistent channels and exchanges.

A background process listens at a UNIX-domain socket address (a file name) and outlives the
process that started it: any process may connect later and collect what it sends.  It is a
``concurrent.processing`` ``Process`` started by a short-lived launcher process that exits at
once, so the creator neither waits for it nor stops it when it exits (a plain child would be
joined or terminated at exit).  The starter returns only once the background process listens,
so connecting right after never races it; a failure to listen is raised in the starter.
Its standard streams go to ``os.devnull``, as pprocess closed them.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

import concurrent.processing as _new
from compat.pprocess._channel import BackgroundPeer, Channel, ForkedPeer, Message, \
    ProcessLostError
from compat.pprocess._collect import Queue
from compat.pprocess._exchange import Call, Exchange
from compat.pprocess._processes import fork_available, guard_exit, report_failure, track
from compat.pprocess._warned import WarnedClass, quietly
from concurrent.processing.connection import Client, Listener

__all__ = ["BackgroundCallable", "PersistentExchange", "PersistentQueue", "background_queue",
           "connect", "start_background"]


class _Status(enum.Enum):
    LISTENING = "listening"
    FAILED = "failed"


class _Report(NamedTuple):
    """What a background process tells its starter once it listens (or could not)."""

    status: _Status
    error: OSError | None = None


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
        self.abandon()
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
        """Close the connection and stop listening (the address's file goes away)."""
        super().close()
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()


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
    except Exception as error:  # noqa: BLE001 - whoever connects receives it
        report_failure(channel, error)
    channel.close()


def _launch(report: _new.Connection, address: str, target: Callable[..., Any], args: tuple,
            kwargs: dict[str, Any]) -> None:
    """The launcher: start the background process and leave without waiting for it."""
    _new.Process(target=_serve, args=(report, address, target, args, kwargs),
                 name=f"pprocess background {address}").start()
    report.close()
    os._exit(0)


def _raise_failure(address: str, report: _Report) -> None:
    if report.status is _Status.FAILED:
        error = report.error
        raise OSError(error.errno, f"cannot listen at {address!r}: {error.strerror}; remove a "
                                   f"stale socket file there, or choose another address")


def start_background(address: str, callable: Callable[..., Any], args: tuple = (),
                     kwargs: dict[str, Any] | None = None) -> None:
    """Run ``callable(channel, *args, **kwargs)`` in a background process listening at ``address``.

    Returns once it listens: connect to ``address`` (``BackgroundQueue``, ``connect``) to
    receive what it sends.
    """
    reader, writer = _new.Pipe(duplex=False)
    launcher = _new.Process(target=_launch, args=(writer, address, callable, args, kwargs or {}))
    try:
        launcher.start()
    finally:
        writer.close()
    try:
        report = reader.recv()
    except EOFError:
        raise ProcessLostError(f"the background process for {address!r} ended before it "
                               f"listened there") from None
    finally:
        reader.close()
        launcher.join()
    _raise_failure(address, report)


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
    if report.status is _Status.FAILED:
        peer.reap(None)
        _raise_failure(address, report)
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
