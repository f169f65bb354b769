"""pyprocessing's own benchmarks: how many operations per second each primitive sustains.

queue and pipe: small objects from one worker to the parent; queue_256: 256-byte strings from
one worker to the parent; queue_4x4: 256-byte strings through one Queue from 4 producer workers
to 4 consumer workers (each side as a plain loop writes it: ``put``, ``get()``); lock and
rlock: acquire/release pairs in one worker; condition: notify/wait round trips between the
parent and one worker; manager list/dict: item reads through a manager's proxy; value and
array: read-modify-writes of a shared ``Value``/``Array`` item (with its lock); imap and
imap_unordered: tiny tasks through a pool of ``POOL_WORKERS`` in 16 explicit chunks.  Worker,
pool and manager start-up are outside the timed part: these figures are the steady-state cost
per operation.
"""

import threading
import time
from collections.abc import Callable
from functools import partial

from concurrent._bench import _workloads
from concurrent._bench._modes import Backend, UnavailableError
from concurrent._bench._results import Results, record
from concurrent._bench._runner import rotate
from concurrent._bench._workers import (
    BenchError,
    close_channel,
    finish_workers,
    running_manager,
    running_pool,
    start_workers,
)

__all__ = ["FULL_COUNTS", "POOL_WORKERS", "QUICK_COUNTS", "THROUGHPUT_NAMES", "run_throughput"]

SECTION = "throughput"
UNIT = "ops/s"
ITEM = ("hello", 42, 3.5)  # a small mixed object, as pyprocessing's queue test sent
MESSAGE = "m" * 256  # a small message, as most real ones are
GO = "go"

POOL_WORKERS = 2
CHUNKS = 16  # imap's explicit chunksize is the count over this

# Counts of queue_4x4 are multiples of 4: each producer puts a quarter.
FULL_COUNTS = {"queue": 100_000, "queue_256": 100_000, "queue_4x4": 100_000, "pipe": 100_000,
               "lock": 1_000_000, "rlock": 1_000_000, "condition": 20_000,
               "manager_list": 20_000, "manager_dict": 20_000, "value": 200_000,
               "array": 200_000, "imap": 100_000, "imap_unordered": 100_000}
QUICK_COUNTS = {"queue": 10_000, "queue_256": 20_000, "queue_4x4": 20_000, "pipe": 10_000,
                "lock": 500_000, "rlock": 500_000, "condition": 2_000, "manager_list": 2_000,
                "manager_dict": 2_000, "value": 50_000, "array": 50_000, "imap": 20_000,
                "imap_unordered": 20_000}
THROUGHPUT_NAMES = tuple(FULL_COUNTS)

DESCRIPTIONS = {
    "queue": "small objects from a worker to the parent through a Queue",
    "queue_256": "256-byte strings from a worker to the parent through a Queue",
    "queue_4x4": "256-byte strings through one Queue, 4 producer and 4 consumer workers",
    "pipe": "small objects from a worker to the parent through a Pipe",
    "lock": "Lock acquire/release pairs",
    "rlock": "RLock acquire/release pairs",
    "condition": "Condition notify/wait round trips between the parent and a worker",
    "manager_list": "item reads through a Manager().list proxy",
    "manager_dict": "item reads through a Manager().dict proxy",
    "value": "value.value += 1 on a Value('i', 0); each access takes its lock "
             "(threading's, multiprocessing.dummy's, has none)",
    "array": "array[i % 10] += 1 on an Array('i', 10); each access takes its lock "
             "(threading's, multiprocessing.dummy's, is a plain array.array)",
    "imap": f"Pool({POOL_WORKERS}).imap of a tiny function over range(N), chunksize=N/{CHUNKS} "
            f"(after one untimed)",
    "imap_unordered": f"Pool({POOL_WORKERS}).imap_unordered of a tiny function over range(N), "
                      f"chunksize=N/{CHUNKS} (after one untimed)",
}


