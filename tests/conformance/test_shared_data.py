"""Manager(), Value and Array: factories, sharing with a worker, locks, typecodes, bad input."""

import ctypes

import pytest

import concurrent._shared as shared
from tests.conformance import _targets

WAIT = _targets.WAIT


@pytest.fixture(scope="module")
def manager(backend):
    with backend.Manager() as started:
        yield started


def test_manager_is_a_shared_manager(manager):
    assert isinstance(manager, shared.Manager)


def test_manager_containers(manager):
    shared_list = manager.list([1, 2])
    shared_list.append(3)
    assert list(shared_list) == [1, 2, 3]
    shared_dict = manager.dict(a=1)
    shared_dict["b"] = 2
    assert dict(shared_dict) == {"a": 1, "b": 2}
    namespace = manager.Namespace(x=1)
    namespace.y = 2
    assert (namespace.x, namespace.y) == (1, 2)
    value = manager.Value("i", 7)
    value.value += 1
    assert value.value == 8
    numbers = manager.Array("i", [1, 2, 3])
    assert (len(numbers), numbers[1]) == (3, 2)


def test_manager_queues_and_primitives(manager):
    queue = manager.Queue()
    queue.put("q")
    assert queue.get(timeout=WAIT) == "q"
    jobs = manager.JoinableQueue()
    jobs.put(1)
    jobs.get(timeout=WAIT)
    jobs.task_done()
    for factory in (manager.Lock, manager.RLock, manager.Semaphore, manager.BoundedSemaphore):
        primitive = factory()
        assert primitive.acquire(timeout=WAIT)
        primitive.release()
    event = manager.Event()
    event.set()
    assert event.is_set() and event.wait(0)
    condition = manager.Condition()
    with condition:
        assert condition.wait(0.01) is False
    assert manager.Barrier(1).wait(WAIT) == 0


def test_manager_pool(manager):
    pool = manager.Pool(1)
    try:
        assert pool.apply(_targets.square, (5,)) == 25
    finally:
        pool.terminate()


def test_manager_list_shared_with_a_worker(backend, manager, start):
    shared_list, done = manager.list(), backend.Queue()
    start(_targets.append_to, shared_list, "from the worker", done)
    assert done.get(timeout=WAIT) is True
    assert list(shared_list) == ["from the worker"]


def test_value_is_locked_across_workers(backend, start):
    counter, done = backend.Value("i", 0), backend.Queue()
    start(_targets.increment, counter, 200, done)
    _targets.increment(counter, 200, done)
    assert [done.get(timeout=WAIT) for _ in range(2)] == [True, True]
    assert counter.value == 400


def test_value_lock_choices_and_ctypes_types(backend):
    lock = backend.RLock()
    guarded = backend.Value(ctypes.c_double, 1.5, lock=lock)
    assert guarded.get_lock() is lock and guarded.value == 1.5
    assert isinstance(guarded.get_obj(), ctypes.c_double)
    raw = backend.Value("i", 3, lock=False)
    assert raw.value == 3 and not hasattr(raw, "get_lock")
    with backend.Value("l", 1) as _:
        pass


def test_array_from_size_or_sequence(backend):
    zeros = backend.Array("i", 3)
    assert zeros[:] == [0, 0, 0] and len(zeros) == 3
    numbers = backend.Array(ctypes.c_int, [1, 2, 3])
    numbers[0] = 9
    assert numbers[:] == [9, 2, 3]
    with numbers.get_lock():
        assert list(numbers.get_obj()) == [9, 2, 3]
    assert backend.Array("d", [0.5], lock=False)[0] == 0.5


@pytest.mark.parametrize("call", [
    lambda b: b.Value("x", 1),
    lambda b: b.Array("x", 3),
], ids=["Value", "Array"])
def test_unknown_typecode_raises_value_error(backend, call):
    with pytest.raises(ValueError, match="'x'"):
        call(backend)


def test_non_ctypes_type_raises_type_error(backend):
    with pytest.raises(TypeError):
        backend.Value(int, 1)


def test_value_rejects_a_lock_without_acquire(backend):
    with pytest.raises(AttributeError, match="acquire"):  # what multiprocessing raises
        backend.Value("i", 1, lock="not a lock")
    with pytest.raises(AttributeError, match="acquire"):
        backend.Array("i", 3, lock=object())
