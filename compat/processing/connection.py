"""pyprocessing 0.52's ``processing.connection`` on ``concurrent.processing.connection``.

Connections get ``sendBytes``/``recvBytes``/``recvBytesInto``; they stay real
``concurrent.processing`` connections and keep those names when sent to another process.
"""

from __future__ import annotations

import sys
from multiprocessing import reduction as _reduction
from typing import Any

from compat._legacy import legacy_function, mirror_class
from concurrent.processing import connection as _new

__all__ = ["Client", "Connection", "Listener", "Pipe", "answerChallenge", "deliverChallenge"]

Connection = mirror_class("Connection", _new.Connection, "processing", "Connection")
AuthenticationError = _new.AuthenticationError
families = _new.families  # the address families a Listener takes here: AF_INET, AF_UNIX


def _legacy(conn: _new.Connection) -> _new.Connection:
    if type(conn) is _new.Connection:  # adds methods, no state: the layout is the same
        conn.__class__ = Connection
    return conn


def _rebuild(dup_fd: Any, readable: bool, writable: bool) -> _new.Connection:
    return Connection(dup_fd.detach(), readable, writable)


def _reduce(conn: _new.Connection) -> tuple[Any, tuple[Any, ...]]:
    return _rebuild, (_reduction.DupFd(conn.fileno()), conn.readable, conn.writable)


if sys.platform != "win32":
    _reduction.register(Connection, _reduce)


def Pipe(duplex: bool = True) -> tuple[_new.Connection, _new.Connection]:
    """Two connected ends, as ``concurrent.processing.Pipe``, with the legacy methods."""
    left, right = _new.Pipe(duplex)
    return _legacy(left), _legacy(right)


def _authkey(authenticate: bool, authkey: bytes | None) -> bytes | None:
    # 0.52: authenticate=True without a key means "use the current process's authkey".
    if authenticate and authkey is None:
        from concurrent.processing import current_process
        return bytes(current_process().authkey)
    return authkey


class Listener(_new.Listener):
    """0.52's ``Listener``: ``authenticate=True`` checks clients with the process's authkey."""

    def __init__(self, address: Any = None, family: str | None = None, backlog: int = 1,
                 authenticate: bool = False, authkey: bytes | None = None) -> None:
        super().__init__(address, family, backlog, _authkey(authenticate, authkey))

    def accept(self) -> _new.Connection:
        """Wait for a client (authenticated when asked) and return the connection."""
        return _legacy(super().accept())


def Client(address: Any, family: str | None = None, authenticate: bool = False,
           authkey: bytes | None = None) -> _new.Connection:
    """Connect to a ``Listener``; ``authenticate=True`` answers with the process's authkey."""
    return _legacy(_new.Client(address, family, _authkey(authenticate, authkey)))


deliverChallenge = legacy_function("processing.connection", "deliverChallenge",
                                   _new.deliver_challenge)
answerChallenge = legacy_function("processing.connection", "answerChallenge",
                                  _new.answer_challenge)
