"""Process on interpreters: exit codes, faults, joins that time out, daemon workers at exit,
threads a worker leaves, nested workers, and what fails at start()."""

import pickle
import subprocess
import threading

import pytest

from tests.interpreting import _targets
from tests.interpreting.conftest import WAIT, needs_interpreters

pytestmark = needs_interpreters


def test_a_target_that_raises_ends_with_exit_code_1_and_its_traceback(backend, capfd):
    worker = backend.Process(target=_targets.raise_key_error, name="failing")
    worker.start()
    worker.join(WAIT)
    assert (worker.is_alive(), worker.exitcode) == (False, 1)
    err = capfd.readouterr().err
    assert "Process failing:" in err and "KeyError: 'boom in an interpreter'" in err


def test_a_worker_that_does_not_end_is_joined_with_a_timeout(backend):
    event, results = backend.Event(), backend.Queue()
    worker = backend.Process(target=_targets.wait_for_event, args=(event, results))
    worker.start()
    worker.join(0.05)
    assert worker.is_alive() and worker.exitcode is None
    assert worker in backend.active_children()
    event.set()
    assert results.get(timeout=WAIT) is True
    worker.join(WAIT)
    assert not worker.is_alive() and worker.exitcode == 0


def test_a_worker_ends_when_the_threads_it_started_have_ended(backend):
    event, results = backend.Event(), backend.Queue()
    worker = backend.Process(target=_targets.start_a_thread_that_waits, args=(event, results))
    worker.start()
    worker.join(0.05)
    assert worker.is_alive()  # its target returned, its thread has not
    event.set()
    assert results.get(timeout=WAIT) == "thread done"
    worker.join(WAIT)
    assert worker.exitcode == 0


def test_subclass_run_and_sys_exit_codes(backend):
    from tests.interpreting._subclass import Exiting

    worker = Exiting()
    worker.start()
    worker.join(WAIT)
    assert worker.exitcode == 7


def test_what_cannot_be_pickled_fails_in_start_and_starts_nothing(backend):
    lock = threading.Lock()
    worker = backend.Process(target=print, args=(lock,))
    with pytest.raises(TypeError, match="lock") as caught:
        worker.start()
    assert any("another interpreter" in note for note in caught.value.__notes__)
    assert not worker.is_alive()
    with pytest.raises(RuntimeError, match="started"):
        worker.join(0)
    with pytest.raises((pickle.PicklingError, AttributeError), match="local object"):
        backend.Process(target=lambda: None).start()


def test_workers_start_workers(backend):
    results = backend.Queue()
    worker = backend.Process(target=_targets.nested, args=(results, 3), name="outer")
    worker.start()
    names = [results.get(timeout=WAIT) for _ in range(3)]
    worker.join(WAIT)
    assert worker.exitcode == 0
    assert names[0] == "outer" and names[1].startswith("Process-") and ":" in names[2]


def test_the_current_process_of_the_main_interpreter(backend):
    main = backend.current_process()
    assert main.name == "MainProcess" and main.is_alive() and main.pid is not None
    with pytest.raises(RuntimeError, match="current"):
        main.join()
    assert backend.current_worker() is main


def test_start_twice_and_daemon_after_start(backend):
    worker = backend.Process(target=print, args=("",))
    worker.start()
    with pytest.raises(RuntimeError):
        worker.start()
    with pytest.raises(RuntimeError):
        worker.daemon = True
    worker.join(WAIT)
    assert "stopped exitcode=0" in repr(worker)


def test_a_process_object_pickles_for_its_interpreter_only(backend):
    worker = backend.Process(target=print, name="copied")
    copy = pickle.loads(pickle.dumps(worker))
    assert copy.name == "copied" and copy.exitcode is None


def _run(source: str, timeout: float = 60) -> subprocess.CompletedProcess:
    from tests.interpreting.test_main_module import run_script

    return run_script(source, timeout)


def test_a_daemon_worker_still_running_stops_with_the_program_quietly():
    done = _run("""
        from concurrent import interpreting as backend
        from tests.interpreting import _targets

        if __name__ == "__main__":
            event, results = backend.Event(), backend.Queue()
            worker = backend.Process(target=_targets.wait_for_event, args=(event, results),
                                     daemon=True)
            worker.start()
            print("main ends")
    """)
    assert (done.returncode, done.stdout, done.stderr) == (0, "main ends\n", "")


def test_the_program_waits_for_a_worker_that_is_not_a_daemon():
    done = _run("""
        from concurrent import interpreting as backend
        from tests.interpreting import _targets

        if __name__ == "__main__":
            event, results = backend.Event(), backend.Queue()
            backend.Process(target=_targets.start_a_thread_that_waits,
                            args=(event, results)).start()
            event.set()
            print(results.get(timeout=10))
    """)
    assert (done.returncode, done.stdout, done.stderr) == (0, "thread done\n", "")
