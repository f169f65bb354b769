"""Starting, joining and checking the workers of any mode, always within a deadline.

A figure is only recorded when every worker ended cleanly: a thread that raised, a process that
exited non-zero, or a worker still running at the deadline turns into a ``BenchError``.
"""

import contextlib
import time

from concurrent._bench._modes import Backend

__all__ = [
    "BenchError",
    "close_channel",
    "finish_workers",
    "running_manager",
    "running_pool",
    "start_workers",
]


STOP_GRACE = 1.0  # seconds


class BenchError(RuntimeError):
    """A measurement could not be taken; the message names the mode and what went wrong."""


def _catching(function, failures: list):
    """Wrap a thread target so its exception is recorded instead of only printed."""

    def target(*args) -> None:
        try:
            function(*args)
        except BaseException as exc:
            failures.append(exc)

    return target


def start_workers(backend: Backend, function, args: tuple, count: int, failures: list) -> list:
    """Create ``count`` workers of ``backend`` running ``function(*args)``, and start them."""
    worker_class = backend.get("Worker")
    target = function if backend.is_process else _catching(function, failures)
    workers = [worker_class(target=target, args=args) for _ in range(count)]
    for worker in workers:
        worker.daemon = True
    for worker in workers:
        worker.start()
    return workers


def finish_workers(backend: Backend, workers: list, failures: list, deadline: float) -> None:
    """Join ``workers`` by ``deadline`` (a ``time.monotonic()`` value, or a second from now if
    it has passed: a worker just told to stop may still be ending); check how they ended."""
    end = max(deadline, time.monotonic() + STOP_GRACE)
    for worker in workers:
        worker.join(max(0.0, end - time.monotonic()))
    alive = [worker for worker in workers if worker.is_alive()]
    for worker in alive:
        terminate = getattr(worker, "terminate", None)
        if terminate is not None:
            terminate()
            worker.join(5)
    if alive:
        raise BenchError(f"{len(alive)} {backend.mode} worker(s) still running at the deadline")
    if failures:
        raise BenchError(f"a {backend.mode} worker failed: {failures[0]!r}")
    if backend.is_process:
        codes = [worker.exitcode for worker in workers if worker.exitcode != 0]
        if codes:
            raise BenchError(f"{backend.mode} worker(s) exited with code(s) {codes}")


def close_channel(channel, flush: bool = True) -> None:
    """Close a queue or connection; wait for its feeder thread only when ``flush`` is true.

    After a failure the reader may be gone, so the feeder is abandoned instead of waited for.
    """
    if not flush and hasattr(channel, "cancel_join_thread"):
        channel.cancel_join_thread()
    close = getattr(channel, "close", None)
    if close is not None:
        close()
    join_thread = getattr(channel, "join_thread", None)
    if flush and join_thread is not None:
        join_thread()


@contextlib.contextmanager
def running_manager(backend: Backend):
    """A started ``Manager()`` of ``backend``, shut down on exit (threads' has no shutdown)."""
    manager = backend.get("Manager")()
    try:
        yield manager
    finally:
        shutdown = getattr(manager, "shutdown", None)
        if shutdown is not None:
            shutdown()


@contextlib.contextmanager
def running_pool(backend: Backend, processes: int):
    """A ``Pool(processes)`` of ``backend`` whose workers answered once; terminated on exit."""
    from concurrent._bench._workloads import identity

    pool = backend.get("Pool")(processes)
    try:
        pool.map(identity, range(4 * processes), chunksize=1)
        yield pool
    finally:
        pool.terminate()
        pool.join()
