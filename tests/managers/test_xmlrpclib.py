"""serializer='xmlrpclib': managers whose messages are XML-RPC, started here or served remotely.

What crosses is what XML-RPC carries: tuples arrive as lists, bytes as ``xmlrpc.client.Binary``
(equal to the bytes), and anything else is refused by the sender with ``TypeError`` while the
connection stays usable.
"""

import secrets
import ssl
import time

import pytest

from tests.managers import _targets
from tests.managers.conftest import start_server
from tests.pool.conftest import METHODS, get_context

XML = "xmlrpclib"
VALUES = ("hello world", None, True, 2.25, 7, "hall\xe5 v\xe4rlden",
          "\u043f\u0440\u0438\u0432\u0456\u0442 \u0441\u0432\u0456\u0442",
          b"hall\xe5 v\xe4rlden", {"nested": [1, "two"]})


def _exercise(manager, ctx, authkey):
    """Use ``manager`` (an XML StoreManager) from here and from a child process of ``ctx``."""
    store = manager.get_store()
    store["values"] = VALUES
    assert store["values"] == list(VALUES)
    with pytest.raises(TypeError, match="cannot marshal"):
        store["function"] = time.sleep
    assert store.get("function", "absent") == "absent"  # the connection still works
    counter = manager.Counter(1)
    assert counter.increment(2) == 3 and counter.get() == 3

    store["pids"] = []
    child = ctx.Process(target=_targets.append_pid_to_store, args=(store,))  # a proxy
    child.start()
    child.join(60)
    assert child.exitcode == 0 and store["pids"] == [child.pid]
    child = ctx.Process(target=_targets.connect_and_store,
                        args=(manager.address, authkey, XML, "child", "connected"))
    child.start()
    child.join(60)
    assert child.exitcode == 0 and store["child"] == "connected"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("address", [None, ("127.0.0.1", 0)], ids=["unix", "tcp"])
def test_started_manager(method, address):
    ctx = get_context(method)
    authkey = secrets.token_bytes(16)
    with _targets.StoreManager(address=address, authkey=authkey, serializer=XML,
                               ctx=ctx) as manager:
        _exercise(manager, ctx, authkey)


@pytest.mark.parametrize("method", METHODS)
def test_served_manager(tmp_path, method):
    running = start_server(tmp_path, method, serializer=XML)
    try:
        client = _targets.StoreManager(address=running.address, authkey=running.authkey,
                                       serializer=XML)
        client.connect()
        _exercise(client, get_context(method), running.authkey)
        again = _targets.StoreManager(address=running.address, authkey=running.authkey,
                                      serializer=XML)
        again.connect()
        assert again.get_store()["child"] == "connected"
    finally:
        running.stop()


def test_served_over_tls(tmp_path, tls_files):
    """XML-RPC is not pickle, so TLS serves it as well (it used to require pickle)."""
    running = start_server(tmp_path, tls_files=tls_files, serializer=XML)
    try:
        client = _targets.StoreManager(
            address=running.address, authkey=running.authkey, serializer=XML,
            client_ssl_context=ssl.create_default_context(cafile=tls_files[0]))
        client.connect()
        store = client.get_store()
        store["secret"] = ("over", "tls")
        assert store["secret"] == ["over", "tls"]
        assert client.Counter(3).increment() == 4
    finally:
        running.stop()


@pytest.mark.parametrize("method", METHODS)
def test_restart_at_once_on_the_same_address(method):
    ctx = get_context(method)
    authkey = secrets.token_bytes(16)
    server = _targets.StoreManager(address=("127.0.0.1", 0), authkey=authkey,
                                   serializer=XML).get_server()
    address = server.address  # a free port, closed again
    server.listener.close()
    kept = []  # proxies of the first manager, alive across the restart
    for round_ in range(2):
        manager = _targets.StoreManager(address=address, authkey=authkey, serializer=XML,
                                        ctx=ctx)
        manager.start()
        try:
            assert manager.address == address
            child = ctx.Process(target=_targets.connect_and_store,
                                args=(address, authkey, XML, "round", round_))
            child.start()
            child.join(60)
            assert child.exitcode == 0
            store = manager.get_store()
            assert store["round"] == round_
            kept.append(store)
        finally:
            manager.shutdown()
