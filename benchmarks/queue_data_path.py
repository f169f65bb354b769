"""Data movement between processes: our process ``Queue`` against ``multiprocessing.Queue``.

Two measurements, each interleaved round by round with the stdlib so that drift on a shared
machine hits both alike, reported as medians and as ratios from the same run:

- **Large buffers:** a child puts a 128 MB numpy array (without numpy: a memoryview over bytes,
  and the bytes themselves to the stdlib, which cannot pickle a memoryview) and the parent
  gets it.  Time runs from just before ``put`` in the child to just after
  ``get`` returns in the parent; the parent then checks every byte against the expected data.
  Reported as MB/s and as a fraction of a memcpy of the same size into an already-touched
  buffer, measured in this run (the first round of ours also pays for creating its
  segment; later rounds reuse it).
- **Small messages:** 256-byte strings, 1 producer/1 consumer and 4/4, as messages per second
  from the moment all processes are started to the moment the last consumer is done.

    python benchmarks/queue_data_path.py [--size-mb 128] [--rounds 5] [--messages 200000]
                                   [--start-method fork|spawn|forkserver]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import concurrent.processing

try:
    import numpy
except ImportError:  # the benchmark then moves a memoryview over bytes
    numpy = None

MESSAGE_SIZE = 256
WAIT = 120.0  # the longest any step may take before the benchmark gives up


def _payload(size: int):
    """The large object to send: deterministic bytes, as a numpy array or a memoryview."""
    if numpy is not None:
        return numpy.arange(size, dtype=numpy.uint32).view(numpy.uint8)[:size].copy()
    pattern = bytes(range(256))
    return memoryview(pattern * (size // 256) + pattern[:size % 256])


def _same(received, expected) -> bool:
    if numpy is not None:
        return isinstance(received, numpy.ndarray) and numpy.array_equal(received, expected)
    return memoryview(received).cast("B") == expected  # bytes from the stdlib, a view from us


def _memcpy_seconds(data, rounds: int) -> float:
    """Median time of copying ``data`` into a buffer whose pages are already touched."""
    if numpy is not None:
        target = numpy.ones_like(data)
        copy = numpy.copyto
    else:
        target = memoryview(bytearray(data.nbytes))

        def copy(dst, src):
            dst[:] = src
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        copy(target, data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def send_large(queue, control, size: int, rounds: int, stdlib: bool) -> None:
    """Child: for each round, wait for the go, stamp the time, put the payload, report the stamp.

    The stdlib cannot pickle a memoryview: without numpy it gets the bytes under it.
    """
    data = _payload(size)
    if stdlib and isinstance(data, memoryview):
        data = data.obj
    for _ in range(rounds):
        control.recv()
        started = time.monotonic()
        queue.put(data)
        control.send(started)
    control.recv()


def _large_round(queue, control, expected) -> tuple[float, bool]:
    control.send("go")
    received = queue.get(timeout=WAIT)
    arrived = time.monotonic()
    if not control.poll(WAIT):
        raise RuntimeError("the sending child stopped answering")
    seconds = arrived - control.recv()
    ok = _same(received, expected)
    del received  # our queue's segment returns to its pool once the array is gone
    return seconds, ok


def bench_large(ctx, size: int, rounds: int) -> dict[str, list[float]]:
    expected = _payload(size)
    results: dict[str, list[float]] = {"stdlib": [], "ours": []}
    ours = concurrent.processing.get_context(ctx.get_start_method())
    queues = {"stdlib": ctx.Queue(), "ours": ours.Queue()}
    children = {}
    for name, queue in queues.items():
        parent_end, child_end = ctx.Pipe()
        child = ctx.Process(target=send_large, args=(queue, child_end, size, rounds,
                                                     name == "stdlib"), daemon=True)
        child.start()
        children[name] = (child, parent_end)
    for _ in range(rounds):
        for name in ("stdlib", "ours"):
            seconds, ok = _large_round(queues[name], children[name][1], expected)
            if not ok:
                raise AssertionError(f"{name}: the {size}-byte payload arrived corrupted")
            results[name].append(seconds)
    for child, control in children.values():
        control.send("stop")
        child.join(WAIT)
    queues["stdlib"].close()
    queues["stdlib"].join_thread()
    return results


def produce(queue, ready, go, count: int, tag: int) -> None:
    """Child: put ``count`` 256-byte strings, then one ``None``."""
    message = (f"{tag}:" + "x" * MESSAGE_SIZE)[:MESSAGE_SIZE]
    ready.release()
    go.wait(WAIT)
    for _ in range(count):
        queue.put(message)
    queue.put(None)


def consume(queue, ready, go, results) -> None:
    """Child: get until a ``None``; report how many messages came and when it finished."""
    ready.release()
    go.wait(WAIT)
    received = 0
    # A plain get(), as users write it: with a timeout the stdlib polls its pipe before each
    # read (a third fewer messages per second).  The parent's wait for the report is bounded.
    while queue.get() is not None:
        received += 1
    results.put((received, time.monotonic()))


def _messages_round(ctx, make_queue, pairs: int, total: int) -> float:
    queue, ready, go, results = make_queue(), ctx.Semaphore(0), ctx.Event(), ctx.Queue()
    each = total // pairs
    workers = [ctx.Process(target=produce, args=(queue, ready, go, each, tag), daemon=True)
               for tag in range(pairs)]
    workers += [ctx.Process(target=consume, args=(queue, ready, go, results), daemon=True)
                for _ in range(pairs)]
    for worker in workers:
        worker.start()
    for _ in workers:
        if not ready.acquire(timeout=WAIT):
            raise RuntimeError("a benchmark process did not start")
    started = time.monotonic()
    go.set()
    reports = [results.get(timeout=WAIT) for _ in range(pairs)]
    for worker in workers:
        worker.join(WAIT)
    if sum(count for count, _ in reports) != each * pairs:
        raise AssertionError(f"messages lost or duplicated: {reports}")
    if hasattr(queue, "join_thread"):
        queue.close()
        queue.join_thread()
    return each * pairs / (max(finished for _, finished in reports) - started)


def bench_messages(ctx, pairs: int, total: int, rounds: int) -> dict[str, list[float]]:
    makers = {"stdlib": ctx.Queue,
              "ours": concurrent.processing.get_context(ctx.get_start_method()).Queue}
    results: dict[str, list[float]] = {"stdlib": [], "ours": []}
    for index in range(rounds):
        order = ("stdlib", "ours") if index % 2 == 0 else ("ours", "stdlib")
        for name in order:
            results[name].append(_messages_round(ctx, makers[name], pairs, total))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--start-method", default=None,
                        choices=multiprocessing.get_all_start_methods())
    args = parser.parse_args(argv)
    ctx = multiprocessing.get_context(args.start_method)
    size = args.size_mb << 20
    print(f"Python {sys.version.split()[0]}, start method {ctx.get_start_method()}, "
          f"{os.cpu_count()} CPUs, payload: {'numpy array' if numpy else 'memoryview'}")

    memcpy = _memcpy_seconds(_payload(size), args.rounds)
    large = bench_large(ctx, size, args.rounds)
    mb = size / 1e6
    print(f"\n{args.size_mb} MB through a queue (median of {args.rounds}, data checked):")
    print(f"  memcpy (touched target)  {mb / memcpy:9.0f} MB/s")
    for name in ("stdlib", "ours"):
        median = statistics.median(large[name])
        print(f"  {name:24} {mb / median:9.0f} MB/s  {memcpy / median:6.1%} of memcpy"
              f"  (first round {mb / large[name][0]:.0f} MB/s)")
    speedup = statistics.median(large["stdlib"]) / statistics.median(large["ours"])
    print(f"  ours / stdlib            {speedup:9.1f}x")

    print(f"\n{MESSAGE_SIZE}-byte messages, {args.messages} per round "
          f"(median of {args.rounds}, messages/s):")
    for pairs in (1, 4):
        rates = bench_messages(ctx, pairs, args.messages, args.rounds)
        stdlib, ours = statistics.median(rates["stdlib"]), statistics.median(rates["ours"])
        ratios = [f / s for f, s in zip(rates["ours"], rates["stdlib"])]
        print(f"  {pairs}/{pairs}: stdlib {stdlib:9.0f}/s  ours {ours:9.0f}/s  "
              f"ratio {ours / stdlib:.2f}x (per-round ratios "
              f"{', '.join(f'{r:.2f}' for r in ratios)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
