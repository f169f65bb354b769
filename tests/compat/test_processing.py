"""compat.processing: pyprocessing 0.52 names on real concurrent.processing objects."""

from __future__ import annotations

import io
import logging
import multiprocessing
import multiprocessing.connection
import multiprocessing.util
import operator
import re
import sys
import threading
import warnings

import pytest

import compat.processing as legacy
import compat.processing.connection as legacy_connection
import compat.processing.dummy as dummy
import compat.processing.dummy.connection as dummy_connection
import compat.processing.managers as legacy_managers
import compat.processing.sharedctypes as legacy_sharedctypes
import concurrent.processing as new
import concurrent.threading as new_threading
from compat import LegacyNameWarning
from tests.compat._helpers import START_METHODS

PY052_NAMES = ["Process", "currentProcess", "activeChildren", "cpuCount", "freezeSupport",
               "enableLogging", "getLogger", "Manager", "LocalManager", "Pipe", "Queue", "Pool",
               "Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition", "Event", "Value",
               "Array", "BufferTooShort", "ProcessError", "AuthenticationError", "TimeoutError"]


@pytest.fixture(params=START_METHODS)
def start_method(request):
    """Run the test with each start method, restoring the previous choice afterwards."""
    before = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method(request.param, force=True)
    yield request.param
    multiprocessing.set_start_method(before, force=True)
    assert new.active_children() == []  # no stray process left behind


def _warns(message):
    """Expect exactly ``message`` as a LegacyNameWarning."""
    return pytest.warns(LegacyNameWarning, match=f"^{re.escape(message)}$")


