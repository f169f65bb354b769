"""Locks, semaphores, conditions, events and barriers: behaviour, timeouts and bad input."""

import pytest

from concurrent._shared import LockConvention
from tests.conformance import _targets

WAIT = _targets.WAIT


@pytest.fixture
def release_error(backend):
    """Releasing an unheld lock: as the backend's lock convention declares."""
    return backend.lock_convention.release_error


def _semlock(backend) -> bool:
    return backend.lock_convention is LockConvention.SEMLOCK


@pytest.mark.parametrize("kind", ["Lock", "RLock"])
def test_lock_acquire_release_and_timeouts(backend, kind):
    lock = getattr(backend, kind)()
    assert lock.acquire() is True
    lock.release()
    with lock:
        pass
    assert lock.acquire(timeout=0.01) is True
    assert lock.acquire(False) is (kind == "RLock")
    lock.release()
    if kind == "RLock":
        lock.release()


@pytest.mark.parametrize("kind", ["Lock", "RLock"])
def test_acquire_with_negative_timeout(backend, kind):
    lock = getattr(backend, kind)()
    if not _semlock(backend):
        with pytest.raises(ValueError):
            lock.acquire(timeout=-5)
        with pytest.raises(ValueError):
            lock.acquire(False, 1)
    else:
        # Process locks keep SemLock's C acquire (stdlib speed): a negative timeout means
        # "do not wait", as in multiprocessing.
        lock.acquire()
        assert lock.acquire(True, -5) is (kind == "RLock")
        lock.release()
        if kind == "RLock":
            lock.release()


def test_releasing_an_unheld_lock_raises(backend, release_error):
    with pytest.raises(release_error):
        backend.Lock().release()


def test_releasing_an_unowned_rlock_raises(backend):
    with pytest.raises(backend.lock_convention.rlock_release_error):
        backend.RLock().release()


def test_lock_held_elsewhere_times_out_in_a_worker(backend, start):
    lock, results = backend.Lock(), backend.Queue()
    lock.acquire()
    try:
        start(_targets.try_acquire, lock, results, 0.05)
        assert results.get(timeout=WAIT) is False
    finally:
        lock.release()


def test_semaphore_counts(backend):
    semaphore = backend.Semaphore(2)
    assert semaphore.acquire() and semaphore.acquire(timeout=0.01)
    assert semaphore.acquire(False) is False
    assert semaphore.acquire(timeout=0.01) is False
    semaphore.release()
    assert semaphore.acquire(False) is True


@pytest.mark.parametrize("kind", ["Semaphore", "BoundedSemaphore"])
def test_semaphore_rejects_bad_input(backend, kind):
    factory = getattr(backend, kind)
    with pytest.raises(ValueError):
        factory(-1)
    if not _semlock(backend):
        with pytest.raises(ValueError):
            factory(1).acquire(timeout=-2)
    else:  # SemLock's C acquire: a negative timeout means "do not wait"
        assert factory(0).acquire(True, -2) is False


def test_bounded_semaphore_rejects_extra_release(backend):
    semaphore = backend.BoundedSemaphore(1)
    semaphore.acquire()
    semaphore.release()
    with pytest.raises(ValueError):
        semaphore.release()


def test_condition_wait_times_out_and_needs_the_lock(backend):
    condition = backend.Condition()
    with pytest.raises(RuntimeError):
        condition.notify()
    with pytest.raises(RuntimeError):
        condition.wait(0)
    with condition:
        assert condition.wait(0.01) is False
        assert condition.wait_for(lambda: 7, timeout=0) == 7
        assert condition.wait_for(lambda: 0, timeout=0.01) == 0
        with pytest.raises(ValueError):
            condition.wait(-1)
        condition.notify()
        condition.notify_all()


def test_condition_is_notified_by_a_worker(backend, start):
    condition = backend.Condition()
    with condition:
        start(_targets.notify, condition)
        assert condition.wait(WAIT) is True


def test_event_set_clear_wait(backend):
    event = backend.Event()
    assert event.is_set() is False
    assert event.wait(0.01) is False
    event.set()
    assert event.is_set() and event.wait(0) is True
    event.clear()
    assert event.is_set() is False
    with pytest.raises(ValueError):
        event.wait(-1)


def test_event_set_wakes_a_worker(backend, start):
    event, results = backend.Event(), backend.Queue()
    start(_targets.wait_event, event, results)
    event.set()
    assert results.get(timeout=WAIT) is True


@pytest.mark.parametrize("parties", [0, -1])
def test_barrier_rejects_party_count(backend, parties):
    with pytest.raises(ValueError):
        backend.Barrier(parties)


def test_barrier_releases_all_parties(backend, start):
    barrier, results = backend.Barrier(2), backend.Queue()
    assert (barrier.parties, barrier.broken) == (2, False)
    start(_targets.barrier_wait, barrier, results)
    mine = barrier.wait(WAIT)
    assert {mine, results.get(timeout=WAIT)} == {0, 1}


def test_barrier_timeout_and_abort_break_it(backend):
    barrier = backend.Barrier(2)
    with pytest.raises(ValueError):
        barrier.wait(-1)
    with pytest.raises(backend.BrokenBarrierError):
        barrier.wait(0.01)
    assert barrier.broken
    barrier.reset()
    assert not barrier.broken and barrier.n_waiting == 0
    barrier.abort()
    with pytest.raises(backend.BrokenBarrierError):
        barrier.wait(WAIT)
