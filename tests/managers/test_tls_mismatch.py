"""A client and a server that disagree about TLS fail at once, saying so and how to connect.

Without this, a plaintext client and a TLS server waited for each other until the server's
authentication timeout (10 s by default) and the client got a bare ``EOFError``; a TLS client on
a plaintext server got an ``ssl.SSLError`` about record versions.
"""

import select
import socket
import ssl
import struct
import threading
import time
import types
from multiprocessing import AuthenticationError, connection

import pytest

from concurrent.processing._managers import handshake, transport
from tests.managers import _targets
from tests.managers.conftest import start_server

FAST = 2.0  # seconds: "about a second" (the server waits 0.5 s for a TLS hello)
DEFAULT_AUTH_TIMEOUT = 10.0  # the server's default, which a mismatch used to wait out


@pytest.fixture(autouse=True)
def forget_tls_addresses():
    """client_ssl_context registers its address for this process: forget the test's ones."""
    saved = dict(transport._tls_clients)
    yield
    transport._tls_clients.clear()
    transport._tls_clients.update(saved)


def _client_context(tls_files):
    return ssl.create_default_context(cafile=tls_files[0])


def test_plaintext_client_on_a_tls_server(tmp_path, tls_files):
    running = start_server(tmp_path, tls_files=tls_files, auth_timeout=DEFAULT_AUTH_TIMEOUT)
    try:
        plain = _targets.StoreManager(address=running.address, authkey=running.authkey)
        started = time.monotonic()
        with pytest.raises(AuthenticationError) as caught:
            plain.connect()
        assert time.monotonic() - started < FAST
        message = str(caught.value)
        assert "requires TLS" in message and repr(running.address) in message
        assert "client_ssl_context=" in message and "use_tls(address, context)" in message
        assert "plaintext client" in running.wait_for_log("plaintext client")

        secure = _targets.StoreManager(address=running.address, authkey=running.authkey,
                                       client_ssl_context=_client_context(tls_files))
        secure.connect()
        secure.get_store()["still"] = "serving"
        assert secure.get_store()["still"] == "serving"
    finally:
        running.stop()


def test_multiprocessing_client_on_a_tls_server_reads_the_notice(tmp_path, tls_files):
    """The stdlib's client fails at once too, on a message that is not a challenge (an
    assertion before Python 3.12, AuthenticationError since), showing the notice."""
    running = start_server(tmp_path, tls_files=tls_files, auth_timeout=DEFAULT_AUTH_TIMEOUT)
    try:
        started = time.monotonic()
        with pytest.raises((AssertionError, AuthenticationError), match="TLS-REQUIRED"):
            connection.Client(running.address, authkey=running.authkey)
        assert time.monotonic() - started < FAST
    finally:
        running.stop()


def test_tls_client_on_a_plaintext_server(tmp_path, tls_files):
    running = start_server(tmp_path, auth_timeout=DEFAULT_AUTH_TIMEOUT)
    try:
        secure = _targets.StoreManager(address=running.address, authkey=running.authkey,
                                       client_ssl_context=_client_context(tls_files))
        started = time.monotonic()
        with pytest.raises(AuthenticationError) as caught:
            secure.connect()
        assert time.monotonic() - started < FAST
        message = str(caught.value)
        assert "does not serve TLS" in message and repr(running.address) in message
        assert "without client_ssl_context" in message

        transport._tls_clients.clear()
        plain = _targets.StoreManager(address=running.address, authkey=running.authkey)
        plain.connect()
        plain.get_store()["still"] = "serving"
        assert plain.get_store()["still"] == "serving"
    finally:
        running.stop()


def _answer_hello_with(data, when, monkeypatch):
    """``start_tls`` on one end of a socket pair whose other end sends ``data`` "before" the
    client's hello, or "after" it (once the client waits for the answer)."""
    ours, theirs = socket.socketpair()
    tls = ssl.create_default_context().wrap_socket(ours, server_hostname="127.0.0.1",
                                                   do_handshake_on_connect=False)
    if when == "before":
        theirs.sendall(data)
    else:
        def select_after_answering(readers, writers, errors, *timeout):
            if readers:
                theirs.sendall(data)
            return select.select(readers, writers, errors, *timeout)

        monkeypatch.setattr(handshake, "select",
                            types.SimpleNamespace(select=select_after_answering))
    try:
        handshake.start_tls(tls, ("127.0.0.1", 1))
    finally:
        tls.close()
        theirs.close()


def _frame(payload):
    return struct.pack("!i", len(payload)) + payload


@pytest.mark.parametrize("when", ["before", "after"])
def test_tls_client_told_its_hello_came_too_late(when, monkeypatch):
    with pytest.raises(AuthenticationError, match="stopped waiting for this client's TLS hello"):
        _answer_hello_with(_frame(handshake.TLS_REQUIRED), when, monkeypatch)


@pytest.mark.parametrize("when", ["before", "after"])
def test_tls_client_on_another_protocol(when, monkeypatch):
    with pytest.raises(AuthenticationError, match=r"does not serve TLS .*b'HTTP/1\.0 400"):
        _answer_hello_with(b"HTTP/1.0 400 Bad Request\r\n\r\n", when, monkeypatch)


def test_tls_client_whose_handshake_read_the_challenge(monkeypatch):
    """The challenge arrived between the first peek and the handshake's first read: OpenSSL
    read it, and its error becomes the same AuthenticationError."""
    monkeypatch.setattr(handshake, "_peek", lambda tls, flags=0: None)
    with pytest.raises(AuthenticationError, match="does not serve TLS") as caught:
        _answer_hello_with(_frame(b"#CHALLENGE#" + b"x" * 20), "before", monkeypatch)
    assert isinstance(caught.value.__cause__, ssl.SSLError)


def _one_shot_server(behaviour):
    """A TCP server on loopback that treats one client with ``behaviour(sock)``."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(30)

    def serve():
        try:
            sock, _ = listener.accept()
        except OSError:
            return
        with sock:
            behaviour(sock)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener, thread


@pytest.mark.parametrize("behaviour, error, text", [
    (lambda sock: None, EOFError, "hung up before authenticating"),
    (lambda sock: sock.sendall(_frame(b"#HELLO# not a manager")), AuthenticationError,
     "did not start multiprocessing's authentication"),
], ids=["hang-up", "other-protocol"])
def test_plaintext_client_on_a_server_that_does_not_authenticate(behaviour, error, text):
    listener, thread = _one_shot_server(behaviour)
    try:
        client = _targets.StoreManager(address=listener.getsockname(), authkey=b"key")
        with pytest.raises(error, match=text):
            client.connect()
    finally:
        thread.join(30)
        listener.close()
    assert not thread.is_alive()
