"""Manager() and its proxies behave like the objects they stand for."""

import threading
import warnings

import pytest

from concurrent import _shared
from concurrent.processing import managers
from concurrent.processing.managers import SyncManager
from tests.conftest import QUICK_METHOD
from tests.managers import _targets
from tests.pool import _targets as pool_targets
from tests.pool.conftest import METHODS, get_context


@pytest.fixture(scope="module")
def manager():
    with SyncManager(ctx=get_context(QUICK_METHOD)) as started:
        yield started


def test_manager_is_started_and_local(manager):
    assert isinstance(manager, _shared.Manager)
    assert isinstance(manager.address, str)  # a Unix socket: reachable from this machine only


def test_list_and_dict_proxies(manager):
    shared = manager.list([1, 2, 3])
    shared.append(4)
    shared += [5]
    assert len(shared) == 5 and 3 in shared and 9 not in shared
    assert list(shared) == [1, 2, 3, 4, 5] and shared[-1] == 5 and shared[1:3] == [2, 3]
    shared[0] = 10
    del shared[1]
    assert shared[:] == [10, 3, 4, 5]
    table = manager.dict(a=1)
    table["b"] = 2
    assert len(table) == 2 and "a" in table and sorted(table) == ["a", "b"]
    assert sorted(table.items()) == [("a", 1), ("b", 2)] and table.get("z", 0) == 0
    with pytest.raises(KeyError):
        table["missing"]


def test_nested_proxies(manager):
    inner = manager.list()
    outer = manager.dict()
    outer["inner"] = inner
    outer["inner"].append("deep")
    assert inner[:] == ["deep"]
    table = manager.dict({"n": 1})
    rows = manager.list([table])
    rows[0]["n"] = 2
    assert table["n"] == 2


def test_namespace_value_array(manager):
    ns = manager.Namespace(x=1)
    ns.y = "two"
    assert (ns.x, ns.y) == (1, "two")
    with pytest.raises(AttributeError):
        _ = ns.missing
    value = manager.Value("i", 7)
    value.value += 1
    assert value.value == 8
    array = manager.Array("d", [0.5, 1.5])
    array[0] = 2.5
    assert len(array) == 2 and list(array[:]) == [2.5, 1.5]


def test_queues_and_primitives(manager):
    queue = manager.Queue()
    queue.put("x")
    assert queue.get(timeout=5) == "x" and queue.empty()
    joinable = manager.JoinableQueue()
    joinable.put(1)
    joinable.get(timeout=5)
    joinable.task_done()
    joinable.join()
    for factory in (manager.Lock, manager.RLock, manager.Semaphore, manager.BoundedSemaphore):
        primitive = factory()
        with primitive:
            pass
        assert primitive.acquire(timeout=1)
        primitive.release()
    event = manager.Event()
    assert not event.wait(0.01)
    event.set()
    assert event.is_set() and event.wait(1)
    condition = manager.Condition()
    with condition:
        assert condition.wait_for(lambda: True, timeout=1)
        condition.notify_all()
    barrier = manager.Barrier(1)
    assert barrier.wait(timeout=5) == 0 and barrier.parties == 1


def test_manager_pool(manager):
    with manager.Pool(2) as pool:
        assert pool.map(abs, [-1, -2, 3]) == [1, 2, 3]
        assert pool.apply_async(pow, (2, 5)).get(timeout=10) == 32
        assert list(pool.imap(abs, [-4, -5])) == [4, 5]


@pytest.mark.skipif("fork" not in METHODS, reason="the fork start method is not available")
def test_a_served_fork_pool_never_forks_from_the_threaded_server():
    # The server runs a thread per client; its fork pools' workers, replacements included, come
    # from a zygote it forked before serving.  A fork from the threaded server would warn
    # (DeprecationWarning, 3.12+), and the server inherits this run's "error" filter.
    parents = set()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with SyncManager(ctx=get_context("fork")) as manager:
            for _ in range(2):  # a second pool shares the zygote and the codec
                with manager.Pool(2, maxtasksperchild=1) as pool:
                    pids, forked_by = zip(*pool.map(pool_targets.pid_and_parent, range(6),
                                                    chunksize=1))
                    assert len(set(pids)) == 6  # a fresh worker per task
                    parents.update(forked_by)
                    big = bytes(range(256)) * (16 << 12)  # 4 MB: through shared memory
                    assert pool.apply(len, (big,)) == len(big)
            server = manager._process.pid
    assert len(parents) == 1 and server not in parents  # one zygote forked them all


def test_register_with_exposed_and_method_to_typeid():
    with _targets.StoreManager(ctx=get_context(QUICK_METHOD)) as manager:
        counter = manager.Counter(1)
        assert counter.increment(2) == 3 and counter.get() == 3
        child = counter.child()
        assert isinstance(child, managers.BaseProxy) and child.get() == 30
        with pytest.raises(AttributeError):
            counter._secret()
        store = manager.get_store()
        store["k"] = "v"
        assert manager.get_store()["k"] == "v"


def test_register_rejects_bad_input():
    class Local(managers.BaseManager):
        pass

    with pytest.raises(ValueError, match="typeid must be an identifier"):
        Local.register("not an id", list)
    with pytest.raises(TypeError, match="callable must be callable"):
        Local.register("thing", 42)
    with pytest.raises(TypeError, match="authkey must be bytes"):
        Local(authkey="text")


def test_shutdown_stops_the_server():
    manager = SyncManager(ctx=get_context(QUICK_METHOD))
    manager.start()
    shared = manager.list([1])
    process = manager._process
    manager.shutdown()
    process.join(10)
    assert process.exitcode is not None
    with pytest.raises((EOFError, OSError)):
        shared.append(2)


@pytest.mark.parametrize("method", METHODS)
def test_proxies_work_in_other_processes(method):
    ctx = get_context(method)
    with SyncManager(ctx=ctx) as manager:
        shared = manager.list()
        worker = ctx.Process(target=_targets.append_pid, args=(shared, 2))
        worker.start()
        worker.join(30)
        assert worker.exitcode == 0
        assert len(shared) == 2 and shared[0] == worker.pid

        # A proxy sent through a queue (not at spawn time) still carries its authkey.
        queue, done = manager.Queue(), manager.Event()
        receiver = ctx.Process(target=_targets.drain_queue_of_proxies, args=(queue, done))
        receiver.authkey = b"a different process authkey"
        receiver.start()
        queue.put(shared)
        assert done.wait(30)
        receiver.join(30)
        assert receiver.exitcode == 0
        assert shared[-1] == "from-queue"


def test_proxy_used_from_threads(manager):
    counter = manager.list()
    threads = [threading.Thread(target=lambda: [counter.append(1) for _ in range(20)])
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
        assert not thread.is_alive()
    assert len(counter) == 80


def test_a_closed_managed_queue_refuses_put_and_get_at_once(manager):
    queue = manager.Queue()
    queue.put(1)
    queue.close()
    with pytest.raises(ValueError, match="closed"):
        queue.put(2)
    with pytest.raises(ValueError, match="closed"):
        queue.get()
