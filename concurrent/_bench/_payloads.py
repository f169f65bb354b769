"""Large payloads through Queue, Pipe and Pool, beside a memcpy of the same payload.

Each sample sends one payload to a worker that answers with its size (checked), so the time
covers pickling, the transfer, and unpickling on the other side.  The channel first carries the
payload ``WARM_UP`` times untimed: figures are a long-lived channel's steady state, as in the
throughput section (a fresh channel's first payloads also pay for creating and faulting in
shared-memory segments; the echo worker holds one payload while it waits for the next, so
two are in use).  A memcpy into an already
touched buffer is measured in the same rounds, and figures are reported as MB/s and as a
fraction of it.  Threads pass a reference, so their fraction can be far above 1.
"""

import time
from functools import partial

from concurrent._bench import _workloads
from concurrent._bench._modes import Backend, UnavailableError
from concurrent._bench._results import Results, record
from concurrent._bench._runner import rotate
from concurrent._bench._workers import BenchError, close_channel, finish_workers, start_workers

__all__ = ["CHANNELS", "FULL_SIZES_MB", "MB", "QUICK_SIZES_MB", "numpy_available", "run_payloads"]

SECTION = "payloads"
UNIT = "MB/s"
MB = 1 << 20
CHANNELS = ("Queue", "Pipe", "Pool")
FULL_SIZES_MB = (1, 16, 128)
QUICK_SIZES_MB = (1, 16)
WARM_UP = 2


def numpy_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("numpy") is not None


def _payloads(size_mb: int, with_numpy: bool):
    """Yield ``(label, payload)`` one at a time, so only one large payload is alive."""
    size = size_mb * MB
    yield f"bytes {size_mb} MB", b"\x5a" * size
    if with_numpy:
        import numpy

        yield f"numpy {size_mb} MB", numpy.arange(size // 8, dtype=numpy.float64)


def _memcpy(payload, target: bytearray) -> float:
    source = memoryview(payload).cast("B")
    started = time.perf_counter()
    memoryview(target)[:] = source
    return time.perf_counter() - started


def _check(answer, size: int, mode: str) -> None:
    if answer != size:
        raise BenchError(f"{mode}: the worker saw {answer!r} bytes, {size} were sent")


def _through_queue(backend: Backend, payload, size: int, timeout: float) -> float:
    queue_class = backend.get("Queue")
    inbox, outbox = queue_class(), queue_class()
    failures: list = []
    deadline = time.monotonic() + timeout
    flushed = False
    try:
        workers = start_workers(backend, _workloads.echo_queue, (inbox, outbox), 1, failures)
        try:
            outbox.get(timeout=timeout)  # READY
            for _ in range(WARM_UP + 1):  # the last one is the sample
                started = time.perf_counter()
                inbox.put(payload)
                answer = outbox.get(timeout=max(0.0, deadline - time.monotonic()))
                elapsed = time.perf_counter() - started
                _check(answer, size, backend.mode)
        finally:
            inbox.put(None)
            finish_workers(backend, workers, failures, deadline)
        flushed = True
    finally:
        close_channel(inbox, flush=flushed)
        close_channel(outbox, flush=flushed)
    return elapsed


def _receive(connection, deadline: float):
    if not connection.poll(max(0.0, deadline - time.monotonic())):
        raise BenchError("pipe: no answer before the deadline")
    return connection.recv()


def _through_pipe(backend: Backend, payload, size: int, timeout: float) -> float:
    here, there = backend.get("Pipe")()
    failures: list = []
    deadline = time.monotonic() + timeout
    try:
        workers = start_workers(backend, _workloads.echo_connection, (there,), 1, failures)
        try:
            _receive(here, deadline)  # READY
            for _ in range(WARM_UP + 1):  # the last one is the sample
                started = time.perf_counter()
                here.send(payload)
                answer = _receive(here, deadline)
                elapsed = time.perf_counter() - started
                _check(answer, size, backend.mode)
        finally:
            here.send(None)
            finish_workers(backend, workers, failures, deadline)
    finally:
        here.close()
        there.close()
    return elapsed


def _through_pool(backend: Backend, payload, size: int, timeout: float) -> float:
    pool = backend.get("Pool")(1)
    try:
        pool.apply_async(_workloads.payload_size, (b"",)).get(timeout)  # the worker is up
        for _ in range(WARM_UP + 1):  # the last one is the sample
            started = time.perf_counter()
            answer = pool.apply_async(_workloads.payload_size, (payload,)).get(timeout)
            elapsed = time.perf_counter() - started
            _check(answer, size, backend.mode)
    finally:
        pool.terminate()
        pool.join()
    return elapsed


def _mb_per_s(through, backend: Backend, payload, size: int, timeout: float) -> float:
    return size / MB / through(backend, payload, size, timeout)


THROUGH = {"Queue": _through_queue, "Pipe": _through_pipe, "Pool": _through_pool}


def run_payloads(
    results: Results,
    sizes_mb,
    channels,
    backends: dict,
    repeat: int,
    progress,
    with_numpy: bool,
    timeout: float = 120.0,
) -> None:
    """Add ``repeat`` interleaved MB/s samples per (channel, payload, mode), and memcpy's."""
    modes = list(backends)
    for size_mb in sizes_mb:
        size = size_mb * MB
        for label, payload in _payloads(size_mb, with_numpy):
            target = bytearray(b"\x01" * size)  # touched, so memcpy pays no page faults
            results.memcpy[label] = []
            for channel in channels:
                results.tests[channel] = f"one payload to a worker through {channel}"
                for mode in modes:
                    figure = results.figure(SECTION, channel, label, mode, UNIT)
                    if isinstance(backends[mode], UnavailableError):
                        figure.unavailable = str(backends[mode])
            for round_number in range(repeat):
                progress.step(f"memcpy {label}")
                for _ in range(3):  # cheap, and a single copy is easily disturbed
                    results.memcpy[label].append(size / MB / _memcpy(payload, target))
                for channel in channels:
                    for mode in rotate(modes, round_number):
                        figure = results.find(SECTION, channel, label, mode)
                        if figure.unavailable:
                            continue
                        progress.step(f"{label} through {channel}, {mode}")
                        measure = partial(_mb_per_s, THROUGH[channel], backends[mode], payload,
                                          size, timeout)
                        record(figure, measure)
            del payload, target
