"""Scaling out: ``concurrent.distributed`` on its embedded cluster beside ``concurrent.processing``.

Two rows, both measured in the same interleaved run as their baseline, our process backend:

- ``task_overhead``: the cost of one task, from ``Pool.map`` of a trivial function with one task
  per chunk (what a cluster adds: scheduling through a scheduler instead of a pipe);
- ``cpu_map``: ``Pool.map`` of ``fibonacci`` over four items per worker, one per chunk, as a
  speed-up over running them in a row in this thread (what the worker processes give back).

Both pools have as many workers as this process may use CPUs, which is also how many worker
processes the embedded cluster starts.  Starting the pools and the cluster is outside the timed
part; each is warmed up first.
"""

from __future__ import annotations

import os
import time
from functools import partial

from concurrent._bench import _workloads
from concurrent._bench._modes import LINEAR, OURS_DISTRIBUTED, OURS_PROCESSING
from concurrent._bench._results import SECONDS, Results, record
from concurrent._bench._runner import rotate

__all__ = ["FULL", "QUICK", "SECTION", "count_steps", "format_section", "run_scaleout"]

SECTION = "cluster"
MODES = (OURS_PROCESSING, OURS_DISTRIBUTED)
ITEMS_PER_WORKER = 4
QUICK = {"task_overhead": 500, "cpu_map": 26}  # tasks; fibonacci's n
FULL = {"task_overhead": 2000, "cpu_map": 28}
DESCRIPTIONS = {
    "task_overhead": "ms per task: Pool.map of a trivial function over N items, chunksize=1",
    "cpu_map": f"Pool.map of fibonacci(n) over {ITEMS_PER_WORKER} items per worker, "
               f"chunksize=1: speed-up over linear",
}


def workers() -> int:
    """CPUs this process may use: both pools' size, and the embedded cluster's."""
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return len(usable) if usable else (os.cpu_count() or 1)


def _pool(mode: str, size: int, start_method: str):
    if mode == OURS_PROCESSING:
        import concurrent.processing

        return concurrent.processing.get_context(start_method).Pool(size)
    import concurrent.distributed

    pool = concurrent.distributed.Pool(size)
    pool.map(abs, range(4 * size), chunksize=1)  # the cluster is up and its workers warm
    return pool


def _overhead(pool, tasks: int) -> float:
    pool.map(abs, range(8), chunksize=1)
    started = time.perf_counter()
    pool.map(abs, range(tasks), chunksize=1)
    return (time.perf_counter() - started) / tasks


def _cpu_map(pool, n: int, size: int) -> float:
    started = time.perf_counter()
    pool.map(_workloads.fibonacci, [n] * (ITEMS_PER_WORKER * size), chunksize=1)
    return time.perf_counter() - started


def _linear(n: int, size: int) -> float:
    started = time.perf_counter()
    for _ in range(ITEMS_PER_WORKER * size):
        _workloads.fibonacci(n)
    return time.perf_counter() - started


def run_scaleout(results: Results, sizes: dict, start_method: str, repeat: int,
                 progress) -> None:
    """Add ``repeat`` interleaved samples per row and mode to ``results``."""
    size = workers()
    for test, description in DESCRIPTIONS.items():
        results.tests[test] = description
    linear = results.figure(SECTION, "cpu_map", size, LINEAR, SECONDS)
    pools: dict = {}
    try:
        for mode in MODES:
            try:
                pools[mode] = _pool(mode, size, start_method)
            except Exception as exc:  # e.g. the [distributed] extra is not installed
                for test in DESCRIPTIONS:
                    results.figure(SECTION, test, size, mode, SECONDS).unavailable = (
                        f"{type(exc).__name__}: {exc}")
        for round_number in range(repeat):
            progress.step(f"cluster rows, round {round_number + 1}")
            record(linear, partial(_linear, sizes["cpu_map"], size))
            for mode in rotate(list(MODES), round_number):
                if mode not in pools:
                    continue
                pool = pools[mode]
                record(results.figure(SECTION, "task_overhead", size, mode, SECONDS),
                       partial(_overhead, pool, sizes["task_overhead"]))
                record(results.figure(SECTION, "cpu_map", size, mode, SECONDS),
                       partial(_cpu_map, pool, sizes["cpu_map"], size))
    finally:
        for pool in pools.values():
            pool.terminate()
            pool.join()
        if OURS_DISTRIBUTED in pools:
            import concurrent.distributed

            concurrent.distributed.shutdown()


def count_steps(repeat: int) -> int:
    """How many progress steps ``run_scaleout`` takes."""
    return repeat


def format_section(results: Results, repeat: int) -> list[str]:
    """The rows as text: each mode's figure, then ours over our process backend's (``vs``)."""
    from concurrent._bench._report import format_ms

    figures = [figure for figure in results.figures if figure.section == SECTION]
    if not figures:
        return []
    size = figures[0].param
    lines = [f"Scaling out: concurrent.distributed (embedded LocalCluster, {size} worker "
             f"processes) beside concurrent.processing Pool({size}), median (best) of {repeat} "
             f"run(s)", ""]
    header = ["benchmark", *MODES, "vs"]
    rows = []
    for test in DESCRIPTIONS:
        cells = [test]
        for mode in MODES:
            figure = results.find(SECTION, test, size, mode)
            if figure is None or not figure.ok:
                cells.append("unavailable")
            elif test == "cpu_map":
                linear = results.find(SECTION, test, size, LINEAR)
                cells.append(f"{linear.median / figure.median:.2f}x "
                             f"({linear.median / figure.best:.2f}x)")
            else:
                cells.append(f"{format_ms(figure.median)} ({format_ms(figure.best)})")
        ours = results.find(SECTION, test, size, OURS_DISTRIBUTED)
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
    lines.append(f"  vs: {OURS_DISTRIBUTED}'s speed / {OURS_PROCESSING}'s in the same run")
    notes = sorted({f"  {f.mode}: unavailable: {f.unavailable}" for f in figures if f.unavailable})
    return lines + notes
