"""Process queues: the shared queue API, caller-side pickling errors, and use across processes."""

from __future__ import annotations

import glob
import threading

import pytest

import concurrent.processing as processing
from concurrent import _shared
from tests.processing import _targets
from tests.processing.conftest import JOIN_TIMEOUT, run


def _closed(queue) -> None:
    queue.close()
    queue.join_thread()


def test_instances_of_the_shared_abcs(ctx):
    queue, simple, joinable = ctx.Queue(), ctx.SimpleQueue(), ctx.JoinableQueue()
    assert isinstance(queue, _shared.Queue) and isinstance(queue, processing.Queue)
    assert isinstance(simple, _shared.SimpleQueue)
    assert isinstance(joinable, _shared.JoinableQueue) and isinstance(joinable, _shared.Queue)
    for each in (queue, joinable):
        _closed(each)
    simple.close()


def test_bounded_queue_api():
    queue = processing.Queue(2)
    assert queue.empty() and not queue.full() and queue.qsize() == 0
    queue.put("a")
    queue.put_nowait("b")
    assert queue.full() and queue.qsize() == 2
    with pytest.raises(processing.Full):
        queue.put("c", timeout=0.01)
    with pytest.raises(processing.Full):
        queue.put("c", block=False)
    assert queue.get(timeout=JOIN_TIMEOUT) == "a"
    assert queue.get_nowait() == "b" or queue.get(timeout=JOIN_TIMEOUT) == "b"
    with pytest.raises(processing.Empty):
        queue.get(timeout=0.01)
    with pytest.raises(processing.Empty):
        queue.get(block=False)
    with pytest.raises(ValueError, match="-1"):
        queue.put("x", timeout=-1)
    with pytest.raises(ValueError, match=r"-0\.5"):
        queue.get(timeout=-0.5)
    assert processing.Empty is _shared.Empty and processing.Full is _shared.Full
    _closed(queue)
    with pytest.raises(ValueError, match="closed"):
        queue.put("late")


@pytest.mark.parametrize("kind", ["Queue", "JoinableQueue", "SimpleQueue"])
def test_unpicklable_item_raises_in_put_and_is_not_lost(kind):
    queue = getattr(processing, kind)()
    with pytest.raises(processing.UnpicklableError) as caught:
        queue.put({"ok": 1, "bad": threading.Lock()})
    assert caught.value.path == "item['bad']"
    assert "thread primitive" in str(caught.value)
    queue.put("after")  # the queue still works, and nothing half-sent is in the way
    assert (queue.get() if kind == "SimpleQueue" else queue.get(timeout=JOIN_TIMEOUT)) == "after"
    if kind == "SimpleQueue":
        queue.close()
    else:
        _closed(queue)


def test_put_pickles_at_put_time():
    queue = processing.Queue()
    item = [1]
    queue.put(item)
    item.append(2)  # the stdlib would send [1, 2] if its feeder thread ran late
    assert queue.get(timeout=JOIN_TIMEOUT) == [1]
    _closed(queue)


def test_queue_across_processes(ctx):
    jobs, results = ctx.Queue(), ctx.Queue()
    # a str too big for the ring's records goes through shared memory like a big buffer
    items = [None, 1, "two", (3.0,), {"four": [4]}, b"x" * 100_000, "y" * 600_000, True, 2.5]
    for item in items:
        jobs.put(item)
    echo = ctx.Process(target=_targets.echo_queue, args=(jobs, results, len(items)))
    echo.start()
    # read before joining: a child does not exit until its queued data has been consumed
    assert [results.get(timeout=JOIN_TIMEOUT) for _ in items] == items
    echo.join(JOIN_TIMEOUT)
    assert echo.exitcode == 0
    for queue in (jobs, results):
        _closed(queue)


def test_simple_queue_across_processes(ctx):
    results = ctx.SimpleQueue()
    run(ctx, _targets.put, results, {"from": "child"})
    assert not results.empty()
    assert results.get() == {"from": "child"}
    assert results.empty()
    results.close()


def test_joinable_queue_task_done_and_join(ctx):
    jobs, results = ctx.JoinableQueue(), ctx.SimpleQueue()
    consumer = ctx.Process(target=_targets.consume_joinable, args=(jobs, results, 3))
    consumer.start()
    for number in (1, 2, 3):
        jobs.put(number)
    joined = threading.Event()
    joiner = threading.Thread(target=lambda: (jobs.join(), joined.set()), daemon=True)
    joiner.start()
    assert joined.wait(JOIN_TIMEOUT), "join() did not return after every task_done()"
    assert sorted(results.get() for _ in range(3)) == [2, 4, 6]
    consumer.join(JOIN_TIMEOUT)
    assert consumer.exitcode == 0
    with pytest.raises(ValueError, match="too many times"):
        jobs.task_done()
    _closed(jobs)
    results.close()


def test_join_thread_needs_close_first():
    queue = processing.Queue()
    with pytest.raises(ValueError, match="close"):  # the stdlib only asserts this
        queue.join_thread()
    _closed(queue)


@pytest.mark.parametrize("kind", ["Queue", "JoinableQueue", "SimpleQueue"])
def test_large_items_travel_through_the_queues_shared_memory(kind):
    queue = getattr(processing, kind)()
    tag = queue._codec.pool.tag
    queue.put([b"L" * 300_000, "small"])
    assert len(glob.glob(f"/dev/shm/cpb_{tag}_*")) == 1  # the channel holds only its name
    got = queue.get() if kind == "SimpleQueue" else queue.get(timeout=JOIN_TIMEOUT)
    assert got == [b"L" * 300_000, "small"]
    queue.close()
    queue._codec.close()
    assert glob.glob(f"/dev/shm/cpb_{tag}_*") == []
