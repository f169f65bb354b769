"""In-process connections: Listener/Client, blocking receives, and their errors."""

import multiprocessing
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


def test_send_copies_and_rejects_unpicklable_objects():
    left, right = backend.Pipe()
    payload = [1, 2]
    left.send(payload)
    payload.append(3)
    assert right.recv() == [1, 2]
    with pytest.raises(TypeError):
        left.send(threading.Lock())
    right.close()
    with pytest.raises(BrokenPipeError):
        left.send("nobody listens")
    left.close()
    assert repr(left) == "<Connection closed>"


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
