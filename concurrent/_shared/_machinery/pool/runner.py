"""Run one chunk of tasks in a worker: the loop both pools' workers share.

A task that raises (``SystemExit`` and ``KeyboardInterrupt`` too: a task must not take its
worker down) fails alone; the chunk goes on.  ``wrap_error`` turns each exception into what the
caller receives: in place with its traceback attached (threads), or in a picklable carrier that
brings the traceback text across a pipe (processes).

A process worker can die in the middle of a chunk.  So that the pool then knows which task killed
it, a worker that passes ``report`` reports each outcome before the next task starts, as long as
tasks are slow; after the first fast task it goes quiet until the chunk ends (per-task messages
would cost more than fast tasks themselves), and the pool then only knows the range.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence

from concurrent._shared._machinery.pool.results import Outcome

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["SLOW_TASK", "run_chunk"]

SLOW_TASK = 0.005  # seconds: tasks at least this slow are reported one by one
# report(outcome, values, exact): the tasks run so far; ``exact``: the next task is reported
# before the one after it starts.
Report = Callable[[Outcome, list, bool], None]


def run_chunk(func: Callable, items: Sequence, star: bool,
              wrap_error: Callable[[BaseException], Any],
              report: Report | None = None) -> tuple[Outcome, list]:
    """Run ``func`` over ``items`` (``func(*item)`` when ``star``); the outcomes not reported.

    Returns ``(Outcome.OK, values)`` or ``(Outcome.MIXED, [(ok, value or error), ...])``.
    """
    if report is None:
        return _run_quietly(func, items, star, wrap_error)
    return _run_reporting(func, items, star, wrap_error, report)


def _run_quietly(func, items, star, wrap_error) -> tuple[Outcome, list]:
    values: list[Any] = []
    failures: dict[int, Any] | None = None
    remaining = iter(items)
    run = itertools.starmap if star else map
    while True:
        try:
            # A C loop, as fast as the stdlib's mapstar.  When a task raises, extend keeps the
            # values before it, so the failed task's index is len(values); go on after it.
            values.extend(run(func, remaining))
        except BaseException as exc:
            if failures is None:
                failures = {}
            failures[len(values)] = wrap_error(exc)
            values.append(None)
        else:
            break
    if failures is None:
        return Outcome.OK, values
    return Outcome.MIXED, [(False, failures[index]) if index in failures else (True, value)
                           for index, value in enumerate(values)]


def _run_reporting(func, items, star, wrap_error, report: Report) -> tuple[Outcome, list]:
    values: list[Any] = []
    failed = False
    mark = time.perf_counter()
    last = len(items) - 1
    for index, item in enumerate(items):
        try:
            value = func(*item) if star else func(item)
        except BaseException as exc:
            if not failed:
                values = [(True, v) for v in values]
                failed = True
            values.append((False, wrap_error(exc)))
        else:
            values.append((True, value) if failed else value)
        if index < last:
            now = time.perf_counter()
            exact = now - mark >= SLOW_TASK
            mark = now
            report(Outcome.MIXED if failed else Outcome.OK, values, exact)
            if not exact:  # fast tasks: the rest in a C loop, reported with the chunk's end
                return _run_quietly(func, items[index + 1:], star, wrap_error)
            values, failed = [], False
    return (Outcome.MIXED if failed else Outcome.OK), values