def report_name(conn):
    """Child: answer with legacy calls on objects made in this process and sent here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LegacyNameWarning)
        conn.sendBytes(legacy.currentProcess().getName().encode())
        conn.close()


def test_every_052_name_is_here():
    assert [name for name in PY052_NAMES if not hasattr(legacy, name)] == []


def test_process_legacy_methods_across_start_methods(start_method):
    parent_end, child_end = legacy.Pipe()
    process = legacy.Process(target=report_name, args=(child_end,))
    with pytest.warns(LegacyNameWarning, match=r"^processing\.Process\.setName\(\) is deprecated"):
        process.setName("reporter")
    with pytest.warns(LegacyNameWarning):
        process.setDaemon(True)
        assert process.getPid() is None
        process.start()
        assert parent_end.poll(30)
        assert parent_end.recvBytes() == b"reporter"
        process.join(30)
        assert process.getExitCode() == 0
        assert process.getPid() == process.pid
        assert process.isAlive() is False
        assert process.isDaemon() is True
        assert process.getAuthKey() == process.authkey
        process.setAuthKey(b"another key")
    assert process.authkey == b"another key"
    child_end.close()
    parent_end.close()


def test_isinstance_holds_both_ways():
    for old_cls, new_cls in [(legacy.Process, new.Process), (legacy.Queue, new.Queue),
                             (legacy.Condition, new.Condition), (legacy.Event, new.Event),
                             (dummy.Process, new_threading.Process)]:
        assert issubclass(old_cls, new_cls) and issubclass(new_cls, old_cls)
    queue = new.Queue()
    assert isinstance(queue, legacy.Queue) and isinstance(legacy.Queue(), new.Queue)
    assert legacy.Lock is new.Lock and legacy.Semaphore is new.Semaphore


def test_current_process_is_the_real_object_with_legacy_methods():
    with pytest.warns(LegacyNameWarning, match=r"use concurrent\.processing\.current_process\(\)"):
        me = legacy.currentProcess()
    assert me is new.current_process()
    with pytest.warns(LegacyNameWarning):
        assert me.getName() == "MainProcess"
        assert legacy.activeChildren() == []
        assert legacy.cpuCount() == new.cpu_count()
        legacy.freezeSupport()
        assert legacy.getLogger() is new.get_logger()
    assert not hasattr(new.Process, "getName")


def test_queue_legacy_methods():
    queue = legacy.Queue()
    with pytest.warns(LegacyNameWarning, match=r"^processing\.Queue\.putMany\(\) is deprecated, "
                                               r"call put\(\) for each item instead$"):
        queue.putMany([1, 2])
    with pytest.warns(LegacyNameWarning):
        queue.putNoWait(3)
        assert [queue.get(timeout=30) for _ in range(2)] == [1, 2]
        assert queue.get(timeout=30) == 3
        with pytest.raises(new.Empty):
            queue.getNoWait()
        queue.close()
        queue.joinThread()
    other = legacy.Queue()
    other.put(1)
    with pytest.warns(LegacyNameWarning, match="cancel_join_thread"):
        other.cancelJoin()
    other.close()


def test_connection_bytes_methods():
    left, right = legacy.Pipe()
    buffer = bytearray(5)
    with pytest.warns(LegacyNameWarning):
        left.sendBytes(b"hello")
        left.sendBytes(b"world")
        assert right.recvBytes() == b"hello"
        assert right.recvBytesInto(buffer) == 5
    assert bytes(buffer) == b"world"
    assert isinstance(left, new.Connection)
    left.close()
    right.close()


def test_listener_client_and_challenges():
    with legacy_connection.Listener(("127.0.0.1", 0), authenticate=True) as listener:
        received = []
        server = threading.Thread(target=lambda: received.append(listener.accept().recv()))
        server.start()
        client = legacy_connection.Client(listener.address, authenticate=True)
        client.send("over the wire")
        server.join(30)
        client.close()
    assert received == ["over the wire"]

    left, right = legacy.Pipe()
    answered = threading.Thread(target=legacy_connection.answerChallenge,
                                args=(right, b"secret"))
    with pytest.warns(LegacyNameWarning) as record:
        answered.start()
        legacy_connection.deliverChallenge(left, b"secret")  # raises if the answer is wrong
        answered.join(30)
    assert {str(w.message).split(" is")[0] for w in record} == {
        "processing.connection.deliverChallenge()", "processing.connection.answerChallenge()"}
    left.close()
    right.close()


def test_pool_legacy_methods():
    pool = legacy.Pool(1)
    try:
        with pytest.warns(LegacyNameWarning):
            assert pool.mapAsync(abs, [-1, -2]).get(30) == [1, 2]
            assert pool.applyAsync(abs, (-3,)).get(30) == 3
            assert sorted(pool.imapUnordered(abs, [-4, -5])) == [4, 5]
    finally:
        pool.close()
        pool.join()


def test_enable_logging_with_a_handler_type():
    stream = io.StringIO()
    with pytest.warns(LegacyNameWarning, match="log_to_stderr"):
        logger = legacy.enableLogging(logging.INFO, logging.StreamHandler, (stream,),
                                      "%(levelname)s:%(message)s")
    try:
        logger.info("hello")
        assert stream.getvalue() == "INFO:hello\n"
    finally:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


def test_local_manager_factories():
    with pytest.warns(LegacyNameWarning, match=r"^processing\.LocalManager\(\) is deprecated"):
        manager = legacy.LocalManager()
    with manager:
        assert isinstance(manager.Lock(), type(new.Lock()))
        assert manager.Value("i", 5).value == 5
        with pytest.raises(AttributeError, match="LocalManager has no factory 'dict'"):
            _ = manager.dict


def test_sharedctypes_keep_their_names():
    assert legacy_sharedctypes.RawArray is new.sharedctypes.RawArray
    assert legacy_sharedctypes.Value("d", 1.5).value == 1.5


def test_dummy_is_the_api_on_threads():
    with pytest.warns(LegacyNameWarning, match=r"^processing\.dummy\.currentProcess\(\)"):
        assert dummy.currentProcess() is new_threading.current_thread()
    results = dummy.Queue()
    worker = dummy.Process(target=results.put, args=(1,))
    with pytest.warns(LegacyNameWarning):
        worker.start()
        worker.join(30)
        assert worker.getExitCode() == 0
        assert worker.getPid() == worker.pid
        results.putMany([2])
        assert dummy.cpuCount() >= 1
    assert [results.get(timeout=30) for _ in range(2)] == [1, 2]
    pool = dummy.Pool(2)
    try:
        with pytest.warns(LegacyNameWarning):
            assert pool.mapAsync(abs, [-1]).get(30) == [1]
    finally:
        pool.close()
        pool.join()
    left, right = dummy.Pipe()
    with pytest.warns(LegacyNameWarning):
        left.sendBytes(b"x")
        assert right.recvBytes() == b"x"
    assert isinstance(left, new_threading.Connection)
    assert dummy_connection.Connection is type(left)


class Greeter:
    def greet(self):
        return "hello"


# At module level, so that the manager's server process can be started by pickling it (spawn,
# forkserver); the legacy CreatorMethod warns once, here, and the test checks that it did.
with warnings.catch_warnings(record=True) as _greeter_warnings:
    warnings.simplefilter("always")

    class GreeterManager(legacy_managers.BaseManager):
        Greeter = legacy_managers.CreatorMethod(Greeter)


def test_custom_manager_with_creator_method_and_from_address():
    assert [(w.category, "CreatorMethod" in str(w.message)) for w in _greeter_warnings] == [
        (LegacyNameWarning, True)]
    manager = GreeterManager(address=("127.0.0.1", 0), authkey=b"key")
    manager.start()
    try:
        assert manager.Greeter().greet() == "hello"
        with pytest.warns(LegacyNameWarning, match="connect"):
            remote = GreeterManager.fromAddress(manager.address, b"key")
        assert remote.Greeter().greet() == "hello"
    finally:
        manager.shutdown()


def test_serve_forever_delegates_to_the_server():
    served = []

    class Server:
        def serve_forever(self):
            served.append(True)

    manager = legacy_managers.BaseManager(address=("127.0.0.1", 0), authkey=b"key")
    manager.get_server = Server
    with pytest.warns(LegacyNameWarning, match=r"get_server\(\)\.serve_forever\(\)"):
        manager.serveForever()
    assert served == [True]


def test_manager_proxies_keep_legacy_names():
    manager = legacy.Manager()
    try:
        event = manager.Event()
        event.set()
        with pytest.warns(LegacyNameWarning):
            assert event.isSet() is True
    finally:
        manager.shutdown()


def compare_shared(conn, shared, nested):
    """Child: compare proxies it was sent with plain values, as 0.52 programs did."""
    conn.send([shared == [0, 1, 2], shared != [0, 1, 2], [0, 1] < shared, nested == [[0, 1, 2]]])
    conn.close()


def test_shared_list_and_dict_compare_by_value_as_in_052(start_method):
    # 0.52 exposed __cmp__ on them; multiprocessing's proxies compare by identity.
    manager = legacy.Manager()
    try:
        shared = manager.list(range(3))
        nested = manager.list([shared])
        assert shared == [0, 1, 2] and shared == manager.list([0, 1, 2])
        assert shared != [0, 1] and not shared != [0, 1, 2]
        assert [0, 1] < shared < [0, 1, 3] and shared <= [0, 1, 2] and shared >= [0, 1, 2]
        assert [0, 1, 3] > shared and not shared > [0, 1, 2]
        assert nested == [[0, 1, 2]]
        table = manager.dict({"a": 1})
        assert table == {"a": 1} and table != {"a": 2} and not table == {}
        with pytest.raises(TypeError):  # dicts have no order
            operator.lt(table, {})
        assert len({shared, table, nested}) == 3  # hashable by identity, as 0.52's were
        ours, theirs = legacy.Pipe()
        child = legacy.Process(target=compare_shared, args=(theirs, shared, nested))
        child.start()
        assert ours.recv() == [True, False, True, True]
        child.join(30)
        assert child.exitcode == 0
    finally:
        manager.shutdown()


# -- 0.52 programs' other needs: putmany, getlock, logging levels, families, a sendable authkey


def test_queue_lowercase_aliases_of_052():
    queue = legacy.Queue()
    with _warns("processing.Queue.putmany() is deprecated, call put() for each item instead"):
        queue.putmany([1, 2])
    assert [queue.get(timeout=30) for _ in range(2)] == [1, 2]
    queue.close()
    with _warns("processing.Queue.jointhread() is deprecated, use join_thread() instead"):
        queue.jointhread()
    other = legacy.Queue()
    other.put(1)
    with _warns("processing.Queue.canceljoin() is deprecated, use cancel_join_thread() instead"):
        other.canceljoin()
    other.close()
    threads = dummy.Queue()
    with _warns("processing.dummy.Queue.putmany() is deprecated, call put() for each item "
                "instead"):
        threads.putmany("ab")
    assert [threads.get(timeout=30) for _ in range(2)] == ["a", "b"]


def double_under_lock(value, array):
    """Child: use 0.52's getlock()/getobj() on shared objects it was given."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LegacyNameWarning)
        with value.getlock():
            value.getobj().value *= 2
        with array.getlock():
            array.getobj()[0] *= 2


