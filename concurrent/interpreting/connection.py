"""Pipes between interpreters: ``Pipe``, ``Connection``, ``wait``, ``Listener`` and ``Client``.

Each direction of a pipe is a ``_channel.Channel`` plus two counts of open handles, kept as
tokens in interpreter queues: one token per handle that may write, one per handle that may
read.  A handle is what a process has as a file descriptor: the ends ``Pipe()`` returns, and
each copy of an end that reaches another interpreter (pickling an end counts the copy its
unpickling makes).  ``close()`` (or dropping the last reference) gives the handle's tokens
back, so that::

    writers == 0 and nothing left  ->  the reader's recv() raises EOFError
    readers == 0                   ->  the writer's send() raises BrokenPipeError

as with a process pipe; ``close()`` rings the peer, so a blocked ``recv``/``poll``/``wait``
sees the end of file at once.  What travels is what a pipe carries: ``send`` pickles (the
receiver gets a copy), ``send_bytes`` sends raw bytes; ``recv_bytes`` of a sent object returns
its pickle and ``recv`` of sent bytes unpickles them.

``Listener()`` listens on a new address of this process (addresses are made by ``Listener``:
an interpreter queue's id, which ``Client`` finds from any interpreter); ``Client(address)``
puts one end of a new pipe into it.  An ``authkey`` is compared when the listener accepts: a
wrong one closes that connection and raises ``AuthenticationError`` from ``accept``.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from multiprocessing import AuthenticationError

from concurrent import interpreters
from concurrent._shared import _channels as _abc
from concurrent._shared._errors import BufferTooShort
from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.pipe_ends import PipeEnd
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent.interpreting import _codec
from concurrent.interpreting._channel import Channel, Kind
from concurrent.interpreting._waiting import Doorbell, wait_for

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["AuthenticationError", "BufferTooShort", "Client", "Connection", "Listener", "Pipe",
           "default_family", "families", "wait"]

FAMILY = "AF_INTERPRETER"
families = [FAMILY]
default_family = FAMILY
_ADDRESS_PREFIX = "concurrent.interpreting:"


class _Direction:
    """One direction of a pipe: its messages and the open handles of each side."""

    __slots__ = ("channel", "readers", "writers")

    def __init__(self, parts: tuple | None = None) -> None:
        if parts is None:
            parts = Channel(), interpreters.create_queue(), interpreters.create_queue()
        self.channel, self.writers, self.readers = parts

    def __reduce__(self):
        return _Direction, ((self.channel, self.writers, self.readers),)

    def writer_closed(self) -> bool:
        return self.writers.qsize() == 0

    def reader_closed(self) -> bool:
        return self.readers.qsize() == 0


def _hold(direction: _Direction | None, count: str) -> None:
    if direction is not None:
        getattr(direction, count).put_nowait(None)


def _let_go(direction: _Direction | None, count: str) -> None:
    if direction is None:
        return
    try:
        getattr(direction, count).get_nowait()
    except interpreters.QueueEmpty:
        return
    if count == "readers":
        _unless_unread(direction)
    direction.channel.readers.ring()  # a reader waiting for data or the end of file checks
    if direction.channel.writers is not None:
        direction.channel.writers.ring()


def _unless_unread(direction: _Direction) -> None:
    """Drop what nobody can read any more (the last reader closed), so that its senders are not
    kept for it (``_inflight``).  Both a sender, after it sends, and the last reader, as it
    closes, check: one of them sees the other's change."""
    if direction.reader_closed():
        while direction.channel.get(0) is not None:
            pass


