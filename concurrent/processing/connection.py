"""Connections between processes: pipes, and sockets through ``Listener``/``Client``.

``Connection`` is multiprocessing's, except that ``send`` raises ``UnpicklableError`` naming the
bad part of the object before anything is written, and ``poll`` refuses a negative timeout.
``recv_bytes_into`` raises ``BufferTooShort``, multiprocessing's class, which the shared
interface re-exports.  ``Listener`` and ``Client`` authenticate with an HMAC challenge when given
an ``authkey``; with ``authkey=None`` (the stdlib's default) no authentication takes place.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import sys
from multiprocessing import connection as _mp
from multiprocessing import reduction as _reduction

from concurrent import _shared
from concurrent._shared._timeouts import check_timeout
from concurrent.processing import _pickling

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


class Connection(_mp.Connection, _shared.Connection):
    """One end of a pipe or socket: ``send``/``recv`` objects, ``send_bytes``/``recv_bytes``."""

    def send(self, obj) -> None:
        """Send a picklable object; ``UnpicklableError`` (nothing sent) if it is not."""
        self._check_closed()
        self._check_writable()
        self._send_bytes(_pickling.dumps(obj, what="obj"))

    def poll(self, timeout: float | None = 0.0) -> bool:
        """True if data can be read now or within ``timeout`` (``None``: wait forever)."""
        check_timeout(timeout)
        return super().poll(timeout)

def _adopt(conn: _mp.Connection) -> Connection:
    """Give a stdlib connection (from the stdlib's listener) our class; it adds no state."""
    if type(conn) is _mp.Connection:
        conn.__class__ = Connection
    return conn


def _reduce_connection(conn: Connection):
    return _rebuild_connection, (_reduction.DupFd(conn.fileno()), conn.readable, conn.writable)


def _rebuild_connection(dup_fd, readable: bool, writable: bool) -> Connection:
    return Connection(dup_fd.detach(), readable, writable)


if sys.platform != "win32":
    _reduction.register(Connection, _reduce_connection)


def Pipe(duplex: bool = True) -> tuple[Connection, Connection]:  # noqa: N802 - stdlib name
    """Two connected ends; with ``duplex=False`` the first only receives, the second only sends."""
    if sys.platform == "win32":  # named pipes: the stdlib's PipeConnection does the work
        return _mp.Pipe(duplex)
    if duplex:
        left, right = socket.socketpair()
        return Connection(left.detach()), Connection(right.detach())
    read_fd, write_fd = os.pipe()
    return Connection(read_fd, writable=False), Connection(write_fd, readable=False)


class Listener(_mp.Listener):
    """Accepts connections at ``address``; checks the peer's ``authkey`` when one is given."""

    def accept(self) -> Connection:
        """Wait for a client, authenticate it, and return the connection."""
        return _adopt(super().accept())


def Client(address, family: str | None = None,  # noqa: N802 - the stdlib's name
           authkey: bytes | None = None) -> Connection:
    """Connect to a ``Listener`` at ``address``, answering its challenge with ``authkey``."""
    return _adopt(_mp.Client(address, family, authkey))