def test_synchronized_getlock_and_getobj_across_start_methods(start_method):
    lock = legacy.Lock()
    value = legacy.Value("i", 5, lock=lock)
    array = legacy_sharedctypes.Array("d", [1.5, 2.0])
    with _warns("processing.Synchronized.getlock() is deprecated, use get_lock() instead"):
        assert value.getlock() is lock
    with _warns("processing.Synchronized.getobj() is deprecated, use get_obj() instead"):
        assert value.getobj().value == 5
    assert isinstance(value, type(new.Value("i", 0)).__mro__[1])  # still the stdlib's wrapper
    child = legacy.Process(target=double_under_lock, args=(value, array))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert (value.value, list(array)) == (10, [3.0, 2.0])
    with pytest.warns(LegacyNameWarning):
        assert legacy.Array("c", b"ab").getobj().value == b"ab"
        assert legacy_sharedctypes.synchronized(legacy_sharedctypes.RawValue("i", 3)) \
            .getobj().value == 3
    assert not hasattr(legacy.Value("i", 1, lock=False), "getlock")  # raw, as in 0.52


def test_logging_levels_of_052():
    levels = {"NOTSET": (0, "logging"), "SUBDEBUG": (5, "multiprocessing.util"),
              "DEBUG": (10, "logging"), "INFO": (20, "logging"),
              "SUBWARNING": (25, "multiprocessing.util")}
    for name, (level, home) in levels.items():
        with _warns(f"processing.{name} is deprecated, use {home}.{name} instead") as record:
            assert getattr(legacy, name) == level
        assert record[0].filename == __file__
    assert (multiprocessing.util.SUBDEBUG, multiprocessing.util.SUBWARNING) == (5, 25)
    with pytest.raises(AttributeError, match="'compat.processing' has no attribute 'WARNING'"):
        _ = legacy.WARNING  # 0.52 had no such name


