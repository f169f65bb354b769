"""Managers: a server process that owns shared objects, reached through proxies.

Same API as ``multiprocessing.managers`` (``BaseManager.register``, ``SyncManager``,
``get_server().serve_forever()``, ``connect()``), secure by default:

- the default address is a Unix socket (local only); a TCP address other than loopback is
  refused unless an ``authkey`` is passed explicitly;
- nothing a client sends is unpickled before it passed the HMAC challenge, and a bad client is
  logged and dropped while the server keeps serving (``_managers.server``);
- ``server_ssl_context``/``client_ssl_context`` (``ssl.SSLContext``) put the connections in TLS;
  a client and a server that disagree about TLS fail at once, saying how to connect;
- proxies carry their authkey, so they keep working in any process they are sent to
  (``_managers.proxies``).

Proxy calls are faster than the stdlib's (``_managers.channel``): a waiting side polls briefly
before it sleeps, which saves the cross-CPU wake-ups that dominate a round trip, and buffers of
256 KiB or more (bytes, bytearray, memoryview, numpy arrays) cross through shared memory when
client and server run on the same machine as the same user.  ``python -m concurrent bench``
measures both against ``multiprocessing`` (``manager_list``, ``manager_dict``; payload rows
``Manager``).

``SyncManager`` also serves ``concurrent.processing.pool.Pool`` as ``Pool``.
``SharedMemoryManager`` owns ``SharedMemory`` blocks and unlinks them when it shuts down.
``serializer='xmlrpclib'`` works as in multiprocessing, locally, remotely and over TLS.
"""

from __future__ import annotations

import builtins
import ssl
import sys
from collections.abc import Iterable
from multiprocessing import managers as _mp
from multiprocessing import resource_tracker
from typing import Any

from concurrent import _shared
from concurrent._shared._machinery.exports import public_dir
from concurrent.processing import shared_memory
from concurrent.processing._managers.channel import identity as channel_identity
from concurrent.processing._managers.proxies import (
    SET_EXPOSED,
    AcquirerProxy,
    ArrayProxy,
    AutoProxy,
    BarrierProxy,
    ConditionProxy,
    DictProxy,
    EventProxy,
    IteratorProxy,
    ListProxy,
    NamespaceProxy,
    PoolProxy,
    SetProxy,
    ValueProxy,
    make_proxy_type,
    portable,
)
from concurrent.processing._managers.security import check_serving_address
from concurrent.processing._managers.serializers import Serializer
from concurrent.processing._managers.server import Server
from concurrent.processing._managers.shared_memory import SharedMemoryServer
from concurrent.processing._managers.transport import client_for, use_tls
from concurrent.processing.context import DEFAULT
from concurrent.processing.pool import Pool
from concurrent.threading import _queues as _thread_queues

__all__ = [
    "AcquirerProxy", "ArrayProxy", "AutoProxy", "BarrierProxy", "BaseManager", "BaseProxy",
    "ConditionProxy", "DictProxy", "EventProxy", "IteratorProxy", "ListProxy", "Namespace",
    "NamespaceProxy", "PoolProxy", "RemoteError", "Server", "SetProxy", "SharedMemoryManager",
    "SharedMemoryServer", "SyncManager", "Token", "ValueProxy", "make_proxy_type", "use_tls",
]

BaseProxy = _mp.BaseProxy
Namespace = _mp.Namespace
RemoteError = _mp.RemoteError
Token = _mp.Token


