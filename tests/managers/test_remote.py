"""Remote use: serve_forever/connect, secure defaults, authentication first, TLS, namespaces."""

import os
import pickle
import secrets
import shutil
import socket
import ssl
import struct
import subprocess
import sys
from multiprocessing import AuthenticationError

import pytest

from concurrent.processing.managers import BaseManager, SyncManager
from tests.conftest import QUICK_METHOD
from tests.managers import _targets
from tests.managers.conftest import start_server
from tests.pool.conftest import METHODS, get_context

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("method", METHODS)
def test_serve_and_connect(tmp_path, method):
    running = start_server(tmp_path, method)
    try:
        client = _targets.StoreManager(address=running.address, authkey=running.authkey)
        client.connect()
        store = client.get_store()
        store["x"] = [1, 2]
        again = _targets.StoreManager(address=running.address, authkey=running.authkey)
        again.connect()
        assert again.get_store()["x"] == [1, 2]
        counter = client.Counter(1)
        assert counter.increment() == 2
    finally:
        running.stop()


def test_default_address_is_local():
    manager = SyncManager(ctx=get_context(QUICK_METHOD))
    manager.start()
    try:
        assert isinstance(manager.address, str)  # a Unix socket path
    finally:
        manager.shutdown()
    server = BaseManager(address=("127.0.0.1", 0)).get_server()  # loopback: no key needed
    try:
        assert server.address[0] == "127.0.0.1"
    finally:
        server.listener.close()


@pytest.mark.parametrize("host", ["0.0.0.0", "", "::"])
def test_non_loopback_needs_an_explicit_authkey(host):
    with pytest.raises(ValueError, match="without an explicit authkey"):
        BaseManager(address=(host, 0)).get_server()
    with pytest.raises(ValueError, match="authkey=secrets.token_bytes"):
        SyncManager(address=(host, 0), ctx=get_context(QUICK_METHOD)).start()


def test_non_loopback_with_explicit_authkey_serves():
    server = BaseManager(address=("0.0.0.0", 0), authkey=secrets.token_bytes(16)).get_server()
    try:
        assert server.address[1] > 0
    finally:
        server.listener.close()


def test_wrong_authkey_is_rejected_and_logged(server):
    intruder = _targets.StoreManager(address=server.address, authkey=b"wrong key")
    with pytest.raises(AuthenticationError):
        intruder.connect()
    assert "rejected a client before authentication" in server.wait_for_log("rejected")
    good = _targets.StoreManager(address=server.address, authkey=server.authkey)
    good.connect()
    assert good.get_store().get("missing", "default") == "default"


def _mkdir_pickle(path):
    """A pickle that calls os.mkdir(path) when loaded (protocol 0, written by hand)."""
    return b"cos\nmkdir\n(V" + path.encode() + b"\ntR."


def test_crafted_pickle_is_never_unpickled(server, tmp_path):
    control, marker = tmp_path / "control", tmp_path / "marker"
    pickle.loads(_mkdir_pickle(str(control)))  # the payload is live: loading it runs code
    assert control.is_dir()
    payload = _mkdir_pickle(str(marker))
    frame = struct.pack("!i", len(payload)) + payload
    for read_challenge_first in (False, True):
        with socket.create_connection(server.address, timeout=10) as sock:
            if read_challenge_first:
                sock.recv(4096)
            sock.sendall(frame)
            try:
                sock.recv(4096)  # the server's answer (a failure notice) or its hang-up
            except OSError:
                pass
    log = server.wait_for_log("rejected", timeout=10)
    assert not marker.exists()
    assert log.count("rejected a client before authentication") >= 1
    client = _targets.StoreManager(address=server.address, authkey=server.authkey)
    client.connect()
    client.get_store()["still"] = "serving"
    assert client.get_store()["still"] == "serving"
    assert not marker.exists()