def send_hello(address):
    """Child: connect to ``address`` and say hello."""
    conn = legacy_connection.Client(address)
    conn.send("hello")
    conn.close()


def test_a_listener_for_each_family(start_method):
    assert legacy_connection.families == multiprocessing.connection.families
    heard = []
    for family in legacy_connection.families:
        with legacy_connection.Listener(family=family) as listener:
            child = legacy.Process(target=send_hello, args=(listener.address,))
            child.start()
            with listener.accept() as conn:
                heard.append((family, conn.recv()))
            child.join(30)
    assert heard == [(family, "hello") for family in legacy_connection.families]


def test_thread_listener_family_is_none():
    assert dummy_connection.families == [None]
    listener = dummy_connection.Listener(family=None)
    client = threading.Thread(target=lambda: dummy_connection.Client(listener.address).send(1))
    client.start()
    assert listener.accept().recv() == 1
    client.join(30)
    listener.close()


def report_authkey(queue):
    """Child: send its authkey through ``queue``, or why that was refused."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LegacyNameWarning)
        key = legacy.currentProcess().getAuthKey()
    try:
        queue.put(key)
    except TypeError as exc:
        queue.put(f"refused: {exc}")


def test_authkey_goes_through_a_queue_as_in_052(start_method):
    queue = legacy.Queue()
    child = legacy.Process(target=report_authkey, args=(queue,))
    child.start()
    received = queue.get(timeout=30)
    child.join(30)
    with pytest.warns(LegacyNameWarning) as record:
        mine = legacy.currentProcess().getAuthKey()
    assert str(record[-1].message) == ("processing.Process.getAuthKey() is deprecated, use "
                                       "bytes(Process.authkey) instead")
    assert type(mine) is bytes and mine == new.current_process().authkey
    assert received == mine


# -- 0.52 programs read pool._pool and pool._cache, print processes, iterate proxies


def test_pool_workers_and_outstanding_results(start_method):
    manager = legacy.Manager()
    pool = legacy.Pool(3)
    try:
        workers = pool._pool
        assert len(workers) == 3
        with pytest.warns(LegacyNameWarning, match=r"^processing\.Process\.isAlive\(\)"):
            assert [worker.isAlive() for worker in workers] == [True] * 3
        assert pool._cache == {}
        release = manager.Event()
        result = pool.apply_async(release.wait, (30,))
        assert list(pool._cache.values()) == [result]
        release.set()
        assert result.get(30) is True
        assert pool._cache == {}
    finally:
        pool.close()
        pool.join(30)
        manager.shutdown()
    with pytest.warns(LegacyNameWarning):
        assert [worker.isAlive() for worker in workers] == [False] * 3  # ended (and closed)
    terminated = legacy.Pool(2)
    workers = terminated._pool
    terminated.terminate()
    terminated.join(30)
    with pytest.warns(LegacyNameWarning):
        assert [worker.isAlive() for worker in workers] == [False] * 2


def test_process_repr_is_052s(start_method):
    stop = legacy.Event()
    process = legacy.Process(target=stop.wait, args=(30,), name="sleeper")
    assert repr(process) == "<Process(sleeper, initial)>"
    process.daemon = True
    process.start()
    assert repr(process) == "<Process(sleeper, started daemon)>"
    process.terminate()
    process.join(30)
    assert repr(process) == "<Process(sleeper, stopped[SIGTERM] daemon)>"
    for code, status in [(0, "stopped"), (3, "stopped[3]")]:
        ended = legacy.Process(target=sys.exit, args=(code,), name="ender")
        ended.start()
        ended.join(30)
        assert repr(ended) == f"<Process(ender, {status})>"
    with pytest.warns(LegacyNameWarning):
        assert repr(legacy.currentProcess()) == "<_MainProcess(MainProcess, started)>"


def squares(count):
    """A generator: 0.52 proxies iterated it with _callMethod('next')."""
    for number in range(count):
        yield number * number


class Counter:
    """0.52: ``__exposed__`` on the callable names the methods its proxies get."""

    __exposed__ = ("value",)

    def __init__(self):
        self.count = 0

    def bump(self):
        self.count += 1

    def value(self):
        return self.count


# Module level, so that a spawn or forkserver server process finds them by pickling.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", LegacyNameWarning)

    class GeneratorProxy(legacy_managers.BaseProxy):
        def __iter__(self):
            return self

        def __next__(self):
            return self._callMethod("next")

    class IteratorManager(legacy_managers.BaseManager):
        auto_squares = legacy_managers.CreatorMethod(squares)
        squares = legacy_managers.CreatorMethod(squares, proxytype=GeneratorProxy)
        Counter = legacy_managers.CreatorMethod(Counter)


def test_proxies_call_next_by_its_python2_name(start_method):
    manager = IteratorManager()
    manager.start()
    try:
        with _warns("processing.managers.BaseProxy._callMethod() is deprecated, use "
                    "_callmethod() instead"):
            assert list(manager.squares(4)) == [0, 1, 4, 9]
        auto = manager.auto_squares(3)  # exposes __next__ (0.52: next) with send, throw, close
        assert set(auto._exposed_) == {"__next__", "close", "send", "throw"}
        with pytest.warns(LegacyNameWarning):
            assert [auto._callMethod("next"), next(auto), auto._callmethod("__next__")] == \
                [0, 1, 4]
        counter = manager.Counter()
        assert (hasattr(counter, "value"), hasattr(counter, "bump")) == (True, False)
    finally:
        manager.shutdown()


# -- what 0.52's own test suite relies on


def echo_bytes(conn):
    """Thread worker: echo byte messages with 0.52's names until an empty one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LegacyNameWarning)
        for message in iter(conn.recvBytes, b""):
            conn.sendBytes(message)


