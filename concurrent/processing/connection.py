"""Connections between processes: pipes, and sockets through ``Listener``/``Client``.

``Connection`` is multiprocessing's, except that ``send`` encodes through the package's codec
(``_datapath.codec``: an error names the bad part of the object before anything is written),
and ``poll`` waits with one ``select.poll`` object kept per connection (the stdlib builds a
selector per call, about half the time of receiving a small message).  ``recv_bytes_into``
raises ``BufferTooShort``, multiprocessing's class, which the shared interface re-exports.
``Listener`` and ``Client`` authenticate with an HMAC challenge when given an ``authkey``; with
``authkey=None`` (the stdlib's default) no authentication takes place.

The ends of a ``Pipe()`` are a socket pair (one-way pipes too), and a small object travels as
an ordinary pickle.  Buffers of 1 MiB or more (bytes, bytearray, memoryview, numpy arrays) go
into a nameless shared-memory segment (a memfd) whose file descriptor follows the message over
the socket (``SCM_RIGHTS``): the receiver maps it, and the segment lives only as long as a
descriptor or a mapping of it does, so nothing is named, tracked or left behind, whichever end
dies.  The sending process reuses a segment once its receiver is done with it
(``_datapath.memfd_segments``), so a stream of large sends copies into warm pages and the
receiver maps each segment once.  Below 1 MiB the socket copy costs about as much as passing a
descriptor (measured with ``python -m concurrent bench --sections payloads``).  ``recv_bytes``
of such a message gives the pickle it stands for, as it would for any object ``send`` sent.
``Listener``/``Client`` connections keep plain pickles: their peer may be the stdlib, or
another host.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import socket
import sys
from multiprocessing import connection as _mp
from multiprocessing import reduction as _reduction

from concurrent import _shared
from concurrent._shared._errors import BufferTooShort
from concurrent._shared._machinery.exports import public_dir
from concurrent.processing._datapath.codec import BufferCodec

__all__ = [
    "BUFSIZE",
    "CONNECTION_TIMEOUT",
    "AuthenticationError",
    "BufferTooShort",
    "Client",
    "Connection",
    "ConnectionWrapper",
    "Listener",
    "Pipe",
    "SocketClient",
    "SocketListener",
    "XmlClient",
    "XmlListener",
    "address_type",
    "answer_challenge",
    "arbitrary_address",
    "default_family",
    "deliver_challenge",
    "families",
    "wait",
]

# The rest of multiprocessing.connection's public names, as they are.
AuthenticationError = multiprocessing.AuthenticationError
BUFSIZE = _mp.BUFSIZE
CONNECTION_TIMEOUT = _mp.CONNECTION_TIMEOUT
ConnectionWrapper = _mp.ConnectionWrapper
SocketClient = _mp.SocketClient
SocketListener = _mp.SocketListener
XmlClient = _mp.XmlClient
XmlListener = _mp.XmlListener
address_type = _mp.address_type
answer_challenge = _mp.answer_challenge
arbitrary_address = _mp.arbitrary_address
default_family = _mp.default_family
deliver_challenge = _mp.deliver_challenge
families = _mp.families
wait = _mp.wait


_poll = getattr(select, "poll", None)
_POLLIN = getattr(select, "POLLIN", 0)
_PIPE_SHARED_THRESHOLD = 1 << 20  # bytes: a buffer this big travels in a memfd segment
_PIPE_CODEC = BufferCodec(threshold=_PIPE_SHARED_THRESHOLD, inline_limit=32 << 20)  # shared
# Listener/Client connections: plain pickles, for the peer may be the stdlib or another host.
_PLAIN_CODEC = BufferCodec(threshold=sys.maxsize, inline_limit=sys.maxsize)


class Connection(_mp.Connection, _shared.Connection):
    """One end of a pipe or socket: ``send``/``recv`` objects, ``send_bytes``/``recv_bytes``."""

    _codec: BufferCodec = _PLAIN_CODEC  # Pipe() ends share large buffers (_PIPE_CODEC)
    _passes_descriptors = False  # a Pipe() end: large buffers travel as memfd descriptors
    _arrived: tuple[int, ...] = ()  # descriptors that came with the message just read
    _poller = None  # a select.poll() watching this connection, made by the first poll()

    def send(self, obj) -> None:
        """Send a picklable object; ``UnpicklableError`` (nothing sent) if it is not."""
        self._check_closed()
        self._check_writable()
        codec = self._codec
        descriptors: list[int] | None = [] if self._passes_descriptors else None
        try:
            payload = codec.dumps(obj, what="obj", descriptors=descriptors)
            try:
                self._send_bytes(payload)
                if descriptors:
                    _send_descriptors(self._handle, descriptors)
            except BaseException:
                codec.discard(payload)  # a shared segment the peer will never see
                raise
        finally:
            for fd in descriptors or ():
                os.close(fd)

    def recv(self):
        """Receive an object sent with ``send``; ``EOFError`` when the peer closed its end."""
        self._check_closed()
        self._check_readable()
        message = self._recv_bytes()
        descriptors, self._arrived = self._arrived, ()
        # Released here, not by the garbage collector: a traceback that keeps this frame would
        # otherwise keep the view, and closing its BytesIO then fails ("Existing exports").
        with message.getbuffer() as payload:
            return self._codec.loads(payload, descriptors)

    def recv_bytes(self, maxlength: int | None = None) -> bytes:
        """Receive one message as bytes (an object sent with ``send``: its pickle)."""
        data = super().recv_bytes(maxlength)
        if self._arrived:  # its buffers came as a descriptor: give the pickle it stands for
            descriptors, self._arrived = self._arrived, ()
            data = _PLAIN_CODEC.dumps(self._codec.loads(data, descriptors), what="obj")
        return data

    def recv_bytes_into(self, buf, offset: int = 0) -> int:
        """Receive one message into ``buf`` at byte ``offset``; its length in bytes."""
        self._check_closed()
        self._check_readable()
        with memoryview(buf) as view:
            target = view.cast("B")
            if offset < 0:
                raise ValueError("negative offset")
            if offset > len(target):
                raise ValueError("offset too large")
            data = self.recv_bytes()
            if len(target) < offset + len(data):
                raise BufferTooShort(data)
            target[offset:offset + len(data)] = data
            return len(data)

    def _recv_bytes(self, maxsize: int | None = None):
        buf = super()._recv_bytes(maxsize)
        if buf is not None:
            with buf.getbuffer() as payload:
                count = BufferCodec.descriptors_in(payload)
            if count:
                self._arrived = _receive_descriptors(self._handle, count)
        return buf

    def poll(self, timeout: float | None = 0.0) -> bool:
        """True if data can be read now or within ``timeout`` (``None``: wait forever; a
        negative timeout does not wait)."""
        if _poll is None:
            return super().poll(timeout)
        self._check_closed()
        self._check_readable()
        poller = self._poller
        if poller is None:  # one per connection: the stdlib builds a selector per call
            poller = self._poller = _poll()
            poller.register(self._handle, _POLLIN)
        if timeout is not None and timeout < 0:
            timeout = 0
        return bool(poller.poll(None if timeout is None else timeout * 1000))


def _descriptor_socket(fd: int) -> socket.socket:
    # A blocking socket object over ``fd`` (which it does not own): detach() it after use.
    sock = socket.socket(fileno=fd)
    sock.settimeout(None)  # socket.setdefaulttimeout() must not make our descriptor non-blocking
    return sock


def _send_descriptors(fd: int, descriptors: list[int]) -> None:
    """Send ``descriptors`` after the frame that needs them, on one marker byte of their own."""
    sock = _descriptor_socket(fd)
    try:
        socket.send_fds(sock, [b"\0"], descriptors)
    finally:
        sock.detach()


def _receive_descriptors(fd: int, count: int) -> tuple[int, ...]:
    sock = _descriptor_socket(fd)
    try:
        marker, descriptors, _flags, _address = socket.recv_fds(sock, 1, count)
    finally:
        sock.detach()
    if not marker:
        raise EOFError("the peer closed its end while sending a message")
    if len(descriptors) != count:
        for received in descriptors:
            os.close(received)
        raise OSError(f"a message needed {count} descriptor(s) and {len(descriptors)} came")
    return tuple(descriptors)


def _adopt(conn: _mp.Connection) -> Connection:
    """Give a stdlib connection (from the stdlib's listener) our class; it adds no state."""
    if type(conn) is _mp.Connection:
        conn.__class__ = Connection
    return conn


def _reduce_connection(conn: Connection):
    return (_rebuild_connection, (_reduction.DupFd(conn.fileno()), conn.readable,
                                  conn.writable, conn._passes_descriptors))


def _rebuild_connection(dup_fd, readable: bool, writable: bool,
                        pipe_end: bool = False) -> Connection:
    conn = Connection(dup_fd.detach(), readable, writable)
    if pipe_end:
        _make_pipe_end(conn)
    return conn


def _make_pipe_end(conn: Connection) -> Connection:
    conn._codec = _PIPE_CODEC
    conn._passes_descriptors = True
    return conn


def _as_descriptor_end(conn: _mp.Connection) -> Connection | None:
    """``conn`` (a stdlib connection over a Unix socket) made to send large buffers as memfd
    descriptors, as a ``Pipe()`` end does; ``None`` where it cannot (TCP, another class).

    Both ends must be converted: a manager's proxy channel does it on both sides.
    """
    if not hasattr(os, "memfd_create") or type(conn) not in (_mp.Connection, Connection):
        return None
    try:
        sock = socket.socket(fileno=conn.fileno())
    except OSError:  # not a socket
        return None
    try:
        if sock.family != socket.AF_UNIX:
            return None
    finally:
        sock.detach()
    return _make_pipe_end(_adopt(conn))


if sys.platform != "win32":
    _reduction.register(Connection, _reduce_connection)


def Pipe(duplex: bool = True) -> tuple[Connection, Connection]:
    """Two connected ends; with ``duplex=False`` the first only receives, the second only sends."""
    if sys.platform == "win32":  # named pipes: the stdlib's PipeConnection does the work
        return _mp.Pipe(duplex)
    left, right = socket.socketpair()  # also one-way: a socket can pass descriptors
    for end in (left, right):
        end.setblocking(True)  # even under socket.setdefaulttimeout()
    if duplex:
        ends = Connection(left.detach()), Connection(right.detach())
    else:
        ends = Connection(left.detach(), writable=False), Connection(right.detach(),
                                                                     readable=False)
    return _make_pipe_end(ends[0]), _make_pipe_end(ends[1])


class Listener(_mp.Listener):
    """Accepts connections at ``address``; checks the peer's ``authkey`` when one is given."""

    def accept(self) -> Connection:
        """Wait for a client, authenticate it, and return the connection."""
        return _adopt(super().accept())


def Client(address, family: str | None = None,
           authkey: bytes | None = None) -> Connection:
    """Connect to a ``Listener`` at ``address``, answering its challenge with ``authkey``."""
    return _adopt(_mp.Client(address, family, authkey))

__dir__ = public_dir(globals())
