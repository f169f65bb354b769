"""What runs on a cluster worker for one chunk of a ``Pool``'s tasks.

A cluster worker process serves many pools and is never replaced for one, so a pool's
``initializer`` runs in each worker process before the first chunk of that pool reaches it, and
again once it has run ``maxtasksperchild`` tasks there: what the initializer sets up is rebuilt
as a fresh pool worker would have it.  The chunk runs through the loop both other pools share
(``run_chunk``); exceptions travel with their traceback text (``capture``).
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from concurrent._shared._machinery.pool.results import Outcome
from concurrent._shared._machinery.pool.runner import run_chunk
from concurrent._shared._machinery.pool.tracebacks import capture

__all__ = ["ChunkReport", "PoolSpec", "Verdict", "run_pool_chunk"]


class PoolSpec(NamedTuple):
    """What every chunk of one pool carries: the pool's identity and its initializer."""

    pool: str
    initializer: Callable | None
    initargs: tuple
    maxtasks: int | None


class Verdict(enum.Enum):
    """Whether the chunk ran (its outcome is in the report) or the initializer failed."""

    RAN = "ran"
    INITIALIZER_FAILED = "initializer failed"


class ChunkReport(NamedTuple):
    """A chunk's result, sent back to the pool."""

    verdict: Verdict
    outcome: Outcome
    payload: Any
    seconds: float


_done_here: dict[str, int] = {}  # pool -> tasks run in this process since its initializer ran
_lock = threading.Lock()


def _prepare(spec: PoolSpec) -> BaseException | None:
    with _lock:
        done = _done_here.get(spec.pool)
        fresh = done is None or (spec.maxtasks is not None and done >= spec.maxtasks)
        if fresh:
            _done_here[spec.pool] = 0
    if fresh and spec.initializer is not None:
        try:
            spec.initializer(*spec.initargs)
        except BaseException as exc:
            with _lock:
                _done_here.pop(spec.pool, None)
            return exc
    return None


def run_pool_chunk(spec: PoolSpec, func: Callable, items: list, star: bool) -> ChunkReport:
    """Run ``func`` over ``items`` here (the initializer first, when due)."""
    started = time.perf_counter()
    failure = _prepare(spec)
    if failure is not None:
        return ChunkReport(Verdict.INITIALIZER_FAILED, Outcome.ERROR, capture(failure), 0.0)
    outcome, values = run_chunk(func, items, star, capture)
    with _lock:
        _done_here[spec.pool] = _done_here.get(spec.pool, 0) + len(items)
    return ChunkReport(Verdict.RAN, outcome, values, time.perf_counter() - started)
