"""Manager proxy channels (_managers_channel): large buffers through shared memory, spinning."""

import array
import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from multiprocessing import connection

import pytest

from concurrent.processing._datapath import memfd_segments
from concurrent.processing._managers import channel as channel_mod
from concurrent.processing._managers.channel import (
    SHARED_THRESHOLD,
    ProxyChannel,
    _OwnSegment,
    agreement,
    identity,
)
from concurrent.processing.connection import _PIPE_SHARED_THRESHOLD
from concurrent.processing.managers import SyncManager
from tests.managers import _targets
from tests.pool.conftest import METHODS, get_context

SHM = "/dev/shm"
BIG = 2 * SHARED_THRESHOLD + 123
HUGE = 2 * _PIPE_SHARED_THRESHOLD + 123  # over a Unix socket, this goes as a memfd descriptor
TCP = ("127.0.0.1", 0)  # a manager here talks TCP: large buffers go through named segments
TRANSPORTS = {"unix": None, "tcp": TCP}
DEADLINE = 15.0

needs_shared_memory = pytest.mark.skipif(
    not os.path.isdir(SHM) or identity() is None,
    reason="channels share memory only where /dev/shm and /proc boot ids exist")
pytestmark = needs_shared_memory


def until(condition, seconds=DEADLINE):
    """Poll ``condition()`` until true or the deadline passes; its last value."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return condition()
        time.sleep(0.01)  # polling interval of a bounded poll
    return True


def segment_names(*pids):
    """Channel segments in /dev/shm created by any of ``pids``."""
    prefixes = tuple(f"cpb_m{pid:x}_" for pid in pids)
    return {name for name in os.listdir(SHM) if name.startswith(prefixes)}


def channel_of(proxy):
    """The calling thread's ProxyChannel to ``proxy``'s manager."""
    channel = proxy._tls.connection
    assert isinstance(channel, ProxyChannel)
    return channel


@contextlib.contextmanager
def reporting_child(ctx, target, *args, **kwds):
    """Start ``target(*args, conn, **kwds)`` in a child; yield it and the first thing it sends
    on ``conn``.  On the way out a child still running is killed, and joined (bounded)."""
    ours, theirs = ctx.Pipe()
    child = ctx.Process(target=target, args=(*args, theirs), kwargs=kwds)
    child.start()
    theirs.close()
    try:
        assert ours.poll(60), "the child did not report"
        yield child, ours.recv()
    finally:
        if child.exitcode is None:
            child.kill()
        child.join(10)
        ours.close()


def stop(manager):
    """Shut a started manager down (bounded) and check its process ended."""
    process = manager._process
    manager.shutdown()
    process.join(10)
    if process.exitcode is None:
        process.kill()
        process.join(10)
    assert process.exitcode is not None


@pytest.fixture(scope="module", params=[(method, transport) for method in METHODS
                                        for transport in TRANSPORTS],
                ids=lambda param: "-".join(param))
def manager(request):
    method, transport = request.param
    started = SyncManager(address=TRANSPORTS[transport], ctx=get_context(method))
    started.start()
    yield started
    stop(started)


@pytest.fixture(scope="module", params=METHODS)
def tcp_manager(request):
    """A manager over TCP on this host: its channels send through named segments."""
    started = SyncManager(address=TCP, ctx=get_context(request.param))
    started.start()
    yield started
    stop(started)


@pytest.fixture(scope="module", params=METHODS)
def unix_manager(request):
    """A manager over a Unix socket (the default): large buffers travel as descriptors."""
    started = SyncManager(ctx=get_context(request.param))
    started.start()
    yield started
    stop(started)


# 1. Round trips -------------------------------------------------------------------------------

def _same_view(got, expected):
    assert type(got) is memoryview
    assert (got.format, got.shape, got.readonly) == (expected.format, expected.shape,
                                                       expected.readonly)
    assert got.tobytes() == expected.tobytes()


def _values():
    """(label, value, checker) with checker(got) asserting value and type."""
    big = _targets.large_pattern(BIG)
    huge = _targets.large_pattern(HUGE, seed=7)
    doubles = array.array("d", (float(i) for i in range(BIG // 8)))
    ints = bytearray(_targets.large_pattern(4 * 512 * 256, seed=3))

    def equal(expected):
        def check(got):
            assert type(got) is type(expected)
            assert got == expected
        return check

    def view(expected):
        return lambda got: _same_view(got, expected)

    def nested(expected):
        def check(got):
            assert type(got) is type(expected)
            items = list(got.values()) if isinstance(got, dict) else list(got)
            wanted = list(expected.values()) if isinstance(expected, dict) else list(expected)
            assert len(items) == len(wanted)
            for item, want in zip(items, wanted):
                if isinstance(want, memoryview):
                    _same_view(item, want)
                elif isinstance(want, (list, tuple, dict)):
                    nested(want)(item)
                else:
                    assert type(item) is type(want) and item == want
        return check

    return [
        ("small bytes", b"abc", equal(b"abc")),
        ("small memoryview", memoryview(b"xyz"), view(memoryview(b"xyz"))),
        ("bytes", big, equal(big)),
        ("bytearray", bytearray(big), equal(bytearray(big))),
        ("str", "s" * BIG, equal("s" * BIG)),
        ("memoryview of bytes", memoryview(big), view(memoryview(big))),
        ("memoryview of bytearray", memoryview(bytearray(big)),
         view(memoryview(bytearray(big)))),
        ("memoryview of array('d')", memoryview(doubles), view(memoryview(doubles))),
        ("2-d memoryview", memoryview(ints).cast("i", (512, 256)),
         view(memoryview(ints).cast("i", (512, 256)))),
        ("just below the threshold", bytes(SHARED_THRESHOLD - 1),
         equal(bytes(SHARED_THRESHOLD - 1))),
        ("at the threshold", bytearray(SHARED_THRESHOLD), equal(bytearray(SHARED_THRESHOLD))),
        ("just above the threshold", b"\x01" * (SHARED_THRESHOLD + 1),
         equal(b"\x01" * (SHARED_THRESHOLD + 1))),
        ("tuple", (big, 1, "x", bytearray(big)), nested((big, 1, "x", bytearray(big)))),
        ("list", [memoryview(doubles), b"small", big], nested([memoryview(doubles), b"small",
                                                               big])),
        ("dict", {"a": big, "b": [bytearray(big), 2], "c": memoryview(big)},
         nested({"a": big, "b": [bytearray(big), 2], "c": memoryview(big)})),
        ("deeply nested memoryview", [[[memoryview(big)]]], nested([[[memoryview(big)]]])),
        ("bytes as a descriptor", huge, equal(huge)),
        ("memoryview as a descriptor", memoryview(bytearray(huge)),
         view(memoryview(bytearray(huge)))),
        ("list of both kinds", [huge, big, bytearray(huge)], nested([huge, big, bytearray(huge)])),
    ]


_LABELS = [label for label, _, _ in _values()]


@pytest.mark.parametrize("label", _LABELS)
def test_dict_round_trip_keeps_value_and_type(manager, label):
    _, value, check = next(entry for entry in _values() if entry[0] == label)
    table = manager.dict()
    table[label] = value
    check(table[label])
    check(table.get(label))
    check(table.copy()[label])  # the whole dict as one reply
    assert len(table) == 1


def test_list_append_and_index(manager):
    big = _targets.large_pattern(BIG, seed=1)
    items = manager.list()
    items.append(big)
    items.append(bytearray(big))
    items.append(memoryview(array.array("d", [0.5]) * (BIG // 8)))
    items.append("small")
    assert items[0] == big and type(items[0]) is bytes
    assert items[1] == big and type(items[1]) is bytearray
    last_view = items[2]
    assert type(last_view) is memoryview and last_view.format == "d"
    assert last_view.tolist() == [0.5] * (BIG // 8)
    assert items[3] == "small" and len(items) == 4
    assert items[:2] == [big, bytearray(big)]


def test_received_values_own_their_memory(manager):
    """The receiver copies out of the segment: the next message through it changes nothing."""
    first = bytearray(_targets.large_pattern(BIG, seed=5))
    second = bytearray(_targets.large_pattern(BIG, seed=9))
    table = manager.dict(first=first, second=second)
    table["view"] = memoryview(first)
    got_view, got_first = table["view"], table["first"]
    assert not got_view.readonly
    assert table["second"] == second  # the server reuses its segment for this reply
    assert got_view.tobytes() == bytes(first) and got_first == first
    got_first[0] ^= 0xFF
    assert table["first"] == first  # the manager's copy is not ours


@pytest.mark.parametrize("kind", ["float64", "int16 3-d", "read-only", "fortran", "structured",
                                  "strided", "small", "float64 as a descriptor",
                                  "read-only as a descriptor"])
def test_numpy_round_trip(manager, kind):
    np = pytest.importorskip("numpy")
    if kind == "float64":
        value = np.arange(BIG // 8, dtype=np.float64)
    elif kind == "float64 as a descriptor":
        value = np.arange(HUGE // 8, dtype=np.float64)
    elif kind == "read-only as a descriptor":
        value = np.arange(HUGE // 8, dtype=np.int64)
        value.flags.writeable = False
    elif kind == "int16 3-d":
        value = np.arange(64 * 64 * 64, dtype=np.int16).reshape(64, 64, 64)
    elif kind == "read-only":
        value = np.arange(BIG // 4, dtype=np.int32)
        value.flags.writeable = False
    elif kind == "fortran":
        value = np.asfortranarray(np.arange(512 * 256, dtype=np.float64).reshape(512, 256))
    elif kind == "structured":
        value = np.zeros(BIG // 12, dtype=[("a", "<i4"), ("b", "<f8")])
        value["a"] = np.arange(len(value))
    elif kind == "strided":
        value = np.arange(BIG // 4, dtype=np.float64)[::2]
    else:
        value = np.arange(10, dtype=np.uint8)
    table = manager.dict()
    table["array"] = value
    got = table["array"]
    assert type(got) is np.ndarray
    assert got.dtype == value.dtype and got.shape == value.shape
    assert got.flags.writeable == value.flags.writeable
    assert got.tobytes() == value.tobytes()
    if kind == "fortran":
        assert got.flags.f_contiguous
    if got.flags.writeable and got.dtype.names is None:
        got.flat[0] += 1
        assert table["array"].tobytes() == value.tobytes()  # a copy, not a shared view


def test_unpicklable_memoryview_fails_and_channel_goes_on(manager):
    table = manager.dict()
    with pytest.raises((pickle.PicklingError, TypeError)) as caught:
        table["strided"] = memoryview(bytearray(BIG))[::2]
    assert "memoryview" in str(caught.value) or "pickle" in str(caught.value)
    table["after"] = _targets.large_pattern(BIG)
    assert table["after"] == _targets.large_pattern(BIG) and "strided" not in table


# 2. Through shared memory, reused ------------------------------------------------------------

def test_large_values_go_through_a_reused_segment(tcp_manager):
    server_pid = tcp_manager._process.pid
    table = tcp_manager.dict()
    table["a"] = _targets.large_pattern(BIG)
    channel = channel_of(table)
    segment = channel._segment
    assert segment is not None and segment._name is not None
    name = segment._name
    assert name.startswith(f"cpb_m{os.getpid():x}_") and name in os.listdir(SHM)
    table["b"] = _targets.large_pattern(BIG - 1000, seed=1)  # smaller: same segment
    table["c"] = _targets.large_pattern(BIG, seed=2)  # equal: same segment
    assert channel_of(table) is channel and segment._name == name
    assert table["b"] == _targets.large_pattern(BIG - 1000, seed=1)
    assert segment._name == name
    assert segment_names(server_pid), "the server's reply did not go through a segment"
    server_segment = segment._peer
    assert server_segment is not None and server_segment.startswith(f"cpb_m{server_pid:x}_")
    assert table["c"] == _targets.large_pattern(BIG, seed=2)
    assert segment._peer == server_segment  # the server reuses its segment too

    grown = len(segment._mapping) + 1
    table["d"] = bytes(grown)  # does not fit: a new, bigger segment; the old one is unlinked
    assert segment._name != name and name not in os.listdir(SHM)
    assert len(segment._mapping) >= grown
    assert table["d"] == bytes(grown)
    del table["d"]


def test_small_values_create_no_segment(tcp_manager):
    table = tcp_manager.dict()
    seen = {}

    def small_calls():
        table["s"] = b"x" * 1000
        seen["value"] = table["s"]
        channel = channel_of(table)
        seen["segment"] = channel._segment
        seen["name"], seen["peer"] = channel._segment._name, channel._segment._peer

    thread = threading.Thread(target=small_calls)
    thread.start()
    thread.join(30)
    assert not thread.is_alive()
    assert seen["value"] == b"x" * 1000
    assert seen["segment"] is not None  # memory is shared, but nothing needed a segment
    assert seen["name"] is None and seen["peer"] is None


def _our_memfds_in_flight():
    return {segment.key for segment in memfd_segments.SENT._kept if not segment.is_free()}


def _our_memfd(key):
    return next(segment for segment in memfd_segments.SENT._kept if segment.key == key)


def test_unix_socket_channels_pass_large_buffers_as_descriptors(unix_manager):
    """Over a Unix socket a big buffer goes as a memfd that the server keeps reading in place:
    our segment stays in flight while the server holds the value, and is reused once it is
    dropped.  Nothing is named in /dev/shm."""
    server_pid = unix_manager._process.pid
    table = unix_manager.dict()
    table["warm"] = b"w"
    channel = channel_of(table)
    assert channel._segment is None and channel._conn._passes_descriptors
    before = _our_memfds_in_flight()
    table["a"] = memoryview(bytearray(_targets.large_pattern(HUGE, seed=2)))
    (key,) = _our_memfds_in_flight() - before  # the server's value: our segment, read in place
    got = table["a"]
    assert type(got) is memoryview and got == _targets.large_pattern(HUGE, seed=2)
    del table["a"], got  # the server drops its view: our segment is free for the next send
    assert until(_our_memfd(key).is_free)
    kept = {segment.key for segment in memfd_segments.SENT._kept}
    in_flight = _our_memfds_in_flight()
    table["b"] = memoryview(bytearray(HUGE))
    (reused,) = _our_memfds_in_flight() - in_flight
    assert reused in kept  # a segment kept from before (ours just freed, or an older free one)
    assert table["b"] == bytes(HUGE)
    del table["b"]
    assert not segment_names(os.getpid(), server_pid)


def test_descriptor_received_numpy_array_is_private_to_its_reader(unix_manager):
    np = pytest.importorskip("numpy")
    table = unix_manager.dict()
    table["x"] = np.zeros(HUGE // 8)
    first = table["x"]
    first[:] = 1.0  # writes into our mapping of the server's reply segment only
    second = table["x"]  # that segment is in use: the reply comes in another
    assert not second.any() and first.all() and not table["x"].any()


# 3. Nothing left behind ----------------------------------------------------------------------

@pytest.mark.parametrize("drop_first", [True, False], ids=["drop-then-shutdown",
                                                            "shutdown-then-drop"])
@pytest.mark.parametrize("method", METHODS)
def test_no_segment_left_after_shutdown(method, drop_first):
    before = segment_names(os.getpid())
    manager = SyncManager(address=TCP, ctx=get_context(method))
    manager.start()
    server_pid = manager._process.pid
    try:
        table, items = manager.dict(), manager.list()
        table["big"] = _targets.large_pattern(BIG)
        items.append(bytearray(BIG))
        assert table["big"] == _targets.large_pattern(BIG) and items[0] == bytearray(BIG)
        ours = channel_of(table)._segment._name
        assert ours in segment_names(os.getpid())
        assert segment_names(server_pid)
        if drop_first:
            del table, items
            gc.collect()
            # the last proxy closed this thread's channel; the server's ended with it
            assert ours not in os.listdir(SHM)
            assert until(lambda: not segment_names(server_pid)), segment_names(server_pid)
    finally:
        stop(manager)
    # the server's exit finalizers unlinked its segment (if the connection had not)
    assert until(lambda: not segment_names(server_pid)), segment_names(server_pid)
    if not drop_first:
        # the server's exit closed its channels, which unlinked our segment too (a shared
        # tracker); or our channel unlinks it when it closes, just below
        del table, items
        gc.collect()
    assert not segment_names(os.getpid()) - before


# 4. KEEP_BYTES ---------------------------------------------------------------------------------

def test_segment_larger_than_keep_bytes_is_dropped_once_answered_past_the_budget(monkeypatch):
    monkeypatch.setattr(channel_mod, "KEEP_BYTES", 2 << 20)
    monkeypatch.setattr(channel_mod, "BIG_KEEP_BYTES", 0)
    segment = _OwnSegment(shared_tracker=True)
    try:
        _, name, mapping = segment.acquire(1 << 20)
        assert len(mapping) == 1 << 20 and name in os.listdir(SHM)
        segment.answered()
        assert segment._name == name and name in os.listdir(SHM)  # small: kept
        assert segment.acquire(1000)[1] == name  # and reused

        _, exact, mapping = segment.acquire(2 << 20)  # grows: the old one is unlinked
        assert exact != name and name not in os.listdir(SHM)
        assert len(mapping) == channel_mod.KEEP_BYTES
        segment.answered()
        assert segment._name == exact and exact in os.listdir(SHM)  # not more: kept

        _, large, mapping = segment.acquire((2 << 20) + 1)
        assert len(mapping) > channel_mod.KEEP_BYTES and exact not in os.listdir(SHM)
        assert large in os.listdir(SHM)
        segment.answered()
        assert segment._name is None and segment._mapping is None
        assert large not in os.listdir(SHM)

        _, again, _ = segment.acquire(1000)  # the next send makes a fresh small one
        assert again not in (name, exact, large) and again in os.listdir(SHM)
    finally:
        segment.close()
    assert segment._name is None and again not in os.listdir(SHM)
    segment.close()  # twice is harmless


def test_big_segments_are_kept_within_the_budget_and_given_back(monkeypatch):
    monkeypatch.setattr(channel_mod, "KEEP_BYTES", 1 << 20)
    monkeypatch.setattr(channel_mod, "BIG_KEEP_BYTES", 5 << 20)
    monkeypatch.setattr(channel_mod, "_big_kept", 0)
    first, second = _OwnSegment(shared_tracker=True), _OwnSegment(shared_tracker=True)
    try:
        _, name, _ = first.acquire(3 << 20)
        first.answered()
        assert first._name == name and channel_mod._big_kept == 3 << 20  # kept: fits
        assert first.acquire(2 << 20)[1] == name  # and reused
        _, other, _ = second.acquire(3 << 20)
        second.answered()  # 3 + 3 MiB is past the budget: dropped
        assert second._name is None and other not in os.listdir(SHM)
        assert channel_mod._big_kept == 3 << 20
        reader = _OwnSegment(shared_tracker=False)
        _, again, mapping = second.acquire(2 << 20)
        mapping[:5] = b"hello"
        assert bytes(reader.open(0, again, 2 << 20)[:5]) == b"hello"
        assert reader._peer_mapping is not None and channel_mod._big_kept == 5 << 20
        kept = reader._peer_mapping
        mapping[:5] = b"again"
        assert bytes(reader.open(0, again, 2 << 20)[:5]) == b"again"
        assert reader._peer_mapping is kept  # mapped once while the peer sends through it
        reader.close()
        assert reader._peer_mapping is None and channel_mod._big_kept == 3 << 20
    finally:
        first.close()
        second.close()
    assert channel_mod._big_kept == 0 and name not in os.listdir(SHM)


def test_messages_over_keep_bytes_reuse_their_segments_on_both_sides(tcp_manager):
    """With the real budget: a big value sent and read again goes through the same segments
    (which the manager's shutdown unlinks: ``test_no_segment_left_after_shutdown``)."""
    server_pid = tcp_manager._process.pid
    huge = channel_mod.KEEP_BYTES + 1
    table = tcp_manager.dict()
    table["warm"] = b"w"
    segment = channel_of(table)._segment
    for _ in range(2):
        table["huge"] = bytearray(huge)
        ours = segment._name
        assert ours is not None and len(segment._mapping) > channel_mod.KEEP_BYTES
        got = table["huge"]
        assert type(got) is bytearray and len(got) == huge and not any(got[::4096])
        del got
        theirs = segment._peer
        assert theirs in segment_names(server_pid) and segment._peer_mapping is not None
    table["huge"] = bytearray(huge)  # the third time through the same two segments
    assert segment._name == ours and table["huge"] == bytearray(huge) and segment._peer == theirs
    del table["huge"]
    table["after"] = _targets.large_pattern(BIG)
    assert table["after"] == _targets.large_pattern(BIG)
    assert segment._name == ours  # a smaller message goes through the segment kept


def test_own_segment_close_unlinks_a_shared_trackers_peer_segment():
    sender, receiver = _OwnSegment(shared_tracker=True), _OwnSegment(shared_tracker=False)
    bystander = _OwnSegment(shared_tracker=True)
    try:
        _, name, mapping = sender.acquire(100)
        mapping[:5] = b"hello"
        assert bytes(receiver.open(0, name, 5)[:5]) == b"hello"
        assert bytes(bystander.open(0, name, 5)[:5]) == b"hello"
        receiver.close()  # no shared tracker: not ours to unlink
        assert name in os.listdir(SHM)
        bystander.close()  # shared tracker: the peer's segment goes with the channel
        assert name not in os.listdir(SHM)
    finally:
        sender.close()  # already unlinked: no error, no second unregister
    assert sender._name is None


# 5. A killed client --------------------------------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
def test_killed_client_segment_is_unlinked_by_the_server(method):
    ctx = get_context(method)
    with SyncManager(address=TCP, ctx=ctx) as manager:
        store = manager.dict()
        with reporting_child(ctx, _targets.store_large_and_report, store, "big", BIG,
                             wait=True) as (child, name):
            assert name is not None and name.startswith(f"cpb_m{child.pid:x}_")
            assert name in os.listdir(SHM)
            child.kill()
            child.join(10)
            assert child.exitcode == -signal.SIGKILL
            assert until(lambda: name not in os.listdir(SHM)), f"{name} left in {SHM}"
            assert not segment_names(child.pid)
            assert store["big"] == _targets.large_pattern(BIG)  # the server still serves


@pytest.mark.parametrize("method", METHODS)
def test_client_exiting_normally_leaves_no_segment(method):
    ctx = get_context(method)
    with SyncManager(address=TCP, ctx=ctx) as manager:
        store = manager.dict()
        store["mine"] = _targets.large_pattern(BIG, seed=4)
        mine = channel_of(store)._segment._name
        with reporting_child(ctx, _targets.store_large_and_report, store, "child",
                             BIG) as (child, name):
            assert name is not None and name.startswith(f"cpb_m{child.pid:x}_")
            child.join(30)
            assert child.exitcode == 0
            assert until(lambda: not segment_names(child.pid)), segment_names(child.pid)
        # a forked child forgot our segment instead of unlinking it; we still use it
        assert mine in os.listdir(SHM)
        store["again"] = _targets.large_pattern(BIG, seed=6)
        assert channel_of(store)._segment._name == mine
        assert store["child"] == _targets.large_pattern(BIG)


@pytest.mark.parametrize("method", METHODS)
def test_children_share_our_channel_identity(method):
    ctx = get_context(method)
    with reporting_child(ctx, _targets.report_channel_identity) as (child, reported):
        child.join(30)
    assert child.exitcode == 0
    assert reported == identity()
    assert agreement(identity(), reported) == (True, True)


_TRACKER_SCRIPT = textwrap.dedent("""
    import os, signal, sys, time
    from concurrent.processing.managers import SyncManager
    from concurrent.processing._managers.channel import SHARED_THRESHOLD
    from tests.managers import _targets
    from tests.pool.conftest import get_context

    def until(condition, seconds=15):
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, "deadline passed"
            time.sleep(0.01)

    def names(pid):
        return [n for n in os.listdir("/dev/shm") if n.startswith(f"cpb_m{pid:x}_")]

    if __name__ == "__main__":
        size = 2 * SHARED_THRESHOLD + 1
        ctx = get_context(sys.argv[1])
        manager = SyncManager(address=("127.0.0.1", 0), ctx=ctx)
        manager.start()
        server = manager._process
        store = manager.dict()
        ours, theirs = ctx.Pipe()
        child = ctx.Process(target=_targets.store_large_and_report,
                            args=(store, "big", size, theirs, True))
        child.start()
        theirs.close()
        assert ours.poll(60)
        name = ours.recv()
        child.kill()
        child.join(10)
        until(lambda: not names(child.pid))
        assert store["big"] == _targets.large_pattern(size)
        assert names(server.pid)
        server.kill()
        server.join(10)
        try:
            store["big"]
        except (EOFError, OSError):
            pass
        else:
            raise AssertionError("a call to a killed manager returned")
        del store
        manager.shutdown()
        until(lambda: not names(server.pid) and not names(os.getpid()))
        ours.close()
        print("OK", flush=True)
""")


@pytest.mark.parametrize("method", METHODS)
def test_killed_peers_leave_no_resource_tracker_warning(method, tmp_path):
    """A program of its own (its own resource tracker, which reports at exit what is still
    registered): a killed client, then a killed manager; nothing leaked, nothing unregistered
    twice."""
    script = tmp_path / "killed_peers.py"
    script.write_text(_TRACKER_SCRIPT)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    done = subprocess.run([sys.executable, str(script), method], cwd=root, env=env,
                          capture_output=True, text=True, timeout=50)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "OK"
    assert "leaked" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert "Warning" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr


# 6. A killed manager -------------------------------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
def test_killed_server_segment_is_unlinked_by_the_client(method):
    before = segment_names(os.getpid())
    manager = SyncManager(address=TCP, ctx=get_context(method))
    manager.start()
    process = manager._process
    try:
        table = manager.dict()
        table["big"] = _targets.large_pattern(BIG)
        assert table["big"] == _targets.large_pattern(BIG)
        held = segment_names(process.pid)
        assert len(held) == 1
        process.kill()
        process.join(10)
        assert process.exitcode == -signal.SIGKILL
        assert held <= segment_names(process.pid)  # killed: nobody unlinked it yet
        with pytest.raises((EOFError, OSError)):
            table["big"]
        del table
        gc.collect()
        assert until(lambda: not segment_names(process.pid) & held), held
    finally:
        shutdown = threading.Thread(target=manager.shutdown)
        shutdown.start()
        shutdown.join(30)
        assert not shutdown.is_alive(), "shutdown() of a killed manager hangs"
    assert not segment_names(process.pid)
    assert not segment_names(os.getpid()) - before


# 7. Threads ------------------------------------------------------------------------------------

def test_threads_each_use_their_own_channel(tcp_manager):
    table = tcp_manager.dict()
    errors, channels = [], {}

    def worker(number):
        try:
            for step in range(200):
                key = f"{number}-{step % 7}"
                if step % 2:
                    value = _targets.large_pattern(SHARED_THRESHOLD + step, seed=number + step)
                else:
                    value = (number, step, "small")
                table[key] = value
                got = table[key]
                if got != value or type(got) is not type(value):
                    errors.append((number, step, type(got)))
            channel = channel_of(table)
            channels[number] = (id(channel), channel._segment._name)
        except Exception as exc:  # reported by the main thread
            errors.append((number, repr(exc)))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(50)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert len(channels) == 4
    assert len({name for _, name in channels.values()}) == 4  # a segment per thread's channel
    assert all(name is not None for _, name in channels.values())
    # each thread's channel went with its thread, and its segment with it
    names = {name for _, name in channels.values()}
    assert until(lambda: (gc.collect(), not names & set(os.listdir(SHM)))[1])
    assert table[f"3-{199 % 7}"] == _targets.large_pattern(SHARED_THRESHOLD + 199, seed=3 + 199)


# 8. agreement ----------------------------------------------------------------------------------

def test_agreement():
    ours = ("boot:1:1000", "7:42")
    for theirs in (None, "garbage", 3, (), ("boot:1:1000",), ("a", "b", "c"),
                   ["boot:1:1000", "7:42"]):
        assert agreement(ours, theirs) == (False, False)
    assert agreement(None, ours) == (False, False)
    assert agreement(None, None) == (False, False)
    assert agreement(ours, ("other-boot", "7:42")) == (False, False)
    assert agreement(ours, ("boot:1:1000", "7:43")) == (True, False)
    assert agreement(ours, ("boot:1:1000", "7:42")) == (True, True)
    mine = identity()
    assert isinstance(mine, tuple) and len(mine) == 2 and all(isinstance(p, str) for p in mine)
    assert identity() == mine and agreement(mine, mine) == (True, True)


# 9. Spinning -----------------------------------------------------------------------------------

@pytest.fixture
def pipe():
    ends = multiprocessing.Pipe()
    yield ends
    for end in ends:
        end.close()


def _wait_then_send(condition, end, obj):
    """Thread body: wait (bounded) until ``condition()``, then send ``obj`` either way."""
    until(condition, 30)
    end.send(obj)


def test_spin_backs_off_and_resets(monkeypatch, pipe):
    monkeypatch.setattr(channel_mod, "_usable_cpus", lambda: 2)
    monkeypatch.setattr(channel_mod, "SPIN_SECONDS", 1e-6)
    mine, peer = pipe
    channel = ProxyChannel(mine, spin=True)
    assert channel._poll is not None and (channel._skip, channel._backoff) == (0, 0)

    # a slow peer: the spin runs out, recv blocks and still gets the object
    sender = threading.Thread(target=_wait_then_send,
                              args=(lambda: channel._backoff >= 1, peer, "late"))
    sender.start()
    assert channel.recv() == "late"
    sender.join(30)
    assert not sender.is_alive()
    assert (channel._backoff, channel._skip) == (1, 1)

    # the next wait skips its spin (even with an answer already there)
    peer.send("ready")
    assert channel.recv() == "ready"
    assert (channel._backoff, channel._skip) == (1, 0)

    # an answer that comes during the spin resets the backoff
    monkeypatch.setattr(channel_mod, "SPIN_SECONDS", 30.0)
    sender = threading.Thread(target=_wait_then_send,
                              args=(lambda: channel_mod._spinning.locked(), peer, "on time"))
    sender.start()
    assert channel.recv() == "on time"
    sender.join(30)
    assert not sender.is_alive()
    assert (channel._backoff, channel._skip) == (0, 0)
    assert not channel_mod._spinning.locked()


def test_spin_backoff_doubles_up_to_its_cap(monkeypatch, pipe):
    monkeypatch.setattr(channel_mod, "_usable_cpus", lambda: 2)
    monkeypatch.setattr(channel_mod, "SPIN_SECONDS", 1e-6)
    channel = ProxyChannel(pipe[0], spin=True)
    backoffs, skipped = [], []
    for _ in range(9):
        channel._spin()  # nothing to read: the spin runs out
        backoffs.append(channel._backoff)
        count = 0
        while channel._skip:
            channel._spin()
            count += 1
        skipped.append(count)
    cap = channel_mod._MAX_BACKOFF
    expected = [min(1 << n, cap) for n in range(9)]
    assert backoffs == expected and skipped == expected and cap == 64


def test_only_one_thread_spins(monkeypatch, pipe):
    monkeypatch.setattr(channel_mod, "_usable_cpus", lambda: 2)
    monkeypatch.setattr(channel_mod, "SPIN_SECONDS", 30.0)
    channel = ProxyChannel(pipe[0], spin=True)
    with channel_mod._spinning:  # another thread is spinning: no spin, no backoff
        started = time.monotonic()
        channel._spin()
        assert time.monotonic() - started < 10
    assert (channel._backoff, channel._skip) == (0, 0)
    pipe[1].send("there")
    channel._spin()  # already readable: no spin either
    assert (channel._backoff, channel._skip) == (0, 0)
    assert channel.recv() == "there"


def test_no_spinning_when_off_or_single_cpu(monkeypatch, pipe):
    monkeypatch.setattr(channel_mod, "_usable_cpus", lambda: 2)
    assert ProxyChannel(pipe[0], spin=False)._poll is None
    monkeypatch.setattr(channel_mod, "SPIN_SECONDS", 0)
    assert ProxyChannel(pipe[0], spin=True)._poll is None
    monkeypatch.setattr(channel_mod, "SPIN_SECONDS", 1e-4)
    monkeypatch.setattr(channel_mod, "_usable_cpus", lambda: 1)
    channel = ProxyChannel(pipe[0], spin=True)
    assert channel._poll is None
    pipe[1].send(("no", "spin"))
    assert channel.recv() == ("no", "spin")
    assert channel.send == pipe[0].send  # no codec: the connection's own send


@pytest.fixture
def tcp_pipe():
    """Two connected stdlib connections over TCP on this host (no descriptors can pass)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        left = socket.create_connection(listener.getsockname())
        right, _ = listener.accept()
    ends = [connection.Connection(end.detach()) for end in (left, right)]
    yield ends
    for end in ends:
        end.close()


def test_in_process_channel_pair_shares_memory(tcp_pipe):
    a, b = tcp_pipe
    client = ProxyChannel(a, share_memory=True, shared_tracker=True, spin=False)
    server = ProxyChannel(b, share_memory=True, shared_tracker=True, spin=False)
    try:
        request = ("req", memoryview(bytearray(_targets.large_pattern(BIG, seed=1))))
        client.send(request)
        got = server.recv()
        assert got[0] == "req" and got[1].tobytes() == request[1].tobytes()
        client_name = client._segment._name
        assert client_name in os.listdir(SHM) and server._segment._peer == client_name
        server.send(("rep", bytes(BIG)))
        assert client.recv() == ("rep", bytes(BIG))
        server_name = server._segment._name
        assert server_name in os.listdir(SHM) and client._segment._peer == server_name
        client.send(("req", b"\xff" * BIG))  # reuses the segment the first request used
        assert client._segment._name == client_name
        assert server.recv() == ("req", b"\xff" * BIG)
        assert got[1].tobytes() == request[1].tobytes()  # copied out: not overwritten
    finally:
        client.close()
        server.close()
    assert client_name not in os.listdir(SHM) and server_name not in os.listdir(SHM)
    assert client._segment._name is None and server._segment._name is None


# 10. Mixed with multiprocessing's managers ----------------------------------------------------

def test_our_proxies_work_with_a_stdlib_server():
    """multiprocessing's server refuses the identity exchange; the proxy falls back to its form."""
    import multiprocessing.managers as stdlib_managers

    authkey = os.urandom(16)
    server = stdlib_managers.SyncManager(authkey=authkey)
    server.start()
    try:
        client = SyncManager(address=server.address, authkey=authkey)
        client.connect()
        table = client.dict()
        big = _targets.large_pattern(BIG, seed=11)
        table["big"] = big
        assert table["big"] == big and len(table) == 1
        assert channel_of(table)._segment is None  # no shared memory with that server
        del table
    finally:
        stop(server)


def test_stdlib_proxies_work_with_our_server(manager):
    import multiprocessing.managers as stdlib_managers

    # Proxies share one connection per thread and address (BaseProxy._address_to_local): ours
    # left in reference cycles by earlier tests (a pytest.raises traceback) would lend theirs.
    gc.collect()
    client = stdlib_managers.SyncManager(address=manager.address, authkey=manager._authkey)
    client.connect()
    table = client.dict()
    big = _targets.large_pattern(BIG, seed=12)
    table["big"] = big
    assert table["big"] == big and table.keys() == ["big"]
    assert type(table._tls.connection).__name__ == "Connection"  # the stdlib's own
    del table
