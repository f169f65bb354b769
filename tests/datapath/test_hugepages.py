"""Large copies out of shared memory land in new objects advised as huge pages."""

from __future__ import annotations

import mmap
import os

import pytest

from concurrent import processing
from concurrent.processing._datapath import hugepages
from tests.conftest import START_METHODS
from tests.datapath import _targets

SIZE = hugepages.FLOOR + 12_345  # above the floor, not a whole number of pages


def _source(size: int = SIZE) -> bytearray:
    data = bytearray(os.urandom(4096)) * (size // 4096 + 1)
    del data[size:]
    return data


@pytest.fixture
def recorded(monkeypatch):
    """The C API with its ``madvise`` and address look-ups recorded."""
    api = hugepages._c_api()
    if api is None:
        pytest.skip("no ctypes or MADV_HUGEPAGE here: copies are plain")
    functions, memory_view, madvise, advice = api
    calls = {"madvise": [], "address": []}

    def record(name, function):
        def recorder(*args):
            result = function(*args)
            calls[name].append((args, result))
            return result
        return recorder

    functions = {kind: (new, record("address", address))
                 for kind, (new, address) in functions.items()}
    monkeypatch.setattr(hugepages, "_api", [(functions, memory_view, record("madvise", madvise),
                                             advice)])
    return calls


@pytest.mark.parametrize("copy, kind", [(hugepages.copy_to_bytes, bytes),
                                        (hugepages.copy_to_bytearray, bytearray)])
def test_a_large_copy_is_an_equal_new_object_on_advised_whole_pages(recorded, copy, kind):
    source = _source()
    got = copy(memoryview(source))
    assert type(got) is kind and len(got) == SIZE and got == source
    [((start, length, advice), result)] = recorded["madvise"]
    [(_, address)] = recorded["address"]
    assert advice == mmap.MADV_HUGEPAGE and result == 0
    assert start % mmap.PAGESIZE == 0 and length % mmap.PAGESIZE == 0
    assert address <= start < start + length <= address + SIZE  # only the object's own pages
    assert length > SIZE - 2 * mmap.PAGESIZE
    source[0] ^= 0xFF
    assert got[0] != source[0]  # a copy, not a view of the source
    if kind is bytes:
        assert hash(got) == hash(bytes(got)) and {got: 1}[bytes(got)] == 1


def test_a_copy_below_the_floor_is_plain(recorded):
    source = _source(hugepages.FLOOR - 1)
    assert hugepages.copy_to_bytes(memoryview(source)) == source
    assert hugepages.copy_to_bytearray(memoryview(source)) == source
    assert recorded["madvise"] == []


def test_without_the_c_api_a_large_copy_is_plain(monkeypatch):
    monkeypatch.setattr(hugepages, "_api", [None])
    source = _source()
    got = hugepages.copy_to_bytes(memoryview(source))
    assert type(got) is bytes and got == source
    got = hugepages.copy_to_bytearray(memoryview(source))
    assert type(got) is bytearray and got == source


@pytest.mark.parametrize("method", START_METHODS)
def test_large_bytes_and_bytearrays_cross_a_queue_both_ways(method):
    ctx = processing.get_context(method)
    jobs, results = ctx.Queue(), ctx.Queue()
    child = ctx.Process(target=_targets.echo, args=(jobs, results, 1))
    child.start()
    try:
        sent = (bytes(_source()), _source())
        jobs.put(sent)
        got = results.get(timeout=_targets.WAIT)
        assert [type(part) for part in got] == [bytes, bytearray] and got == sent
    finally:
        child.join(_targets.WAIT)
        if child.is_alive():
            child.kill()
            child.join(_targets.WAIT)
        jobs.close()
        results.close()
    assert child.exitcode == 0
