"""Pool and manager speed of concurrent.processing against multiprocessing, in one run.

    python benchmarks/pool_managers.py [--quick] [--method fork|spawn|forkserver]

Prints, for each case, the median time (or rate) of both and the ratio
``stdlib time / our time`` (above 1: we are faster).  Cases: map of trivial tasks (both with
automatic chunks), imap with our automatic chunks against the stdlib's default chunksize=1,
imap with chunksize=1 on both, apply_async round trips, and manager proxy calls per second.
The machine is shared and noisy: ours and the stdlib's runs alternate, so both see the same
load, and only ratios from the same run compare.
"""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.pool
import statistics
import time

from concurrent.processing.managers import SyncManager
from concurrent.processing.pool import Pool


def noop(x):
    return x


def _timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _median_times(ours, theirs, repeats: int) -> tuple[float, float]:
    """Median seconds of ``ours()`` and ``theirs()``, run alternately ``repeats`` times each."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        times[0].append(_timed(ours))
        times[1].append(_timed(theirs))
    return statistics.median(times[0]), statistics.median(times[1])


def pool_cases(ctx, workers: int, n: int, repeats: int):
    ours, theirs = Pool(workers, context=ctx), multiprocessing.pool.Pool(workers, context=ctx)
    try:
        for pool in (ours, theirs):  # warm up: workers started and answering
            pool.map(noop, range(workers * 4), chunksize=1)
        data = list(range(n))
        small = list(range(n // 10))
        yield (f"map, {n} tasks, auto chunksize",
               *_median_times(lambda: ours.map(noop, data), lambda: theirs.map(noop, data),
                              repeats))
        yield (f"imap, {len(small)} tasks, ours auto vs stdlib default (1)",
               *_median_times(lambda: list(ours.imap(noop, small)),
                              lambda: list(theirs.imap(noop, small)), repeats))
        yield (f"imap, {len(small)} tasks, chunksize=1 on both",
               *_median_times(lambda: list(ours.imap(noop, small, chunksize=1)),
                              lambda: list(theirs.imap(noop, small, chunksize=1)), repeats))
        count = n // 50

        def round_trips(pool):
            return lambda: [r.get() for r in [pool.apply_async(noop, (i,))
                                              for i in range(count)]]
        yield (f"apply_async, {count} tasks",
               *_median_times(round_trips(ours), round_trips(theirs), repeats))
    finally:
        ours.terminate()
        theirs.terminate()
        ours.join()
        theirs.join()


def manager_cases(ctx, calls: int, repeats: int):
    ours = SyncManager(ctx=ctx)
    theirs = multiprocessing.managers.SyncManager(ctx=ctx)
    ours.start()
    theirs.start()
    try:
        ours_list, their_list = ours.list(), theirs.list()

        def calls_of(proxy):
            def run():
                for i in range(calls):
                    proxy.append(i)
                    len(proxy)
                del proxy[:]
            return run
        yield (f"manager list proxy, {2 * calls} calls",
               *_median_times(calls_of(ours_list), calls_of(their_list), repeats))
    finally:
        ours.shutdown()
        theirs.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer tasks, for a smoke run")
    parser.add_argument("--method", default="fork", choices=["fork", "spawn", "forkserver"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, help="alternating runs per case (default 5, "
                        "3 with --quick)")
    args = parser.parse_args()
    n, calls, repeats = (10_000, 500, 3) if args.quick else (100_000, 3_000, 5)
    repeats = args.repeats or repeats
    ctx = multiprocessing.get_context(args.method)
    print(f"start method {args.method}, {args.workers} workers, median of {repeats}")
    print(f"{'case':<52} {'ours':>10} {'stdlib':>10} {'ratio':>7}")
    for name, ours, theirs in [*pool_cases(ctx, args.workers, n, repeats),
                               *manager_cases(ctx, calls, repeats)]:
        print(f"{name:<52} {ours * 1e3:>8.1f}ms {theirs * 1e3:>8.1f}ms {theirs / ours:>6.2f}x")
    print("ratio = stdlib time / our time (above 1: ours is faster)")


if __name__ == "__main__":
    main()
