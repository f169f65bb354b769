"""pyprocessing 0.52's ``processing.dummy.connection``: in-process pipes with legacy names."""

from __future__ import annotations

from typing import Any

from compat._legacy import mirror_class
from concurrent.threading import connection as _new

__all__ = ["Client", "Connection", "Listener", "Pipe"]


def _duplicate(self: _new.Connection) -> _new.Connection:
    # The handle a worker gets for an end among its arguments keeps the legacy methods, as a
    # child process's copy of a processing connection does.
    return _legacy(_new.Connection._duplicate(self))


Connection = mirror_class("Connection", _new.Connection, "processing.dummy", "Connection",
                          {"_duplicate": _duplicate})
families = _new.families  # [None]: in-process listeners have no address family


def _legacy(conn: _new.Connection) -> _new.Connection:
    if type(conn) is _new.Connection:  # adds methods, no state: the layout is the same
        conn.__class__ = Connection
    return conn


def Pipe(duplex: bool = True) -> tuple[_new.Connection, _new.Connection]:
    """Two connected in-process ends with the legacy methods (``sendBytes``...)."""
    left, right = _new.Pipe(duplex)
    return _legacy(left), _legacy(right)


class Listener(_new.Listener):
    """``concurrent.threading.connection.Listener`` whose connections have the legacy methods."""

    def accept(self) -> _new.Connection:
        """Wait for a client and return the connection."""
        return _legacy(super().accept())


def Client(address: Any, family: str | None = None,  # the 0.52 name
           authkey: bytes | None = None) -> _new.Connection:
    """Connect to an in-process ``Listener``."""
    return _legacy(_new.Client(address, family, authkey))
