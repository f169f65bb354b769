"""A manager's server: threads of the interpreter that made the manager, serving its objects to
proxies in any interpreter, over interpreter queues.

::

    proxy, first call in a thread:  (requests, replies) channels -> the server's door
    server:  the door's thread starts a handler thread for that connection
    proxy call:  Request -> requests -> handler: getattr(object, name)(*args) -> replies -> Reply

One handler per client thread, as multiprocessing's server has one per connection: a call that
blocks (``pool.apply``, ``AsyncResult.get``) holds up only its own caller.  Requests and replies
are pickled (``_codec``): arguments and results cross as copies, except proxies, which stay
proxies, so an object stored in another stays shared.  A method that returns its own object
(``list.__iadd__``) replies ``None``: the proxy returns itself.  Results of the methods named in
a type's ``method_to_typeid`` are served too and come back as proxies.

Served objects live until ``shutdown()``: no reference counting across interpreters.
``shutdown()`` waits (at most ``SHUTDOWN_WAIT`` seconds, as multiprocessing waits for its
server process) for the threads to end, so none of them is left running after it.
"""

from __future__ import annotations

import enum
import itertools
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, NamedTuple

from concurrent import interpreters
from concurrent._shared._machinery.leaving_threads import start_thread
from concurrent._shared._machinery.pool.tracebacks import capture
from concurrent.interpreting import _codec
from concurrent.interpreting._channel import Channel, Kind, LostItemError
from concurrent.interpreting._waiting import wait_for
from concurrent.interpreting._workers import DAEMON_THREADS

__all__ = ["SHUTDOWN_WAIT", "Address", "Op", "Server", "TypeInfo", "call"]

SHUTDOWN_WAIT = 1.0  # seconds shutdown() waits for the threads (a handler may be in a long call)


class Op(enum.IntEnum):
    """What a request asks."""

    CALL = 0  #: call method ``name`` of object ``ident``
    CREATE = 1  #: make a new object of type ``name``
    BYE = 2  #: the client thread is gone: end this connection's handler


class Request(NamedTuple):
    op: Op
    ident: int
    name: str
    args: tuple
    kwargs: dict


class Address(NamedTuple):
    """Where a server is found: its door and the token that is there while it runs."""

    door: Channel
    alive: interpreters.Queue

    @property
    def key(self) -> int:
        return self.alive.id

    def running(self) -> bool:
        return self.alive.qsize() > 0


class TypeInfo(NamedTuple):
    """How a server makes objects of one type, and which methods' results it serves too."""

    factory: Callable[..., Any]
    method_to_typeid: dict[str, str]


