"""What runs inside an interpreter this backend started: its setup, then what it is asked to run.

``_interpreters`` calls these with ``Interpreter.call``; every argument and result is shareable
(ints, bytes, tuples, interpreter queues), and none of them raises: a worker's failure becomes
its exit status or a task's error, with the traceback printed or carried.

- ``setup``: adopt the in-flight counter, the reaper, the main script and some parkers.
- ``run_process``: unpickle a ``Process`` and run it; then wait for the threads it started,
  flush stdout and stderr, and hand the parkers back (``finish``).
- ``start_pool_worker``, ``run_chunk``, ``stop_pool_worker``: a pool worker's life.
"""

from __future__ import annotations

import gc
import sys
import threading

from concurrent import interpreters
from concurrent.interpreting import _codec, _inflight, _interpreters, _waiting
from concurrent.interpreting._waiting import Doorbell

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["finish", "run_chunk", "run_process", "setup", "start_pool_worker",
           "stop_pool_worker"]

def setup(counter: interpreters.Queue, reaper_bell: interpreters.Queue,
          reaper_inbox: interpreters.Queue, main: _codec.MainScript | None,
          parkers: tuple) -> None:
    """First call in a new interpreter: what it needs to know of the program."""
    bell = Doorbell(reaper_bell)
    _inflight.adopt(counter, bell)
    _interpreters.adopt_reaper(reaper_inbox, bell)
    _codec.adopt_main(main)
    _waiting.adopt_parkers(parkers)


def run_process(payload: Any) -> tuple[int, tuple]:
    """Run the pickled ``Process``; return its exit status and the parkers to hand back."""
    try:
        process = _codec.loads(payload)
    except BaseException:
        import traceback  # only on failure: it takes a tenth of a worker's start-up to import

        print("Process: could not unpickle it in its interpreter:", file=sys.stderr)
        traceback.print_exc()
        code = 1
    else:
        del payload
        code = process._run_here()
        del process  # what the target held goes now, as a child process's exit releases it
    return code, finish()


def finish() -> tuple:
    """The end of an interpreter's work: wait for the threads it started (as a process waits at
    exit for its non-daemon threads), flush its output, give its parkers back."""
    ours = (threading.current_thread(), threading.main_thread())  # the callers' threads
    collected = False
    while True:
        others = [thread for thread in threading.enumerate()
                  if thread not in ours and not thread.daemon and thread.is_alive()]
        if not others:
            break
        if not collected:  # a pool (or manager) nobody holds any more stops its threads now
            gc.collect()
            collected = True
            continue
        for thread in others:
            thread.join()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    return _waiting.spare_parkers(sys.maxsize)


def start_pool_worker(name: str, identity: tuple, initializer: Any) -> Any:
    """Become worker ``name`` of a pool; run its pickled ``(initializer, initargs)``.

    Returns ``None``, or the pickled error the initializer raised (the pool then breaks).
    """
    from concurrent.interpreting._workers import Process, set_current

    worker = Process(name=name)
    worker._identity, worker._running_here = identity, True
    set_current(worker)
    if initializer is None:
        return None
    try:
        function, args = _codec.loads(initializer)
        function(*args)
    except BaseException as exc:
        return _pickled_error(exc)
    return None


def run_chunk(payload: Any) -> Any:
    """Run a pickled chunk ``(function, items, star)`` of a pool; return its pickled outcome
    ``(Outcome, values)``, each failed task's exception carrying its traceback."""
    from concurrent._shared._machinery.pool.results import Outcome
    from concurrent._shared._machinery.pool.runner import run_chunk as run
    from concurrent._shared._machinery.pool.tracebacks import capture

    try:
        function, items, star = _codec.loads(payload)
    except BaseException as exc:
        return _codec.dumps((Outcome.ERROR, capture(exc)))
    outcome, values = run(function, items, star, capture)
    try:
        return _codec.dumps((outcome, values))
    except Exception:  # a result that cannot be pickled: fail that task, keep the others
        return _codec.dumps(_each_picklable(outcome, values))


def _each_picklable(outcome: Any, values: list) -> tuple:
    from concurrent._shared._machinery.pool.results import Outcome, outcomes
    from concurrent._shared._machinery.pool.tracebacks import capture

    pairs = []
    for ok, value in outcomes(outcome, values, len(values)):
        try:
            _codec.dumps(value)
        except Exception as exc:
            ok, value = False, capture(exc)
        pairs.append((ok, value))
    return Outcome.MIXED, pairs


def _pickled_error(exc: BaseException) -> Any:
    from concurrent._shared._machinery.pool.tracebacks import capture

    return _codec.dumps(capture(exc))


def stop_pool_worker() -> tuple:
    """A pool worker ends: as ``finish``."""
    return finish()
