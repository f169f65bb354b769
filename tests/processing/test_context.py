"""Start methods, contexts and the module's exports."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import subprocess
import sys

import pytest

import concurrent.processing as processing
from tests.conftest import QUICK_METHOD, START_METHODS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CONTEXT_API = [
    "Process", "Worker", "current_process", "current_worker", "parent_process",
    "active_children", "cpu_count", "Lock", "RLock", "Condition", "Semaphore",
    "BoundedSemaphore", "Event", "Barrier", "Queue", "JoinableQueue", "SimpleQueue", "Pipe",
    "Value", "Array", "RawValue", "RawArray", "Pool", "Manager", "get_context",
    "get_start_method", "set_start_method", "get_all_start_methods", "set_executable",
    "set_forkserver_preload", "freeze_support", "allow_connection_pickling", "get_logger",
    "log_to_stderr", "reducer", "ProcessError", "AuthenticationError", "BufferTooShort",
    "TimeoutError",
]


def test_context_is_bound_to_its_method(ctx):
    method = ctx.get_start_method()
    assert processing.get_context(method) is ctx
    assert ctx.get_context() is ctx
    assert ctx.Process._start_method == method
    assert ctx.Process(target=print).name.startswith(ctx.Process.__name__)
    for name in CONTEXT_API:
        assert hasattr(ctx, name), name
    with pytest.raises(ValueError, match="bound to its start method"):
        ctx.set_start_method("spawn")


def test_every_multiprocessing_context_name_is_available(ctx):
    stdlib = multiprocessing.get_context(ctx.get_start_method())
    public = {name for name in dir(stdlib) if not name.startswith("_")}
    assert public - set(dir(ctx)) == set()


def test_default_start_method_is_the_stdlibs():
    assert processing.get_start_method() == multiprocessing.get_start_method()
    assert processing.get_context().get_start_method() == multiprocessing.get_start_method()
    assert processing.get_all_start_methods() == multiprocessing.get_all_start_methods()
    assert "3.14" in processing.get_start_method.__doc__
    assert "3.14" in processing.get_context.__doc__


def test_unknown_start_method_is_named():
    with pytest.raises(ValueError, match="'threads'.*supports"):
        processing.get_context("threads")
    with pytest.raises(ValueError, match="'threads'"):
        processing.set_start_method("threads", force=True)
    with pytest.raises(ValueError, match=r"\['fork'\].*supports"):  # unhashable: still named
        processing.get_context(["fork"])


def test_a_named_context_leaves_the_default_method_unresolved():
    # On 3.14+ working out the default start method imports tempfile (and shutil with its
    # compression modules, about 10 ms); a program that names its method never needs it.
    code = ("import sys, concurrent.processing as p; p.get_context(sys.argv[1]); "
            "print('tempfile' in sys.modules)")
    for method in multiprocessing.get_all_start_methods():
        out = subprocess.run([sys.executable, "-c", code, method], capture_output=True,
                             text=True, timeout=50, check=True, cwd=ROOT).stdout
        assert out.strip() == "False", method


def test_exports_cover_multiprocessing_and_the_design_contract():
    design = {"Worker", "current_worker", "active_children", "cpu_count", "Process",
              "current_process", "Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore",
              "Event", "Barrier", "BrokenBarrierError", "Queue", "SimpleQueue",
              "JoinableQueue", "Empty", "Full", "Pipe", "wait", "connection", "Pool",
              "Manager", "Value", "Array", "TimeoutError", "WorkerLostError",
              "BrokenPoolError", "sharedctypes", "shared_memory", "pool", "managers",
              "get_logger", "log_to_stderr", "parent_process", "set_executable",
              "freeze_support", "get_context", "set_start_method"}
    exported = set(processing.__all__)
    assert design - exported == set()
    assert set(multiprocessing.__all__) - exported == set()
    for name in exported - {"pool", "managers", "Pool", "Manager"}:
        assert getattr(processing, name) is not None, name
    assert processing.Worker is processing.Process
    with pytest.raises(AttributeError, match="no attribute 'Thread'"):
        processing.Thread  # noqa: B018


def test_connection_submodule_names():
    from concurrent.processing import connection

    for name in ("Listener", "Client", "Pipe", "wait", "Connection", "AuthenticationError"):
        assert name in connection.__all__ and hasattr(connection, name)


def test_import_is_lazy():
    code = ("import sys, concurrent.processing; "
            "print(sorted(m for m in sys.modules if m.startswith('multiprocessing')))")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=50, check=True, cwd=root).stdout
    assert out.strip() == "[]"


def test_contexts_pickle_to_the_same_context(ctx):
    import pickle

    assert pickle.loads(pickle.dumps(ctx)) is ctx
    assert pickle.loads(pickle.dumps(processing.get_context())) is processing.get_context()


@pytest.mark.parametrize("method", START_METHODS)
def test_backend_switch_example_runs_on_processes(method, tmp_path):
    """examples/backend_switch.py, switched to processes by its one import line."""
    import pathlib

    root = pathlib.Path(__file__).parents[2]
    source = (root / "examples" / "backend_switch.py").read_text()
    threads_import = "from concurrent import threading as backend"
    assert threads_import in source
    switched = source.replace(threads_import, "from concurrent import processing as backend")
    switched = switched.replace("def main() -> None:\n", "def main() -> None:\n"
                                f"    backend.set_start_method({method!r}, force=True)\n", 1)
    script = tmp_path / "backend_switch_processes.py"
    script.write_text(switched)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(root), os.environ.get("PYTHONPATH")]))}  # a checkout works too
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=50, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "primes found: 168" in done.stdout


def test_all_lists_exactly_the_lazy_exports():
    assert sorted(processing.__all__) == sorted(processing._EXPORTS)
    assert set(dir(processing)) >= set(processing.__all__)


def test_a_contexts_classes_are_the_packages_bound_to_its_method():
    import _thread

    import concurrent._shared as shared

    spawn, fork = processing.get_context("spawn"), processing.get_context(QUICK_METHOD)
    assert spawn.Queue is spawn.Queue  # made once
    assert issubclass(spawn.Queue, processing.Queue) and spawn.Queue._start_method == "spawn"
    assert processing.get_context().Queue is processing.Queue  # the default binds nothing
    queue = fork.JoinableQueue()
    assert isinstance(queue, processing.Queue) and isinstance(queue, spawn.Queue)
    assert spawn.Lock.__name__ == "Lock"
    assert spawn.Lock.__module__ == "concurrent.processing.synchronize"
    assert pickle.loads(pickle.dumps(spawn.Lock)) is spawn.Lock
    # The contract's ABCs still answer for other types once bound classes exist.
    assert not isinstance(_thread.allocate_lock(), shared.RLock)
    assert isinstance(_thread.RLock(), shared.RLock)


def test_start_method_functions_behave_as_multiprocessings():
    # In a fresh interpreter: the start method is process-wide state.
    code = """if True:
        import multiprocessing
        import concurrent.processing as ours
        seen = [ours.get_start_method(allow_none=True)]
        try:
            ours.set_start_method("bogus")
        except ValueError:
            seen.append("ValueError")
        ours.set_start_method("spawn")
        seen.append((ours.get_start_method(), multiprocessing.get_start_method()))
        for method in ("bogus", "fork"):  # already set: RuntimeError comes first, as there
            try:
                ours.set_start_method(method)
            except RuntimeError:
                seen.append("RuntimeError")
        ours.set_start_method("forkserver", force=True)
        seen.append(ours.get_start_method())
        ours.set_start_method(None, force=True)
        seen.append(ours.get_start_method(allow_none=True))
        print(seen)
    """
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str([None, "ValueError", ("spawn", "spawn"), "RuntimeError",
                                       "RuntimeError", "forkserver", None])
