"""Start-up costs: importing a backend, creating a queue, starting and joining a process.

``import``: ``import MODULE`` in a fresh interpreter (each backend's module beside the stdlib
module it replaces; a sample is the mean of several interpreters).  ``queue_create``: one
``Queue()`` of the run's start method, closed again outside the timed part (a sample is the
mean of several).  ``start_join`` and ``first_start_join``: an empty ``Process`` started and
joined under each start method, in a fresh interpreter per sample that runs
``concurrent/_bench/_fresh.py`` as its script, so each side has its own fork server and its
children re-run a script's main module as a user's do; ``first_start_join`` is that program's
import of the module, ``get_context(method)`` and first process (it also launches the fork
server; a module may load in any of these steps what another loads in a different one: ours
load most of their modules on first use), ``start_join`` the mean of the next ones.  Before
the timed runs, each module is imported and started once untimed, so that the fresh
interpreters find our modules' bytecode cached as they find the stdlib's.
``concurrent.interpreting`` (Python 3.14+) has these rows under the case
``interpreter``: a worker is an interpreter of the program, started from a thread, and its
``vs`` is against multiprocessing's spawn, the other way to start a fresh interpreter for a
worker (``Results.baseline``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import partial

from concurrent._bench._modes import (
    OURS_INTERPRETING,
    OURS_PROCESSING,
    OURS_THREADING,
    STDLIB_PROCESSING,
    STDLIB_THREADING,
    Backend,
    UnavailableError,
)
from concurrent._bench._results import INTERPRETER_CASE, SECONDS, Results, record
from concurrent._bench._runner import rotate
from concurrent._bench._workers import BenchError, close_channel

__all__ = ["FULL", "QUICK", "SECTION", "Sizes", "count_steps", "rows", "run_startup"]

SECTION = "startup"
FRESH_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_fresh.py")
# The module a fresh interpreter imports for each mode (a mode missing here has no such rows).
MODULES = {STDLIB_THREADING: "threading", OURS_THREADING: OURS_THREADING,
           STDLIB_PROCESSING: "multiprocessing", OURS_PROCESSING: OURS_PROCESSING,
           OURS_INTERPRETING: OURS_INTERPRETING}
IMPORT_CASE = "fresh interpreter"
QUEUE_CASE = "Queue()"


@dataclass(frozen=True)
class Sizes:
    """How much one sample does: interpreters for ``import``, queues, processes per method."""

    interpreters: int
    queues: int
    processes: dict  # start method (or INTERPRETER_CASE) -> workers after the first, per sample


FULL = Sizes(5, 200, {"fork": 20, "forkserver": 20, "spawn": 5, INTERPRETER_CASE: 20})
QUICK = Sizes(2, 50, {"fork": 10, "forkserver": 5, "spawn": 1, INTERPRETER_CASE: 10})

DESCRIPTIONS = {
    "import": "import MODULE in a fresh interpreter (threading, multiprocessing, or ours)",
    "queue_create": "creating one Queue() (closed again outside the timed part)",
    "start_join": "start and join of an empty Process, after the program's first "
                  "(interpreter: concurrent.interpreting's, its vs against spawn)",
    "first_start_join": "import MODULE, get_context(method) and the program's first start "
                        "and join of an empty Process (forkserver: it launches the fork server "
                        "too)",
}


def rows(backends: dict) -> list[tuple[str, str, list[str]]]:
    """``(test, case, modes)`` of every row, each with the modes that have a figure there."""
    import multiprocessing

    modes = [mode for mode in backends if mode in MODULES]
    processes = [mode for mode in modes if mode in (STDLIB_PROCESSING, OURS_PROCESSING)]
    found = [("import", IMPORT_CASE, modes), ("queue_create", QUEUE_CASE, modes)]
    for test in ("start_join", "first_start_join"):
        found += [(test, method, processes) for method in multiprocessing.get_all_start_methods()]
        found.append((test, INTERPRETER_CASE, [OURS_INTERPRETING] if OURS_INTERPRETING in modes
                      else []))
    return [row for row in found if row[2]]


def count_steps(backends: dict, repeat: int) -> int:
    """How many progress steps ``run_startup`` takes."""
    return repeat * sum(len(modes) for test, _, modes in rows(backends)
                        if test != "first_start_join")  # measured with start_join


def fresh_env() -> dict:
    """The environment of the fresh interpreters: this one's, with our package importable.

    Both sides of a row run with the same environment; the directory that holds our package
    goes on ``PYTHONPATH`` unless a plain interpreter finds it already (an installed wheel).
    """
    import site

    import concurrent.processing

    root = os.path.dirname(os.path.dirname(os.path.dirname(concurrent.processing.__file__)))
    env = dict(os.environ)
    env.pop("COVERAGE_PROCESS_START", None)  # measure the interpreter, not a coverage tracer
    # The stdlib's modules come with their bytecode; ours have theirs once installed, but a
    # checkout run with this set would compile our modules in every fresh interpreter.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    installed = {os.path.realpath(path) for path in site.getsitepackages()}
    if os.path.realpath(root) not in installed:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    return env


def _fresh(args: list[str], env: dict, timeout: float) -> list[float]:
    """Run ``_fresh.py ARGS`` in a new interpreter; the figures it printed."""
    command = [sys.executable, FRESH_SCRIPT, *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{' '.join(args)}: no answer within {timeout} s") from None
    if done.returncode != 0:
        raise BenchError(f"{' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    try:
        return [float(line) for line in done.stdout.split()]
    except ValueError:
        raise BenchError(f"{' '.join(args)} printed {done.stdout!r}") from None


def _write_bytecode(found: list, backends: dict, env: dict, timeout: float) -> None:
    """One untimed import, and start and join per case, of each module, so that every module
    the timed programs import has its bytecode cached, as the stdlib's have (``fresh_env``)."""
    for test, case, modes in found:
        for mode in modes:
            if isinstance(backends[mode], UnavailableError):
                continue
            if test == "import":
                _fresh(["import", MODULES[mode]], env, timeout)
            elif test == "start_join":
                _fresh(["start_join", MODULES[mode], case, "1"], env, timeout)


