"""Queue, SimpleQueue and JoinableQueue: order, bounds, timeouts, task tracking, bad input."""

import contextlib
import time

import pytest

from tests.conformance import _targets
from tests.conformance._helpers import finish_within

WAIT = _targets.WAIT


def test_queue_is_fifo_and_times_out(backend):
    queue = backend.Queue()
    for item in range(3):
        queue.put(item)
    assert [queue.get(timeout=WAIT) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(backend.Empty):
        queue.get(timeout=0.01)
    with pytest.raises(backend.Empty):
        queue.get_nowait()
    with pytest.raises(backend.Empty):
        queue.get(False)


def test_bounded_queue_raises_full(backend):
    queue = backend.Queue(1)
    queue.put_nowait("a")
    with pytest.raises(backend.Full):
        queue.put("b", timeout=0.01)
    with pytest.raises(backend.Full):
        queue.put_nowait("b")
    assert queue.get(timeout=WAIT) == "a"


def test_queue_size_hints(backend):
    queue = backend.Queue(2)
    assert queue.empty() and not queue.full()
    queue.put(1)
    queue.put(2)
    assert queue.full()
    deadline = time.monotonic() + WAIT
    while queue.empty():  # a process queue's feeder thread delivers the items shortly after put
        assert time.monotonic() < deadline, "put items never showed up in the queue"
        time.sleep(0.001)
    with contextlib.suppress(NotImplementedError):  # macOS cannot count a process queue
        assert queue.qsize() == 2


@pytest.mark.parametrize("call", [
    lambda q: q.get(timeout=-1),
    lambda q: q.put(1, timeout=-1),
], ids=["get", "put"])
def test_queue_rejects_negative_timeout(backend, call):
    with pytest.raises(ValueError):
        call(backend.Queue(1))


def test_simple_queue(backend):
    queue = backend.SimpleQueue()
    assert queue.empty()
    queue.put("x")
    queue.put("y")
    assert not queue.empty()
    assert (queue.get(), queue.get()) == ("x", "y")


def test_joinable_queue_join_waits_for_task_done(backend, start):
    jobs, results = backend.JoinableQueue(), backend.Queue()
    for item in range(3):
        jobs.put(item)
    start(_targets.consume, jobs, results, 3)
    finish_within(jobs.join)
    assert sorted(results.get(timeout=WAIT) for _ in range(3)) == [0, 2, 4]


def test_task_done_too_often_raises(backend):
    jobs = backend.JoinableQueue()
    jobs.put(1)
    jobs.get(timeout=WAIT)
    jobs.task_done()
    with pytest.raises(ValueError):
        jobs.task_done()


@pytest.mark.parametrize("kind", ["Queue", "JoinableQueue"])
def test_a_closed_queue_refuses_put_and_get_at_once(backend, kind):
    queue = getattr(backend, kind)()
    queue.put("left")
    queue.close()
    for call in (lambda: queue.put("more"), queue.get, lambda: queue.get(timeout=5),
                 lambda: queue.put_nowait("more"), queue.get_nowait):
        with pytest.raises(ValueError, match="closed"):
            call()
    queue.join_thread()  # allowed once closed; nothing to wait for here
    queue.cancel_join_thread()


def test_a_closed_simple_queue_raises_oserror_as_a_closed_pipe_does(backend):
    queue = backend.SimpleQueue()
    queue.close()
    for call in (lambda: queue.put(1), queue.get, queue.empty):
        with pytest.raises(OSError):
            call()
