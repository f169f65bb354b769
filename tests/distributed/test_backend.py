"""The backend object: its declarations, start methods, and what the contract leaves open."""

import signal

import pytest

import concurrent._shared as shared
from tests.conformance._helpers import JOIN_TIMEOUT
from tests.distributed import _targets


def test_backend_object_and_declarations(cluster):
    backend = cluster.get_context()
    assert isinstance(backend, shared.Backend) and backend.module is cluster
    assert backend.capabilities == {shared.Capability.COPIES_OBJECTS,
                                    shared.Capability.TERMINATES_WORKERS,
                                    shared.Capability.LOSES_WORKERS}
    assert backend.lock_convention is shared.LockConvention.SEMLOCK
    for name in shared.contract_names():
        assert getattr(cluster, name) is not None, name


def test_start_methods_accept_process_code(cluster):
    import multiprocessing

    assert cluster.get_all_start_methods() == ["dask"]
    for method in (None, "dask", *multiprocessing.get_all_start_methods()):
        assert cluster.get_context(method) is cluster.get_context()
    with pytest.raises(ValueError, match="'threads'"):
        cluster.get_context("threads")


def test_process_reports_where_it_ran(cluster):
    results = cluster.Queue()
    worker = cluster.Process(target=_targets.put_pid, args=(results,))
    worker.start()
    pid = results.get(timeout=JOIN_TIMEOUT)
    worker.join(JOIN_TIMEOUT)
    assert worker.exitcode == 0 and worker.pid == pid and isinstance(worker.host, str)


def test_terminate_stops_a_running_target(cluster):
    started = cluster.Event()
    worker = cluster.Process(target=_targets.busy_until_stopped, args=(started,))
    worker.start()
    assert started.wait(JOIN_TIMEOUT)
    worker.terminate()
    worker.join(JOIN_TIMEOUT)
    assert not worker.is_alive() and worker.exitcode == -signal.SIGTERM
    assert worker not in cluster.active_children()


def test_terminate_before_it_runs_means_it_never_runs(cluster):
    worker = cluster.Process(target=_targets.square, args=(2,))
    worker.start()
    worker.kill()
    worker.join(JOIN_TIMEOUT)
    assert worker.exitcode in (-signal.SIGKILL, 0)  # 0: it had already finished


def test_cpu_count_is_the_clusters_threads(cluster):
    from concurrent.distributed import _cluster

    client = _cluster.client()
    assert cluster.cpu_count() == sum(client.nthreads().values())


def test_unpicklable_item_fails_in_put(cluster):
    import threading

    with pytest.raises(Exception, match="lock"):
        cluster.Queue().put(threading.Lock())


def test_scheduler_lost_error_is_a_connection_error(cluster):
    import pickle

    error = cluster.SchedulerLostError("the scheduler went away", "tcp://127.0.0.1:1")
    assert isinstance(error, ConnectionError) and isinstance(error, OSError)
    try:
        raise error
    except ConnectionError as caught:  # what code written for a lost manager catches
        assert caught is error
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.address) == ("the scheduler went away", "tcp://127.0.0.1:1")
