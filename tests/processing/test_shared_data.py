"""Value/Array, sharedctypes and shared_memory across processes, and logging with process names."""

from __future__ import annotations

import ctypes

import pytest

import concurrent.processing as processing
from concurrent.processing import shared_memory, sharedctypes
from tests.processing import _targets
from tests.processing.conftest import JOIN_TIMEOUT, run


def test_value_lock_semantics():
    locked = processing.Value("i", 5)
    assert locked.value == 5
    assert isinstance(locked.get_lock(), processing.RLock)
    assert isinstance(locked.get_obj(), ctypes.c_int)
    raw = processing.Value(ctypes.c_double, 1.5, lock=False)
    assert isinstance(raw, ctypes.c_double) and raw.value == 1.5
    own_lock = processing.Lock()
    guarded = processing.Array("d", [1.0, 2.0], lock=own_lock)
    assert guarded.get_lock() is own_lock and guarded[:] == [1.0, 2.0]
    with pytest.raises(AttributeError, match="pass True, False or a lock object"):
        processing.Value("i", 0, lock="yes")  # multiprocessing's type, our message


def test_bad_typecode_is_named():
    with pytest.raises(ValueError, match="unknown typecode 'z'"):
        processing.Value("z", 0)
    with pytest.raises(ValueError, match="unknown typecode 'Q!'"):
        processing.RawArray("Q!", 3)
    with pytest.raises(TypeError, match="ctypes type"):
        processing.Array(3.5, 2)


def test_raw_objects_and_synchronized():
    raw = sharedctypes.RawArray("i", range(4))
    assert list(raw) == [0, 1, 2, 3]
    wrapped = sharedctypes.synchronized(raw)
    with wrapped.get_lock():
        wrapped[0] = 10
    assert raw[0] == 10
    assert sharedctypes.copy(sharedctypes.RawValue("h", 7)).value == 7


def test_value_and_array_across_processes(ctx):
    counter = ctx.Value("i", 0)
    workers = [ctx.Process(target=_targets.add_under_lock,
                           args=(counter.get_lock(), counter, 100)) for _ in range(2)]
    array = ctx.Array("i", 3)
    workers.append(ctx.Process(target=_targets.add_to_array, args=(array, 5)))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(JOIN_TIMEOUT)
        assert worker.exitcode == 0
    assert counter.value == 200
    assert array[:] == [5, 5, 5]


def test_shared_memory_written_by_a_child(ctx):
    segment = shared_memory.SharedMemory(create=True, size=64)
    try:
        run(ctx, _targets.write_shared_memory, segment.name, b"from the child")
        assert bytes(segment.buf[:14]) == b"from the child"
    finally:
        segment.close()
        segment.unlink()


def test_shareable_list_across_processes(ctx):
    values = shared_memory.ShareableList([1, 2, 3])
    try:
        run(ctx, _targets.double_shareable_list, values.shm.name)
        assert list(values) == [2, 4, 6]
    finally:
        values.shm.close()
        values.shm.unlink()


def test_log_to_stderr_names_the_process(ctx, tmp_path):
    stderr = tmp_path / "stderr.txt"
    worker = run(ctx, _targets.with_stderr_to, str(stderr), _targets.log_warning,
                 "hello from a child")
    assert f"[WARNING/{worker.name}] hello from a child" in stderr.read_text()


def test_get_logger_is_the_machinerys_logger():
    import logging

    assert processing.get_logger() is logging.getLogger("multiprocessing")
