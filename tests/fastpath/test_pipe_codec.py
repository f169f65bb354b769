"""Pipe ends share a BufferCodec: large buffers go through shared memory, small ones pickled."""

from __future__ import annotations

import gc
import pickle
from multiprocessing import resource_sharer

import pytest

from concurrent import processing
from concurrent.processing import _fast_segments
from tests.fastpath import _targets
from tests.fastpath.conftest import JOIN_TIMEOUT, finish, segments

BIG = 300_000


def _states(pool) -> list[int]:
    with pool._lock:
        return [pool._read(slot)[0] for slot in range(pool._slots)]


@pytest.fixture(params=["fork", "spawn", "forkserver"])
def pctx(request) -> processing.Context:
    """Our backend bound to one start method."""
    return processing.get_context(request.param)


def test_small_objects_are_plain_pickles_and_large_ones_a_segment_name():
    left, right = processing.Pipe()
    codec = left._codec
    assert codec is right._codec and codec.pool is not None
    left.send({"small": [1, 2.0, "three"]})
    assert pickle.loads(right.recv_bytes()) == {"small": [1, 2.0, "three"]}  # stdlib-readable
    left.send([b"a" * BIG, bytearray(b"b" * BIG)])
    assert right.poll(_targets.WAIT)
    assert len(segments(codec.pool.tag)) == 1  # the buffers of 64 KiB or more, in one segment
    assert right.recv() == [b"a" * BIG, bytearray(b"b" * BIG)]
    left.close()
    right.close()
    codec.close()
    assert segments(codec.pool.tag) == []


def test_a_send_that_fails_gives_its_segment_back():
    reader, writer = processing.Pipe(duplex=False)
    pool = writer._codec.pool
    reader.close()
    with pytest.raises(OSError):
        writer.send(b"c" * BIG)
    assert _fast_segments.IN_FLIGHT not in _states(pool)
    assert _fast_segments.IDLE in _states(pool)
    writer.close()
    pool.close()
    assert segments(pool.tag) == []


def test_large_buffers_cross_to_a_child_and_back(pctx):
    here, there = pctx.Pipe()
    tag = here._codec.pool.tag
    child = pctx.Process(target=_targets.echo_connection, args=(there,), daemon=True)
    child.start()
    there.close()
    for message in ("hello", (b"d" * BIG, 7), memoryview(bytearray(b"e" * BIG)).cast("i")):
        here.send(message)
        answer = here.recv()
        assert answer == message and type(answer) is type(message)
        del answer  # a received memoryview holds its segment until it dies
    here.send(None)
    finish(child)
    here.close()
    gc.collect()
    here._codec.close()
    assert segments(tag) == []


def test_an_end_sent_after_the_child_started_retires_the_pool(pctx):
    queue = pctx.SimpleQueue()
    child = pctx.Process(target=_targets.echo_connection_from_queue, args=(queue,), daemon=True)
    child.start()
    here, there = pctx.Pipe()
    pool = here._codec.pool
    queue.put(there)  # the pool's lock cannot travel now: the channel stops using the pool
    there.close()
    for message in ("small", b"f" * BIG, [bytearray(b"g" * BIG)]):
        here.send(message)
        assert here.recv() == message
    here.send(None)
    finish(child)
    resource_sharer.stop(JOIN_TIMEOUT)  # its thread handed ``there`` over; later forks warn
    assert all(state == _fast_segments.EMPTY for state in _states(pool))
    here.close()
    queue.close()
    pool.close()
    assert segments(pool.tag) == []


def test_children_keep_talking_after_the_creator_closed_the_pool(pctx):
    receiving, sending = pctx.Pipe(duplex=False)
    pool, results = receiving._codec.pool, pctx.SimpleQueue()
    receiver = pctx.Process(target=_targets.receive_and_report, args=(receiving, results),
                            daemon=True)
    receiver.start()
    pool.close()  # as when the creator drops the pipe: the children fall back to fresh segments
    sender = pctx.Process(target=_targets.send_to_peer, args=(sending, b"h" * BIG),
                          daemon=True)
    sender.start()
    assert results.get(timeout=_targets.WAIT) == b"h" * BIG
    finish(sender)
    finish(receiver)
    results.close()
    receiving.close()
    sending.close()
    assert segments(pool.tag) == []