class Connection(PipeEnd, _abc.Connection):
    """One end of a pipe between interpreters (see the module docstring)."""

    __slots__ = ("__weakref__", "_closed", "_inbox", "_outbox")

    def __init__(self, inbox: _Direction | None, outbox: _Direction | None) -> None:
        self._inbox, self._outbox = inbox, outbox
        self._closed = True  # until this handle is counted
        _hold(inbox, "readers")
        _hold(outbox, "writers")
        self._closed = False

    def __reduce__(self):
        self._check_open()
        _hold(self._inbox, "readers")  # the copy that unpickling makes owns these
        _hold(self._outbox, "writers")
        return _adopt, (self._inbox, self._outbox)

    def __del__(self) -> None:
        if not getattr(self, "_closed", True):
            try:
                self.close()
            except Exception:  # the interpreter is shutting down: its queues may be gone
                pass

    def _check_writable(self) -> _Direction:
        outbox = super()._check_writable()
        if outbox.reader_closed():
            raise BrokenPipeError("the other end of the pipe is closed")
        return outbox

    # -- sending --------------------------------------------------------------------------------
    def send(self, obj: Any) -> None:
        """Send a copy of ``obj`` (pickled here: an unpicklable object fails before sending)."""
        outbox = self._check_writable()
        outbox.channel.put(Kind.OBJECT, _codec.dumps(obj), None)
        _unless_unread(outbox)

    def send_bytes(self, buf: Any, offset: int = 0, size: int | None = None) -> None:
        """Send ``buf[offset:offset + size]`` (in bytes) of a bytes-like object as one message."""
        outbox = self._check_writable()
        with memoryview(buf) as view:
            view = view.cast("B")
            length = len(view)
            if offset < 0:
                raise ValueError(f"offset is negative: {offset!r}")
            if length < offset:
                raise ValueError(f"buffer length {length} < offset {offset}")
            if size is None:
                size = length - offset
            elif size < 0:
                raise ValueError(f"size is negative: {size!r}")
            elif offset + size > length:
                raise ValueError(f"buffer length {length} < offset + size ({offset} + {size})")
            data = bytes(view[offset:offset + size])
        outbox.channel.put(Kind.BYTES, data, None)
        _unless_unread(outbox)

    # -- receiving ------------------------------------------------------------------------------
    def _take(self) -> tuple[int, Any]:
        inbox = self._check_readable()
        channel = inbox.channel
        while True:
            message = channel.get(0)
            if message is not None:
                return message
            if inbox.writer_closed():
                message = channel.get(0)  # sent just before the last writer closed
                if message is not None:
                    return message
                raise EOFError("the other end of the pipe is closed")
            wait_for(lambda: channel.qsize() or inbox.writer_closed() or self._closed,
                     (channel.readers,), None)
            self._check_open()

    def recv(self) -> Any:
        """Receive the next object; ``EOFError`` once the peer closed and nothing is left."""
        kind, payload = self._take()
        return _codec.loads(payload)  # sent bytes are unpickled, as from a process pipe

    def recv_bytes(self, maxlength: int | None = None) -> bytes:
        """Receive one message as bytes; a message over ``maxlength`` raises ``OSError``."""
        if maxlength is not None and maxlength < 0:
            raise ValueError(f"maxlength is negative: {maxlength!r}")
        data = _as_bytes(*self._take())
        if maxlength is not None and len(data) > maxlength:
            self.close()
            raise OSError(f"bad message length: the message is longer than maxlength={maxlength}")
        return data

    def recv_bytes_into(self, buf: Any, offset: int = 0) -> int:
        """Receive one message into ``buf`` at byte ``offset``; return its length in bytes.

        A message that does not fit raises ``BufferTooShort`` with the message as ``args[0]``.
        """
        self._check_readable()
        with memoryview(buf) as view:
            target = view.cast("B")
            if offset < 0:
                raise ValueError(f"offset is negative: {offset!r}")
            if offset > len(target):
                raise ValueError(f"offset {offset} is past the end of a {len(target)}-byte buffer")
            message = _as_bytes(*self._take())
            size = len(message)
            if offset + size > len(target):
                raise BufferTooShort(message)
            target[offset:offset + size] = message
            return size

    def _ready(self) -> bool:
        inbox = self._inbox
        return (self._closed or inbox is None or inbox.channel.qsize() > 0
                or inbox.writer_closed())

    def poll(self, timeout: float | None = 0.0) -> bool:
        """True if a message (or the end of file) is ready now or within ``timeout`` seconds
        (``None``: wait for it; a negative timeout does not wait, as ``poll(0)``)."""
        inbox = self._check_readable()
        if timeout is not None and timeout < 0:
            timeout = 0
        ready = bool(wait_for(self._ready, (inbox.channel.readers,), timeout))
        self._check_open()
        return ready

    def fileno(self) -> int:
        """These ends have no file descriptor: always ``OSError``."""
        self._check_open()
        raise OSError("a connection between interpreters has no file descriptor")

    def close(self) -> None:
        """Close this handle (again: no effect); once every handle on this end is closed, the
        peer gets ``EOFError`` / ``BrokenPipeError``."""
        if self._closed:
            return
        self._closed = True
        _let_go(self._outbox, "writers")
        _let_go(self._inbox, "readers")


def _as_bytes(kind: int, payload: Any) -> bytes:
    if kind == Kind.BYTES:
        return payload
    return payload if type(payload) is bytes else payload[0]  # what a process pipe carries


