"""Pipes, Listener/Client with authentication, and connection.wait."""

from __future__ import annotations

import threading

import pytest

import concurrent.processing as processing
from concurrent import _shared
from concurrent.processing import connection
from tests.processing import _targets
from tests.processing.conftest import JOIN_TIMEOUT


def test_pipe_ends_are_shared_connections():
    left, right = processing.Pipe()
    assert isinstance(left, _shared.Connection) and isinstance(right, connection.Connection)
    left.send({"a": 1})
    assert right.poll(JOIN_TIMEOUT) and right.recv() == {"a": 1}
    right.send_bytes(b"abcdef", 1, 3)
    assert left.recv_bytes() == b"bcd"
    left.close()
    with pytest.raises(EOFError):
        right.recv()
    right.close()
    with pytest.raises(OSError):
        right.send(1)


@pytest.mark.parametrize("duplex", [True, False])
def test_poll_answers_like_the_stdlib(duplex):
    reader, writer = processing.Pipe(duplex)
    assert reader.poll() is False and reader.poll(0.001) is False  # the poller is reused
    writer.send("item")
    assert reader.poll(None) is True and reader.recv() == "item"
    assert reader.poll(0) is False
    writer.close()
    assert reader.poll(JOIN_TIMEOUT) is True  # end of file is readable: recv says EOFError
    with pytest.raises(EOFError):
        reader.recv()
    reader.close()
    with pytest.raises(OSError, match="closed"):
        reader.poll()


def test_poll_of_a_write_only_end_is_refused():
    reader, writer = processing.Pipe(duplex=False)
    with pytest.raises(OSError, match="write-only"):
        writer.poll()
    reader.close()
    writer.close()


def test_one_way_pipe():
    reader, writer = processing.Pipe(duplex=False)
    assert reader.readable and not reader.writable
    assert writer.writable and not writer.readable
    writer.send("one way")
    assert reader.recv() == "one way"
    with pytest.raises(OSError):
        reader.send("back")
    reader.close()
    writer.close()


def test_send_of_an_unpicklable_object_names_it_and_sends_nothing():
    left, right = processing.Pipe()
    with pytest.raises(processing.UnpicklableError) as caught:
        left.send([1, {"callback": lambda: None}])
    assert caught.value.path == "obj[1]['callback']"
    assert not right.poll(0)
    left.send("next")
    assert right.recv() == "next"
    left.close()
    right.close()


def test_recv_bytes_into_too_short_buffer():
    left, right = processing.Pipe()
    left.send_bytes(b"0123456789")
    buffer = bytearray(4)
    with pytest.raises(_shared.BufferTooShort) as caught:
        right.recv_bytes_into(buffer)
    assert caught.value.args[0] == b"0123456789"
    left.send_bytes(b"abc")
    assert right.recv_bytes_into(buffer, 1) == 3 and buffer == bytearray(b"\0abc")
    left.close()
    right.close()


def test_pipe_to_a_child(ctx):
    here, there = ctx.Pipe()
    echo = ctx.Process(target=_targets.echo_connection, args=(there,))
    echo.start()
    there.close()
    for message in ("hello", [1, 2], {"k": b"v" * 70_000}):
        here.send(message)
        assert here.recv() == message
    here.send(None)
    here.close()
    echo.join(JOIN_TIMEOUT)
    assert echo.exitcode == 0


def test_wait_on_connections_and_sentinels(ctx):
    reader, writer = ctx.Pipe(duplex=False)
    assert processing.wait([reader], timeout=0.01) == []
    sender = ctx.Process(target=_targets.send_bytes, args=(writer, b"ready"))
    sender.start()
    writer.close()
    ready = processing.wait([reader], timeout=JOIN_TIMEOUT)
    assert ready == [reader] and reader.recv_bytes() == b"ready"
    assert processing.wait([sender.sentinel], timeout=JOIN_TIMEOUT) == [sender.sentinel]
    sender.join(JOIN_TIMEOUT)
    reader.close()


def _serve_once(listener, received):
    with listener.accept() as conn:
        received.append(type(conn))
        conn.send(conn.recv() * 2)


def test_listener_and_client_with_authkey():
    with connection.Listener(("127.0.0.1", 0), authkey=b"secret") as listener:
        received = []
        server = threading.Thread(target=_serve_once, args=(listener, received), daemon=True)
        server.start()
        with connection.Client(listener.address, authkey=b"secret") as client:
            assert isinstance(client, connection.Connection)
            client.send(21)
            assert client.recv() == 42
        server.join(JOIN_TIMEOUT)
        assert not server.is_alive() and received == [connection.Connection]


def _accept_expecting_failure(listener, errors):
    try:
        listener.accept()
    except connection.AuthenticationError as exc:
        errors.append(exc)


def test_wrong_authkey_is_refused():
    with connection.Listener(("127.0.0.1", 0), authkey=b"right") as listener:
        errors = []
        server = threading.Thread(target=_accept_expecting_failure, args=(listener, errors),
                                  daemon=True)
        server.start()
        with pytest.raises(connection.AuthenticationError):
            connection.Client(listener.address, authkey=b"wrong")
        server.join(JOIN_TIMEOUT)
        assert not server.is_alive() and len(errors) == 1


def _refuse_to_load():
    raise RuntimeError("this object cannot be rebuilt")


class _FailsOnLoad:
    def __reduce__(self):
        return _refuse_to_load, ()


def test_a_failed_recv_leaves_no_buffer_for_the_garbage_collector(monkeypatch):
    """The received message's buffer is released when recv fails, not when a traceback that
    kept the frame is collected (closing the message's BytesIO then raised BufferError)."""
    import gc
    import sys

    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    reader, writer = processing.Pipe(duplex=False)
    with reader, writer:
        writer.send(_FailsOnLoad())
        try:
            reader.recv()
        except RuntimeError as exc:
            kept = [exc]  # the traceback, and the frames in it, in a reference cycle
            kept.append(kept)
        del kept
        gc.collect()
    assert [hook.exc_value for hook in unraisable] == []
