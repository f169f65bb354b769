"""Large payloads through Queue, Pipe, Pool and a Manager, beside a memcpy of the same payload.

Each sample sends one payload to a worker that answers with its size (checked), so the time
covers pickling, the transfer, and unpickling on the other side.  A Manager sample stores the
payload in a ``Manager().dict`` and reads it back (checked): two transfers, each credited with
half the time.  The channel first carries the payload ``WARM_UP`` times untimed, then a sample
is the mean of ``trips(size)`` round trips: figures are a long-lived channel's steady state, as
in the throughput section (a fresh channel's first payloads also pay for creating and faulting
in shared-memory segments; the echo worker holds one payload while it waits for the next, so
two are in use).  A memcpy into an already touched buffer is measured in the same rounds, and
figures are reported as MB/s and as a fraction of it.  Threads pass a reference, so their
fraction can be far above 1.
"""

import time
from functools import cache, partial

from concurrent._bench import _workloads
from concurrent._bench._modes import OURS_INTERPRETING, Backend, UnavailableError
from concurrent._bench._results import Results, record
from concurrent._bench._runner import rotate
from concurrent._bench._workers import (
    BenchError,
    close_channel,
    finish_workers,
    running_manager,
    start_workers,
)

__all__ = ["CHANNELS", "FULL_SIZES_MB", "MB", "QUICK_SIZES_MB", "numpy_available", "run_payloads"]

SECTION = "payloads"
UNIT = "MB/s"
MB = 1 << 20
CHANNELS = ("Queue", "Pipe", "Pool", "Manager")
FULL_SIZES_MB = (1, 16, 128)
QUICK_SIZES_MB = (1, 16)
WARM_UP = 2
SAMPLE_BYTES = 64 * MB  # a sample times this much traffic, or one round trip if bigger


def numpy_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("numpy") is not None


def _numpy_refused(mode: str) -> str | None:
    """Why ``mode``'s workers cannot take a numpy array (``None``: they can).

    The interpreter backend's workers are interpreters of this process, which load only the
    extension modules that support them: the row says so, rather than a bare failure.
    """
    return _numpy_refused_in_interpreters() if mode == OURS_INTERPRETING else None


@cache
def _numpy_refused_in_interpreters() -> str | None:
    """Try ``import numpy`` in a fresh interpreter once; the first line of its error, if any."""
    from concurrent import interpreters

    interp = interpreters.create()
    try:
        interp.exec("import numpy")
    except interpreters.ExecutionFailed as exc:
        text = exc.excinfo.msg or exc.excinfo.type.__name__
        marker = "Original error was:"  # numpy wraps the real cause in a long explanation
        reason = text.partition(marker)[2] if marker in text else text
        return f"numpy does not load in an interpreter ({reason.strip().splitlines()[0]})"
    finally:
        interp.close()
    return None


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


def _seconds_per_trip(round_trip, size: int) -> float:
    """Run ``round_trip`` ``WARM_UP`` times, then time ``trips(size)`` of them (the mean)."""
    for _ in range(WARM_UP):
        round_trip()
    count = trips(size)
    started = time.perf_counter()
    for _ in range(count):
        round_trip()
    return (time.perf_counter() - started) / count


def trips(size: int) -> int:
    """Round trips per sample: one of a big payload, more of a small one (a single 1 MB trip
    takes about a millisecond, where scheduling noise alone moves it by half)."""
    return max(1, SAMPLE_BYTES // size)


def _through_queue(backend: Backend, payload, size: int, timeout: float) -> float:
    queue_class = backend.get("Queue")
    inbox, outbox = queue_class(), queue_class()
    failures: list = []
    deadline = time.monotonic() + timeout
    flushed = False

    def round_trip() -> None:
        inbox.put(payload)
        _check(outbox.get(timeout=max(0.0, deadline - time.monotonic())), size, backend.mode)

    try:
        workers = start_workers(backend, _workloads.echo_queue, (inbox, outbox), 1, failures)
        try:
            outbox.get(timeout=timeout)  # READY
            elapsed = _seconds_per_trip(round_trip, size)
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

    def round_trip() -> None:
        here.send(payload)
        _check(_receive(here, deadline), size, backend.mode)

    try:
        workers = start_workers(backend, _workloads.echo_connection, (there,), 1, failures)
        try:
            _receive(here, deadline)  # READY
            elapsed = _seconds_per_trip(round_trip, size)
        finally:
            here.send(None)
            finish_workers(backend, workers, failures, deadline)
    finally:
        here.close()
        there.close()
    return elapsed


def _through_pool(backend: Backend, payload, size: int, timeout: float) -> float:
    pool = backend.get("Pool")(1)

    def round_trip() -> None:
        answer = pool.apply_async(_workloads.payload_size, (payload,)).get(timeout)
        _check(answer, size, backend.mode)

    try:
        pool.apply_async(_workloads.payload_size, (b"",)).get(timeout)  # the worker is up
        return _seconds_per_trip(round_trip, size)
    finally:
        pool.terminate()
        pool.join()


def _store_and_read(shared, payload, size: int, mode: str) -> None:
    shared["payload"] = payload
    _check(_workloads.payload_size(shared["payload"]), size, mode)


def _through_manager(backend: Backend, payload, size: int, timeout: float) -> float:
    with running_manager(backend) as manager:
        shared = manager.dict()
        try:
            round_trip = partial(_store_and_read, shared, payload, size, backend.mode)
            return _seconds_per_trip(round_trip, size) / 2  # two transfers per trip
        finally:
            del shared, round_trip  # release the proxy while its manager still runs


def _mb_per_s(through, backend: Backend, payload, size: int, timeout: float) -> float:
    return size / MB / through(backend, payload, size, timeout)


THROUGH = {"Queue": _through_queue, "Pipe": _through_pipe, "Pool": _through_pool,
           "Manager": _through_manager}


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
                results.tests[channel] = (
                    "one payload into a Manager().dict and back (MB/s of each transfer)"
                    if channel == "Manager" else f"one payload to a worker through {channel}")
                for mode in modes:
                    figure = results.figure(SECTION, channel, label, mode, UNIT)
                    if isinstance(backends[mode], UnavailableError):
                        figure.unavailable = str(backends[mode])
                    elif label.startswith("numpy"):
                        figure.unavailable = _numpy_refused(mode)
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