class BaseManager(_mp.BaseManager, _shared.Manager):
    """A manager of shared objects served by a process; see ``multiprocessing.managers``.

    ``server_ssl_context`` is used by ``get_server()`` to serve TLS; ``client_ssl_context`` by
    ``connect()`` and by every proxy to this address in this process.
    """

    _Server = Server

    def __init__(self, address: Any = None, authkey: bytes | None = None,
                 serializer: str = "pickle", ctx: Any = None, *,
                 shutdown_timeout: float = 1.0,
                 server_ssl_context: ssl.SSLContext | None = None,
                 client_ssl_context: ssl.SSLContext | None = None) -> None:
        if authkey is not None and not isinstance(authkey, bytes):
            raise TypeError(f"authkey must be bytes, not {type(authkey).__name__}; e.g. "
                            "authkey=secrets.token_bytes(32)")
        Serializer.named(serializer)  # ValueError naming the choices
        for name, context in (("server_ssl_context", server_ssl_context),
                              ("client_ssl_context", client_ssl_context)):
            if context is not None and not isinstance(context, ssl.SSLContext):
                raise TypeError(f"{name} must be an ssl.SSLContext, not {context!r}")
        super().__init__(address, authkey, serializer, ctx or DEFAULT,
                         shutdown_timeout=shutdown_timeout)
        self._authkey_explicit = authkey is not None
        self._server_ssl = server_ssl_context
        if client_ssl_context is not None:
            use_tls(address, client_ssl_context)

    @property
    def _Client(self):
        return client_for(self._address, serializer=Serializer.named(self._serializer))

    @_Client.setter
    def _Client(self, value) -> None:
        pass  # the address and the serializer decide (see _managers.transport.client_for)

    def get_server(self) -> Server:
        """A server for ``serve_forever()`` in this process (remote use)."""
        if self._state.value != _mp.State.INITIAL:
            raise _mp.ProcessError(f"cannot get a server: the manager is {self._state_name()}; "
                                   "use a new manager for get_server()")
        check_serving_address(self._address, self._authkey_explicit)
        return self._Server(self._registry, self._address, self._authkey, self._serializer,
                            ssl_context=self._server_ssl)

    def start(self, initializer=None, initargs=()) -> None:
        """Start a server process for this manager and connect to it."""
        if self._server_ssl is not None:
            raise ValueError("server_ssl_context applies to get_server().serve_forever(); "
                             "start() serves a local socket, which needs no TLS")
        check_serving_address(self._address, self._authkey_explicit)
        if sys.platform != "win32":  # the server then shares our tracker (_managers.channel)
            resource_tracker.ensure_running()
        super().start(initializer, initargs)

    def connect(self) -> None:
        """Connect to a manager that is already serving at ``address``."""
        conn = self._Client(self._address, authkey=self._authkey)
        try:
            _mp.dispatch(conn, None, "dummy")
        finally:
            conn.close()
        self._state.value = _mp.State.STARTED

    def shutdown(self) -> None:
        """Stop the server process started by ``start()`` (nothing to do otherwise)."""
        # start() replaces this method on the instance with a finalizer for the server.

    def __reduce__(self):
        raise TypeError("a manager cannot be pickled; send its proxies instead")

    def _state_name(self) -> str:
        return {_mp.State.INITIAL: "not started", _mp.State.STARTED: "already started",
                _mp.State.SHUTDOWN: "shut down"}[self._state.value]

    def _create(self, typeid: str, /, *args, **kwds):
        # The stdlib asserts here; a manager used before start() or after shutdown() is a
        # usage error that deserves a message saying what to do.
        if self._state.value != _mp.State.STARTED:
            raise RuntimeError(f"cannot create a {typeid!r}: the manager is "
                               f"{self._state_name()}; call "
                               "start() or connect() first, and create objects before shutdown()")
        return super()._create(typeid, *args, **kwds)

    @classmethod
    def register(cls, typeid: str, callable=None, proxytype=None, exposed=None,
                 method_to_typeid=None, create_method: bool = True) -> None:
        """Make ``typeid`` creatable (``manager.typeid(...)``), proxied by ``proxytype``."""
        if not isinstance(typeid, str) or not typeid.isidentifier():
            raise ValueError(f"typeid must be an identifier string, not {typeid!r}")
        if callable is not None and not builtins.callable(callable):
            raise TypeError(f"callable must be callable or None, not {callable!r}")
        super().register(typeid, callable, portable(proxytype), exposed, method_to_typeid,
                         create_method)



class SharedMemoryManager(BaseManager, _mp.SharedMemoryManager):
    """A manager whose server owns shared memory blocks; see ``multiprocessing.managers``.

    ``SharedMemory(size)`` and ``ShareableList(sequence)`` create a block in this process (it
    is mapped here at once) and hand it to the server, which unlinks every block it owns when
    the manager shuts down: no block outlives the manager, and none is reported as leaked.
    Each process that uses a block still calls ``close()`` on it when done; nobody needs to
    call ``unlink()`` (the server does).  Security and serializers are ``BaseManager``'s.
    """

    _Server = SharedMemoryServer

    def SharedMemory(self, size: int) -> shared_memory.SharedMemory:
        """A new block of ``size`` bytes, owned by the manager."""
        self._check_can_create("SharedMemory")
        block = shared_memory.SharedMemory(create=True, size=size)
        self._hand_over(block)
        return block

    def ShareableList(self, sequence: Iterable[Any]) -> shared_memory.ShareableList:
        """A new ``ShareableList`` holding ``sequence``, its block owned by the manager."""
        self._check_can_create("ShareableList")
        shareable = shared_memory.ShareableList(sequence)
        self._hand_over(shareable.shm)
        return shareable

    def _check_can_create(self, what: str) -> None:
        # multiprocessing fails here with the ValueError of a Client given no address.
        if self._state.value == _mp.State.INITIAL:
            raise ValueError(f"cannot create a {what}: the SharedMemoryManager is not started; "
                             "call start() or connect() first (or use it in a with block)")

    def _hand_over(self, block: shared_memory.SharedMemory) -> None:
        """Make the server own ``block``; if it cannot, unlink the block and raise."""
        try:
            conn = self._Client(self._address, authkey=self._authkey)
            try:
                theirs = _mp.dispatch(conn, None, "track_segment", (block.name,))
            finally:
                conn.close()
        except BaseException:
            block.close()
            block.unlink()
            raise
        ours = channel_identity()
        if theirs is not None and ours is not None and tuple(theirs) != ours:
            # The server records the block with a resource tracker other than ours: drop our
            # record, or our tracker would unlink it (and warn) when this program exits.
            resource_tracker.unregister("/" + block.name, "shared_memory")


class SyncManager(BaseManager, _mp.SyncManager):
    """A manager with list, dict, set, Namespace, Queue, JoinableQueue, the primitives, Value,
    Array and Pool (``concurrent.processing.pool.Pool``).

    Its queues are ``concurrent.threading``'s (the stdlib's ``queue.Queue`` with ``close()``), so
    a managed queue closes like a process queue."""


_OURS = {"Pool": Pool, "Queue": _thread_queues.Queue,
         "JoinableQueue": _thread_queues.JoinableQueue}
for _typeid, (_callable, _exposed, _method_to_typeid, _proxytype) in list(
        _mp.SyncManager._registry.items()):
    SyncManager.register(_typeid, _OURS.get(_typeid, _callable), _proxytype, _exposed,
                         _method_to_typeid, create_method=hasattr(_mp.SyncManager, _typeid))
del _typeid, _callable, _exposed, _method_to_typeid, _proxytype
if "set" not in _mp.SyncManager._registry:  # multiprocessing's since 3.14
    SyncManager.register("set", set, SetProxy, SET_EXPOSED)

__dir__ = public_dir(globals())
