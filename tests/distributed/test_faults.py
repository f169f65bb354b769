"""Faults: a cluster worker killed mid-task never hangs a caller; the other tasks complete."""

import pytest

from tests.distributed import _targets

# Dask reruns a task whose worker died up to allowed-failures (3) times; each rerun waits for
# the nanny to restart the killed worker process.
LOST_TASK_BOUND = 60.0


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_task_whose_worker_is_killed_once_is_rerun(cluster, tmp_path):
    marker = str(tmp_path / "killed-once")
    with cluster.Pool(2) as pool:
        survivor = pool.apply_async(_targets.kill_my_worker_once, (marker, "rerun"))
        assert pool.map(_targets.square, range(8)) == [x * x for x in range(8)]
        assert survivor.get(LOST_TASK_BOUND) == "rerun"


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_task_that_always_kills_its_worker_raises_worker_lost(cluster):
    with cluster.Pool(2) as pool:
        doomed = pool.apply_async(_targets.kill_my_worker)
        others = pool.map_async(_targets.square, range(6), chunksize=1)
        with pytest.raises(cluster.WorkerLostError, match="allowed-failures"):
            doomed.get(LOST_TASK_BOUND)
        assert others.get(LOST_TASK_BOUND) == [x * x for x in range(6)]
        assert pool.apply(_targets.square, (7,)) == 49  # the pool goes on


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_process_whose_worker_always_dies_ends_with_sigkill(cluster):
    import signal

    worker = cluster.Process(target=_targets.kill_my_worker)
    worker.start()
    worker.join(LOST_TASK_BOUND)
    assert not worker.is_alive() and worker.exitcode == -signal.SIGKILL
    assert cluster.Queue().empty()  # the cluster still serves