def _adopt(inbox: _Direction | None, outbox: _Direction | None) -> Connection:
    """An unpickled end: the handle counted when it was pickled becomes this one."""
    connection = Connection.__new__(Connection)
    connection._inbox, connection._outbox, connection._closed = inbox, outbox, False
    return connection


def Pipe(duplex: bool = True) -> tuple[Connection, Connection]:
    """Two connected ends; with ``duplex=False`` the first only receives, the second only sends."""
    forward = _Direction()
    if not duplex:
        return Connection(forward, None), Connection(None, forward)
    backward = _Direction()
    return Connection(backward, forward), Connection(forward, backward)


def wait(object_list: Iterable[Connection], timeout: float | None = None) -> list[Connection]:
    """The connections of ``object_list`` that are ready to read, waiting up to ``timeout``.

    A connection is ready when ``recv`` would not block: it has a message or its peer closed.
    """
    check_timeout(timeout)
    connections = list(object_list)
    for connection in connections:
        if not isinstance(connection, Connection):
            raise TypeError(f"wait() takes connections of concurrent.interpreting, "
                            f"got {connection!r}")
    bells = [c._inbox.channel.readers for c in connections if c._inbox is not None]
    return wait_for(lambda: [c for c in connections if c._ready()], bells, timeout)


class Listener:
    """Accepts ``Client`` connections made to its ``address`` from any interpreter of this
    process.  ``address`` must be ``None``: addresses are made here (hand ``listener.address``
    to the clients)."""

    def __init__(self, address: str | None = None, family: str | None = None, backlog: int = 1,
                 authkey: bytes | None = None) -> None:
        if authkey is not None and not isinstance(authkey, bytes):
            raise TypeError(f"authkey should be a bytes object, got {type(authkey).__name__}")
        if address is not None:
            raise ValueError(f"a Listener of concurrent.interpreting makes its own address: "
                             f"pass address=None and give listener.address to the clients, "
                             f"not {address!r}")
        if family not in (None, FAMILY):
            raise ValueError(f"unknown family {family!r}: interpreters connect in {FAMILY!r}")
        self._arrivals = Channel()
        self._open = interpreters.create_queue(1)
        self._open.put_nowait(None)
        self._authkey = authkey
        self.last_accepted: str | None = None
        self._address = (f"{_ADDRESS_PREFIX}{self._arrivals.items.id}:"
                         f"{self._arrivals.readers._waiters.id}:{self._open.id}")

    @property
    def address(self) -> str:
        """What clients connect to."""
        return self._address

    def accept(self) -> Connection:
        """Wait for a client and return the connection to it."""
        while True:
            message = self._arrivals.get(0)
            if message is None:
                if not self._open.qsize():
                    raise OSError("the listener is closed")
                wait_for(lambda: self._arrivals.qsize() or not self._open.qsize(),
                         (self._arrivals.readers,), None)
                continue
            authkey, connection = _codec.loads(message[1])
            if self._authkey is not None and (
                    authkey is None or not hmac.compare_digest(authkey, self._authkey)):
                connection.close()
                raise AuthenticationError("digest received was wrong")
            self.last_accepted = self._address
            return connection

    def close(self) -> None:
        """Stop listening; later ``Client`` calls fail, pending ones are dropped."""
        try:
            self._open.get_nowait()
        except interpreters.QueueEmpty:
            return
        self._arrivals.readers.ring()
        while (message := self._arrivals.get(0)) is not None:
            _codec.loads(message[1])[1].close()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def Client(address: str, family: str | None = None,
           authkey: bytes | None = None) -> Connection:
    """Connect to the ``Listener`` at ``address``; ``ConnectionRefusedError`` if it is gone."""
    arrivals = _find(address)
    ours, theirs = Pipe()
    arrivals.put(Kind.OBJECT, _codec.dumps((authkey, theirs)), None)
    theirs.close()  # the listener's copy is its handle now
    return ours


def _find(address: Any) -> Channel:
    refused = ConnectionRefusedError(f"no listener at {address!r}")
    if not isinstance(address, str) or not address.startswith(_ADDRESS_PREFIX):
        raise refused
    try:
        items, bell, opened = (int(part) for part in address[len(_ADDRESS_PREFIX):].split(":"))
        channel = Channel(_parts=(interpreters.Queue(items),
                                  Doorbell(interpreters.Queue(bell)), None, 0))
        is_open = interpreters.Queue(opened).qsize() > 0
    except (ValueError, RuntimeError):  # not our format, or a queue gone with its listener
        raise refused from None
    if not is_open:
        raise refused
    return channel


__dir__ = public_dir(globals())
