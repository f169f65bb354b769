"""A whole program: one process and one bounded Queue per input file, ours against the stdlib.

The shape of a common real program: for each of ``--files`` text files (written here once, in a
temporary directory), start a process that reads it line by line and puts ``(line number, word
count)`` on a ``Queue(maxsize=1000)`` of its own, then ``None``; the parent reads every queue to
its end and joins each process.  All processes start at once, as such programs start them, so the
figure holds start-up, queue creation and the items, under contention.  Rounds alternate which
side runs first; each reports its wall time, and the ratio is ours over the stdlib's (below 1:
ours took less time).

    python benchmarks/process_per_file.py [--files 70] [--lines 20000] [--rounds 3]
                                          [--start-method spawn|fork|forkserver]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import concurrent.processing  # after the checkout is on sys.path

QUEUE_SIZE = 1000
WAIT = 300.0  # the longest one item or one join may take before the benchmark gives up


def write_files(directory: str, files: int, lines: int) -> list[str]:
    paths = []
    for number in range(files):
        path = os.path.join(directory, f"input{number:03d}.txt")
        with open(path, "w", encoding="ascii") as out:
            for line in range(lines):
                out.write(f"line {line} of file {number}: the quick brown fox jumps over the "
                          f"lazy dog\n")
        paths.append(path)
    return paths


def count_words(path: str, queue) -> None:
    """Child: ``(line number, words)`` for each line of ``path``, then ``None``."""
    with open(path, encoding="ascii") as source:
        for number, line in enumerate(source):
            queue.put((number, len(line.split())))
    queue.put(None)


def one_round(ctx, paths: list[str]) -> tuple[float, int]:
    """Seconds from the first start to the last join, and the words counted."""
    started = time.perf_counter()
    jobs = []
    for path in paths:
        queue = ctx.Queue(maxsize=QUEUE_SIZE)
        worker = ctx.Process(target=count_words, args=(path, queue), daemon=True)
        worker.start()
        jobs.append((worker, queue))
    words = 0
    for worker, queue in jobs:
        while (item := queue.get(timeout=WAIT)) is not None:
            words += item[1]
        worker.join(WAIT)
        if worker.exitcode != 0:
            raise RuntimeError(f"{worker!r} ended with exit code {worker.exitcode}")
    return time.perf_counter() - started, words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=70)
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--start-method", default="spawn",
                        choices=multiprocessing.get_all_start_methods())
    options = parser.parse_args(argv)
    contexts = {"stdlib": multiprocessing.get_context(options.start_method),
                "ours": concurrent.processing.get_context(options.start_method)}
    seconds: dict[str, list[float]] = {"stdlib": [], "ours": []}
    with tempfile.TemporaryDirectory() as directory:
        paths = write_files(directory, options.files, options.lines)
        expected = None
        for index in range(options.rounds):
            order = ("stdlib", "ours") if index % 2 == 0 else ("ours", "stdlib")
            for name in order:
                elapsed, words = one_round(contexts[name], paths)
                if expected is None:
                    expected = words
                elif words != expected:
                    raise AssertionError(f"{name} counted {words} words, not {expected}")
                seconds[name].append(elapsed)
    ratios = [ours / stdlib for ours, stdlib in zip(seconds["ours"], seconds["stdlib"])]
    print(f"{options.files} files of {options.lines} lines, one process and one "
          f"Queue(maxsize={QUEUE_SIZE}) each, start method {options.start_method}, "
          f"{options.rounds} round(s):")
    for name in ("stdlib", "ours"):
        print(f"  {name:6s} {statistics.median(seconds[name]):7.2f} s (median)")
    print(f"  ours / stdlib time {statistics.median(ratios):.2f} (per round: "
          f"{', '.join(f'{ratio:.2f}' for ratio in ratios)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
