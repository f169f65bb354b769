"""Scaling out: ``concurrent.distributed`` on its embedded cluster beside ``multiprocessing``.

Two rows, both from the same interleaved run as their baseline:

- ``task_overhead``: the cost of one task, from ``Pool.map`` of an empty function with one task
  per message (what a cluster adds: a scheduler round trip per task);
- ``cpu_map``: ``Pool.map`` of ``fibonacci`` over two items per worker, as a speed-up over
  running them in a row in this thread (what the cluster's worker processes give back).

The embedded cluster's start-up is outside the timed part, as the pools' is.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from functools import partial

from concurrent._bench import _workloads
from concurrent._bench._modes import LINEAR, OURS_DISTRIBUTED, STDLIB_PROCESSING
from concurrent._bench._results import SECONDS, Results, record
from concurrent._bench._runner import rotate

__all__ = ["FULL", "QUICK", "SECTION", "format_section", "run_scaleout"]

SECTION = "cluster"
QUICK = {"task_overhead": 200, "cpu_map": 24}  # tasks; fibonacci's n
FULL = {"task_overhead": 2000, "cpu_map": 28}
DESCRIPTIONS = {
    "task_overhead": "seconds per task: Pool.map of an empty function, chunksize=1",
    "cpu_map": "Pool.map of fibonacci(n), two items per worker: speed-up over linear",
}


def _workers() -> int:
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return len(usable) if usable else (os.cpu_count() or 1)


def _pool(mode: str, workers: int, start_method: str):
    if mode == STDLIB_PROCESSING:
        return multiprocessing.get_context(start_method).Pool(workers)
    import concurrent.distributed

    return concurrent.distributed.Pool(workers)


def _overhead(pool, tasks: int) -> float:
    pool.map(_workloads.empty_item, range(4), chunksize=1)  # warm: workers imported it
    started = time.perf_counter()
    pool.map(_workloads.empty_item, range(tasks), chunksize=1)
    return (time.perf_counter() - started) / tasks


def _cpu_map(pool, n: int, workers: int) -> float:
    started = time.perf_counter()
    pool.map(_workloads.fibonacci, [n] * (2 * workers), chunksize=1)
    return time.perf_counter() - started


def _linear(n: int, workers: int) -> float:
    started = time.perf_counter()
    for _ in range(2 * workers):
        _workloads.fibonacci(n)
    return time.perf_counter() - started


def run_scaleout(results: Results, sizes: dict, start_method: str, repeat: int,
                 progress) -> None:
    """Add ``repeat`` interleaved samples per row and mode to ``results``."""
    workers = _workers()
    modes = [STDLIB_PROCESSING, OURS_DISTRIBUTED]
    for test, description in DESCRIPTIONS.items():
        results.tests[test] = description
    linear = results.figure(SECTION, "cpu_map", workers, LINEAR, SECONDS)
    pools: dict = {}
    try:
        for mode in modes:
            try:
                pools[mode] = _pool(mode, workers, start_method)
            except Exception as exc:
                for test in DESCRIPTIONS:
                    results.figure(SECTION, test, workers, mode, SECONDS).unavailable = (
                        f"{type(exc).__name__}: {exc}")
        for round_number in range(repeat):
            progress.step(f"cluster rows, round {round_number + 1}")
            record(linear, partial(_linear, sizes["cpu_map"], workers))
            for mode in rotate(modes, round_number):
                if mode not in pools:
                    continue
                pool = pools[mode]
                record(results.figure(SECTION, "task_overhead", workers, mode, SECONDS),
                       partial(_overhead, pool, sizes["task_overhead"]))
                record(results.figure(SECTION, "cpu_map", workers, mode, SECONDS),
                       partial(_cpu_map, pool, sizes["cpu_map"], workers))
    finally:
        for pool in pools.values():
            pool.terminate()


def count_steps(repeat: int) -> int:
    """How many progress steps ``run_scaleout`` takes."""
    return repeat


def format_section(results: Results, repeat: int) -> list[str]:
    """The rows as text: each figure, then ours over multiprocessing's speed (``vs``)."""
    from concurrent._bench._report import format_ms

    figures = [figure for figure in results.figures if figure.section == SECTION]
    if not figures:
        return []
    workers = figures[0].param
    lines = [f"Scaling out: concurrent.distributed's embedded LocalCluster ({workers} worker "
             f"processes) beside multiprocessing.Pool({workers}), median (best) of {repeat} "
             f"run(s)", ""]
    header = ["benchmark", STDLIB_PROCESSING, OURS_DISTRIBUTED, "vs"]
    rows = []
    for test in DESCRIPTIONS:
        cells = [test]
        for mode in (STDLIB_PROCESSING, OURS_DISTRIBUTED):
            figure = results.find(SECTION, test, workers, mode)
            if figure is None or not figure.ok:
                cells.append("unavailable")
            elif test == "cpu_map":
                linear = results.find(SECTION, test, workers, LINEAR)
                cells.append(f"{linear.median / figure.median:.2f}x speed-up")
            else:
                cells.append(f"{format_ms(figure.median)} ms ({format_ms(figure.best)})")
        ours = results.find(SECTION, test, workers, OURS_DISTRIBUTED)
        ratio = results.vs_stdlib(ours) if ours is not None else None
        cells.append("-" if ratio is None else f"{ratio:.2g}x")
        rows.append(cells)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        lines.append("  ".join([row[0].ljust(widths[0])]
                               + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]).rstrip())
    lines.insert(3, "  ".join("-" * width for width in widths))
    lines.append("")
    lines += [f"  {test}: {description}" for test, description in DESCRIPTIONS.items()]
    notes = sorted({f"  {f.mode}: unavailable: {f.unavailable}" for f in figures if f.unavailable})
    return lines + notes
