"""Proxies that keep working wherever they travel.

multiprocessing's proxies put their authkey in a pickle only while a child process is being
spawned, so a proxy sent through a queue to another program (or any process whose own authkey
differs from the manager's) fails to authenticate.  These carry it always, and look up the
transport (plain or TLS) for their manager's address in the process they land in.  The proxy
behaviour itself (methods, iteration, item access, nesting) is multiprocessing's.
"""

from __future__ import annotations

import threading
import types
from multiprocessing import managers as _mp
from multiprocessing import process
from typing import Any

from concurrent._shared._machinery.exports import publish
from concurrent.processing._managers import channel as _managers_channel
from concurrent.processing._managers.serializers import Serializer
from concurrent.processing._managers.transport import client_for, uses_tls

__all__ = [
    "AcquirerProxy", "ArrayProxy", "AutoProxy", "BarrierProxy", "ConditionProxy", "DictProxy",
    "EventProxy", "IteratorProxy", "ListProxy", "NamespaceProxy", "PoolProxy", "Portable",
    "SET_EXPOSED", "SetProxy", "ValueProxy", "make_proxy_type", "portable",
]


class Portable:
    """Mixin for ``BaseProxy`` subclasses: carry the authkey, pick the transport by address.

    Pickling a proxy therefore puts its manager's authkey in the pickle: send proxies only to
    processes you would give the key to.  It also records whether the manager serves TLS; the
    receiving process must then have called ``use_tls`` for that address.
    """

    __slots__ = ()

    def __init__(self, token, serializer, *args, tls: bool | None = None, **kwds) -> None:
        self._tls_required = bool(tls) or uses_tls(token.address)
        super().__init__(token, serializer, *args, **kwds)

    @property
    def _Client(self):
        return client_for(self._token.address, self._tls_required,
                          Serializer.named(self._serializer))

    @_Client.setter
    def _Client(self, value) -> None:
        pass  # BaseProxy.__init__ assigns the plain client; the address decides instead

    def _connect(self) -> None:
        # multiprocessing's, plus the exchange of channel identities (see _managers_channel),
        # which a server of multiprocessing's refuses: it then gets the stdlib's request.  Only
        # pickle carries buffers through shared memory, so other serializers send the name only.
        name = process.current_process().name
        if threading.current_thread().name != "MainThread":
            name += "|" + threading.current_thread().name
        sharing = Serializer.named(self._serializer).shares_memory
        ours = _managers_channel.identity() if sharing else None
        conn = self._Client(self._token.address, authkey=self._authkey)
        try:
            try:
                theirs = _mp.dispatch(conn, None, "accept_connection",
                                      (name, ours) if sharing else (name,))
            except _mp.RemoteError:  # multiprocessing's server: it takes the name only
                conn.close()
                conn = self._Client(self._token.address, authkey=self._authkey)
                theirs = _mp.dispatch(conn, None, "accept_connection", (name,))
        except BaseException:
            conn.close()
            raise
        self._tls.connection = _managers_channel.ProxyChannel.between(
            conn, ours, theirs, spin=not self._tls_required)

    def __reduce__(self):
        kwds: dict[str, Any] = {"authkey": bytes(self._authkey), "tls": self._tls_required}
        if getattr(self, "_isauto", False):
            kwds["exposed"] = self._exposed_
            return _mp.RebuildProxy, (AutoProxy, self._token, self._serializer, kwds)
        return _mp.RebuildProxy, (type(self), self._token, self._serializer, kwds)


_types: dict[tuple[str, tuple[str, ...]], type] = {}


def _forward(name: str):
    def method(self, /, *args, **kwds):
        return self._callmethod(name, args, kwds)
    method.__name__ = name
    return method


def make_proxy_type(name: str, exposed) -> type:
    """A portable proxy class whose methods call ``exposed`` on the referent."""
    exposed = tuple(exposed)
    try:
        return _types[(name, exposed)]
    except KeyError:
        pass
    namespace = {meth: _forward(meth) for meth in exposed}
    proxy_type = type(name, (Portable, _mp.BaseProxy), namespace)
    proxy_type._exposed_ = exposed
    _types[(name, exposed)] = proxy_type
    return proxy_type


