"""Pool and manager speed of concurrent.processing against multiprocessing, in one run.

    python benchmarks/pool_managers.py [--quick] [--method fork|spawn|forkserver]

Prints, for each case, the median time (or rate) of both and the ratio
``stdlib time / our time`` (above 1: we are faster).  Cases: map of trivial tasks (both with
automatic chunks), imap with our automatic chunks against the stdlib's default chunksize=1,
imap with chunksize=1 on both, apply_async round trips, and manager proxy calls per second.
The machine is shared and noisy: compare ratios from the same run only.
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


def _median_time(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def pool_cases(ctx, workers: int, n: int, repeats: int):
    ours, theirs = Pool(workers, context=ctx), multiprocessing.pool.Pool(workers, context=ctx)
    try:
        for pool in (ours, theirs):  # warm up: workers started and answering
            pool.map(noop, range(workers * 4), chunksize=1)
        data = list(range(n))
        small = list(range(n // 10))
        yield (f"map, {n} tasks, auto chunksize",
               _median_time(lambda: ours.map(noop, data), repeats),
               _median_time(lambda: theirs.map(noop, data), repeats))
        yield (f"imap, {len(small)} tasks, ours auto vs stdlib default (1)",
               _median_time(lambda: list(ours.imap(noop, small)), repeats),
               _median_time(lambda: list(theirs.imap(noop, small)), repeats))
        yield (f"imap, {len(small)} tasks, chunksize=1 on both",
               _median_time(lambda: list(ours.imap(noop, small, chunksize=1)), repeats),
               _median_time(lambda: list(theirs.imap(noop, small, chunksize=1)), repeats))
        count = n // 50

        def round_trips(pool):
            return lambda: [r.get() for r in [pool.apply_async(noop, (i,))
                                              for i in range(count)]]
        yield (f"apply_async, {count} tasks",
               _median_time(round_trips(ours), repeats),
               _median_time(round_trips(theirs), repeats))
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
               _median_time(calls_of(ours_list), repeats),
               _median_time(calls_of(their_list), repeats))
    finally:
        ours.shutdown()
        theirs.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer tasks, for a smoke run")
    parser.add_argument("--method", default="fork", choices=["fork", "spawn", "forkserver"])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    n, calls, repeats = (10_000, 500, 3) if args.quick else (100_000, 3_000, 5)
    ctx = multiprocessing.get_context(args.method)
    print(f"start method {args.method}, {args.workers} workers, median of {repeats}")
    print(f"{'case':<52} {'ours':>10} {'stdlib':>10} {'ratio':>7}")
    for name, ours, theirs in [*pool_cases(ctx, args.workers, n, repeats),
                               *manager_cases(ctx, calls, repeats)]:
        print(f"{name:<52} {ours * 1e3:>8.1f}ms {theirs * 1e3:>8.1f}ms {theirs / ours:>6.2f}x")
    print("ratio = stdlib time / our time (above 1: ours is faster)")


if __name__ == "__main__":
    main()