def _to_parent(item):
    """``count`` copies of ``item`` from one worker to the parent, which takes them as a plain
    loop does, with ``get()``: a ``timeout`` would make multiprocessing poll its pipe before
    each read (about a third fewer items per second here), which no plain loop pays.  A timer
    puts ``None`` at the deadline, so a worker that died cannot leave the parent waiting."""

    def measure(backend: Backend, count: int, timeout: float) -> float:
        channel = backend.get("Queue")()
        failures: list = []
        deadline = time.monotonic() + timeout
        flushed = False
        watchdog = threading.Timer(timeout, channel.put, (None,))
        watchdog.daemon = True
        try:
            workers = start_workers(backend, put_copies, (channel, count, item), 1, failures)
            watchdog.start()
            try:
                get = channel.get
                if get() != _workloads.READY:  # the worker is running
                    raise BenchError("queue: the worker did not start before the deadline")
                started = time.perf_counter()
                for _ in range(count):
                    if get() is None:
                        raise BenchError("queue: the items did not all come before the deadline")
                elapsed = time.perf_counter() - started
            finally:
                watchdog.cancel()
                finish_workers(backend, workers, failures, deadline)
            flushed = True
        finally:
            close_channel(channel, flush=flushed)
        return elapsed

    return measure


def put_copies(queue, count: int, item) -> None:
    """Put ``READY``, then ``count`` copies of ``item``."""
    put = queue.put
    put(_workloads.READY)
    for _ in range(count):
        put(item)


def produce_messages(channel, control, go, count: int, timeout: float) -> None:
    """Say ready on ``control``, wait for the go, put ``count`` messages, then ``None``."""
    control.put(_workloads.READY)
    if go.get(timeout=timeout) != GO:
        raise BenchError("queue: a producer got something else than the go")
    put = channel.put
    for _ in range(count):
        put(MESSAGE)
    put(None)


def consume_messages(channel, control) -> None:
    """Get messages until a ``None`` (one producer's end); report how many on ``control``.

    A plain ``get()``, as in ``_to_parent``: the parent bounds the wait, putting the ``None``
    itself if the producers did not finish in time.
    """
    get = channel.get
    received = 0
    while (message := get()) is not None:
        if len(message) != len(MESSAGE):
            raise BenchError(f"queue: a consumer got {message!r}")
        received += 1
    control.put(received)


def _producers_consumers(pairs: int):
    """``pairs`` producers and ``pairs`` consumer workers on one Queue.

    Each consumer stops at the first ``None``; each producer's ``None`` follows its messages,
    so once every consumer stopped, every message was taken (and counted: none lost).
    """

    def measure(backend: Backend, count: int, timeout: float) -> float:
        queue_class = backend.get("Queue")
        channel, control, go = queue_class(), queue_class(), queue_class()
        share = count // pairs
        failures: list = []
        deadline = time.monotonic() + timeout
        flushed = False
        try:
            workers = start_workers(backend, consume_messages, (channel, control), pairs,
                                    failures)
            workers += start_workers(backend, produce_messages,
                                     (channel, control, go, share, timeout), pairs, failures)
            reported = 0
            try:
                for _ in range(pairs):  # every producer is running (no consumer reports yet)
                    control.get(timeout=max(0.0, deadline - time.monotonic()))
                started = time.perf_counter()
                for _ in range(pairs):
                    go.put(GO)
                received = 0
                for _ in range(pairs):
                    received += control.get(timeout=max(0.0, deadline - time.monotonic()))
                    reported += 1
                elapsed = time.perf_counter() - started
            finally:
                for _ in range(pairs - reported):  # consumers still waiting: let them end
                    channel.put(None)
                finish_workers(backend, workers, failures, deadline)
            if received != share * pairs:
                raise BenchError(f"queue: {received} of {share * pairs} messages arrived")
            flushed = True
        finally:
            for queue in (channel, control, go):
                close_channel(queue, flush=flushed)
        return elapsed

    return measure


def _pipe(backend: Backend, count: int, timeout: float) -> float:
    receiver, sender = backend.get("Pipe")()
    failures: list = []
    deadline = time.monotonic() + timeout
    try:
        workers = start_workers(backend, _workloads.send_items, (sender, count, ITEM), 1, failures)
        try:
            _receive(receiver, deadline)  # READY: the worker is running
            started = time.perf_counter()
            for _ in range(count):
                _receive(receiver, deadline)
            elapsed = time.perf_counter() - started
        finally:
            finish_workers(backend, workers, failures, deadline)
    finally:
        receiver.close()
        sender.close()
    return elapsed


def _receive(connection, deadline: float):
    if not connection.poll(max(0.0, deadline - time.monotonic())):
        raise BenchError("pipe: nothing received before the deadline")
    return connection.recv()


def _acquire_release(factory_name: str):
    def measure(backend: Backend, count: int, timeout: float) -> float:
        lock = backend.get(factory_name)()
        acquire, release = lock.acquire, lock.release
        started = time.perf_counter()
        for _ in range(count):
            acquire()
            release()
        return time.perf_counter() - started

    return measure


