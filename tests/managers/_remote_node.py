"""One side of the remote-manager test, run as its own program (possibly in a network namespace).

python -m tests.managers._remote_node serve HOST AUTHKEY_HEX
    Serve a StoreManager on (HOST, any port); print "serving PORT", then serve until killed.
python -m tests.managers._remote_node client HOST PORT AUTHKEY_HEX
    Connect, use shared objects (also from a child process), print "ok ...", exit 0.
"""

import multiprocessing
import sys

from tests.managers import _targets


def serve(host, authkey):
    manager = _targets.StoreManager(address=(host, 0), authkey=authkey)
    server = manager.get_server()
    print("serving", server.address[1], flush=True)
    server.serve_forever()


def client(host, port, authkey):
    manager = _targets.StoreManager(address=(host, port), authkey=authkey)
    manager.connect()
    store = manager.get_store()
    store["hello"] = "world"
    counter = manager.Counter(5)
    counter.increment(2)
    log = manager.get_store()
    log["pids"] = []
    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=_targets.append_pid_to_store, args=(log,))
    child.start()
    child.join(60)
    assert child.exitcode == 0, child.exitcode
    assert log["pids"] == [child.pid], log["pids"]
    assert counter.get() == 7 and store["hello"] == "world"
    print("ok", sorted(store.keys()), flush=True)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "serve":
        serve(args[0], bytes.fromhex(args[1]))
    else:
        client(args[0], int(args[1]), bytes.fromhex(args[2]))