def test_tls_end_to_end(tmp_path, tls_files):
    running = start_server(tmp_path, tls_files=tls_files)
    try:
        client_ctx = ssl.create_default_context(cafile=tls_files[0])
        client = _targets.StoreManager(address=running.address, authkey=running.authkey,
                                       client_ssl_context=client_ctx)
        client.connect()
        store = client.get_store()
        store["secret"] = "over tls"
        counter = client.Counter(3)
        assert counter.increment() == 4 and store["secret"] == "over tls"

        # A client that sends something else than a TLS hello (test_tls_mismatch.py has the
        # plaintext clients) is dropped after a failed handshake.
        with socket.create_connection(running.address, timeout=10) as sock:
            sock.sendall(b"\x16\x03\x01\x00\x05garbage, not a TLS hello" * 3)
            try:
                while sock.recv(4096):  # until the server hangs up
                    pass
            except ConnectionResetError:  # ... or resets: it had unread bytes from us
                pass
        assert "SSLError" in running.wait_for_log("SSLError")
        assert store["secret"] == "over tls"
    finally:
        running.stop()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_tls_proxies_in_other_processes(tmp_path, tls_files, method):
    running = start_server(tmp_path, tls_files=tls_files)
    ctx = get_context(method)
    try:
        client = _targets.StoreManager(
            address=running.address, authkey=running.authkey,
            client_ssl_context=ssl.create_default_context(cafile=tls_files[0]))
        client.connect()
        store = client.get_store()
        store["k"] = "v"
        cases = [(None, ("ok", "v") if method == "fork" else None),  # fork inherits use_tls
                 (tls_files[0], ("ok", "v"))]
        for cafile, expected in cases:
            reader, writer = ctx.Pipe(duplex=False)
            child = ctx.Process(target=_targets.report_store_value,
                                args=(store, "k", writer, cafile, running.address))
            child.start()
            writer.close()
            assert reader.poll(60)
            outcome = reader.recv()
            reader.close()
            child.join(30)
            assert child.exitcode == 0
            if expected is None:  # spawn without use_tls: a clear error, not a plaintext try
                assert outcome[0] == "error" and "use_tls(" in outcome[1], outcome
            else:
                assert outcome == expected
    finally:
        running.stop()


def test_tls_refuses_an_untrusted_server(tmp_path, tls_files):
    running = start_server(tmp_path, tls_files=tls_files)
    try:
        strict = ssl.create_default_context()  # system CAs: our self-signed cert is unknown
        client = _targets.StoreManager(address=running.address, authkey=running.authkey,
                                       client_ssl_context=strict)
        with pytest.raises(ssl.SSLCertVerificationError):
            client.connect()
    finally:
        running.stop()


# -- across machines: two network namespaces joined by a veth pair ------------------------------

def _run_pair(host, server_prefix=(), client_prefix=()):
    authkey = secrets.token_hex(16)
    server = subprocess.Popen(
        [*server_prefix, sys.executable, "-m", "tests.managers._remote_node", "serve", host,
         authkey], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline().split()
        assert line[:1] == ["serving"], (line, server.stderr.read() if server.poll() else "")
        client = subprocess.run(
            [*client_prefix, sys.executable, "-m", "tests.managers._remote_node", "client", host,
             line[1], authkey], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert client.returncode == 0, client.stderr
        assert client.stdout.startswith("ok ['hello', 'pids']"), client.stdout
    finally:
        server.kill()
        server.communicate(timeout=10)


def test_remote_over_loopback():
    _run_pair("127.0.0.1")


def _ip(*args):
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=20)


@pytest.fixture
def two_namespaces():
    if os.geteuid() != 0:
        pytest.skip("creating network namespaces needs root")
    if shutil.which("ip") is None:
        pytest.skip("the 'ip' command (iproute2) is not installed")
    tag = f"{os.getpid() % 100000}"
    server_ns, client_ns = f"cps{tag}", f"cpc{tag}"
    veth_s, veth_c = f"cvs{tag}", f"cvc{tag}"
    steps = [
        ("netns", "add", server_ns), ("netns", "add", client_ns),
        ("link", "add", veth_s, "type", "veth", "peer", "name", veth_c),
        ("link", "set", veth_s, "netns", server_ns), ("link", "set", veth_c, "netns", client_ns),
        ("-n", server_ns, "addr", "add", "10.231.0.1/24", "dev", veth_s),
        ("-n", client_ns, "addr", "add", "10.231.0.2/24", "dev", veth_c),
        ("-n", server_ns, "link", "set", veth_s, "up"),
        ("-n", client_ns, "link", "set", veth_c, "up"),
        ("-n", server_ns, "link", "set", "lo", "up"), ("-n", client_ns, "link", "set", "lo", "up"),
    ]
    try:
        for step in steps:
            result = _ip(*step)
            if result.returncode != 0:
                pytest.skip(f"cannot set up network namespaces here: 'ip {' '.join(step)}' "
                            f"failed: {result.stderr.strip()}")
        yield server_ns, client_ns
    finally:
        _ip("netns", "del", server_ns)
        _ip("netns", "del", client_ns)
        _ip("link", "del", veth_s)
        leftover = _ip("netns", "list").stdout
        assert server_ns not in leftover and client_ns not in leftover


def test_remote_across_network_namespaces(two_namespaces):
    server_ns, client_ns = two_namespaces
    _run_pair("10.231.0.1", ("ip", "netns", "exec", server_ns),
              ("ip", "netns", "exec", client_ns))
