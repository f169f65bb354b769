"""The manager's server: multiprocessing's object server, hardened at its front door.

Everything a client sends before it proves it knows the authkey is read as bytes with a size
limit and a deadline; nothing is unpickled until the mutual HMAC challenge succeeded.  A client
that fails (garbage, a wrong key, a truncated or huge frame, a plaintext client on a TLS server,
a disconnect) is logged and dropped, and the server goes on serving everyone else; a plaintext
client on a TLS server is first told to use TLS (``_managers.handshake``).  The object table,
reference counting and method dispatch are multiprocessing's, unchanged; with
``serializer='xmlrpclib'`` too, over TLS or not (``_managers.serializers``).
"""

from __future__ import annotations

import logging
import os
import socket
import struct
import threading
import time
from multiprocessing import AuthenticationError, connection
from multiprocessing import managers as _mp
from typing import Any

from concurrent._shared._machinery.exports import publish
from concurrent.processing._managers import channel as _managers_channel
from concurrent.processing._managers.handshake import client_is_silent, refuse_plaintext
from concurrent.processing._managers.serializers import Serializer
from concurrent.processing._managers.transport import TLSListener
from concurrent.processing._pool.workers import serve_workers_from_here
from concurrent.processing._start import mp_context

__all__ = ["Server"]

_log = logging.getLogger("concurrent.processing.managers")


class _Deadline:
    """Let ``deliver_challenge``/``answer_challenge`` wait at most until a deadline per read."""

    def __init__(self, conn: Any, seconds: float) -> None:
        self._conn = conn
        self._deadline = time.monotonic() + seconds

    def send_bytes(self, data: bytes) -> None:
        self._conn.send_bytes(data)

    def recv_bytes(self, maxlength: int | None = None) -> bytes:
        left = self._deadline - time.monotonic()
        if left <= 0 or not self._conn.poll(left):
            raise TimeoutError("the client did not answer in time")
        return self._conn.recv_bytes(maxlength)


def _bound_reads(conn: Any, seconds: float | None) -> None:
    """Make each read of ``conn``'s socket give up after ``seconds`` (``None``: never)."""
    sock = socket.socket(fileno=os.dup(conn.fileno()))  # options belong to the shared socket
    try:
        whole = int(seconds or 0)
        micro = int(((seconds or 0) - whole) * 1e6)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", whole, micro))
    finally:
        sock.close()


class Server(_mp.Server):
    """Serves a manager's objects; ``ssl_context`` (server side) turns TLS on."""

    auth_timeout = 10.0  # seconds a client has to complete the TLS handshake and the challenge
    # Seconds a TLS server waits for a new client's first bytes: a TLS client sends its hello
    # at once, a plaintext one nothing, and is then told to use TLS (_managers.handshake).
    tls_hello_timeout = 0.5

    def __init__(self, registry: dict, address: Any, authkey: bytes, serializer: str,
                 ssl_context=None) -> None:
        self._serializer = Serializer.named(serializer)
        if ssl_context is None:
            super().__init__(registry, address, authkey, serializer)
            self._tls = None
        else:
            if not (isinstance(address, tuple) and len(address) == 2):
                raise ValueError(f"TLS needs a (host, port) address, not {address!r}")
            if not isinstance(authkey, bytes):
                raise TypeError(f"authkey must be bytes, not {type(authkey).__name__}")
            self.registry = registry
            self.authkey = _mp.process.AuthenticationString(authkey)
            self._tls = TLSListener(address, ssl_context)
            self.listener = self._tls
            self.address = self._tls.address
            self.id_to_obj = {"0": (None, ())}
            self.id_to_refcount = {}
            self.id_to_local_proxy_obj = {}
            self.mutex = threading.Lock()

    def serve_forever(self) -> None:
        """Serve until shut down.  Under fork, first fork the zygote that the pools made here
        (``manager.Pool()``) fork their workers from: once serving, this process runs a thread
        per client, and a fork from it could leave a worker with a lock no thread releases."""
        if (threading.active_count() == 1
                and mp_context(None).get_start_method() == "fork"):
            serve_workers_from_here(tuple(fd for fd in (self._listening_fd(),) if fd >= 0))
        super().serve_forever()

    def _listening_fd(self) -> int:
        listener = self._tls._sock if self._tls is not None else getattr(
            getattr(self.listener, "_listener", None), "_socket", None)
        return listener.fileno() if listener is not None else -1

    def accept_connection(self, c: Any, name: str, identity: Any = None) -> None:
        """Serve one proxy's calls on ``c``.  Our proxies also send their channel identity and
        receive ours: equal ones let large buffers cross through shared memory."""
        threading.current_thread().name = name
        sharing = identity is not None and self._serializer.shares_memory
        ours = _managers_channel.identity() if sharing else None
        c.send(("#RETURN", ours))
        channel = _managers_channel.ProxyChannel.between(c, ours, identity,
                                                         spin=self._tls is None)
        try:
            self.serve_client(channel)
        finally:
            channel.close()

    def accepter(self) -> None:
        while True:
            try:
                conn = self.listener.accept()
            except OSError as exc:
                if getattr(self, "stop_event", None) is not None and self.stop_event.is_set():
                    return
                _log.warning("manager at %r: accept failed: %s", self.address, exc)
                continue
            threading.Thread(target=self.handle_request, args=(conn,), daemon=True).start()

    def handle_request(self, conn: Any) -> None:
        """Authenticate one client, then serve its request (multiprocessing's protocol)."""
        try:
            try:
                if self._tls is not None:
                    if client_is_silent(conn, self.tls_hello_timeout):
                        conn.settimeout(self.auth_timeout)
                        refuse_plaintext(conn)
                        raise AuthenticationError("a plaintext client connected to this TLS "
                                                  "server (it was told to use TLS)")
                    conn = self._tls.establish(conn, self.auth_timeout)
                else:  # a client that sends half a frame and waits must not pin this thread
                    _bound_reads(conn, self.auth_timeout)
                guarded = _Deadline(conn, self.auth_timeout)
                connection.deliver_challenge(guarded, self.authkey)
                connection.answer_challenge(guarded, self.authkey)
            except Exception as exc:
                _log.warning("manager at %r rejected a client before authentication: %s: %s",
                             self.address, type(exc).__name__, exc)
                return
            if self._tls is not None:
                conn.settimeout(None)
                conn = self._serializer.wrap(conn)  # a plain listener's connections come wrapped
            else:
                _bound_reads(conn, None)
            self._serve_request(conn)
        except SystemExit:  # serve_client() ends a finished client with sys.exit(0)
            pass
        finally:
            conn.close()

    def _serve_request(self, conn: Any) -> None:
        try:
            request = conn.recv()
            _ignored, funcname, args, kwds = request
            if funcname not in self.public:
                raise ValueError(f"{funcname!r} is not a manager request")
            func = getattr(self, funcname)
        except Exception as exc:
            _log.warning("manager at %r rejected a malformed request: %s: %s",
                         self.address, type(exc).__name__, exc)
            message = ("#TRACEBACK", _mp.format_exc())
        else:
            try:
                message = ("#RETURN", func(conn, *args, **kwds))
            except Exception:
                message = ("#TRACEBACK", _mp.format_exc())
        try:
            conn.send(message)
        except Exception as exc:
            _log.info("manager at %r could not answer a client (gone?): %s", self.address, exc)


publish("concurrent.processing.managers", globals(), __all__)
