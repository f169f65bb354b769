"""A scheduler and two workers as separate OS processes (Dask's own command-line entry points).

The backend connects to them and runs a Pool.map, a Queue, a Lock and a Manager dict across
them; then the scheduler is killed and every blocking call raises ``SchedulerLostError`` within
the documented bound.
"""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from concurrent.distributed._calls import GRACE, SLICE
from tests.distributed import _targets

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOST_WITHIN = SLICE + GRACE + 5.0  # the documented bound, plus start-up slack


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _spawn(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": ROOT, "DASK_LOGGING__DISTRIBUTED": "error"}
    return subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def nodes(cluster):
    """A scheduler and two single-thread workers, each its own process; stopped at the end."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    scheduler = _spawn("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                       address.rsplit(":", 1)[1], "--no-dashboard")
    workers = [_spawn("distributed.cli.dask_worker", address, "--nthreads", "1", "--host",
                      "127.0.0.1", "--no-dashboard", "--name", f"node-{n}") for n in (1, 2)]
    processes = [scheduler, *workers]
    try:
        cluster.connect(address)
        from concurrent.distributed import _cluster

        _cluster.client().wait_for_workers(2, timeout=60)
        yield cluster, scheduler
    finally:
        cluster.shutdown()
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(30)


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_pool_queue_lock_and_manager_across_two_workers(nodes):
    backend, _ = nodes
    with backend.Pool(2) as pool:
        ran = pool.map(_targets.pid_and_square, range(40), chunksize=1)
    assert [square for _, square in ran] == [x * x for x in range(40)]
    assert len({pid for pid, _ in ran}) == 2  # both worker processes took tasks
    lock, done = backend.Lock(), backend.Queue()
    with backend.Manager() as manager:
        shared = manager.dict()
        workers = [backend.Process(target=_targets.hold_lock_and_count,
                                   args=(lock, shared, "count", 20, done)) for _ in range(2)]
        for worker in workers:
            worker.start()
        pids = {done.get(timeout=60) for _ in workers}
        for worker in workers:
            worker.join(60)
            assert worker.exitcode == 0
        assert shared["count"] == 40
    assert pids <= {pid for pid, _ in ran}


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_lost_scheduler_raises_in_every_blocking_call(nodes):
    backend, scheduler = nodes
    queue, lock, event = backend.Queue(), backend.Lock(), backend.Event()
    lock.acquire()
    pool = backend.Pool(1)
    busy = pool.apply_async(time.sleep, (600,))
    started = backend.Event()
    worker = backend.Process(target=_targets.busy_until_stopped, args=(started, 600))
    worker.start()
    assert started.wait(60)
    scheduler.send_signal(signal.SIGKILL)
    scheduler.wait(30)
    for call in (lambda: queue.get(), lambda: lock.acquire(), lambda: event.wait(),
                 lambda: busy.get(), lambda: worker.join()):
        began = time.monotonic()
        with pytest.raises(backend.SchedulerLostError):
            call()
        assert time.monotonic() - began < LOST_WITHIN
    pool.terminate()
