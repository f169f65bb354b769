"""The ring queue: the queue contract, wrap-around, bounds, nothing lost when a process dies."""

from __future__ import annotations

import multiprocessing
import pickle
import threading

import pytest

from concurrent import _shared
from concurrent.processing._datapath.overflow import Overflow
from concurrent.processing._datapath.pickler import UnpicklableError
from concurrent.processing._start import bind
from concurrent.processing.queues import Queue
from tests.datapath import _targets
from tests.datapath.conftest import JOIN_TIMEOUT, finish, segments, start

WAIT = _targets.WAIT


def queue_of(ctx=None, maxsize: int = 0, cls: type = Queue):
    """A ``cls`` (a queue class) bound to ``ctx``'s start method."""
    return bind(cls, None if ctx is None else ctx.get_start_method())(maxsize)


def test_is_a_shared_queue_with_the_queue_contract():
    queue = Queue()
    assert isinstance(queue, _shared.Queue)
    assert queue.empty() and not queue.full() and queue.qsize() == 0
    for item in (0, "one", (2.0,), None):
        queue.put(item)
    assert queue.qsize() == 4 and not queue.empty()
    assert [queue.get(timeout=WAIT) for _ in range(4)] == [0, "one", (2.0,), None]
    with pytest.raises(_shared.Empty):
        queue.get(timeout=0.01)
    with pytest.raises(_shared.Empty):
        queue.get_nowait()
    with pytest.raises(_shared.Empty):
        queue.get(False)


def test_bounded_queue_raises_full_and_rejects_bad_input():
    queue = Queue(2)
    queue.put("a")
    queue.put_nowait("b")
    assert queue.full() and queue.qsize() == 2
    with pytest.raises(_shared.Full):
        queue.put("c", timeout=0.01)
    with pytest.raises(_shared.Full):
        queue.put("c", block=False)
    with pytest.raises(ValueError, match="-1"):
        queue.put("x", timeout=-1)
    with pytest.raises(ValueError, match=r"-0\.5"):
        queue.get(timeout=-0.5)
    assert [queue.get_nowait(), queue.get_nowait()] == ["a", "b"]
    with pytest.raises(ValueError, match="maxsize"):
        Queue(-1)
    with pytest.raises(ValueError, match="4096"):
        _targets.TinyQueue()
    with pytest.raises(ValueError, match="close"):
        queue.join_thread()
    queue.close()
    queue.join_thread()
    queue.cancel_join_thread()
    with pytest.raises(ValueError, match="closed"):
        queue.put("late")


def test_ring_wraps_around():
    queue = queue_of(cls=_targets.SmallQueue)
    sent = [("item", index, "z" * (index % 97)) for index in range(2000)]
    received = []
    for index, item in enumerate(sent):  # many laps of a 4 KiB ring, records split at its end
        queue.put(item)
        if index % 3 == 2:
            received += [queue.get(timeout=WAIT) for _ in range(3)]
    while not queue.empty():
        received.append(queue.get_nowait())
    assert received == sent


def test_full_ring_never_makes_an_unbounded_put_wait():
    queue = queue_of(cls=_targets.SmallQueue)
    sent = [f"{index}:" + "f" * 900 for index in range(200)]  # 50 rings' worth
    for item in sent:
        queue.put(item, block=False)
    assert [queue.get(timeout=WAIT) for _ in sent] == sent
    queue.close()
    queue.join_thread()


def test_bounded_queue_waits_for_ring_room():
    queue = queue_of(maxsize=100, cls=_targets.SmallQueue)
    with pytest.raises(_shared.Full):
        for _ in range(10):
            queue.put("f" * 900, block=False)
    assert queue.qsize() in (3, 4) and not queue.full()


def test_overflowed_items_of_a_child_arrive_in_order(ctx):
    queue = queue_of(ctx, cls=_targets.SmallQueue)
    producer = start(ctx, _targets.produce, queue, 1, 300)  # its exit waits for its overflow
    assert [queue.get(timeout=WAIT)[:2] for _ in range(300)] == [(1, seq) for seq in range(300)]
    finish(producer)


