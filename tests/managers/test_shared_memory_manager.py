"""SharedMemoryManager: blocks made through the manager live until it shuts down, then go.

The manager's server is ours (secure defaults, authentication before unpickling); the blocks
are the stdlib's ``SharedMemory``/``ShareableList``.  Every test checks afterwards that the
blocks it made are gone from /dev/shm (by name: other programs on this machine use it too),
and the session conftest that no resource tracker warned.
"""

import os
import secrets
import signal
import subprocess
import sys
from multiprocessing import AuthenticationError
from multiprocessing import managers as mp_managers

import pytest

from concurrent import _shared
from concurrent.processing import managers, shared_memory
from concurrent.processing.managers import SharedMemoryManager
from tests.conftest import QUICK_METHOD
from tests.managers import _targets
from tests.managers.conftest import start_server
from tests.pool.conftest import METHODS, get_context

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _exists(name):
    """Whether block ``name`` exists (by name only: other programs use /dev/shm too)."""
    return os.path.exists(f"/dev/shm/{name}")


def _request(manager, name, *args):
    """Send one request of multiprocessing's manager protocol (one per connection)."""
    conn = manager._Client(manager.address, authkey=manager._authkey)
    try:
        return mp_managers.dispatch(conn, None, name, args)
    finally:
        conn.close()


def test_is_public_and_a_multiprocessing_manager():
    assert "SharedMemoryManager" in managers.__all__ and "SharedMemoryServer" in managers.__all__
    assert SharedMemoryManager.__module__ == "concurrent.processing.managers"
    assert managers.SharedMemoryServer.__module__ == "concurrent.processing.managers"
    assert issubclass(SharedMemoryManager, mp_managers.SharedMemoryManager)
    assert issubclass(SharedMemoryManager, managers.BaseManager)
    assert issubclass(SharedMemoryManager, _shared.Manager)
    assert issubclass(managers.SharedMemoryServer, managers.Server)


def test_factories_need_a_started_manager():
    manager = SharedMemoryManager(ctx=get_context(QUICK_METHOD))
    with pytest.raises(ValueError, match=r"not started; call start\(\)"):
        manager.SharedMemory(size=9)
    with pytest.raises(ValueError, match=r"not started; call start\(\)"):
        manager.ShareableList([1])


@pytest.mark.parametrize("method", METHODS)
def test_blocks_live_until_shutdown(method):
    ctx = get_context(method)
    manager = SharedMemoryManager(ctx=ctx)
    manager.start()
    try:
        lists = [manager.ShareableList(range(n)) for n in range(5, 8)]
        blocks = [manager.SharedMemory(size=size) for size in (32, 64, 4096)]
        assert isinstance(blocks[0], shared_memory.SharedMemory)
        assert isinstance(lists[0], shared_memory.ShareableList)
        again = shared_memory.ShareableList(name=lists[0].shm.name)
        assert list(again) == [0, 1, 2, 3, 4]
        again.shm.close()
        assert len(blocks[2].buf) >= 4096

        # Blocks pickle by name: children of every start method attach and write.
        child = ctx.Process(target=_targets.write_to_block, args=(blocks[0], b"HELLO"))
        child.start()
        child.join(60)
        assert child.exitcode == 0 and bytes(blocks[0].buf[:5]) == b"HELLO"
        child = ctx.Process(target=_targets.write_to_shareable_list, args=(lists[1], 2, -7))
        child.start()
        child.join(60)
        assert child.exitcode == 0 and lists[1][2] == -7

        names = [shareable.shm.name for shareable in lists] + [block.name for block in blocks]
        assert all(_exists(name) for name in names)
    finally:
        manager.shutdown()
    for name in names:
        with pytest.raises(FileNotFoundError):
            shared_memory.SharedMemory(name=name)
    for block in blocks + [shareable.shm for shareable in lists]:
        block.close()  # our mappings stay valid until then
    assert not any(_exists(name) for name in names)


def test_with_block_and_a_block_unlinked_early():
    with SharedMemoryManager(ctx=get_context(QUICK_METHOD)) as manager:
        shareable = manager.ShareableList("howdy")
        block = manager.SharedMemory(size=128)
        block.close()
        block.unlink()  # not needed, but allowed: the shutdown skips it
        name = shareable.shm.name
        shareable.shm.close()
    with pytest.raises(FileNotFoundError):
        shared_memory.ShareableList(name=name)
    assert not _exists(name) and not _exists(block.name)


