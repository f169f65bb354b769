"""The two ways a manager's messages become bytes: ``'pickle'`` and ``'xmlrpclib'``.

multiprocessing picks the serializer by choosing a ``Listener``/``Client`` pair; here the
transport (plain socket or TLS, ``_managers.transport``) and the serializer are chosen apart, so
``'xmlrpclib'`` works over TLS too and every client runs the same guarded authentication first.
Authentication is bytes either way: a serializer applies only to what comes after it.

The XML form is multiprocessing's wire format (one-element ``xmlrpc.client`` parameter tuple,
``None`` allowed, UTF-8), so our clients and servers talk to multiprocessing's.  It can carry
only XML-RPC's types: tuples arrive as lists, and anything else (a function, a proxy, large
buffers through shared memory) is refused with the ``TypeError`` of ``xmlrpc.client``.
"""

from __future__ import annotations

import enum
import xmlrpc.client
from multiprocessing import connection
from typing import Any

__all__ = ["Serializer"]


def _xml_dumps(obj: Any) -> bytes:
    return xmlrpc.client.dumps((obj,), allow_none=True).encode("utf-8")


def _xml_loads(data: bytes) -> Any:
    (obj,), _method = xmlrpc.client.loads(bytes(data).decode("utf-8"))
    return obj


class Serializer(enum.Enum):
    """A manager's ``serializer`` argument, by its multiprocessing name."""

    PICKLE = "pickle"
    XMLRPCLIB = "xmlrpclib"

    @classmethod
    def named(cls, name: Any) -> Serializer:
        """The serializer called ``name``; ``ValueError`` naming the choices otherwise."""
        try:
            return cls(name)
        except ValueError:
            raise ValueError(f"unknown serializer {name!r}; use one of "
                             f"{sorted(member.value for member in cls)}") from None

    @property
    def shares_memory(self) -> bool:
        """Whether large buffers may cross through shared memory (pickle protocol 5 only)."""
        return self is Serializer.PICKLE

    def wrap(self, conn: Any) -> Any:
        """``conn`` (authenticated, pickling ``send``/``recv``) speaking this serializer."""
        if self is Serializer.PICKLE:
            return conn
        return connection.ConnectionWrapper(conn, _xml_dumps, _xml_loads)
