"""A Pipe's large buffers reuse their memfd segments once the receiver is done with them."""

from __future__ import annotations

import gc

import pytest

from concurrent import processing
from concurrent.processing import connection
from concurrent.processing._datapath import memfd_segments
from tests.conftest import START_METHODS
from tests.datapath import _targets
from tests.datapath.conftest import finish

SIZE = 2 * connection._PIPE_SHARED_THRESHOLD


@pytest.fixture
def pipe():
    left, right = processing.Pipe()
    yield left, right
    left.close()
    right.close()
    gc.collect()


def _kept() -> list:
    return memfd_segments.SENT._kept


def _in_use() -> list:
    return [segment for segment in _kept() if not segment.is_free()]


def test_a_segment_is_reused_only_after_the_receiver_let_go_of_it(pipe):
    left, right = pipe
    left.send(bytearray(b"a" * SIZE))
    assert right.recv() == bytearray(b"a" * SIZE)  # copied out: its segment is free at once
    assert _in_use() == []
    left.send(memoryview(bytearray(b"b" * SIZE)))  # a memoryview is read in place
    first = right.recv()
    [held] = _in_use()
    left.send(memoryview(bytearray(b"c" * SIZE)))
    second = right.recv()
    assert bytes(first) == b"b" * SIZE  # not overwritten while still held
    assert len(_in_use()) == 2
    del first
    assert held.is_free()
    left.send(memoryview(bytearray(b"d" * SIZE)))
    third = right.recv()
    assert held in _in_use()  # the segment let go of came back into use
    assert bytes(second) == b"c" * SIZE and bytes(third) == b"d" * SIZE
    del second, third
    assert _in_use() == []


def test_a_stream_of_large_sends_keeps_few_segments_and_mappings(pipe):
    left, right = pipe
    for number in range(20):
        left.send(memoryview(bytearray([number]) * SIZE))
        received = right.recv()
        assert received[0] == number and received[SIZE - 1] == number
    assert len(_kept()) <= 2
    assert len(memfd_segments.RECEIVED._mapped) <= 2


def test_a_send_that_fails_frees_its_segment():
    reader, writer = processing.Pipe(duplex=False)
    reader.close()
    with pytest.raises(OSError):
        writer.send(b"f" * SIZE)
    assert all(segment.is_free() for segment in _kept())
    writer.close()


def test_a_segment_past_the_idle_budget_is_not_kept(pipe, monkeypatch):
    monkeypatch.setattr(memfd_segments, "MAX_IDLE_BYTES", SIZE // 2)
    left, right = pipe
    before = list(_kept())
    left.send(b"g" * SIZE)
    assert right.recv() == b"g" * SIZE
    assert [segment for segment in _kept() if segment not in before] == []
    assert all(len(mapping) <= SIZE // 2 for mapping in memfd_segments.RECEIVED._mapped.values())


def test_kept_segments_and_idle_bytes_stay_within_their_bounds(monkeypatch):
    monkeypatch.setattr(memfd_segments, "MAX_KEPT", 3)
    kept = memfd_segments.SentSegments()
    taken = []
    for size in (1, 2, 3, 4, 5):  # MiB, each too big to reuse the last
        key, fd, mapping, capacity = kept.take(size << 20)
        taken.append(key)
        connection.os.close(fd)
    assert [segment.key for segment in kept._kept] == taken[-3:]
    monkeypatch.setattr(memfd_segments, "MAX_IDLE_BYTES", 5 << 20)
    for key in taken[-3:]:
        kept.release(key)
    key, fd, _, _ = kept.take(1 << 20)  # the 3 MiB one: the smallest free one at most 4x
    connection.os.close(fd)
    assert key == taken[2]
    # 4 + 5 MiB idle is past the budget: the older idle one goes
    assert [segment.key for segment in kept._kept] == [taken[4], taken[2]]
    kept.forget_all()
    assert kept._kept == []


@pytest.mark.parametrize("method", START_METHODS)
def test_a_child_sends_in_its_own_segments_and_answers_right(method):
    ctx = processing.get_context(method)
    here, there = ctx.Pipe()
    here.send(b"warm" * (SIZE // 4))  # this process now keeps a segment, which a fork inherits
    assert there.recv() == b"warm" * (SIZE // 4)
    child = ctx.Process(target=_targets.echo_kept_segments, args=(there,), daemon=True)
    child.start()
    for number in range(4):
        here.send(memoryview(bytearray([number]) * SIZE))
        kept_before, answer = here.recv()
        assert kept_before == (0 if number == 0 else 1)  # none inherited; then its own one
        assert bytes(answer) == bytes([number]) * SIZE
        del answer
    here.send(None)
    finish(child)
    here.close()
    there.close()