def test_server_ignores_sigint():
    """An interrupt meant for the program (Ctrl-C reaches its whole process group) does not
    stop the manager's server."""
    with SharedMemoryManager(ctx=get_context(QUICK_METHOD)) as manager:
        first = manager.ShareableList(range(3))
        os.kill(manager._process.pid, signal.SIGINT)
        second = manager.ShareableList(range(3))
        assert list(second) == [0, 1, 2] and manager._process.is_alive()
        first.shm.close()
        second.shm.close()
    assert not _exists(first.shm.name) and not _exists(second.shm.name)


def test_secure_defaults():
    with pytest.raises(ValueError, match="without an explicit authkey"):
        SharedMemoryManager(address=("0.0.0.0", 0)).get_server()
    with pytest.raises(ValueError, match="without an explicit authkey"):
        SharedMemoryManager(address=("0.0.0.0", 0), ctx=get_context(QUICK_METHOD)).start()
    server = SharedMemoryManager(address=("127.0.0.1", 0)).get_server()
    try:
        assert isinstance(server, managers.SharedMemoryServer)
    finally:
        server.listener.close()


@pytest.mark.parametrize("serializer", ["pickle", "xmlrpclib"])
def test_served_manager(tmp_path, serializer):
    running = start_server(tmp_path, kind="shared_memory", serializer=serializer)
    try:
        intruder = SharedMemoryManager(address=running.address, authkey=b"wrong key",
                                       serializer=serializer)
        with pytest.raises(AuthenticationError):
            intruder.connect()
        running.wait_for_log("rejected a client before authentication")

        client = SharedMemoryManager(address=running.address, authkey=running.authkey,
                                     serializer=serializer)
        client.connect()
        block = client.SharedMemory(size=64)
        shareable = client.ShareableList(["a", 1])
        owned = _request(client, "list_segments")
        assert sorted(owned) == sorted([block.name, shareable.shm.name])
        _request(client, "release_segment", block.name)
        assert _request(client, "list_segments") == [shareable.shm.name]
        with pytest.raises(FileNotFoundError):
            shared_memory.SharedMemory(name=block.name)
        block.close()
        shareable.shm.close()
    finally:
        os.kill(running.process.pid, signal.SIGINT)  # serve_forever's way to stop
        running.process.join(30)
        assert running.process.exitcode == 0
    with pytest.raises(FileNotFoundError):
        shared_memory.SharedMemory(name=shareable.shm.name)


_SERVE = """
import sys
from concurrent.processing.managers import SharedMemoryManager

manager = SharedMemoryManager(address=("127.0.0.1", 0), authkey=bytes.fromhex(sys.argv[1]))
server = manager.get_server()
print(server.address[1], flush=True)
server.serve_forever()
"""

_USE = """
import sys
from concurrent.processing.managers import SharedMemoryManager

manager = SharedMemoryManager(address=("127.0.0.1", int(sys.argv[1])),
                              authkey=bytes.fromhex(sys.argv[2]))
manager.connect()
block = manager.SharedMemory(size=64)
block.buf[:2] = b"ok"
shareable = manager.ShareableList([1, 2])
print(block.name, shareable.shm.name, flush=True)
block.close()
shareable.shm.close()
"""


def _python(code, *args, **kwds):
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwds)


def test_blocks_outlive_the_client_program_that_made_them():
    """Two programs, two resource trackers: the client hands its blocks over, so its exit
    neither unlinks them nor warns, and the server's exit unlinks them, silently too."""
    authkey = secrets.token_hex(16)
    server = _python(_SERVE, authkey)
    try:
        port = server.stdout.readline().strip()
        assert port.isdigit(), server.stderr.read() if server.poll() is not None else port
        client = _python(_USE, port, authkey)
        out, err = client.communicate(timeout=60)
        assert client.returncode == 0 and err == "", err
        names = out.split()
        assert len(names) == 2 and all(_exists(name) for name in names)
        with open(f"/dev/shm/{names[0]}", "rb") as block:  # attaching would track it here
            assert block.read(2) == b"ok"
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
        assert server.returncode == 0 and err == "", err
        assert not any(_exists(name) for name in names)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate(timeout=30)


@pytest.mark.parametrize("method", METHODS)
def test_a_program_using_it_exits_without_warnings(method):
    """The server shares the program's resource tracker, which then finds nothing leaked."""
    code = f"""
import multiprocessing
from concurrent.processing.managers import SharedMemoryManager

if __name__ == "__main__":
    manager = SharedMemoryManager(ctx=multiprocessing.get_context({method!r}))
    manager.start()
    shareable = manager.ShareableList(range(10))
    block = manager.SharedMemory(size=100)
    block.close()
    shareable.shm.close()
    manager.shutdown()
"""
    program = _python(code)
    out, err = program.communicate(timeout=60)
    assert program.returncode == 0 and err == "", err
