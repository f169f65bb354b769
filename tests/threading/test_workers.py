"""Thread-backed workers: Process exit codes, Timer, active_children, cpu_count."""

import os
import sys

import pytest

import concurrent.threading as backend

WAIT = 10.0


def test_process_exception_prints_traceback_and_sets_exitcode(capfd):
    def fail():
        raise KeyError("boom in a worker")

    worker = backend.Process(target=fail, name="failing")
    worker.start()
    worker.join(WAIT)
    assert not worker.is_alive() and worker.exitcode == 1
    assert "KeyError: 'boom in a worker'" in capfd.readouterr().err


def test_subclass_run_records_exitcode():
    class Exiting(backend.Process):
        def run(self):
            sys.exit("a message means status 1")

    class Fine(Exiting):
        def run(self):
            pass

    codes = []
    for cls in (Exiting, Fine):
        worker = cls()
        worker.start()
        worker.join(WAIT)
        assert not worker.is_alive()
        codes.append(worker.exitcode)
    assert codes == [1, 0]


def test_process_pid_is_this_process():
    worker = backend.Process(target=int)
    assert worker.pid is None
    worker.start()
    worker.join(WAIT)
    assert worker.pid == os.getpid()


def test_timer_fires_and_cancel_stops_it():
    fired = backend.Event()
    timer = backend.Timer(0.01, fired.set)
    timer.start()
    assert fired.wait(WAIT)
    timer.join(WAIT)
    assert not timer.is_alive()
    never = backend.Event()
    cancelled = backend.Timer(WAIT, never.set)
    cancelled.start()
    cancelled.cancel()
    cancelled.join(WAIT)
    assert not cancelled.is_alive() and not never.is_set()


def test_timer_rejects_negative_interval():
    with pytest.raises(ValueError, match="-1"):
        backend.Timer(-1, print)


def test_active_children_lists_only_threads_this_thread_started():
    release, started_inner = backend.Event(), backend.Event()
    inner_holder = []

    def outer():
        inner = backend.Thread(target=release.wait, args=(WAIT,))
        inner.start()
        inner_holder.append(inner)
        started_inner.set()
        release.wait(WAIT)
        inner.join(WAIT)

    worker = backend.Thread(target=outer)
    worker.start()
    assert started_inner.wait(WAIT)
    children = backend.active_children()
    assert worker in children and inner_holder[0] not in children
    release.set()
    worker.join(WAIT)
    assert not worker.is_alive() and worker not in backend.active_children()


def test_current_process_is_current_worker():
    assert backend.current_process() is backend.current_worker() is backend.current_thread()


def test_cpu_count_without_an_answer_raises(monkeypatch):
    from concurrent.threading import _workers

    monkeypatch.setattr(_workers, "_count_cpus", lambda: None)
    with pytest.raises(NotImplementedError):
        backend.cpu_count()