def test_dummy_module_is_its_own_manager_and_pipe_ends_keep_legacy_names():
    assert (dummy.dict, dummy.list) == (dict, list)
    assert dummy.Process is dummy.DummyProcess  # 0.52's class name, which its repr shows
    assert repr(dummy.Process(name="worker")) == "<DummyProcess(worker, initial)>"
    shared = dummy.Namespace()
    shared.name, shared.job = "Bob", "Builder"
    del shared.job
    assert repr(shared) == "Namespace(name='Bob')"
    with _warns("processing.dummy.freezeSupport() is deprecated, remove the call (threads "
                "need no freeze support) instead"):
        assert dummy.freezeSupport() is None
    ours, theirs = dummy.Pipe()
    worker = dummy.Process(target=echo_bytes, args=(theirs,))
    worker.start()
    with pytest.warns(LegacyNameWarning):
        ours.sendBytes(b"ping")
        assert ours.poll(30)
        assert ours.recvBytes() == b"ping"
        ours.sendBytes(b"")
    worker.join(30)
    assert worker.exitcode == 0  # the worker's own handle had recvBytes too


def test_enable_logging_sets_every_level_notset_included():
    logger = new.get_logger()
    before = logger.level
    try:
        with pytest.warns(LegacyNameWarning):
            legacy.enableLogging(37)
            assert logger.getEffectiveLevel() == 37
            legacy.enableLogging(level=logging.NOTSET)
        assert logger.level == logging.NOTSET
    finally:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.setLevel(before)
