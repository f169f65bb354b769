"""In-process connections: Listener/Client, blocking receives, and their errors."""

import multiprocessing
import pickle
import threading
import time

import pytest

import concurrent.threading as backend
from concurrent.threading import connection

WAIT = 10.0


def test_client_reaches_listener_by_name():
    with connection.Listener("conf-test-address", authkey=b"secret") as listener:
        assert listener.address == "conf-test-address"
        client = connection.Client("conf-test-address", authkey=b"secret")
        server = listener.accept()
        assert listener.last_accepted == "conf-test-address"
        client.send("hi")
        assert server.recv() == "hi"
        client.close()
        server.close()


def test_client_errors():
    with pytest.raises(ConnectionRefusedError, match="nowhere"):
        connection.Client("nowhere")
    with connection.Listener(authkey=b"right") as listener:
        with pytest.raises(multiprocessing.AuthenticationError):
            connection.Client(listener.address, authkey=b"wrong")
        with pytest.raises(OSError, match="in use"):
            connection.Listener(listener.address)
    with pytest.raises(ConnectionRefusedError):
        connection.Client(listener.address)
    with pytest.raises(OSError):
        listener.accept()
    with pytest.raises(TypeError):
        connection.Listener(("127.0.0.1", 0))
    with pytest.raises(TypeError):
        connection.Listener(authkey="text")


def test_blocked_recv_wakes_when_the_peer_closes():
    left, right = backend.Pipe()
    outcome = []

    def receive():
        try:
            right.recv()
        except EOFError as exc:
            outcome.append(exc)

    reader = threading.Thread(target=receive)
    reader.start()
    left.close()
    reader.join(WAIT)
    assert not reader.is_alive() and isinstance(outcome[0], EOFError)
    right.close()


def test_blocked_recv_fails_when_its_own_end_closes():
    left, right = backend.Pipe()
    outcome = []

    def receive():
        try:
            right.recv()
        except OSError as exc:
            outcome.append(exc)

    reader = threading.Thread(target=receive)
    reader.start()
    deadline = time.monotonic() + WAIT
    while not right._inbox.readable._waiters:  # until the reader blocks in recv()
        assert time.monotonic() < deadline, "the reader never started waiting"
        time.sleep(0.001)
    right.close()
    reader.join(WAIT)
    assert not reader.is_alive() and isinstance(outcome[0], OSError)
    left.close()


def test_send_passes_the_object_itself():
    left, right = backend.Pipe()
    payload, lock = [1, 2], threading.Lock()
    left.send(payload)
    left.send(lock)  # nothing is pickled between threads
    assert right.recv() is payload
    assert right.recv() is lock
    right.close()
    with pytest.raises(BrokenPipeError):
        left.send("nobody listens")
    left.close()
    assert repr(left) == "<concurrent.threading.connection.Connection closed>"


def test_send_bytes_shares_whole_bytes_and_copies_anything_else():
    left, right = backend.Pipe()
    whole = b"x" * 1000
    left.send_bytes(whole)
    assert right.recv_bytes() is whole
    changing = bytearray(b"abc")
    left.send_bytes(changing)
    left.send_bytes(whole, 0, 1000)
    left.send_bytes(whole, 10, 5)
    changing[0] = ord("z")
    assert right.recv_bytes() == b"abc"
    assert right.recv_bytes() is whole
    assert right.recv_bytes() == b"x" * 5
    left.close()
    right.close()


def test_objects_and_bytes_mix_as_between_processes():
    left, right = backend.Pipe()
    left.send({"k": 1})
    left.send_bytes(pickle.dumps(("raw", 2)))
    left.send([1, 2, 3])
    assert pickle.loads(right.recv_bytes()) == {"k": 1}
    assert right.recv() == ("raw", 2)
    buffer = bytearray(100)
    size = right.recv_bytes_into(buffer)
    assert pickle.loads(buffer[:size]) == [1, 2, 3]
    left.send(threading.Lock())
    with pytest.raises(TypeError):  # an object that has no pickle has no bytes either
        right.recv_bytes()
    left.close()
    right.close()


def test_poll_after_the_peer_closed_and_own_close_during_poll():
    left, right = backend.Pipe()
    left.close()
    assert right.poll() is True and right.poll(None) is True
    with pytest.raises(EOFError):
        right.recv_bytes()
    right.close()
    a, b = backend.Pipe()
    polled = []
    poller = threading.Thread(target=lambda: polled.append(b.poll(WAIT)))
    poller.start()
    deadline = time.monotonic() + WAIT
    while not b._inbox.waiting:
        assert time.monotonic() < deadline, "the poller never started waiting"
        time.sleep(0.001)
    b.close()
    poller.join(WAIT)
    assert polled == [True]
    a.close()


def test_no_file_descriptor():
    left, right = backend.Pipe()
    with pytest.raises(OSError):
        left.fileno()
    left.close()
    right.close()


def test_wait_rejects_other_objects_and_negative_timeouts():
    with pytest.raises(TypeError):
        connection.wait([object()], 0)
    with pytest.raises(ValueError):
        connection.wait([], -1)


def test_wait_is_woken_by_a_send_from_another_thread():
    left, right = backend.Pipe()
    sender = threading.Thread(target=left.send, args=("wake",))
    sender.start()
    assert connection.wait([right], WAIT) == [right]
    sender.join(WAIT)
    assert not sender.is_alive() and right.recv() == "wake"
    left.close()
    right.close()


def _echo_until_empty(connection):
    while (data := connection.recv_bytes()) != b"":
        connection.send_bytes(data)


def test_a_worker_process_gets_pipe_handles_of_its_own():
    # As a child process does: the parent may close its copy at once, and the worker's exit
    # closes the worker's, which the parent then sees as end of file.
    here, there = backend.Pipe()
    worker = backend.Process(target=_echo_until_empty, args=(there,), daemon=True)
    worker.start()
    there.close()
    here.send_bytes(b"hello")
    assert here.poll(10) and here.recv_bytes() == b"hello"
    here.send_bytes(b"")
    worker.join(10)
    assert not worker.is_alive() and worker.exitcode == 0
    with pytest.raises(EOFError):
        here.recv()
    here.close()


def test_a_thread_shares_the_very_pipe_end_it_was_given():
    here, there = backend.Pipe()
    seen = []
    thread = backend.Thread(target=lambda end: seen.append(end), args=(there,))
    thread.start()
    thread.join(10)
    assert seen == [there]
    here.close()
    there.close()