def _condition(backend: Backend, count: int, timeout: float) -> float:
    condition = backend.get("Condition")()
    failures: list = []
    deadline = time.monotonic() + timeout
    with condition:
        args = (condition, count, timeout)
        workers = start_workers(backend, _workloads.condition_partner, args, 1, failures)
        try:
            if not condition.wait(timeout):
                raise BenchError("condition: the worker never notified")
            started = time.perf_counter()
            for _ in range(count):
                condition.notify()
                if not condition.wait(max(0.0, deadline - time.monotonic())):
                    raise BenchError("condition: the worker stopped answering")
            elapsed = time.perf_counter() - started
        finally:
            condition.release()
            try:
                finish_workers(backend, workers, failures, deadline)
            finally:
                condition.acquire()
    return elapsed


def _manager(make: Callable):
    """Item reads through a proxy of ``make(manager)`` (ten items, keys 0 to 9)."""

    def measure(backend: Backend, count: int, timeout: float) -> float:
        with running_manager(backend) as manager:
            shared = make(manager)
            started = time.perf_counter()
            for index in range(count):
                shared[index % 10]
            elapsed = time.perf_counter() - started
            del shared  # release the proxy while its manager still runs
        return elapsed

    return measure


def _value(backend: Backend, count: int, timeout: float) -> float:
    shared = backend.get("Value")("i", 0)
    started = time.perf_counter()
    for _ in range(count):
        shared.value += 1
    elapsed = time.perf_counter() - started
    if shared.value != count:
        raise BenchError(f"value: {shared.value} after {count} increments")
    return elapsed


def _array(backend: Backend, count: int, timeout: float) -> float:
    shared = backend.get("Array")("i", [0] * 10)  # an initializer: dummy.Array takes no size
    started = time.perf_counter()
    for index in range(count):
        shared[index % 10] += 1
    elapsed = time.perf_counter() - started
    if sum(shared[:]) != count:
        raise BenchError(f"array: {sum(shared[:])} after {count} increments")
    return elapsed


def _imap(method: str):
    """``Pool.<method>`` of a tiny function over ``range(count)`` in ``CHUNKS`` chunks."""

    def measure(backend: Backend, count: int, timeout: float) -> float:
        with running_pool(backend, POOL_WORKERS) as pool:
            run = partial(getattr(pool, method), _workloads.identity, range(count),
                          chunksize=max(1, count // CHUNKS))
            sum(run())  # the steady state: a pool's first map of a kind sets things up
            started = time.perf_counter()
            total = sum(run())
            elapsed = time.perf_counter() - started
        if total != count * (count - 1) // 2:
            raise BenchError(f"{method}: the results add up to {total}")
        return elapsed

    return measure


def _rate(measure, backend: Backend, count: int, timeout: float) -> float:
    return count / measure(backend, count, timeout)


MEASURES = {
    "queue": _to_parent(ITEM),
    "queue_256": _to_parent(MESSAGE),
    "queue_4x4": _producers_consumers(4),
    "pipe": _pipe,
    "lock": _acquire_release("Lock"),
    "rlock": _acquire_release("RLock"),
    "condition": _condition,
    "manager_list": _manager(lambda manager: manager.list(range(10))),
    "manager_dict": _manager(lambda manager: manager.dict({key: key for key in range(10)})),
    "value": _value,
    "array": _array,
    "imap": _imap("imap"),
    "imap_unordered": _imap("imap_unordered"),
}


def run_throughput(
    results: Results,
    names,
    counts: dict,
    backends: dict,
    repeat: int,
    progress,
    timeout: float = 120.0,
) -> None:
    """Add ``repeat`` interleaved ops/s samples per (benchmark, mode) to ``results``."""
    modes = list(backends)
    for name in names:
        results.tests[name] = DESCRIPTIONS[name]
        for mode in modes:
            figure = results.figure(SECTION, name, counts[name], mode, UNIT)
            if isinstance(backends[mode], UnavailableError):
                figure.unavailable = str(backends[mode])
    for round_number in range(repeat):
        for name in names:
            for mode in rotate(modes, round_number):
                figure = results.find(SECTION, name, counts[name], mode)
                if figure.unavailable:
                    continue
                progress.step(f"{name} throughput, {mode}")
                record(figure, partial(_rate, MEASURES[name], backends[mode], counts[name],
                                       timeout))
