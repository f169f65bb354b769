"""What runs on a cluster worker for a ``Pool``: one batch of chunks as one Dask task.

A Dask task costs about a millisecond of scheduling (more on a busy machine), far more than a
small pool task, so the pool sends several chunks per Dask task (``run_pool_batch``) and each
chunk arrives as bytes the caller pickled: its function (pickled once per submission, so a
batch of one ``map`` carries it once) and its items.  Per chunk, the worker unpickles, runs the
loop every pool shares (``run_chunk``) and pickles the outcome on its own, so a chunk whose
function cannot be found here or whose values cannot be pickled fails alone, not its batch.

A cluster worker process serves many pools and is never replaced for one, so a pool's
``initializer`` runs in each worker process before the first chunk of that pool reaches it, and
again once it has run ``maxtasksperchild`` tasks there: what the initializer sets up is rebuilt
as a fresh pool worker would have it.  Exceptions travel with their traceback text
(``capture``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from concurrent._shared._machinery.pool.results import Outcome
from concurrent._shared._machinery.pool.runner import run_chunk
from concurrent._shared._machinery.pool.tracebacks import capture

__all__ = ["BatchReport", "ChunkData", "PoolSpec", "dumps", "loads", "run_pool_batch"]


class PoolSpec(NamedTuple):
    """What every batch of one pool carries: the pool's identity and its initializer."""

    pool: str
    initializer: Callable | None
    initargs: tuple
    maxtasks: int | None


class ChunkData(NamedTuple):
    """One chunk as the caller sends it: pickled function and items."""

    func: bytes  # the same bytes object for every chunk of one submission
    items: bytes
    star: bool
    count: int


class BatchReport(NamedTuple):
    """A batch's result: one ``(outcome, pickled payload, seconds)`` per chunk, or the
    initializer's failure (``chunks`` is then empty)."""

    chunks: list[tuple[Outcome, bytes, float]]
    initializer_error: Any = None


def dumps(obj: Any) -> bytes:
    """Pickle as Dask does: functions of ``__main__`` by value (cloudpickle), others by name."""
    from distributed.protocol import pickle

    return pickle.dumps(obj)


def loads(data: bytes) -> Any:
    from distributed.protocol import pickle

    return pickle.loads(data)


_done_here: dict[str, int] = {}  # pool -> tasks run in this process since its initializer ran
_lock = threading.Lock()


def _initialize_if_due(spec: PoolSpec) -> BaseException | None:
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


def _run_one(chunk: ChunkData, functions: dict[int, Callable]) -> tuple[Outcome, bytes, float]:
    started = time.perf_counter()
    try:
        func = functions.get(id(chunk.func))
        if func is None:
            func = functions[id(chunk.func)] = loads(chunk.func)
        outcome, values = run_chunk(func, loads(chunk.items), chunk.star, capture)
        payload = dumps(values)
    except BaseException as exc:  # unpickling the chunk, or pickling its values, failed
        outcome, payload = Outcome.ERROR, dumps(capture(exc))
    return outcome, payload, time.perf_counter() - started


def run_pool_batch(chunks: list[ChunkData], spec: PoolSpec) -> BatchReport:
    """Run each chunk here, in order (the initializer first, when due)."""
    reports = []
    functions: dict[int, Callable] = {}
    for chunk in chunks:
        failure = _initialize_if_due(spec)
        if failure is not None:
            return BatchReport([], dumps(capture(failure)))
        reports.append(_run_one(chunk, functions))
        with _lock:
            _done_here[spec.pool] = _done_here.get(spec.pool, 0) + chunk.count
    return BatchReport(reports)