def test_cancel_join_thread_lets_a_producer_exit_with_items_outside_the_ring(ctx):
    queue = queue_of(ctx, cls=_targets.SmallQueue)
    finish(start(ctx, _targets.produce_and_cancel, queue, 300))
    received = []
    while not queue.empty():
        received.append(queue.get_nowait()[:2])
    assert 0 < len(received) < 300
    assert received == [(0, seq) for seq in range(len(received))]


def test_items_larger_than_the_ring_travel_through_shared_memory():
    queue = queue_of(cls=_targets.SmallQueue)
    big_text, big_list = "t" * 100_000, list(range(50_000))
    queue.put(big_text)
    queue.put(big_list)
    assert queue.get(timeout=WAIT) == big_text
    assert queue.get(timeout=WAIT) == big_list


def test_unpicklable_item_raises_in_put_and_nothing_is_queued():
    queue = Queue()
    with pytest.raises(UnpicklableError) as caught:
        queue.put({"ok": 1, "bad": threading.Lock()})
    assert caught.value.path == "item['bad']"
    assert queue.empty()
    queue.put("after")
    assert queue.get(timeout=WAIT) == "after"


def test_pickling_outside_process_start_is_refused():
    with pytest.raises(RuntimeError, match="inheritance"):
        pickle.dumps(Queue())


def test_many_producers_and_consumers_lose_nothing_and_keep_fifo(ctx):
    queue, results = queue_of(ctx, 8, _targets.SmallQueue), ctx.SimpleQueue()
    producers, consumers, count = 3, 3, 300
    children = [start(ctx, _targets.produce, queue, tag, count) for tag in range(producers)]
    children += [start(ctx, _targets.consume, queue, results, count) for _ in range(consumers)]
    seen = [results.get() for _ in range(consumers)]
    for child in children:
        finish(child)
    everything = sorted(item for batch in seen for item in batch)
    assert everything == sorted((tag, seq) for tag in range(producers) for seq in range(count))
    for batch in seen:  # each consumer sees each producer's items in the order they were put
        for tag in range(producers):
            sequence = [seq for item_tag, seq in batch if item_tag == tag]
            assert sequence == sorted(sequence)
    results.close()


def test_blocked_consumer_and_producer_are_woken(ctx):
    jobs, results = queue_of(ctx, 1), queue_of(ctx, 1)
    echo = start(ctx, _targets.echo, jobs, results, 5)  # blocks in get until items come
    producer = start(ctx, _targets.put_all, jobs, list(range(5)))  # blocks on the full queue
    assert [results.get(timeout=WAIT) for _ in range(5)] == list(range(5))
    finish(echo)
    finish(producer)


def test_a_consumer_that_dies_takes_only_the_item_it_got(ctx):
    queue, results = queue_of(ctx), ctx.SimpleQueue()
    for item in range(5):
        queue.put(item)
    finish(start(ctx, _targets.get_one_then_die, queue, results))
    assert results.get() == 0
    assert [queue.get(timeout=WAIT) for _ in range(4)] == [1, 2, 3, 4]
    assert queue.empty()
    results.close()


def test_a_consumer_killed_while_waiting_swallows_nothing(ctx):
    queue, ready = queue_of(ctx), ctx.Event()
    waiter = start(ctx, _targets.block_in_get, queue, ready)
    assert ready.wait(JOIN_TIMEOUT)
    waiter.kill()
    finish(waiter, exitcode=None)
    for item in ("a", "b", "c"):
        queue.put(item)
    assert [queue.get(timeout=WAIT) for _ in range(3)] == ["a", "b", "c"]


def test_items_of_a_producer_that_died_are_delivered(ctx):
    queue = queue_of(ctx)
    finish(start(ctx, _targets.put_then_die, queue, {"last": "words"}))
    assert queue.get(timeout=WAIT) == {"last": "words"}


def test_lock_of_a_process_that_died_holding_it_is_taken_over(ctx):
    queue = queue_of(ctx)
    queue.put("before")
    finish(start(ctx, _targets.die_holding_lock, queue))
    queue.put("after")  # waits at most one slice, then inherits the lock
    assert [queue.get(timeout=WAIT), queue.get(timeout=WAIT)] == ["before", "after"]


