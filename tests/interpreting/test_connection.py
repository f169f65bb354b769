"""Pipes between interpreters: the close-after-start idiom, end of file when a worker ends,
wait() on several ends, and the listener's address and authkey."""

import pytest

from tests.interpreting import _targets
from tests.interpreting.conftest import WAIT, needs_interpreters

pytestmark = needs_interpreters


def test_closing_the_parents_copy_after_start_leaves_the_worker_its_own(backend):
    reader, writer = backend.Pipe(duplex=False)
    worker = backend.Process(target=_targets.send_and_close, args=(writer, "from the worker"))
    worker.start()
    writer.close()  # multiprocessing's idiom: the worker holds a handle of its own
    assert reader.recv() == "from the worker"
    with pytest.raises(EOFError):
        reader.recv()  # the last writer, the worker's, is closed
    worker.join(WAIT)
    reader.close()


def test_a_worker_reads_to_the_end_of_file(backend):
    reader, writer = backend.Pipe(duplex=False)
    results = backend.Queue()
    worker = backend.Process(target=_targets.receive_all, args=(reader, results))
    worker.start()
    reader.close()
    for item in range(5):
        writer.send(item)
    writer.close()
    assert results.get(timeout=WAIT) == [0, 1, 2, 3, 4]
    worker.join(WAIT)


def test_wait_returns_the_ends_that_are_ready(backend):
    pairs = [backend.Pipe() for _ in range(3)]
    try:
        assert backend.wait([theirs for _, theirs in pairs], timeout=0.01) == []
        pairs[1][0].send("ready")
        pairs[2][0].close()
        ready = backend.wait([theirs for _, theirs in pairs], timeout=WAIT)
        assert ready == [pairs[1][1], pairs[2][1]]
        with pytest.raises(TypeError, match="connections"):
            backend.wait([object()])
    finally:
        for ours, theirs in pairs:
            ours.close()
            theirs.close()


def test_listener_makes_its_address_and_checks_the_authkey(backend):
    from concurrent.interpreting.connection import Client, Listener

    with pytest.raises(ValueError, match="address=None"):
        Listener(("localhost", 6000))
    results = backend.Queue()
    with Listener(authkey=b"secret") as listener:
        worker = backend.Process(target=_targets.connect,
                                 args=(listener.address, results, b"wrong"))
        worker.start()
        with pytest.raises(backend.connection.AuthenticationError):
            listener.accept()
        assert results.get(timeout=WAIT) in {"EOFError", "BrokenPipeError"}
        worker.join(WAIT)
        worker = backend.Process(target=_targets.connect,
                                 args=(listener.address, results, b"secret"))
        worker.start()
        with listener.accept() as connection:
            assert connection.recv() == "hello"
            connection.send("welcome")
        assert results.get(timeout=WAIT) == "welcome"
        worker.join(WAIT)
        address = listener.address
    with pytest.raises(ConnectionRefusedError):
        Client(address)
    with pytest.raises(ConnectionRefusedError):
        Client("concurrent.interpreting:not-an-address")
