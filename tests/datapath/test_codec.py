"""BufferCodec: large buffers through shared memory, read in place, freed on every path."""

from __future__ import annotations

import gc
import multiprocessing.heap
import os
import pickle
import threading

import pytest

from concurrent.processing._datapath import codec as _codec
from concurrent.processing._datapath import segments as _segments
from concurrent.processing._datapath.pickler import UnpicklableError
from tests.datapath import _targets
from tests.datapath.conftest import finish, segments, start

BIG = 200_000


@pytest.fixture
def codec():
    pooled = _codec.BufferCodec.for_channel()
    yield pooled
    pooled.close()
    assert segments(pooled.pool.tag) == []


def _states(pool) -> list[int]:
    with pool._lock:
        return [pool._read(slot)[0] for slot in range(pool._slots)]


def test_small_objects_stay_in_the_payload(codec):
    for obj in (None, 3, "text", b"bytes", [1, (2, {"three": 3.0})]):
        payload = codec.dumps(obj)
        assert payload[:1] == b"\x80"  # an ordinary pickle: no tag, no segment
        assert pickle.loads(payload) == codec.loads(payload) == obj
    assert segments(codec.pool.tag) == []


class _Exporter:
    """Pickles its data as a protocol 5 buffer, as numpy arrays do; counts its picklings."""

    reductions = 0

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __reduce_ex__(self, protocol):
        type(self).reductions += 1
        return _Exporter, (pickle.PickleBuffer(self.data),)

    def __eq__(self, other):
        return bytes(self.data) == bytes(other.data)


@pytest.mark.parametrize("size", [100, BIG])
def test_an_out_of_band_buffer_is_pickled_once_when_small(codec, size):
    _Exporter.reductions = 0
    payload = codec.dumps(_Exporter(b"x" * size))
    assert _codec.is_plain(payload) == (size < codec.threshold)
    assert _Exporter.reductions == (1 if size < codec.threshold else 2)  # the large: again
    assert codec.loads(payload) == _Exporter(b"x" * size)
    del payload
    gc.collect()


def test_raw_buffers_round_trip_with_their_types(codec):
    obj = {"bytes": b"b" * BIG, "bytearray": bytearray(b"a" * BIG),
           "readonly": memoryview(b"r" * BIG), "writable": memoryview(bytearray(BIG)),
           "nested": [(1, b"n" * BIG)], "small view": memoryview(b"sv"), "int": 5}
    payload = codec.dumps(obj)
    assert payload[:1] == b"\x01" and len(payload) < 1000
    got = codec.loads(payload)
    assert type(got["bytes"]) is bytes and got["bytes"] == obj["bytes"]
    assert type(got["bytearray"]) is bytearray and got["bytearray"] == obj["bytearray"]
    assert got["readonly"].readonly and got["readonly"] == obj["readonly"]
    assert not got["writable"].readonly and got["writable"] == obj["writable"]
    assert got["nested"][0][1] == obj["nested"][0][1] and got["int"] == 5
    assert bytes(got["small view"]) == b"sv"


def test_memoryview_keeps_format_and_shape():
    shaped = memoryview(bytearray(range(256)) * 1000).cast("i", (1000, 64))
    got = _codec.BufferCodec().loads(_codec.BufferCodec().dumps(shaped))
    assert (got.format, got.shape) == ("i", (1000, 64)) and got.tolist() == shaped.tolist()
    deep = [[[memoryview(b"deep")]]]  # beyond the scan: found when plain pickling fails
    assert bytes(_codec.BufferCodec().loads(_codec.BufferCodec().dumps(deep))[0][0][0]) == b"deep"


def test_numpy_arrays_are_read_in_place(codec):
    numpy = pytest.importorskip("numpy")
    array = numpy.arange(100_000, dtype=numpy.float64).reshape(250, 400)
    frozen = numpy.arange(50_000, dtype=numpy.int32)
    frozen.flags.writeable = False
    got = codec.loads(codec.dumps((array, frozen, numpy.ones(3))))
    assert numpy.array_equal(got[0], array) and got[0].flags.writeable
    assert numpy.array_equal(got[1], frozen) and not got[1].flags.writeable
    assert not got[0].flags.owndata  # a view of the mapped segment, not a copy
    assert _states(codec.pool).count(_segments.MAPPED) == 1
    del got
    gc.collect()
    assert _states(codec.pool).count(_segments.IDLE) == 1


def test_segments_are_reused_and_unlinked_on_close():
    codec = _codec.BufferCodec.for_channel()
    first = codec.loads(codec.dumps(b"1" * BIG))
    del first
    codec.loads(codec.dumps(b"2" * BIG))
    assert len(segments(codec.pool.tag)) == 1  # the idle segment was taken again
    codec.close()
    assert segments(codec.pool.tag) == []
    payload = codec.dumps(b"3" * BIG)  # a closed pool: a fresh segment the receiver unlinks
    assert segments(codec.pool.tag) == [] and segments(f"x{os.getpid():x}") != []
    assert codec.loads(payload) == b"3" * BIG
    assert segments(f"x{os.getpid():x}") == []


