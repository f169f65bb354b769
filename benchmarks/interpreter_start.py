"""How much of the parallel speed-up of interpreter workers their start-up leaves (Python 3.14+).

Two workers each run one CPU-bound task, started afresh per sample, as the bench's
``workloads`` rows do; four ways, interleaved round by round so that drift on a shared machine
hits all alike, reported as medians and as speed over two threads from the same run:

- ``threads``: two ``threading.Thread``; they share one GIL, so this is the work done twice;
- ``bare interpreters``: two threads that each create an interpreter with the stdlib's
  ``concurrent.interpreters``, ``call`` the task there and close it: nothing of ours, the
  least that a fresh interpreter per worker costs;
- ``InterpreterPoolExecutor``: the stdlib's executor with two workers, created per sample;
- ``concurrent.interpreting``: two of our ``Process`` workers, started and joined.

    python benchmarks/interpreter_start.py [--rounds 7] [--fibonacci 28] [--primes 100000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time

CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, CHECKOUT)

WORKERS = 2


def _timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _in_threads(target, args: tuple) -> None:
    threads = [threading.Thread(target=target, args=args) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _bare_interpreter(function, argument) -> None:
    from concurrent import interpreters

    interp = interpreters.create()
    try:
        interp.call(function, argument)
    finally:
        interp.close()


def _executor(function, argument) -> None:
    from concurrent.futures import InterpreterPoolExecutor

    with InterpreterPoolExecutor(WORKERS) as executor:
        list(executor.map(function, [argument] * WORKERS))


def _ours(function, argument) -> None:
    import concurrent.interpreting

    workers = [concurrent.interpreting.Process(target=function, args=(argument,))
               for _ in range(WORKERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            raise RuntimeError(f"{worker.name} ended with exit code {worker.exitcode}")


def compare(function, argument, rounds: int) -> None:
    ways = {
        "threads": lambda: _in_threads(function, (argument,)),
        "bare interpreters": lambda: _in_threads(_bare_interpreter, (function, argument)),
        "InterpreterPoolExecutor": lambda: _executor(function, argument),
        "concurrent.interpreting": lambda: _ours(function, argument),
    }
    samples: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(rounds):
        for name, run in ways.items():
            samples[name].append(_timed(run))
    threads = statistics.median(samples["threads"])
    alone = statistics.median(_timed(lambda: function(argument)) for _ in range(rounds))
    print(f"{function.__name__}({argument}), {WORKERS} workers ({alone * 1e3:.0f} ms each alone), "
          f"medians of {rounds}:")
    for name, figures in samples.items():
        median = statistics.median(figures)
        print(f"  {name:24s} {median * 1e3:7.1f} ms   {threads / median:5.2f}x threads")


def _checkout_on_pythonpath() -> None:
    """Run this script again with the checkout first on PYTHONPATH, unless it is: a new
    interpreter computes its sys.path from the environment, so the stdlib's interpreters then
    import this checkout's package and its workloads, as the main one does."""
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if paths[0] != CHECKOUT:
        os.environ["PYTHONPATH"] = os.pathsep.join([CHECKOUT] + [path for path in paths if path])
        os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--fibonacci", type=int, default=28, help="n of fibonacci(n)")
    parser.add_argument("--primes", type=int, default=100_000, help="sum the primes below this")
    options = parser.parse_args()
    if options.rounds < 1:
        parser.error(f"--rounds must be at least 1, got {options.rounds}")
    if sys.version_info < (3, 14):
        sys.exit("benchmarks/interpreter_start.py needs Python 3.14 or later "
                 "(concurrent.interpreters)")
    _checkout_on_pythonpath()
    from concurrent._bench._workloads import fibonacci, sum_primes

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    compare(fibonacci, options.fibonacci, options.rounds)
    compare(sum_primes, options.primes, options.rounds)


if __name__ == "__main__":
    main()