def AutoProxy(token, serializer, manager=None, authkey=None, exposed=None, incref=True,
              manager_owned=False, tls=None):
    """A proxy for ``token`` exposing what the server says its referent exposes."""
    if exposed is None:
        client = client_for(token.address, bool(tls), Serializer.named(serializer))
        conn = client(token.address, authkey=authkey)
        try:
            exposed = _mp.dispatch(conn, None, "get_methods", (token,))
        finally:
            conn.close()
    if authkey is None and manager is not None:
        authkey = manager._authkey
    if authkey is None:
        authkey = process.current_process().authkey
    proxy_type = make_proxy_type(f"AutoProxy[{token.typeid}]", exposed)
    proxy = proxy_type(token, serializer, manager=manager, authkey=authkey, incref=incref,
                       manager_owned=manager_owned, tls=tls)
    proxy._isauto = True
    return proxy


class IteratorProxy(Portable, _mp.IteratorProxy):
    """Proxy of an iterator (``Pool.imap`` results): ``next()`` runs in the manager."""


class AcquirerProxy(Portable, _mp.AcquirerProxy):
    """Proxy of a Lock, RLock, Semaphore or BoundedSemaphore; usable in ``with``."""


class ConditionProxy(Portable, _mp.ConditionProxy):
    """Proxy of a Condition: wait, wait_for, notify, notify_all."""


class EventProxy(Portable, _mp.EventProxy):
    """Proxy of an Event: is_set, set, clear, wait."""


class BarrierProxy(Portable, _mp.BarrierProxy):
    """Proxy of a Barrier: wait, abort, reset, parties, n_waiting, broken."""


class NamespaceProxy(Portable, _mp.NamespaceProxy):
    """Proxy of a Namespace: attribute access goes to the manager."""


class ValueProxy(Portable, _mp.ValueProxy):
    """Proxy of a Value: ``.value`` reads and writes the manager's copy."""


class ListProxy(Portable, _mp.ListProxy):
    """Proxy of a list: item access, len, in, iteration, ``+=`` and ``*=`` like a list."""


class DictProxy(Portable, _mp.DictProxy):
    """Proxy of a dict: item access, len, in, iteration, keys/values/items like a dict."""


class ArrayProxy(Portable, _mp.ArrayProxy):
    """Proxy of an ``array.array``: item access and len."""


class PoolProxy(Portable, _mp.PoolProxy):
    """Proxy of a Pool running in the manager's process; also a context manager."""


# What a set proxy calls on its referent: multiprocessing's SetProxy exposes these (3.14+).
SET_EXPOSED = (
    "__and__", "__contains__", "__iand__", "__ior__", "__isub__", "__iter__", "__ixor__",
    "__len__", "__or__", "__rand__", "__ror__", "__rsub__", "__rxor__", "__sub__", "__xor__",
    "__ge__", "__gt__", "__le__", "__lt__", "add", "clear", "copy", "difference",
    "difference_update", "discard", "intersection", "intersection_update", "isdisjoint",
    "issubset", "issuperset", "pop", "remove", "symmetric_difference",
    "symmetric_difference_update", "union", "update",
)
_SetBase = getattr(_mp, "SetProxy", None) or type(
    "_SetBase", (_mp.BaseProxy,), {"_exposed_": SET_EXPOSED,
                                    **{name: _forward(name) for name in SET_EXPOSED}})


class SetProxy(Portable, _SetBase):
    """Proxy of a set (``SyncManager.set()``, which multiprocessing has since 3.14): the set
    operators, ``in``, ``len``, iteration and the methods of a set."""

    __class_getitem__ = classmethod(types.GenericAlias)

    def __ior__(self, other):
        self._callmethod("__ior__", (other,))
        return self

    def __iand__(self, other):
        self._callmethod("__iand__", (other,))
        return self

    def __ixor__(self, other):
        self._callmethod("__ixor__", (other,))
        return self

    def __isub__(self, other):
        self._callmethod("__isub__", (other,))
        return self


_PORTABLE = {base: ours for ours in (IteratorProxy, AcquirerProxy, ConditionProxy, EventProxy,
                                     BarrierProxy, NamespaceProxy, ValueProxy, ListProxy,
                                     DictProxy, ArrayProxy, PoolProxy, SetProxy)
             for base in ours.__mro__[2:3]}


def portable(proxytype: Any) -> Any:
    """Our counterpart of a multiprocessing proxy type (or ``proxytype`` itself)."""
    if proxytype is None or proxytype is _mp.AutoProxy:
        return AutoProxy
    return _PORTABLE.get(proxytype, proxytype)


publish("concurrent.processing.managers", globals(),
        [name for name in __all__ if name not in ("Portable", "portable", "SET_EXPOSED")])