class Server:
    """Serves the objects it makes; see the module docstring."""

    def __init__(self, types: dict[str, TypeInfo],
                 make_proxy: Callable[[Address, int, str], Any]) -> None:
        self._types = types
        self._make_proxy = make_proxy
        alive = interpreters.create_queue(1)
        alive.put_nowait(None)
        self.address = Address(Channel(), alive)
        self._objects: dict[int, tuple[Any, str]] = {}
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._connections: list[Channel] = []
        self._threads = [start_thread(_serve_door, weakref.ref(self), self.address,
                                      daemon=DAEMON_THREADS,
                                      name="concurrent.interpreting manager")]

    def _register(self, obj: Any, typeid: str) -> Any:
        with self._lock:
            ident = next(self._numbers)
            self._objects[ident] = (obj, typeid)
        return self._make_proxy(self.address, ident, typeid)

    def create(self, typeid: str, args: tuple, kwargs: dict) -> Any:
        """A new object of ``typeid``, served; its proxy."""
        return self._register(self._types[typeid].factory(*args, **kwargs), typeid)

    def _handle(self, request: Request) -> Any:
        if request.op is Op.CREATE:
            return self.create(request.name, request.args, request.kwargs)
        with self._lock:
            obj, typeid = self._objects[request.ident]
        result = getattr(obj, request.name)(*request.args, **request.kwargs)
        if result is obj:
            return None
        served = self._types[typeid].method_to_typeid.get(request.name)
        if served is not None:
            return self._register(result, served)
        return result

    def connect(self, requests: Channel, replies: Channel) -> None:
        with self._lock:
            self._connections.append(requests)
            self._threads = [thread for thread in self._threads if thread.is_alive()]
            self._threads.append(start_thread(
                _serve_connection, weakref.ref(self), requests, replies, daemon=DAEMON_THREADS,
                name="concurrent.interpreting manager connection"))

    def shutdown(self) -> None:
        """Stop serving: every handler ends after its current request; pools are terminated."""
        try:
            self.address.alive.get_nowait()
        except interpreters.QueueEmpty:
            return
        self.address.door.readers.ring()
        with self._lock:
            connections, self._connections = self._connections, []
            objects, self._objects = list(self._objects.values()), {}
        for requests in connections:
            requests.readers.ring()
        from concurrent.interpreting.pool import Pool

        for obj, _ in objects:
            if isinstance(obj, Pool):  # its workers would outlive the manager otherwise
                obj.terminate()
        del objects
        self.join(SHUTDOWN_WAIT)

    def join(self, timeout: float | None = None) -> None:
        """Wait for the threads to end (at most ``timeout`` seconds in all; not the caller's,
        when it is one of them)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))


def _next_message(channel: Channel, alive: interpreters.Queue) -> Any:
    """The next message of ``channel``, or ``None`` once the server stopped."""
    while alive.qsize():
        message = channel.get(0)
        if message is not None:
            return message
        wait_for(lambda: channel.qsize() or not alive.qsize(), (channel.readers,), None)
    return None


def _serve_door(server_ref: weakref.ref, address: Address) -> None:
    while (message := _next_message(address.door, address.alive)) is not None:
        server = server_ref()
        if server is None:
            return
        server.connect(*_codec.loads(message[1]))
        del server


def _serve_connection(server_ref: weakref.ref, requests: Channel, replies: Channel) -> None:
    server = server_ref()
    if server is None:
        return
    alive = server.address.alive
    del server
    while True:
        try:
            message = _next_message(requests, alive)
        except LostItemError:  # a goodbye from an interpreter that ended meanwhile
            return
        if message is None:
            return
        try:
            request = _codec.loads(message[1])
            if request.op is Op.BYE:
                return
            server = server_ref()
            if server is None:
                return
            reply = (True, server._handle(request))
            del server
        except BaseException as exc:
            reply = (False, capture(exc))
        try:
            payload = _codec.dumps(reply)
        except Exception as exc:  # a result that cannot be pickled
            payload = _codec.dumps((False, capture(exc)))
        replies.put(Kind.OBJECT, payload, None)


# -- the client side -----------------------------------------------------------------------------

class _Link:
    """One thread's connection to one server; says goodbye when the thread's storage goes."""

    __slots__ = ("replies", "requests")

    def __init__(self, address: Address) -> None:
        self.requests, self.replies = Channel(), Channel()
        address.door.put(Kind.OBJECT, _codec.dumps((self.requests, self.replies)), None)

    def __del__(self) -> None:
        # Not counted in flight: an interpreter that ends must not be kept for its goodbye,
        # which the handler also reads from its loss.
        try:
            self.requests.put(Kind.OBJECT, _codec.dumps(Request(Op.BYE, 0, "", (), {})), 0,
                              counted=False)
        except Exception:  # the interpreter is shutting down
            pass


_links = threading.local()


def call(address: Address, op: Op, ident: int, name: str, args: tuple = (),
         kwargs: dict | None = None) -> Any:
    """Run a request on the server at ``address`` from this thread; return its result or raise
    its error (with the server's traceback as ``__cause__``)."""
    if not address.running():
        raise RuntimeError("the manager was shut down: its objects are gone")
    links = getattr(_links, "by_server", None)
    if links is None:
        links = _links.by_server = {}
    link = links.get(address.key)
    if link is None:
        link = links[address.key] = _Link(address)
    link.requests.put(Kind.OBJECT, _codec.dumps(Request(op, ident, name, args, kwargs or {})),
                      None)
    message = _next_message(link.replies, address.alive)
    if message is None:
        raise RuntimeError("the manager was shut down while it served this call")
    ok, value = _codec.loads(message[1])
    if ok:
        return value
    raise value
