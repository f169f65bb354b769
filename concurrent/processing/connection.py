"""Connections between processes: pipes, and sockets through ``Listener``/``Client``.

``Connection`` is multiprocessing's, except that ``send`` encodes through the package's codec
(``_datapath.codec``: an error names the bad part of the object before anything is written),
and ``poll`` refuses a negative timeout and
waits with one ``select.poll`` object kept per connection (the stdlib builds a selector per
call, about half the time of receiving a small message).
``recv_bytes_into`` raises ``BufferTooShort``, multiprocessing's class, which the shared
interface re-exports.  ``Listener`` and ``Client`` authenticate with an HMAC challenge when given
an ``authkey``; with ``authkey=None`` (the stdlib's default) no authentication takes place.

The ends of a ``Pipe()`` send through a ``BufferCodec``: a small object still travels as an
ordinary pickle, but buffers of 32 MiB or more (bytes, bytearray, memoryview, numpy arrays) go
into a shared-memory segment that the receiver maps and unlinks, and only its name crosses the
pipe.  The codec has no segment pool: a pool costs a semaphore and a shared table per pipe,
which made ``Pipe()`` several times slower to create than the stdlib's and put every pipe's
garbage collection through the resource tracker (see CPython gh-109629); queues and pools,
which move many large buffers, keep one.  Without a pool every segment is fresh, and faulting
in fresh pages costs more than the pipe copy below tens of megabytes (measured with
``python -m concurrent bench --sections payloads``), hence the high threshold.
``Listener``/``Client`` connections keep plain pickles: their peer may be the stdlib, or another
host.
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
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent.processing._datapath.codec import BufferCodec

__all__ = [
    "AuthenticationError",
    "Client",
    "Connection",
    "Listener",
    "Pipe",
    "answer_challenge",
    "deliver_challenge",
    "wait",
]

AuthenticationError = multiprocessing.AuthenticationError
answer_challenge = _mp.answer_challenge
deliver_challenge = _mp.deliver_challenge
wait = _mp.wait


_poll = getattr(select, "poll", None)
_POLLIN = getattr(select, "POLLIN", 0)
_PIPE_CODEC = BufferCodec(threshold=32 << 20, inline_limit=32 << 20)  # stateless: shared
# Listener/Client connections: plain pickles, for the peer may be the stdlib or another host.
_PLAIN_CODEC = BufferCodec(threshold=sys.maxsize, inline_limit=sys.maxsize)


class Connection(_mp.Connection, _shared.Connection):
    """One end of a pipe or socket: ``send``/``recv`` objects, ``send_bytes``/``recv_bytes``."""

    _codec: BufferCodec = _PLAIN_CODEC  # Pipe() ends share large buffers (_PIPE_CODEC)
    _poller = None  # a select.poll() watching this connection, made by the first poll()

    def send(self, obj) -> None:
        """Send a picklable object; ``UnpicklableError`` (nothing sent) if it is not."""
        self._check_closed()
        self._check_writable()
        codec = self._codec
        payload = codec.dumps(obj, what="obj")
        try:
            self._send_bytes(payload)
        except BaseException:
            codec.discard(payload)  # a shared segment the peer will never see
            raise

    def recv(self):
        """Receive an object sent with ``send``; ``EOFError`` when the peer closed its end."""
        self._check_closed()
        self._check_readable()
        return self._codec.loads(self._recv_bytes().getbuffer())

    def poll(self, timeout: float | None = 0.0) -> bool:
        """True if data can be read now or within ``timeout`` (``None``: wait forever)."""
        check_timeout(timeout)
        if _poll is None:
            return super().poll(timeout)
        self._check_closed()
        self._check_readable()
        poller = self._poller
        if poller is None:  # one per connection: the stdlib builds a selector per call
            poller = self._poller = _poll()
            poller.register(self._handle, _POLLIN)
        return bool(poller.poll(None if timeout is None else timeout * 1000))


def _adopt(conn: _mp.Connection) -> Connection:
    """Give a stdlib connection (from the stdlib's listener) our class; it adds no state."""
    if type(conn) is _mp.Connection:
        conn.__class__ = Connection
    return conn


def _reduce_connection(conn: Connection):
    return (_rebuild_connection, (_reduction.DupFd(conn.fileno()), conn.readable,
                                  conn.writable, conn._codec is _PIPE_CODEC))


def _rebuild_connection(dup_fd, readable: bool, writable: bool,
                        shares_buffers: bool = False) -> Connection:
    conn = Connection(dup_fd.detach(), readable, writable)
    if shares_buffers:
        conn._codec = _PIPE_CODEC
    return conn


if sys.platform != "win32":
    _reduction.register(Connection, _reduce_connection)


def Pipe(duplex: bool = True) -> tuple[Connection, Connection]:
    """Two connected ends; with ``duplex=False`` the first only receives, the second only sends."""
    if sys.platform == "win32":  # named pipes: the stdlib's PipeConnection does the work
        return _mp.Pipe(duplex)
    if duplex:
        left, right = socket.socketpair()
        ends = Connection(left.detach()), Connection(right.detach())
    else:
        read_fd, write_fd = os.pipe()
        ends = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    ends[0]._codec = ends[1]._codec = _PIPE_CODEC
    return ends


class Listener(_mp.Listener):
    """Accepts connections at ``address``; checks the peer's ``authkey`` when one is given."""

    def accept(self) -> Connection:
        """Wait for a client, authenticate it, and return the connection."""
        return _adopt(super().accept())


def Client(address, family: str | None = None,
           authkey: bytes | None = None) -> Connection:
    """Connect to a ``Listener`` at ``address``, answering its challenge with ``authkey``."""
    return _adopt(_mp.Client(address, family, authkey))
