"""Manager(): every factory, used here and by a worker, nesting, the context manager, shutdown.

On threads the factories return plain objects; on processes, proxies to a server.  Either way
the objects behave like the real ones and a worker started with them sees the same state.
"""

import pytest

import concurrent._shared as shared
from tests.conformance import _targets
from tests.conformance._helpers import finish_within

WAIT = _targets.WAIT


@pytest.fixture(scope="module")
def manager(backend):
    with backend.Manager() as started:
        yield started


def test_manager_is_started_and_a_shared_manager(manager):
    assert isinstance(manager, shared.Manager)
    assert list(manager.list()) == []


def test_list_and_dict_behave_like_the_real_ones(manager):
    items = manager.list([3, 1, 2])
    assert (len(items), 1 in items, 7 in items, items[0], items[-1]) == (3, True, False, 3, 2)
    assert list(items) == [3, 1, 2] and items[1:] == [1, 2]
    items.sort()
    items.extend([4])
    del items[0]
    assert list(items) == [2, 3, 4] and items.index(3) == 1 and items.count(4) == 1
    table = manager.dict({"a": 1}, b=2)
    table.update(c=3)
    assert (len(table), "a" in table, table["b"], table.get("z", 0)) == (3, True, 2, 0)
    assert sorted(table) == ["a", "b", "c"] and sorted(table.items())[0] == ("a", 1)
    assert table.pop("c") == 3 and sorted(table.keys()) == ["a", "b"]
    with pytest.raises(KeyError):
        table["missing"]
    with pytest.raises(IndexError):
        items[10]


def test_set_behaves_like_the_real_one(manager):
    # multiprocessing's SyncManager.set() is new in 3.14; every backend has it on every version.
    members = manager.set([3, 1])
    members |= {2}
    members -= {3}
    assert (len(members), 1 in members, 3 in members, sorted(members)) == (2, True, False, [1, 2])
    assert members.union({9}) == {1, 2, 9} and members.intersection({2, 5}) == {2}
    assert members <= {1, 2, 4} and not members.isdisjoint({2})
    members.update({5})
    members.discard(1)
    assert sorted(members.copy()) == [2, 5]
    with pytest.raises(KeyError):
        members.remove("missing")


def test_set_is_shared_with_a_worker(manager, start):
    members, done = manager.set(["first"]), manager.Queue()
    start(_targets.grow_set, members, done)
    assert done.get(timeout=WAIT) == ["or", "worker"]
    assert sorted(members) == ["or", "worker"]


def test_nested_objects_stay_shared(manager):
    outer, inner = manager.list(), manager.list([1])
    outer.append(inner)
    outer[0].append(2)
    assert list(inner) == [1, 2]
    table = manager.dict()
    table["inner"] = manager.dict()
    table["inner"]["key"] = "value"
    assert dict(table["inner"]) == {"key": "value"}


def test_namespace_value_and_array(manager):
    namespace = manager.Namespace(x=1)
    namespace.y = 2
    assert (namespace.x, namespace.y) == (1, 2)
    with pytest.raises(AttributeError):
        namespace.missing  # noqa: B018
    value = manager.Value("i", 7)
    value.value += 1
    assert value.value == 8
    numbers = manager.Array("i", [1, 2, 3])
    numbers[0] = 5
    assert (len(numbers), numbers[0], list(numbers)) == (3, 5, [5, 2, 3])


def test_containers_are_shared_with_a_worker(backend, manager, start):
    items, table, namespace = manager.list(["first"]), manager.dict(start=1), manager.Namespace()
    done = manager.Queue()
    start(_targets.fill_shared, items, table, namespace, done)
    assert done.get(timeout=WAIT) is True
    assert list(items) == ["changed", "worker"]
    assert dict(table) == {"start": 1, "worker": 2}
    assert namespace.seen == 1


def test_value_and_array_are_shared_with_a_worker(manager, start):
    value, numbers, done = manager.Value("i", 1), manager.Array("i", [1, 2]), manager.Queue()
    start(_targets.add_to_value, value, 41, done)
    start(_targets.double_array, numbers, done)
    assert [done.get(timeout=WAIT) for _ in range(2)] == [True, True]
    assert value.value == 42 and list(numbers) == [2, 4]


def test_queue_and_joinable_queue(manager, start):
    results = manager.Queue()
    assert results.empty() and results.qsize() == 0
    start(_targets.put, results, "from the worker")
    assert results.get(timeout=WAIT) == "from the worker"
    with pytest.raises(shared.Empty):
        results.get(timeout=0.01)
    bounded = manager.Queue(1)
    bounded.put(1)
    with pytest.raises(shared.Full):
        bounded.put(2, timeout=0.01)
    jobs = manager.JoinableQueue()
    for item in (1, 2, 3):
        jobs.put(item)
    start(_targets.consume, jobs, results, 3)
    finish_within(jobs.join)
    assert sorted(results.get(timeout=WAIT) for _ in range(3)) == [2, 4, 6]


def test_lock_held_by_a_worker(manager, start):
    lock, acquired = manager.Lock(), manager.Event()
    start(_targets.acquire_and_signal, lock, acquired)
    assert acquired.wait(WAIT)
    assert lock.acquire(timeout=0.01) is False
    lock.release()
    assert lock.acquire(timeout=WAIT)
    lock.release()
    reentrant = manager.RLock()
    with reentrant:
        assert reentrant.acquire(timeout=WAIT)
        reentrant.release()


def test_semaphores_event_condition_and_barrier_with_a_worker(manager, start):
    semaphore = manager.Semaphore(0)
    assert semaphore.acquire(timeout=0.01) is False
    start(_targets.release, semaphore)
    assert semaphore.acquire(timeout=WAIT)
    bounded = manager.BoundedSemaphore(1)
    assert bounded.acquire(timeout=WAIT)
    bounded.release()
    event = manager.Event()
    assert not event.is_set() and event.wait(0.01) is False
    start(_targets.set_event, event)
    assert event.wait(WAIT) and event.is_set()
    event.clear()
    assert not event.is_set()
    condition = manager.Condition()
    with condition:  # held while the worker starts, so its notify finds us waiting
        start(_targets.notify, condition)
        assert condition.wait(WAIT) is True
    barrier, results = manager.Barrier(2), manager.Queue()
    start(_targets.barrier_wait, barrier, results)
    mine = barrier.wait(WAIT)
    assert sorted([mine, results.get(timeout=WAIT)]) == [0, 1]


def test_pool_from_the_manager(manager, start):
    pool = manager.Pool(1)
    try:
        assert pool.apply(_targets.square, (5,)) == 25
        assert pool.map(_targets.square, range(4)) == [0, 1, 4, 9]
        assert pool.apply_async(_targets.add, (1, 2)).get(WAIT) == 3
        done = manager.Queue()
        start(_targets.pool_of_manager, pool, 6, done)
        assert done.get(timeout=WAIT) == 36
    finally:
        pool.terminate()


def test_context_manager_and_shutdown(backend):
    with backend.Manager() as manager:
        assert list(manager.list([1])) == [1]
    other = backend.Manager()
    assert dict(other.dict(a=1)) == {"a": 1}
    other.shutdown()


def test_factories_fail_clearly_after_shutdown(backend):
    with backend.Manager() as manager:
        pass
    with pytest.raises(RuntimeError):
        manager.list()
    other = backend.Manager()
    other.shutdown()
    with pytest.raises(RuntimeError):
        other.dict()
