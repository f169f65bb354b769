"""PEP 371's comparison: each workload once per worker, for N workers, in every mode.

``linear`` runs the workload N times in a row in this thread; the other modes start N workers
that each run it once, and the time covers start to join.  Repetitions are interleaved (every
mode takes one sample before any takes its next, in a rotating order) so that a noisy neighbour
slows all modes alike instead of one.
"""

import contextlib
import os
import queue as stdlib_queue
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from concurrent._bench import _workloads
from concurrent._bench._modes import LINEAR, Backend, UnavailableError
from concurrent._bench._results import SECONDS, Results, record
from concurrent._bench._workers import BenchError, close_channel, finish_workers, start_workers

__all__ = [
    "FULL_SIZES",
    "QUICK_SIZES",
    "WORKLOAD_NAMES",
    "Sizes",
    "Workload",
    "prepared_workloads",
    "rotate",
    "run_workloads",
]

SECTION = "workloads"
WORKLOAD_NAMES = ("empty", "fibonacci", "primes", "file_io", "http", "queue")


@dataclass(frozen=True)
class Sizes:
    """How much work one worker does in each workload (quick runs use smaller ones)."""

    fibonacci: int
    primes_below: int
    file_bytes: int
    file_reads: int
    http_requests: int
    queue_items: int


FULL_SIZES = Sizes(28, 100_000, 8_000_000, 20_000, 100, 20_000)
QUICK_SIZES = Sizes(24, 30_000, 1_000_000, 5_000, 20, 5_000)


@dataclass(frozen=True)
class Workload:
    """One workload: ``function(*args)`` per worker (``function(queue, *args)`` with a queue)."""

    name: str
    description: str
    function: Callable
    args: tuple
    queue_items: int = 0  # > 0: each worker puts this many items, the parent takes them all


@contextlib.contextmanager
def prepared_workloads(names, sizes: Sizes) -> Iterator[list[Workload]]:
    """The workloads called ``names``, with their text file and HTTP server ready.

    The file is deleted and the server stopped on exit, however the run ends.
    """
    unknown = [name for name in names if name not in WORKLOAD_NAMES]
    if unknown:
        raise ValueError(f"unknown workload(s) {unknown}; choose from {', '.join(WORKLOAD_NAMES)}")
    with contextlib.ExitStack() as stack:
        workloads = []
        for name in names:
            workloads.append(_build(name, sizes, stack))
        yield workloads


def _build(name: str, sizes: Sizes, stack: contextlib.ExitStack) -> Workload:
    if name == "empty":
        return Workload(name, "an empty function (start-up cost)", _workloads.empty, ())
    if name == "fibonacci":
        n = sizes.fibonacci
        return Workload(name, f"fibonacci({n}), recursive", _workloads.fibonacci, (n,))
    if name == "primes":
        below = sizes.primes_below
        return Workload(name, f"sum of primes below {below}", _workloads.sum_primes, (below,))
    if name == "file_io":
        directory = tempfile.mkdtemp(prefix="concurrent-bench-")
        stack.callback(shutil.rmtree, directory, True)
        path = os.path.join(directory, "lines.txt")
        _workloads.write_text_file(path, sizes.file_bytes)
        description = (
            f"{sizes.file_reads} random seeks in a {sizes.file_bytes // 1_000_000} MB text file, "
            "lines written to os.devnull"
        )
        return Workload(name, description, _workloads.file_io, (path, sizes.file_reads, 7))
    if name == "http":
        from concurrent._bench._httpserver import LocalHTTPServer

        server = stack.enter_context(LocalHTTPServer())
        description = f"{sizes.http_requests} HTTP GETs from a server on 127.0.0.1"
        args = (server.host, server.port, sizes.http_requests)
        return Workload(name, description, _workloads.http_get, args)
    description = f"{sizes.queue_items} small items through a Queue to the parent"
    return Workload(name, description, _workloads.put_items, (sizes.queue_items,),
                    sizes.queue_items)


def rotate(items: list, shift: int) -> list:
    """``items`` starting at position ``shift`` (modulo its length)."""
    if not items:
        return []
    shift %= len(items)
    return items[shift:] + items[:shift]


def _time_linear(workload: Workload, workers: int) -> float:
    if workload.queue_items:
        channel = stdlib_queue.Queue()
        started = time.perf_counter()
        for _ in range(workers):
            workload.function(channel, *workload.args)
        for _ in range(workers * workload.queue_items):
            channel.get_nowait()
        return time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(workers):
        workload.function(*workload.args)
    return time.perf_counter() - started


def _time_workers(backend: Backend, workload: Workload, workers: int, timeout: float) -> float:
    channel = backend.get("Queue")() if workload.queue_items else None
    args = workload.args if channel is None else (channel, *workload.args)
    failures: list = []
    deadline = time.monotonic() + timeout
    flushed = False
    try:
        started = time.perf_counter()
        running = start_workers(backend, workload.function, args, workers, failures)
        try:
            for _ in range(workers * workload.queue_items):
                channel.get(timeout=max(0.0, deadline - time.monotonic()))
        finally:
            finish_workers(backend, running, failures, deadline)
        elapsed = time.perf_counter() - started
        flushed = True
    except stdlib_queue.Empty:
        raise BenchError(f"{backend.mode}: queue items missing after {timeout} s") from None
    finally:
        if channel is not None:
            close_channel(channel, flush=flushed)
    return elapsed


def run_workloads(
    results: Results,
    workloads: list[Workload],
    worker_counts: list[int],
    backends: dict,
    repeat: int,
    progress,
    timeout: float = 120.0,
) -> None:
    """Add ``repeat`` interleaved samples per (workload, workers, mode) to ``results``.

    ``backends`` maps each worker mode to its ``Backend`` or to the ``UnavailableError`` reason.
    """
    modes = [LINEAR, *backends]
    for workload in workloads:
        results.tests[workload.name] = workload.description
        for workers in worker_counts:
            for mode in modes:
                figure = results.figure(SECTION, workload.name, workers, mode, SECONDS)
                if isinstance(backends.get(mode), UnavailableError):
                    figure.unavailable = str(backends[mode])
    for round_number in range(repeat):
        for workload in workloads:
            for workers in worker_counts:
                for mode in rotate(modes, round_number):
                    figure = results.find(SECTION, workload.name, workers, mode)
                    if figure.unavailable:
                        continue
                    progress.step(f"{workload.name}, {workers} worker(s), {mode}")
                    if mode == LINEAR:
                        record(figure, partial(_time_linear, workload, workers))
                    else:
                        backend = backends[mode]
                        record(figure, partial(_time_workers, backend, workload, workers, timeout))

