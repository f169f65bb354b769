"""Cross-process primitives: the shared ABCs, the timeout contract, and use across processes."""

from __future__ import annotations

import pytest

import concurrent.processing as processing
from concurrent import _shared
from tests.processing import _targets
from tests.processing.conftest import JOIN_TIMEOUT, run

FACTORIES = ["Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition", "Event"]


@pytest.mark.parametrize("name", FACTORIES)
def test_instances_of_the_shared_abcs(ctx, name):
    primitive = getattr(ctx, name)()
    assert isinstance(primitive, getattr(_shared, name))
    assert isinstance(primitive, getattr(processing, name))
    assert isinstance(ctx.Barrier(2), _shared.Barrier)


@pytest.mark.parametrize("name", ["Lock", "RLock", "Semaphore", "BoundedSemaphore",
                                  "Condition"])
def test_acquire_is_semlocks_c_method(name):
    lock = getattr(processing, name)()
    # No Python frame on the hot path: the instance's acquire/release are builtin methods.
    assert type(lock.acquire).__name__ == "builtin_function_or_method"
    assert type(lock.release).__name__ == "builtin_function_or_method"
    assert lock.acquire(True, None) is True
    lock.release()
    assert lock.acquire(block=False) is True
    lock.release()


def test_negative_timeout_does_not_wait():
    lock = processing.Lock()
    lock.acquire()
    assert lock.acquire(True, -1) is False  # SemLock: negative means "do not wait"
    lock.release()


def test_lock_timeouts_and_release_errors():
    lock = processing.Lock()
    assert lock.acquire()
    assert lock.acquire(False) is False
    assert lock.acquire(timeout=0.01) is False
    lock.release()
    with pytest.raises(ValueError):
        lock.release()
    rlock = processing.RLock()
    assert rlock.acquire() and rlock.acquire()
    rlock.release()
    rlock.release()
    with pytest.raises(AssertionError):  # multiprocessing's error for an unowned RLock
        rlock.release()


def test_semaphores():
    with pytest.raises(ValueError, match="-1"):
        processing.Semaphore(-1)
    with pytest.raises(ValueError, match="-2"):
        processing.BoundedSemaphore(-2)
    semaphore = processing.Semaphore(2)
    assert semaphore.acquire(False) and semaphore.acquire(False)
    assert semaphore.acquire(False) is False
    semaphore.release()
    semaphore.release()
    semaphore.release()  # unbounded: may go past the initial value
    assert semaphore.get_value() == 3
    bounded = processing.BoundedSemaphore(1)
    assert bounded.acquire(False)
    bounded.release()
    with pytest.raises(ValueError):
        bounded.release()


def test_condition_needs_its_lock_held():
    condition = processing.Condition()
    for call in (condition.notify, condition.notify_all, condition.wait):
        with pytest.raises(RuntimeError, match="un-acquired lock"):
            call()
    with condition:
        assert condition.wait(0.01) is False
        assert condition.wait_for(lambda: 7, timeout=0.01) == 7
        with pytest.raises(ValueError, match="-1"):
            condition.wait(-1)
    with pytest.raises(ValueError, match=r"-0\.1"):
        processing.Event().wait(-0.1)
    with pytest.raises(ValueError, match="parties"):
        processing.Barrier(0)
    with pytest.raises(ValueError, match="-3"):
        processing.Barrier(2).wait(-3)


def test_lock_guards_a_counter_across_processes(ctx):
    lock = ctx.Lock()
    counter = ctx.Value("i", 0, lock=False)
    workers = [ctx.Process(target=_targets.add_under_lock, args=(lock, counter, 200))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(JOIN_TIMEOUT)
        assert worker.exitcode == 0
    assert counter.value == 400


def test_a_held_lock_times_out_in_another_process(ctx):
    lock, held, release = ctx.Lock(), ctx.Event(), ctx.Event()
    results = ctx.SimpleQueue()
    holder = ctx.Process(target=_targets.hold_until, args=(lock, held, release))
    holder.start()
    assert held.wait(JOIN_TIMEOUT)
    run(ctx, _targets.try_acquire, lock, results, 0.05)
    assert results.get() is False
    release.set()
    holder.join(JOIN_TIMEOUT)
    run(ctx, _targets.try_acquire, lock, results, JOIN_TIMEOUT)
    assert results.get() is True
    results.close()


def test_event_across_processes(ctx):
    event, results = ctx.Event(), ctx.SimpleQueue()
    waiter = ctx.Process(target=_targets.wait_event, args=(event, results))
    waiter.start()
    run(ctx, _targets.set_event, event)
    assert results.get() is True
    waiter.join(JOIN_TIMEOUT)
    assert event.is_set()
    event.clear()
    assert not event.is_set() and event.wait(0.01) is False
    results.close()


def test_condition_across_processes(ctx):
    condition = ctx.Condition()
    flag = ctx.Value("i", 0, lock=False)
    with condition:
        notifier = ctx.Process(target=_targets.notify_when_set, args=(condition, flag))
        notifier.start()
        assert condition.wait_for(lambda: flag.value == 1, timeout=JOIN_TIMEOUT)
    notifier.join(JOIN_TIMEOUT)
    assert notifier.exitcode == 0


def test_barrier_across_processes(ctx):
    barrier, results = ctx.Barrier(3), ctx.SimpleQueue()
    workers = [ctx.Process(target=_targets.barrier_wait, args=(barrier, results))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    indexes = {barrier.wait(JOIN_TIMEOUT), results.get(), results.get()}
    assert indexes == {0, 1, 2}
    for worker in workers:
        worker.join(JOIN_TIMEOUT)
        assert worker.exitcode == 0
    barrier.abort()
    with pytest.raises(processing.BrokenBarrierError):
        barrier.wait(1)
    results.close()
