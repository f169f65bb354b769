"""The hot-path primitives are the stdlib's C types themselves, registered with the ABCs."""

import _thread
import queue
import threading

import concurrent._shared as shared
import concurrent.threading as backend


def test_locks_and_simple_queue_are_the_c_types():
    # The contract makes every Lock a class; on threads its instances are the C lock itself.
    assert isinstance(backend.Lock, type) and isinstance(backend.RLock, type)
    assert type(backend.Lock()) is _thread.LockType
    assert type(backend.RLock()) is _thread.RLock
    assert isinstance(threading.Lock(), backend.Lock)
    # The queues are the stdlib's, their hot paths untouched.
    assert issubclass(backend.SimpleQueue, queue.SimpleQueue)
    assert backend.SimpleQueue.put is queue.SimpleQueue.put
    assert backend.SimpleQueue.get is queue.SimpleQueue.get
    assert issubclass(backend.Queue, queue.Queue)
    assert backend.Queue.put is queue.Queue.put and backend.Queue.get is queue.Queue.get


def test_stdlib_types_are_registered_with_the_abcs():
    assert issubclass(_thread.LockType, shared.Lock)
    assert issubclass(_thread.RLock, shared.RLock)
    assert issubclass(queue.SimpleQueue, shared.SimpleQueue)
    assert issubclass(queue.Queue, shared.Queue)
    assert isinstance(threading.main_thread(), shared.Worker)


def test_lock_types_are_not_each_others():
    assert not isinstance(backend.Lock(), shared.RLock)
    assert not isinstance(backend.RLock(), shared.Lock)
    assert not isinstance(backend.Queue(), shared.JoinableQueue)
    assert isinstance(backend.JoinableQueue(), shared.JoinableQueue)


def test_primitive_errors_on_bad_input():
    import pytest

    with pytest.raises(RuntimeError):
        backend.Lock().release()
    with pytest.raises(ValueError, match="-3"):
        backend.Semaphore(1).acquire(timeout=-3)
    with pytest.raises(ValueError, match="non-blocking"):
        backend.Semaphore(1).acquire(False, 1)
    with pytest.raises(ValueError, match="parties"):
        backend.Barrier(0)
    with pytest.raises(ValueError, match="parties"):
        backend.Barrier(2.5)
    with pytest.raises(ValueError):
        backend.Barrier(1, timeout=-1)
    with pytest.raises(ValueError, match=r"-0\.5"):
        backend.Event().wait(-0.5)
    with pytest.raises(ValueError, match="-1"):
        backend.Condition().wait_for(bool, -1)


def test_semaphore_minus_one_timeout_waits_like_a_lock():
    semaphore = backend.BoundedSemaphore(1)
    assert semaphore.acquire(timeout=-1) is True
    assert semaphore.acquire(False) is False
    semaphore.release()
