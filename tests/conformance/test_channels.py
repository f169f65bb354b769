"""Pipe, Connection, wait and the connection submodule: messages, bytes, EOF and errors."""

import array

import pytest

from tests.conformance import _targets

WAIT = _targets.WAIT


@pytest.fixture
def pipe(backend):
    left, right = backend.Pipe()
    yield left, right
    left.close()
    right.close()


def test_duplex_pipe_sends_objects_both_ways(pipe):
    left, right = pipe
    left.send({"a": [1, 2]})
    assert right.recv() == {"a": [1, 2]}
    right.send(None)
    assert left.recv() is None


def test_send_and_receive_bytes(pipe):
    left, right = pipe
    left.send_bytes(b"hello world", 6)
    left.send_bytes(b"hello world", 0, 5)
    assert right.recv_bytes() == b"world"
    assert right.recv_bytes(maxlength=5) == b"hello"


def test_recv_bytes_into_with_offset(pipe):
    left, right = pipe
    buffer = bytearray(8)
    left.send_bytes(b"abc")
    assert right.recv_bytes_into(buffer, 2) == 3
    assert bytes(buffer) == b"\0\0abc\0\0\0"
    numbers = array.array("i", [0, 0])
    left.send_bytes(array.array("i", [7, 9]))
    assert right.recv_bytes_into(numbers) == 2 * numbers.itemsize
    assert list(numbers) == [7, 9]


def test_recv_bytes_into_too_small_raises_buffer_too_short(backend, pipe):
    left, right = pipe
    left.send_bytes(b"too long")
    with pytest.raises(backend.BufferTooShort) as caught:
        right.recv_bytes_into(bytearray(3))
    assert caught.value.args[0] == b"too long"


def test_recv_bytes_over_maxlength_raises_oserror(pipe):
    left, right = pipe
    left.send_bytes(b"0123456789")
    with pytest.raises(OSError):
        right.recv_bytes(maxlength=4)


@pytest.mark.parametrize("offset, size", [(-1, None), (4, None), (0, -1), (1, 3)])
def test_send_bytes_rejects_bad_offset_or_size(pipe, offset, size):
    left, _ = pipe
    with pytest.raises(ValueError):
        left.send_bytes(b"abc", offset, size)


def test_poll_waits_for_data(pipe):
    left, right = pipe
    assert right.poll() is False
    assert right.poll(0.01) is False
    left.send(1)
    assert right.poll(WAIT) is True
    assert right.poll(-1) is True  # a negative timeout does not wait, as in the stdlib
    assert right.recv() == 1
    assert right.poll(-1) is False


def test_peer_close_gives_eof_and_closed_end_gives_oserror(pipe):
    left, right = pipe
    left.send("last")
    left.close()
    assert left.closed
    assert right.recv() == "last"
    with pytest.raises(EOFError):
        right.recv()
    for call in (left.recv, lambda: left.send(1), left.poll, lambda: left.send_bytes(b"x")):
        with pytest.raises(OSError):
            call()


@pytest.mark.parametrize("duplex", [True, False], ids=["duplex", "one-way"])
def test_send_to_a_closed_peer_raises_broken_pipe(backend, duplex):
    reader, writer = backend.Pipe(duplex)
    reader.close()
    try:
        with pytest.raises(BrokenPipeError):
            writer.send("nobody reads this")
        with pytest.raises(BrokenPipeError):
            writer.send_bytes(b"nor this")
    finally:
        writer.close()


def test_one_way_pipe(backend):
    reader, writer = backend.Pipe(duplex=False)
    try:
        assert (reader.readable, reader.writable, writer.readable, writer.writable) == (
            True, False, False, True)
        writer.send(5)
        assert reader.recv() == 5
        with pytest.raises(OSError):
            reader.send(1)
        with pytest.raises(OSError):
            writer.recv()
    finally:
        reader.close()
        writer.close()


def test_wait_returns_ready_connections(backend, pipe):
    left, right = pipe
    assert backend.wait([left, right], timeout=0.01) == []
    left.send("ping")
    assert backend.wait([left, right], timeout=WAIT) == [right]
    assert backend.connection.wait([right], timeout=0) == [right]


def test_pipe_end_passed_to_a_worker(backend, start):
    mine, theirs = backend.Pipe()
    start(_targets.echo_once, theirs)
    mine.send(("echo", 1))
    assert mine.poll(WAIT) and mine.recv() == ("echo", 1)
    mine.close()


def test_listener_accepts_a_client_in_a_worker(backend, start):
    with backend.connection.Listener() as listener:
        start(_targets.client_send, listener.address, backend, "over the listener")
        with listener.accept() as connection:
            assert connection.poll(WAIT) and connection.recv() == "over the listener"
