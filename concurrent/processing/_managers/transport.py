"""How manager clients reach a server: multiprocessing's connections, or the same framing in TLS.

``multiprocessing.connection`` reads and writes raw file descriptors, so it cannot run over an
``ssl.SSLSocket``.  ``SocketConnection`` speaks the same wire format (a 4-byte big-endian length,
or -1 then an 8-byte one, then the payload) over any socket, with a frame-size limit, and
``TLSListener`` accepts TCP clients whose TLS handshake runs later in the connection's own thread.
Clients look up the TLS context for an address with ``client_for``: proxies find it the same way
in every process of the program that called ``use_tls``.  Every client (``connect``) then runs
multiprocessing's authentication, and speaks the manager's serializer only after it
(``_managers.serializers``); a server that disagrees about TLS is recognised at once
(``_managers.handshake``).
"""

from __future__ import annotations

import functools
import select
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable
from multiprocessing import connection
from multiprocessing.reduction import ForkingPickler
from typing import Any

from concurrent._shared._machinery.exports import publish
from concurrent.processing._managers.handshake import ChallengeGuard, start_tls
from concurrent.processing._managers.serializers import Serializer

__all__ = ["MAX_FRAME", "SocketConnection", "TLSListener", "authenticate_client",
           "client_for", "connect", "use_tls", "uses_tls"]

MAX_FRAME = 1 << 30  # bytes: a larger length prefix is refused instead of waited for
_tls_clients: dict[tuple[str, int], ssl.SSLContext] = {}
_tls_lock = threading.Lock()


def _key(address: Any) -> tuple[str, int] | None:
    if not (isinstance(address, tuple) and len(address) >= 2):
        return None
    host, port = address[0], address[1]
    try:
        host = socket.gethostbyname(host)
    except (OSError, UnicodeError):
        pass
    return host, int(port)


def use_tls(address: Any, context: ssl.SSLContext) -> None:
    """Reach the manager at ``address`` through TLS with ``context``, in this process."""
    key = _key(address)
    if key is None:
        raise ValueError(f"TLS needs a (host, port) address, not {address!r}")
    with _tls_lock:
        _tls_clients[key] = context


def uses_tls(address: Any) -> bool:
    """True if this process reaches ``address`` through TLS."""
    key = _key(address)
    return key is not None and key in _tls_clients


def client_for(address: Any, require_tls: bool = False,
               serializer: Serializer = Serializer.PICKLE) -> Callable[..., Any]:
    """The ``Client(address, authkey=...)`` function to use for ``address``.

    ``require_tls``: the manager is known to serve TLS (a proxy made in a process that used
    it), so a missing context is an error here rather than a plaintext attempt that the server
    would turn away.
    """
    key = _key(address)
    context = _tls_clients.get(key) if key is not None else None
    if context is None and require_tls:
        raise ValueError(
            f"the manager at {address!r} serves TLS, and this process has no TLS context "
            f"for it: call concurrent.processing.managers.use_tls({address!r}, "
            "ssl_context) here before using its proxies")
    return functools.partial(connect, context=context, serializer=serializer)


def connect(address: Any, authkey: bytes | None = None, *,
            context: ssl.SSLContext | None = None,
            serializer: Serializer = Serializer.PICKLE) -> Any:
    """Connect (in TLS with ``context``), authenticate as ``multiprocessing.connection.Client``
    does, and speak ``serializer``.

    Unlike multiprocessing's ``Client``, a server that requires TLS, does not serve it, or does
    not speak multiprocessing's protocol at all fails at once with an error saying so
    (``_managers.handshake``).
    """
    conn = connection.Client(address) if context is None else _tls_connection(address, context)
    try:
        if authkey is not None:
            authenticate_client(conn, authkey, address)
    except BaseException:
        conn.close()
        raise
    return serializer.wrap(conn)


def _tls_connection(address: tuple[str, int], context: ssl.SSLContext) -> SocketConnection:
    sock = socket.create_connection(address[:2])
    try:
        tls = context.wrap_socket(sock, server_hostname=address[0],
                                  do_handshake_on_connect=False)
    except BaseException:
        sock.close()
        raise
    try:
        start_tls(tls, address)
    except BaseException:
        tls.close()
        raise
    return SocketConnection(tls)


