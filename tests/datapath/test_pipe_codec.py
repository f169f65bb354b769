"""Pipe ends send large buffers through shared memory and small objects as plain pickles."""

from __future__ import annotations

import gc
import os
import pickle
from multiprocessing import resource_sharer

import pytest

from concurrent import processing
from tests.conftest import START_METHODS
from tests.datapath import _targets
from tests.datapath.conftest import JOIN_TIMEOUT, finish, segments

BIG = 33 << 20  # far above the pipe codec's threshold


def _unpooled(pid: int | None = None) -> list[str]:
    """The unpooled segments that process ``pid`` (default: this one) created and nobody took."""
    return segments(f"x{os.getpid() if pid is None else pid:x}")


@pytest.fixture(params=START_METHODS)
def pctx(request) -> processing.Context:
    """Our backend bound to one start method."""
    return processing.get_context(request.param)


def test_small_objects_are_plain_pickles_and_large_ones_a_nameless_segment():
    left, right = processing.Pipe()
    assert left._codec is right._codec and left._codec.pool is None  # no per-pipe semaphore
    left.send({"small": [1, 2.0, "three"]})
    assert pickle.loads(right.recv_bytes()) == {"small": [1, 2.0, "three"]}  # stdlib-readable
    left.send([b"a" * BIG, bytearray(b"b" * BIG)])
    assert right.poll(_targets.WAIT)
    assert _unpooled() == []  # nothing named: the segment's descriptor follows the message
    assert right.recv() == [b"a" * BIG, bytearray(b"b" * BIG)]
    left.send(b"c" * BIG)  # recv_bytes of a large object: the pickle it stands for
    assert pickle.loads(right.recv_bytes()) == b"c" * BIG
    left.send(bytearray(b"d" * BIG))
    target = bytearray(BIG + 200)
    assert pickle.loads(target[:right.recv_bytes_into(target)]) == bytearray(b"d" * BIG)
    left.close()
    right.close()


def test_a_send_that_fails_leaves_no_segment():
    reader, writer = processing.Pipe(duplex=False)
    reader.close()
    with pytest.raises(OSError):
        writer.send(b"c" * BIG)
    assert _unpooled() == []
    writer.close()


def test_large_buffers_cross_to_a_child_and_back(pctx):
    here, there = pctx.Pipe()
    child = pctx.Process(target=_targets.echo_connection, args=(there,), daemon=True)
    child.start()
    there.close()
    for message in ("hello", (b"d" * BIG, 7), memoryview(bytearray(b"e" * BIG)).cast("i")):
        here.send(message)
        answer = here.recv()
        assert answer == message and type(answer) is type(message)
        del answer  # a received memoryview holds its mapping until it dies
    here.send(None)
    finish(child)
    here.close()
    gc.collect()
    assert _unpooled() == [] and _unpooled(child.pid) == []


def test_an_end_sent_after_the_child_started_keeps_sharing_buffers(pctx):
    queue = pctx.Queue()
    child = pctx.Process(target=_targets.echo_connection_from_queue, args=(queue,), daemon=True)
    child.start()
    here, there = pctx.Pipe()
    queue.put(there)
    there.close()
    for message in ("small", b"f" * BIG, [bytearray(b"g" * BIG)]):
        here.send(message)
        assert here.recv() == message
    here.send(None)
    finish(child)
    resource_sharer.stop(JOIN_TIMEOUT)  # its thread handed ``there`` over; later forks warn
    here.close()
    queue.close()
    assert _unpooled() == [] and _unpooled(child.pid) == []
