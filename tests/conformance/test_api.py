"""Every name of the DESIGN section 3 contract exists, and objects are instances of the ABCs."""

import builtins
import queue
import threading

import pytest

import concurrent._shared as shared

CONTRACT = [
    "Worker", "current_worker", "active_children", "cpu_count", "Process", "current_process",
    "Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore", "Event", "Barrier",
    "BrokenBarrierError",
    "Queue", "SimpleQueue", "JoinableQueue", "Empty", "Full",
    "Pipe", "Connection", "wait", "connection",
    "Pool",
    "Manager", "Value", "Array",
    "TimeoutError", "WorkerLostError", "BrokenPoolError",
]


@pytest.mark.parametrize("name", CONTRACT)
def test_backend_exports_contract_name(backend, name):
    assert getattr(backend, name) is not None


@pytest.mark.parametrize("name", ["Listener", "Client", "Pipe", "wait"])
def test_connection_submodule_exports(backend, name):
    assert callable(getattr(backend.connection, name))


def test_errors_are_the_shared_classes(backend):
    assert backend.TimeoutError is shared.TimeoutError
    assert issubclass(shared.TimeoutError, builtins.TimeoutError)
    assert backend.WorkerLostError is shared.WorkerLostError
    assert backend.BrokenPoolError is shared.BrokenPoolError
    assert issubclass(shared.BrokenPoolError, RuntimeError)
    assert backend.BrokenBarrierError is threading.BrokenBarrierError
    assert backend.Empty is queue.Empty and backend.Full is queue.Full


def test_worker_lost_error_carries_the_worker(backend):
    error = backend.WorkerLostError("worker died", name="Worker-3", pid=42, exitcode=-9)
    assert (str(error), error.name, error.pid) == ("worker died", "Worker-3", 42)
    assert error.exitcode == -9


@pytest.mark.parametrize("factory, abc", [
    (lambda b: b.Lock(), shared.Lock),
    (lambda b: b.RLock(), shared.RLock),
    (lambda b: b.Condition(), shared.Condition),
    (lambda b: b.Semaphore(), shared.Semaphore),
    (lambda b: b.BoundedSemaphore(), shared.BoundedSemaphore),
    (lambda b: b.BoundedSemaphore(), shared.Semaphore),
    (lambda b: b.Event(), shared.Event),
    (lambda b: b.Barrier(2), shared.Barrier),
    (lambda b: b.Queue(), shared.Queue),
    (lambda b: b.SimpleQueue(), shared.SimpleQueue),
    (lambda b: b.JoinableQueue(), shared.JoinableQueue),
    (lambda b: b.JoinableQueue(), shared.Queue),
    (lambda b: b.Process(target=print), shared.Worker),
    (lambda b: b.Worker(target=print), shared.Worker),
], ids=["Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore",
        "BoundedSemaphore-is-Semaphore", "Event", "Barrier", "Queue", "SimpleQueue",
        "JoinableQueue", "JoinableQueue-is-Queue", "Process", "Worker"])
def test_objects_are_instances_of_the_shared_abcs(backend, factory, abc):
    assert isinstance(factory(backend), abc)


def test_pipe_ends_are_shared_connections(backend):
    left, right = backend.Pipe()
    try:
        assert isinstance(left, shared.Connection) and isinstance(right, shared.Connection)
        assert isinstance(left, backend.Connection)
    finally:
        left.close()
        right.close()


def test_pool_and_its_results_are_shared_abcs(pool):
    assert isinstance(pool, shared.Pool)
    result = pool.apply_async(abs, (-1,))
    assert isinstance(result, shared.AsyncResult)
    assert result.get(10) == 1

