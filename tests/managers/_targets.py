"""Code the manager tests run in other processes (importable under spawn and forkserver)."""

import logging
import os

from concurrent.processing.managers import (
    BaseManager,
    DictProxy,
    SharedMemoryManager,
    SyncManager,
)

_STORE = {}


def get_store():
    """The one dict every client of a StoreManager server shares."""
    return _STORE


class Counter:
    """A custom shared type: ``increment`` is exposed, ``_secret`` is not."""

    def __init__(self, start=0):
        self.count = start

    def increment(self, by=1):
        self.count += by
        return self.count

    def get(self):
        return self.count

    def child(self):
        return Counter(self.count * 10)

    def _secret(self):
        return "hidden"


class StoreManager(BaseManager):
    """A manager serving ``get_store`` and ``Counter`` (remote tests)."""


StoreManager.register("get_store", callable=get_store, proxytype=DictProxy)
StoreManager.register("Counter", Counter, exposed=("increment", "get", "child"),
                      method_to_typeid={"child": "ChildCounter"})
# callable=None: the server proxies the object ``child()`` returned, as it is.
StoreManager.register("ChildCounter", exposed=("increment", "get"), create_method=False)


class StoreSyncManager(SyncManager):
    """A SyncManager plus the StoreManager types."""


StoreSyncManager.register("get_store", callable=get_store, proxytype=DictProxy)


def append_pid(proxy, count=1):
    """Run in a child: use a proxy that was passed to us."""
    for _ in range(count):
        proxy.append(os.getpid())


def drain_queue_of_proxies(queue, done):
    """Run in a child: receive a proxy through a queue and use it."""
    proxy = queue.get(timeout=30)
    proxy.append("from-queue")
    done.set()


MANAGERS = {"store": StoreManager, "shared_memory": SharedMemoryManager}


def serve(address, authkey, conn, log_path, tls_files=None, serializer="pickle",
          auth_timeout=1.0, kind="store"):
    """Run in a child: serve a manager (a StoreManager unless ``kind`` names another of
    ``MANAGERS``), report its address on ``conn``, log to a file."""
    logging.basicConfig(filename=log_path, level=logging.WARNING,
                        format="%(levelname)s %(name)s %(message)s", force=True)
    server_ctx = None
    if tls_files is not None:
        import ssl
        server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_ctx.load_cert_chain(*tls_files)
    manager = MANAGERS[kind](address=address, authkey=authkey, serializer=serializer,
                             server_ssl_context=server_ctx)
    server = manager.get_server()
    server.auth_timeout = auth_timeout
    conn.send(server.address)
    conn.close()
    server.serve_forever()


def append_pid_to_store(store):
    """Run in a child: update a dict proxy that was passed in (re-assign: it is a copy)."""
    store["pids"] = store["pids"] + [os.getpid()]


def report_store_value(store, key, conn, cafile=None, address=None):
    """Run in a child: read ``store[key]`` (after use_tls if given) and send what happened."""
    if cafile is not None:
        import ssl

        from concurrent.processing.managers import use_tls
        use_tls(address, ssl.create_default_context(cafile=cafile))
    try:
        conn.send(("ok", store[key]))
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    conn.close()


def large_pattern(size, seed=0):
    """Bytes of ``size`` that differ with ``seed`` (the same in every process)."""
    block = bytes((i + seed) % 256 for i in range(251))
    return (block * (size // len(block) + 1))[:size]


def store_large_and_report(store, key, size, conn, wait=False):
    """Run in a child: store a large value through ``store`` (a dict proxy), send the name of
    this process's channel segment on ``conn``; with ``wait``, then wait (bounded) on ``conn``
    until killed, told to go, or the parent's end is closed."""
    store[key] = large_pattern(size)
    segment = store._tls.connection._segment
    conn.send(None if segment is None else segment._name)
    if wait:
        conn.poll(120)
    conn.close()


def report_channel_identity(conn):
    """Run in a child: send this process's channel identity (_managers_channel.identity())."""
    from concurrent.processing._managers import channel as _managers_channel

    conn.send(_managers_channel.identity())
    conn.close()


def connect_and_store(address, authkey, serializer, key, value):
    """Run in a child: connect a StoreManager client to ``address`` and set ``store[key]``."""
    client = StoreManager(address=address, authkey=authkey, serializer=serializer)
    client.connect()
    client.get_store()[key] = value


def write_to_block(block, data):
    """Run in a child: write ``data`` at the start of a ``SharedMemory`` block passed in."""
    block.buf[:len(data)] = data
    block.close()


def write_to_shareable_list(shareable, index, value):
    """Run in a child: set ``shareable[index]`` of a ``ShareableList`` passed in."""
    shareable[index] = value
    shareable.shm.close()
