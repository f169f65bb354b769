"""Workers: start/join/is_alive, names, exit codes, current_worker, active_children, cpu_count."""

import signal
import sys

import pytest

from concurrent._shared import Capability
from tests.conformance import _targets
from tests.conformance._helpers import JOIN_TIMEOUT

WAIT = _targets.WAIT


def test_worker_runs_target_and_ends(backend, start):
    results = backend.Queue()
    worker = backend.Worker(target=_targets.put, args=(results, 42), name="conf-worker",
                            daemon=True)
    assert (worker.name, worker.daemon, worker.ident, worker.is_alive()) == (
        "conf-worker", True, None, False)
    worker.start()
    assert results.get(timeout=WAIT) == 42
    worker.join(JOIN_TIMEOUT)
    assert not worker.is_alive()
    assert worker.ident is not None


def test_terminate_and_kill_exist_where_the_backend_can_stop_workers(backend):
    stoppable = Capability.TERMINATES_WORKERS in backend.capabilities
    for name in ("terminate", "kill"):
        assert hasattr(backend.Process, name) == stoppable, name
    # Python 3.14's Process.interrupt() (SIGINT: KeyboardInterrupt in the worker)
    assert hasattr(backend.Process, "interrupt") == (stoppable and sys.version_info >= (3, 14))


def test_terminate_stops_a_running_worker(backend):
    if Capability.TERMINATES_WORKERS not in backend.capabilities:
        pytest.skip("the backend declares that it cannot stop a worker (see the test above)")
    results = backend.Queue()
    worker = backend.Process(target=_targets.wait_to_be_stopped, args=(results,), daemon=True)
    worker.start()
    assert results.get(timeout=WAIT) == "running"
    worker.terminate()
    worker.join(JOIN_TIMEOUT)
    assert (worker.is_alive(), worker.exitcode) == (False, -signal.SIGTERM)


@pytest.mark.skipif(sys.version_info < (3, 14), reason="Process.interrupt() is new in 3.14")
def test_interrupt_raises_keyboard_interrupt_in_the_worker(backend):
    if Capability.TERMINATES_WORKERS not in backend.capabilities:
        pytest.skip("the backend declares that it cannot stop a worker (see the test above)")
    results = backend.Queue()
    worker = backend.Process(target=_targets.wait_to_be_stopped, args=(results,), daemon=True)
    worker.start()
    assert results.get(timeout=WAIT) == "running"
    worker.interrupt()
    assert results.get(timeout=WAIT) == "interrupted"
    worker.join(JOIN_TIMEOUT)
    assert (worker.is_alive(), worker.exitcode) == (False, 0)


def test_worker_start_twice_and_join_unstarted_raise(backend):
    worker = backend.Worker(target=print, daemon=True)
    with pytest.raises(RuntimeError):
        worker.join(0)
    worker.start()
    worker.join(JOIN_TIMEOUT)
    assert not worker.is_alive()
    with pytest.raises(RuntimeError):
        worker.start()


def test_process_exitcode_pid_and_ident(backend, start):
    results = backend.Queue()
    worker = backend.Process(target=_targets.put, args=(results, "done"), daemon=True)
    assert (worker.exitcode, worker.pid) == (None, None)
    worker.start()
    assert results.get(timeout=WAIT) == "done"
    worker.join(JOIN_TIMEOUT)
    assert not worker.is_alive()
    assert worker.exitcode == 0
    assert isinstance(worker.pid, int) and worker.ident is not None


@pytest.mark.parametrize("target, args, code", [
    (_targets.exit_with, (3,), 3),
    (_targets.exit_with, (None,), 0),
    (_targets.raise_error, (), 1),
], ids=["sys.exit(3)", "sys.exit(None)", "exception"])
def test_process_exitcode_reports_how_it_ended(backend, start, target, args, code):
    worker = start(target, *args)
    worker.join(JOIN_TIMEOUT)
    assert not worker.is_alive()
    assert worker.exitcode == code


def test_join_times_out_while_worker_runs(backend, start):
    event, results = backend.Event(), backend.Queue()
    worker = start(_targets.wait_event, event, results)
    worker.join(0.05)
    assert worker.is_alive()
    assert worker in backend.active_children()
    event.set()
    assert results.get(timeout=WAIT) is True
    worker.join(JOIN_TIMEOUT)
    assert not worker.is_alive()
    assert worker not in backend.active_children()


def test_current_worker_and_process_inside_a_worker(backend, start):
    results = backend.Queue()
    start(_targets.report_identity, results, backend, name="conf-identity")
    assert results.get(timeout=WAIT) == ("conf-identity", "conf-identity")


def test_current_worker_in_the_caller(backend):
    assert isinstance(backend.current_worker().name, str)
    assert isinstance(backend.current_process().name, str)


def test_cpu_count_is_a_positive_int(backend):
    count = backend.cpu_count()
    assert isinstance(count, int) and count >= 1