def _import(module: str, interpreters: int, env: dict, timeout: float) -> float:
    times = [_fresh(["import", module], env, timeout)[0] for _ in range(interpreters)]
    return statistics.fmean(times)


def _queue_create(backend: Backend, count: int) -> float:
    queue_class = backend.get("Queue")
    elapsed = 0.0
    for _ in range(count):
        started = time.perf_counter()
        queue = queue_class()
        elapsed += time.perf_counter() - started
        close_channel(queue)
    return elapsed / count


def _start_join(module: str, method: str, count: int, env: dict, timeout: float,
                first_figure) -> float:
    """The mean steady start+join; the program's first one goes to ``first_figure``."""
    first, steady = _fresh(["start_join", module, method, str(count)], env, timeout)
    first_figure.samples.append(first)
    return steady


def run_startup(results: Results, sizes: Sizes, backends: dict, repeat: int, progress,
                timeout: float = 120.0) -> None:
    """Add ``repeat`` interleaved samples per row and mode to ``results``."""
    found = rows(backends)
    for test in dict.fromkeys(test for test, _, _ in found):
        results.tests[test] = DESCRIPTIONS[test]
    for test, case, modes in found:
        for mode in modes:
            figure = results.figure(SECTION, test, case, mode, SECONDS)
            if isinstance(backends[mode], UnavailableError):
                figure.unavailable = str(backends[mode])
    env = fresh_env()
    _write_bytecode(found, backends, env, timeout)
    for round_number in range(repeat):
        for test, case, modes in found:
            if test == "first_start_join":
                continue  # its samples come with start_join's
            for mode in rotate(modes, round_number):
                figure = results.find(SECTION, test, case, mode)
                if figure.unavailable:
                    continue
                progress.step(f"{test} {case}, {mode}")
                if test == "import":
                    measure = partial(_import, MODULES[mode], sizes.interpreters, env, timeout)
                elif test == "queue_create":
                    measure = partial(_queue_create, backends[mode], sizes.queues)
                else:
                    first = results.find(SECTION, "first_start_join", case, mode)
                    measure = partial(_start_join, MODULES[mode], case, sizes.processes[case],
                                      env, timeout, first)
                record(figure, measure)
    for test, case, modes in found:  # a start_join that failed fails its first figure too
        for mode in modes if test == "first_start_join" else ():
            first = results.find(SECTION, test, case, mode)
            steady = results.find(SECTION, "start_join", case, mode)
            if steady.unavailable or not first.samples:
                first.unavailable = first.unavailable or steady.unavailable or "no sample"