def test_lock_of_a_process_that_died_before_recording_itself_is_taken_over():
    queue = queue_of(multiprocessing.get_context("fork"))  # one start method: it waits 3 s
    queue.put("before")
    finish(start(multiprocessing.get_context("fork"), _targets.die_holding_unrecorded_lock,
                 queue))
    queue.put("after")  # nobody recorded as holder for three slices: inherits the lock
    assert [queue.get(timeout=WAIT), queue.get(timeout=WAIT)] == ["before", "after"]


def test_a_process_that_died_holding_the_segment_table_leaves_a_working_queue():
    queue = queue_of(multiprocessing.get_context("fork"))  # one start method: it waits 3 s
    assert queue._codec.pool._lock is queue._ring.lock  # the table shares the ring's lock
    finish(start(multiprocessing.get_context("fork"), _targets.lock_table_and_die,
                 queue._codec.pool))
    queue.put("after")  # held by nobody recorded for three slices: the ring inherits it
    queue.put(b"large" * 100_000)  # and the table is usable again
    assert queue.get(timeout=WAIT) == "after"
    assert queue.get(timeout=WAIT) == b"large" * 100_000


def test_a_queue_keeps_its_pool_table_after_its_ring_records(ctx):
    from concurrent.processing._datapath.ring import HEADER_SIZE

    queue = queue_of(ctx)
    wrapper, offset = queue._ring.spare
    assert (queue._codec.pool._wrapper, queue._codec.pool._offset) == (wrapper, offset)
    assert offset == HEADER_SIZE + queue._ring.capacity  # one allocation, records first
    # Records up to the ring's end and large items through the table, in a child and back:
    # neither overwrites the other.
    smalls = [f"{number:04d}" * 250 for number in range(queue._ring.capacity // 1100)]
    for item in smalls[:len(smalls) // 2]:
        queue.put(item)
    queue.put(b"L" * 300_000)
    for item in smalls[len(smalls) // 2:]:
        queue.put(item)
    results = queue_of(ctx)
    echo = start(ctx, _targets.echo, queue, results, len(smalls) + 1)
    received = [results.get(timeout=WAIT) for _ in range(len(smalls) + 1)]
    finish(echo)
    half = len(smalls) // 2
    assert received == smalls[:half] + [b"L" * 300_000] + smalls[half:]


def test_rings_share_one_takeover_lock_and_a_forked_child_makes_its_own(ctx):
    from concurrent.processing._datapath import ring

    first, second = queue_of(ctx), queue_of(ctx)
    assert first._ring._recovery is second._ring._recovery
    assert ring._takeover_locks[ctx.get_start_method()] is first._ring._recovery
    results = queue_of(ctx)
    finish(start(multiprocessing.get_context("fork"), _targets.report_takeover_locks, results))
    assert results.get(timeout=WAIT) == ([], True)


def test_item_committed_by_a_process_that_died_mid_put_is_counted(ctx):
    queue = queue_of(ctx)
    finish(start(ctx, _targets.die_after_commit, queue, "committed"))
    assert queue.get(timeout=WAIT) == "committed"  # the takeover recounts the ring
    assert queue.qsize() == 0 and queue.empty()


def test_large_items_cross_processes_and_their_segments_go_away(ctx):
    jobs, results = queue_of(ctx), queue_of(ctx)
    tags = [jobs._codec.pool.tag, results._codec.pool.tag]
    items = [b"b" * 300_000, bytearray(b"a" * 200_000), memoryview(b"m" * 150_000), "small"]
    for item in items:
        jobs.put(item)
    echo = start(ctx, _targets.echo, jobs, results, len(items))
    received = [results.get(timeout=WAIT) for _ in items]
    finish(echo)
    assert [type(item) for item in received] == [bytes, bytearray, memoryview, str]
    assert [bytes(item) if not isinstance(item, str) else item for item in received] == \
        [bytes(item) if not isinstance(item, str) else item for item in items]
    del received, jobs, results
    import gc

    gc.collect()
    assert [segments(tag) for tag in tags] == [[], []]


def test_queue_dropped_with_large_items_in_it_frees_their_segments():
    queue = Queue()
    tag = queue._codec.pool.tag
    queue.put(b"x" * 500_000)
    queue.put([bytearray(100_000), b"y" * 100_000])
    assert len(segments(tag)) == 2
    del queue
    import gc

    gc.collect()
    assert segments(tag) == []


def test_default_context_is_usable_with_plain_multiprocessing():
    queue = Queue()
    child = multiprocessing.Process(target=_targets.produce, args=(queue, 7, 3), daemon=True)
    child.start()
    assert [queue.get(timeout=WAIT)[:2] for _ in range(3)] == [(7, 0), (7, 1), (7, 2)]
    finish(child)


def test_join_waits_for_overflowed_items(ctx):
    jobs, results = queue_of(ctx, cls=_targets.SmallJoinableQueue), queue_of(ctx)
    items = [index * 1000 for index in range(40)]  # 40 items of ~1 KB: most overflow
    # The consumer starts first: an overflow starts a feeder thread, and a fork from a process
    # that runs threads is what Python 3.12+ warns about (3.15 raises it under -W error).
    worker = start(ctx, _targets.consume_joinable, jobs, results, len(items))
    for item in items:
        jobs.put((item, "j" * 1000))
    joined = threading.Event()
    joiner = threading.Thread(target=lambda: (jobs.join(), joined.set()), daemon=True)
    joiner.start()
    assert joined.wait(JOIN_TIMEOUT), "join() did not return after every task_done()"
    assert [results.get(timeout=WAIT) for _ in items] == items
    finish(worker)
    with pytest.raises(ValueError, match="too many times"):
        jobs.task_done()


class _FakeRing:
    """Room for ``room`` more items; a feeder waiting for room sleeps until ``opened``."""

    def __init__(self) -> None:
        self.items: list = []
        self.room = 0
        self.waiting, self.opened = threading.Event(), threading.Event()

    def push(self, item) -> bool:
        if self.room <= 0:
            return False
        self.room -= 1
        self.items.append(item)
        return True

    def wait_for_room(self, item) -> None:
        self.waiting.set()
        self.opened.wait(WAIT)


def test_a_put_moves_the_waiting_items_itself_oldest_first():
    ring = _FakeRing()
    overflow = Overflow(ring.push, ring.wait_for_room)
    for item in range(5):
        overflow.append((item,))
    ring.room = 3
    assert overflow.drain() is False  # what fits moved, the rest waits, in order
    assert ring.items == [0, 1, 2] and len(overflow) == 2
    ring.room = 10
    assert overflow.drain() is True
    assert ring.items == [0, 1, 2, 3, 4] and len(overflow) == 0
    ring.opened.set()  # the feeder wakes (if it waited), finds nothing left and ends
    overflow.join(WAIT)
    assert overflow._thread is None


def test_the_feeder_waits_for_room_then_moves_the_items():
    ring = _FakeRing()
    overflow = Overflow(ring.push, ring.wait_for_room)
    for item in range(3):
        overflow.append((item,))
    assert ring.waiting.wait(WAIT)  # the feeder found no room and waits for it
    ring.room = 3
    ring.opened.set()
    overflow.join(WAIT)
    assert overflow._thread is None and ring.items == [0, 1, 2] and len(overflow) == 0


def test_an_unbounded_put_behind_spilled_items_keeps_the_order():
    queue = queue_of(cls=_targets.SmallQueue)
    sent = [f"{index}:" + "s" * 200 for index in range(60)]  # about four rings' worth
    for item in sent[:40]:
        queue.put(item)
    assert len(queue._overflow) > 0  # no consumer yet: the ring filled and items spilled
    got = [queue.get(timeout=WAIT) for _ in range(10)]
    for item in sent[40:]:  # each moves the waiting items first, or waits behind them
        queue.put(item)
    got += [queue.get(timeout=WAIT) for _ in range(50)]
    assert got == sent
    queue.close()
    queue.join_thread()


def test_ring_room_is_seen_without_the_lock():
    queue = queue_of(cls=_targets.SmallQueue)
    ring, item = queue._ring, "w" * 1000
    filled = 0
    while ring.has_room(len(item)):
        queue.put(item)
        filled += 1
    assert queue._overflow is None and not ring.has_room(len(item))  # full, nothing spilled
    queue.get(timeout=WAIT)
    assert ring.has_room(len(item))
    ring.wait_for_room(len(item))  # room already: no wait
    queue.put(item)
    assert queue._overflow is None and queue.qsize() == filled
    queue.close()
    queue.join_thread()
