"""Process lifecycle: exit codes, signals, daemons, sentinels, misuse, and failures to start."""

from __future__ import annotations

import os
import signal
import time

import pytest

import concurrent.processing as processing
from concurrent import _shared
from tests.processing import _targets
from tests.processing.conftest import JOIN_TIMEOUT, run


def test_exit_codes(ctx):
    assert run(ctx, _targets.exit_with, 0).exitcode == 0
    assert run(ctx, _targets.exit_with, 3).exitcode == 3
    assert run(ctx, _targets.exit_with, None).exitcode == 0


def test_death_by_signal_gives_negative_exitcode(ctx):
    worker = run(ctx, _targets.kill_self, signal.SIGKILL)
    assert worker.exitcode == -signal.SIGKILL


def test_identity_inside_the_child(ctx):
    results = ctx.SimpleQueue()
    worker = ctx.Process(target=_targets.report_identity, args=(results,), name="probe")
    assert worker.pid is None and worker.ident is None and worker.exitcode is None
    worker.start()
    seen = results.get()
    worker.join(JOIN_TIMEOUT)
    assert worker.exitcode == 0
    assert seen["name"] == "probe"
    assert seen["pid"] == seen["ident"] == seen["os_pid"] == worker.pid
    assert seen["parent_pid"] == os.getpid()
    assert seen["authkey"] == bytes(processing.current_process().authkey)
    assert seen["worker_is_process"] is True
    assert seen["start_method"] == ctx.get_start_method()
    results.close()


def test_process_is_a_worker(ctx):
    worker = ctx.Process(target=_targets.exit_with, args=(0,))
    assert isinstance(worker, _shared.Worker)
    assert isinstance(worker, processing.Process)
    assert ctx.Worker is ctx.Process
    assert isinstance(processing.current_process(), _shared.Worker)
    assert processing.parent_process() is None


def test_run_overridden_in_a_subclass():
    for cls, method in ((_targets.RunOverridden, None), (_targets.SpawnedRunOverridden, "spawn")):
        results = processing.get_context(method).SimpleQueue()
        worker = cls(results)
        worker.start()
        assert results.get() == f"run() of {worker.name}"
        worker.join(JOIN_TIMEOUT)
        assert worker.exitcode == 0
        results.close()


def test_exception_in_child_prints_traceback_and_exits_1(ctx, tmp_path):
    stderr = tmp_path / "stderr.txt"
    worker = run(ctx, _targets.with_stderr_to, str(stderr), _targets.raise_value_error)
    assert worker.exitcode == 1
    text = stderr.read_text()
    assert f"Process {worker.name}:" in text
    assert "Traceback (most recent call last):" in text
    assert "ValueError: raised on purpose in the child" in text


def test_terminate_and_kill(ctx):
    event = ctx.Event()
    worker = ctx.Process(target=_targets.wait_forever, args=(event,))
    worker.start()
    worker.terminate()
    worker.join(JOIN_TIMEOUT)
    assert worker.exitcode == -signal.SIGTERM

    ready = ctx.Event()
    stubborn = ctx.Process(target=_targets.ignore_sigterm_and_wait, args=(ready, event))
    stubborn.start()
    assert ready.wait(JOIN_TIMEOUT)
    stubborn.terminate()
    stubborn.join(0.2)
    assert stubborn.is_alive(), "SIGTERM is ignored: the child must still run"
    stubborn.kill()
    stubborn.join(JOIN_TIMEOUT)
    assert stubborn.exitcode == -signal.SIGKILL


def test_sentinel_becomes_ready_when_the_child_ends(ctx):
    event = ctx.Event()
    worker = ctx.Process(target=_targets.wait_forever, args=(event,))
    with pytest.raises(ValueError, match="not started"):
        worker.sentinel  # noqa: B018 - the property raises before start
    worker.start()
    assert processing.connection.wait([worker.sentinel], timeout=0.05) == []
    event.set()
    assert processing.connection.wait([worker.sentinel], timeout=JOIN_TIMEOUT) == [
        worker.sentinel]
    worker.join(JOIN_TIMEOUT)
    assert worker.exitcode == 0


def test_daemon_children_end_when_their_parent_exits(ctx):
    results = ctx.SimpleQueue()
    never_set = ctx.Event()
    parent = run(ctx, _targets.start_daemon_then_exit, results, never_set,
                 ctx.get_start_method())
    assert parent.exitcode == 0
    grandchild = results.get()
    deadline = time.monotonic() + JOIN_TIMEOUT
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.02)  # polling with a deadline for a process we cannot join
    assert not _alive(grandchild), f"daemon grandchild {grandchild} outlived its parent"
    results.close()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):  # reading a vanishing pid's stat: ESRCH
        return False


def test_misuse_errors(ctx):
    worker = ctx.Process(target=_targets.exit_with, args=(0,))
    with pytest.raises(RuntimeError, match="never started"):
        worker.join(1)
    with pytest.raises(RuntimeError, match="never started"):
        worker.terminate()
    worker.start()
    with pytest.raises(RuntimeError, match="cannot start a process twice"):
        worker.start()
    worker.join(JOIN_TIMEOUT)
    worker.close()
    with pytest.raises(ValueError, match="closed"):
        worker.is_alive()
    with pytest.raises(ValueError, match="closed"):
        worker.start()
    with pytest.raises(ValueError, match="group"):
        ctx.Process(group="not None")


def test_close_refuses_a_running_process(ctx):
    event = ctx.Event()
    worker = ctx.Process(target=_targets.wait_forever, args=(event,))
    worker.start()
    with pytest.raises(ValueError, match="still running"):
        worker.close()
    event.set()
    worker.join(JOIN_TIMEOUT)
    worker.close()


def test_joining_itself_raises_in_the_child(ctx):
    results = ctx.SimpleQueue()
    run(ctx, _targets.join_self, results)
    kind, message = results.get()
    assert kind == "RuntimeError" and "cannot join the current process" in message
    results.close()


def test_a_daemon_cannot_create_children(ctx):
    results = ctx.SimpleQueue()
    run(ctx, _targets.start_grandchild, results, daemon=True)
    kind, message = results.get()
    assert kind == "RuntimeError" and "daemonic processes are not allowed" in message
    results.close()


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_unpicklable_target_fails_in_the_parent_naming_it(method):
    ctx = processing.get_context(method)
    before = set(processing.active_children())  # session-wide pools may be running
    worker = ctx.Process(target=lambda: None)
    with pytest.raises(processing.UnpicklableError) as caught:
        worker.start()
    message = str(caught.value)
    assert caught.value.path == "target"
    assert "<lambda>" in message and "define it with def" in message
    assert worker.pid is None and not worker.is_alive()
    assert set(processing.active_children()) == before


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_unpicklable_argument_fails_naming_its_path(method):
    ctx = processing.get_context(method)
    lock = ctx.Lock()  # picklable while spawning: must not be blamed
    worker = ctx.Process(target=_targets.put, args=(lock, {"callback": lambda x: x}))
    with pytest.raises(processing.UnpicklableError) as caught:
        worker.start()
    assert caught.value.path == "args[1]['callback']"
    assert str(caught.value).startswith(f"{worker.name} could not start: cannot pickle "
                                        "args[1]['callback']: <function")


def test_fork_needs_no_pickling():
    ctx = processing.get_context("fork")
    results = ctx.SimpleQueue()
    worker = run(ctx, lambda: results.put("ran"))
    assert worker.exitcode == 0 and results.get() == "ran"
    results.close()
