"""Speed of ``concurrent.threading``'s primitives against stdlib ``threading``, in one run.

Each case times the same loop on both implementations, interleaved (the order alternates every
round, so drift on a shared machine hits both alike), and reports the ratio of the medians:
``ours / stdlib`` per operation, where 1.00 means the same speed.  The target is every ratio at
most 1.05: the backend may cost no more than 5% over the stdlib on its hot paths.  Where both
sides run the very same C object (Lock, RLock, SimpleQueue, Queue), the ratio's distance from
1.00 shows the measurement noise of the run.

    python benchmarks/threading_primitives.py [--rounds N] [--number N] [--imports N]

It also reports what ``import concurrent.threading`` costs in a fresh interpreter, against
``import threading``: the median of ``-X importtime`` cumulative figures over N runs.

Exits with status 1 if a ratio falls outside the tolerance.
"""

import argparse
import os
import queue
import statistics
import subprocess
import sys
import threading
import timeit

import concurrent.threading as ours

TOLERANCE = 0.05

# name -> (statement timed, setup building ``x`` from the module bound to ``m``)
CASES = {
    "Lock acquire/release": ("x.acquire(); x.release()", "x = m.Lock()"),
    "RLock acquire/release": ("x.acquire(); x.release()", "x = m.RLock()"),
    "Lock with-block": ("with x: pass", "x = m.Lock()"),
    "Event set/wait/clear": ("x.set(); x.wait(); x.clear()", "x = m.Event()"),
    "Event wait(timeout) when set": ("x.wait(1.0)", "x = m.Event(); x.set()"),
    "Event wait(0) when clear": ("x.wait(0)", "x = m.Event()"),
    "Queue put/get": ("x.put(1); x.get()", "x = m.Queue()"),
    "SimpleQueue put/get": ("x.put(1); x.get()", "x = m.SimpleQueue()"),
}


class _Stdlib:
    """The stdlib's names, as the modules a program would use them from."""

    Lock = staticmethod(threading.Lock)
    RLock = staticmethod(threading.RLock)
    Event = threading.Event
    Queue = queue.Queue
    SimpleQueue = queue.SimpleQueue


def _time_per_op(statement: str, setup: str, module, number: int) -> float:
    timer = timeit.Timer(statement, setup, globals={"m": module})
    return timer.timeit(number) / number


def measure(statement: str, setup: str, rounds: int, number: int) -> tuple[float, float]:
    """Median seconds per operation for (stdlib, ours), measured interleaved."""
    stdlib_times, our_times = [], []
    for round_index in range(rounds):
        pair = [(_Stdlib, stdlib_times), (ours, our_times)]
        if round_index % 2:
            pair.reverse()
        for module, times in pair:
            times.append(_time_per_op(statement, setup, module, number))
    return statistics.median(stdlib_times), statistics.median(our_times)


def import_time_us(module: str, runs: int) -> float:
    """Median microseconds ``import module`` takes in a fresh interpreter (its own cumulative)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, PYTHONPATH=path)
    times = []
    for _ in range(runs):
        completed = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                                   capture_output=True, text=True, env=env, check=True)
        for line in completed.stderr.splitlines():
            fields = [field.strip() for field in line.split("|")]
            if len(fields) == 3 and fields[2] == module:
                times.append(int(fields[1]))
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=401,
                        help="interleaved rounds (default 401)")
    parser.add_argument("--number", type=int, default=1000,
                        help="operations per round (default 1000; short rounds interleave finely)")
    parser.add_argument("--imports", type=int, default=15,
                        help="fresh interpreters for the import-time figure (default 15; 0 skips)")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}; {args.rounds} rounds x {args.number} ops; "
          f"ratio = ours / stdlib (time per op)")
    print(f"{'case':32} {'stdlib ns':>10} {'ours ns':>10} {'ratio':>7}")
    worst = 0.0
    for name, (statement, setup) in CASES.items():
        stdlib, mine = measure(statement, setup, args.rounds, args.number)
        ratio = mine / stdlib
        worst = max(worst, ratio - 1)
        flag = "" if ratio - 1 <= TOLERANCE else "  <-- over 5% slower"
        print(f"{name:32} {stdlib * 1e9:10.1f} {mine * 1e9:10.1f} {ratio:7.3f}{flag}")
    print(f"largest slowdown: {worst:+.1%} (tolerance {TOLERANCE:.0%})")
    if args.imports:
        ours_us = import_time_us("concurrent.threading", args.imports)
        stdlib_us = import_time_us("threading", args.imports)
        print(f"import time (median of {args.imports}): "
              f"concurrent.threading {ours_us / 1000:.1f} ms, threading {stdlib_us / 1000:.1f} ms")
    return 0 if worst <= TOLERANCE else 1


if __name__ == "__main__":
    sys.exit(main())