def test_discard_returns_the_segment(codec):
    codec.discard(codec.dumps(b"d" * BIG))
    assert _states(codec.pool).count(_segments.IDLE) == 1
    _codec.BufferCodec().discard(_codec.BufferCodec().dumps(b"u" * BIG))
    assert segments(f"x{os.getpid():x}") == []


def test_idle_budget_unlinks_released_segments():
    codec = _codec.BufferCodec.for_channel(max_idle_bytes=0)
    codec.loads(codec.dumps(b"i" * BIG))
    gc.collect()
    assert segments(codec.pool.tag) == []
    codec.close()


def test_full_pool_falls_back_to_unpooled_segments():
    codec = _codec.BufferCodec.for_channel(slots=1)
    held = codec.loads(codec.dumps(memoryview(b"h" * BIG)))
    payload = codec.dumps(b"o" * BIG)  # the only slot is mapped by ``held``
    assert segments(f"x{os.getpid():x}") != []
    assert codec.loads(payload) == b"o" * BIG
    assert segments(f"x{os.getpid():x}") == []  # unlinked as it was mapped
    del held
    codec.close()


def test_unpooled_segment_is_unlinked_by_the_receiver():
    payload = _codec.BufferCodec().dumps(b"x" * BIG)
    assert len(segments(f"x{os.getpid():x}")) == 1
    assert _codec.BufferCodec().loads(payload) == b"x" * BIG
    assert segments(f"x{os.getpid():x}") == []


def test_bad_input_is_refused_clearly(codec):
    with pytest.raises(UnpicklableError, match=r"obj\[1\]"):
        codec.dumps((1, threading.Lock()))
    with pytest.raises(ValueError, match="threshold"):
        _codec.BufferCodec(threshold=0)
    with pytest.raises(ValueError, match="slots"):
        _segments.SegmentPool(slots=0)
    small = multiprocessing.heap.BufferWrapper(_segments.table_size(4))
    with pytest.raises(ValueError, match=r"table of 4 slots needs \d+ bytes, got \d+ at offset 8"):
        _segments.SegmentPool(slots=4, table=(small, 8))
    with pytest.raises(ValueError, match="not a payload"):
        codec.loads(b"junk")
    payload = codec.dumps(b"q" * BIG)
    codec.loads(payload)
    with pytest.raises(RuntimeError, match="already"):
        codec.loads(payload)
    assert segments(codec.pool.tag) != []


def test_receiver_that_died_holding_a_segment_gives_it_back(ctx):
    codec = _codec.BufferCodec.for_channel(ctx=ctx)
    finish(start(ctx, _targets.load_and_die, codec, codec.dumps(memoryview(b"r" * BIG))))
    assert _states(codec.pool).count(_segments.MAPPED) == 1
    codec.loads(codec.dumps(b"s" * BIG))  # reclaims the dead receiver's segment
    assert len(segments(codec.pool.tag)) == 1
    codec.close()
    assert segments(codec.pool.tag) == []


def test_sender_that_died_writing_gives_its_segment_back(ctx):
    codec = _codec.BufferCodec.for_channel(ctx=ctx)
    finish(start(ctx, _targets.acquire_and_die, codec.pool, BIG))
    assert _states(codec.pool).count(_segments.WRITING) == 1
    assert codec.loads(codec.dumps(b"w" * BIG)) == b"w" * BIG
    assert len(segments(codec.pool.tag)) == 1
    codec.close()
    assert segments(codec.pool.tag) == []


def test_payload_of_a_sender_that_died_is_still_delivered(ctx):
    codec = _codec.BufferCodec.for_channel(ctx=ctx)
    receiving, sending = ctx.Pipe(duplex=False)
    finish(start(ctx, _targets.dumps_and_die, codec, b"z" * BIG, sending))
    assert codec.loads(receiving.recv_bytes()) == b"z" * BIG
    codec.close()
    assert segments(codec.pool.tag) == []
    receiving.close()
    sending.close()


def test_a_table_lock_left_held_by_a_dead_process_never_hangs(ctx, monkeypatch):
    monkeypatch.setattr(_segments, "_LOCK_PATIENCE", 0.2)
    codec = _codec.BufferCodec.for_channel(ctx=ctx)
    pooled = codec.dumps(b"a" * BIG)
    finish(start(ctx, _targets.lock_table_and_die, codec.pool))
    unpooled = codec.dumps(b"b" * BIG)  # the sender gives up on the table: a fresh segment
    assert segments(f"x{os.getpid():x}") != []
    assert codec.loads(unpooled) == b"b" * BIG
    assert segments(f"x{os.getpid():x}") == []
    assert codec.loads(pooled) == b"a" * BIG  # the receiver maps the segment by name
    codec.close()  # the owner still unlinks every pooled segment
    assert segments(codec.pool.tag) == []


def test_a_codec_without_the_pool_still_loads_a_pooled_payload(codec):
    payload = codec.dumps(b"p" * BIG)
    assert _codec.BufferCodec().loads(payload) == b"p" * BIG  # e.g. a pipe end that travelled alone
    assert _states(codec.pool).count(_segments.IN_FLIGHT) == 1  # until the owner closes
