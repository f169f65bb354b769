"""Telling at once, on either end of a manager connection, that the peer does not speak TLS.

A plaintext client and a TLS server would otherwise wait for each other: multiprocessing's
client sends nothing until it has read the server's challenge, and a TLS server nothing until it
has read the client's hello.  But a TLS client speaks first, at once.  So:

- a TLS server that hears nothing from a new client within ``hello_timeout`` seconds has a
  plaintext client waiting for its challenge, and sends it, in multiprocessing's framing, a
  ``TLS_REQUIRED`` notice where the challenge would be, then hangs up (``client_is_silent``,
  ``refuse_plaintext``).  Our clients turn the notice into an error saying how to connect
  (``ChallengeGuard``); multiprocessing's own client fails on it as on any message that is not
  a challenge, showing its text;
- a TLS client looks at the first bytes that answer its hello (``start_tls``): a TLS record
  starts with a content type of 20 to 24 and major version 3, a plaintext manager's challenge
  with a 4-byte length (a zero byte first) and ``#CHALLENGE#``.

Both ends raise ``multiprocessing.AuthenticationError``, which is what multiprocessing raises
when the peer does not follow its connection handshake, and what code around ``connect()``
already catches for a wrong key: like a wrong key, a transport mismatch is a setting to fix, not
a network failure to retry (which ``OSError`` or ``EOFError`` would invite).
"""

from __future__ import annotations

import select
import socket
import ssl
import struct
from multiprocessing import AuthenticationError
from typing import Any

__all__ = ["TLS_REQUIRED", "ChallengeGuard", "client_is_silent", "refuse_plaintext",
           "start_tls"]

_TAG = b"#TLS-REQUIRED#"
TLS_REQUIRED = (_TAG + b" this manager accepts TLS connections only: connect with "
                b"client_ssl_context=<ssl.SSLContext>, or call use_tls(address, context) first")
_HOW_TO_CONNECT = ("pass client_ssl_context=<ssl.SSLContext> to the manager, or call "
                   "concurrent.processing.managers.use_tls(address, context) in this process "
                   "before connecting")
_TLS_CONTENT_TYPES = range(20, 25)  # change_cipher_spec, alert, handshake, data, heartbeat
_PEEK = 32  # enough for a frame header and "#CHALLENGE#" or "#TLS-REQUIRED#"
# What multiprocessing.connection.deliver_challenge sends first (part of its wire format;
# the module's own name for it became private in 3.14).
_CHALLENGE = b"#CHALLENGE#"


def client_is_silent(sock: socket.socket, hello_timeout: float) -> bool:
    """Server side: True if a new client sent nothing within ``hello_timeout`` seconds."""
    readable, _, _ = select.select([sock], [], [], hello_timeout)
    return not readable


def refuse_plaintext(sock: socket.socket) -> None:
    """Server side: tell a plaintext client, where it expects the challenge, to use TLS."""
    sock.sendall(struct.pack("!i", len(TLS_REQUIRED)) + TLS_REQUIRED)


class ChallengeGuard:
    """Client side: a connection for ``answer_challenge``/``deliver_challenge`` that checks the
    server's first message, so that a TLS server's notice, another protocol or a hang-up fails
    with an error naming the cause and ``address``."""

    def __init__(self, conn: Any, address: Any) -> None:
        self._conn = conn
        self._address = address
        self._first = True

    def send_bytes(self, data: bytes) -> None:
        self._conn.send_bytes(data)

    def recv_bytes(self, maxlength: int | None = None) -> bytes:
        try:
            message = self._conn.recv_bytes(maxlength)
        except EOFError:
            if not self._first:
                raise
            raise EOFError(f"the manager at {self._address!r} hung up before authenticating "
                           "this client (is it shutting down? if it serves TLS, "
                           f"{_HOW_TO_CONNECT})") from None
        first, self._first = self._first, False
        if first and message.startswith(_TAG):
            raise AuthenticationError(f"the manager at {self._address!r} requires TLS and this "
                                      f"client connected in plaintext: {_HOW_TO_CONNECT}")
        if first and not message.startswith(_CHALLENGE):
            raise AuthenticationError(
                f"the server at {self._address!r} did not start multiprocessing's "
                f"authentication (it sent {message[:32]!r}): is it a manager?")
        return message


def _looks_like_tls(first: bytes) -> bool:
    return first[0] in _TLS_CONTENT_TYPES and (len(first) < 2 or first[1] == 3)


def _peek(tls: ssl.SSLSocket, flags: int = 0) -> bytes | None:
    """The raw bytes waiting on ``tls``'s socket, left in place (``None``: none yet)."""
    try:
        return socket.socket.recv(tls, _PEEK, socket.MSG_PEEK | flags)
    except BlockingIOError:
        return None


def _not_tls(address: Any, first: bytes) -> AuthenticationError:
    if first.startswith(_TAG, 4):
        return AuthenticationError(
            f"the manager at {address!r} stopped waiting for this client's TLS hello before "
            "it arrived (its tls_hello_timeout): try again, and look at what slows this client "
            "between connecting and starting TLS")
    what = ("multiprocessing's plaintext challenge" if _CHALLENGE in first
            else f"{first!r}, not TLS")
    return AuthenticationError(
        f"the manager at {address!r} does not serve TLS (it answered the TLS hello with {what}): "
        "connect without client_ssl_context (and without use_tls for its address), or serve it "
        "with server_ssl_context")


def start_tls(tls: ssl.SSLSocket, address: Any) -> None:
    """Client side: run the handshake of ``tls`` (made with ``do_handshake_on_connect=False``),
    first checking that the server answers the hello in TLS.

    A plaintext manager sends its challenge as soon as it accepted the connection, so it may be
    there before the hello is sent (seen by the first peek), arrive after (the second), or, in
    between, be read by OpenSSL itself, which then fails on the first read of the handshake.
    """
    timeout = tls.gettimeout()
    tls.setblocking(False)
    try:
        early = _peek(tls)  # a TLS server never speaks first
        if early:
            raise _not_tls(address, early)
        while True:
            try:
                tls.do_handshake()
                return  # done already (a peer that answered at once)
            except ssl.SSLWantWriteError:
                select.select([], [tls], [])
            except ssl.SSLWantReadError:
                break  # the hello is out; wait for the answer
            except ssl.SSLCertVerificationError:
                raise
            except ssl.SSLError as exc:
                raise AuthenticationError(
                    f"the manager at {address!r} does not serve TLS (it answered the TLS hello "
                    f"with bytes that are not TLS: {exc.reason}): connect without "
                    "client_ssl_context, or serve it with server_ssl_context") from exc
    finally:
        tls.settimeout(timeout)
    if not select.select([tls], [], [], timeout)[0]:
        raise TimeoutError(f"the manager at {address!r} did not answer the TLS hello in time")
    first = _peek(tls)
    if first and not _looks_like_tls(first):
        raise _not_tls(address, first)
    tls.do_handshake()