def authenticate_client(conn: Any, authkey: bytes, address: Any = None) -> None:
    """The client's half of multiprocessing's mutual HMAC challenge."""
    guarded = ChallengeGuard(conn, address)
    connection.answer_challenge(guarded, authkey)
    connection.deliver_challenge(guarded, authkey)


class SocketConnection:
    """multiprocessing's message framing over a (TLS) socket: send/recv and the bytes forms."""

    def __init__(self, sock: socket.socket, max_frame: int = MAX_FRAME) -> None:
        self._sock = sock
        self._max_frame = max_frame

    def fileno(self) -> int:
        return self._sock.fileno()

    @property
    def closed(self) -> bool:
        return self._sock.fileno() < 0

    def close(self) -> None:
        self._sock.close()

    def __del__(self) -> None:
        # Like multiprocessing's Connection: a dropped connection closes quietly (proxies
        # cache theirs per thread and leave them to the garbage collector).
        sock = getattr(self, "_sock", None)
        if sock is not None:
            sock.close()

    def __enter__(self) -> SocketConnection:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def settimeout(self, timeout: float | None) -> None:
        """Bound every later read (``None``: block); the server lifts its handshake bound."""
        self._sock.settimeout(timeout)

    def poll(self, timeout: float | None = 0.0) -> bool:
        pending = getattr(self._sock, "pending", None)
        if pending is not None and pending():
            return True
        readable, _, _ = select.select([self._sock], [], [], timeout)
        return bool(readable)

    def send_bytes(self, buf, offset: int = 0, size: int | None = None) -> None:
        data = memoryview(buf).cast("B")[offset:None if size is None else offset + size]
        n = len(data)
        header = struct.pack("!i", n) if n <= 0x7FFFFFFF else struct.pack("!iQ", -1, n)
        self._sock.sendall(header + bytes(data) if n < 16384 else header)
        if n >= 16384:
            self._sock.sendall(data)

    def recv_bytes(self, maxlength: int | None = None) -> bytes:
        (size,) = struct.unpack("!i", self._read(4))
        if size == -1:
            (size,) = struct.unpack("!Q", self._read(8))
        limit = self._max_frame if maxlength is None else min(maxlength, self._max_frame)
        if size < 0 or size > limit:
            raise OSError(f"bad message length {size} (the limit is {limit} bytes)")
        return self._read(size)

    def send(self, obj: Any) -> None:
        self.send_bytes(ForkingPickler.dumps(obj))

    def recv(self) -> Any:
        return ForkingPickler.loads(self.recv_bytes())

    def _read(self, size: int) -> bytes:
        chunks, left = [], size
        while left:
            chunk = self._sock.recv(min(left, 1 << 20))
            if not chunk:
                raise EOFError("the peer closed the connection mid-message" if chunks or
                               left != size else "the peer closed the connection")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


class TLSListener:
    """A TCP listener whose connections are wrapped in TLS by ``establish`` (per thread)."""

    def __init__(self, address: tuple[str, int], context: ssl.SSLContext,
                 backlog: int = 128) -> None:
        self._context = context
        self._sock = socket.create_server(address[:2], backlog=backlog)
        self.address = self._sock.getsockname()[:2]

    def accept(self) -> socket.socket:
        sock, _ = self._sock.accept()
        return sock

    def establish(self, sock: socket.socket, timeout: float) -> SocketConnection:
        """Run the server side of the handshake, giving up after ``timeout`` seconds."""
        sock.settimeout(timeout)
        started = time.monotonic()
        try:
            tls = self._context.wrap_socket(sock, server_side=True)
        except BaseException:
            sock.close()
            raise
        tls.settimeout(max(0.1, timeout - (time.monotonic() - started)))
        return SocketConnection(tls)

    def close(self) -> None:
        self._sock.close()


publish("concurrent.processing.managers", globals(), ["use_tls"])
