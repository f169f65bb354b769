"""Why manager proxies poll before they sleep: the cost of a bare round trip between processes.

    python benchmarks/round_trip_latency.py [--trips N] [--runs N]

A parent and a child echo a 60-byte message over a socketpair, three ways: both sides block in
``recv`` (each message wakes the other process, usually on another CPU), both processes pinned
to one CPU (a wake-up there is a plain context switch), and both sides polling with
non-blocking reads.  Prints the median microseconds per round trip of each.
``concurrent.processing.managers`` polls for up to ``_managers_channel.SPIN_SECONDS`` before it
blocks, to get the third figure instead of the first when the peer answers quickly.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
import statistics
import time

MESSAGE = b"x" * 60


def _receive(sock: socket.socket, polling: bool) -> bytes:
    while True:
        try:
            return sock.recv(65536)
        except BlockingIOError:
            if not polling:
                raise


def _echo(sock: socket.socket, other: socket.socket, pin: bool, polling: bool) -> None:
    other.close()
    if pin:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    sock.setblocking(not polling)
    while data := _receive(sock, polling):
        sock.sendall(data)


def _microseconds_per_trip(pin: bool, polling: bool, trips: int) -> float:
    here, there = socket.socketpair()
    child = multiprocessing.Process(target=_echo, args=(there, here, pin, polling))
    child.start()
    there.close()
    affinity = os.sched_getaffinity(0) if pin else None
    try:
        if pin:
            os.sched_setaffinity(0, {min(affinity)})
        here.setblocking(not polling)
        for _ in range(100):  # warm-up
            here.sendall(MESSAGE)
            _receive(here, polling)
        started = time.perf_counter()
        for _ in range(trips):
            here.sendall(MESSAGE)
            _receive(here, polling)
        return (time.perf_counter() - started) / trips * 1e6
    finally:
        if pin:
            os.sched_setaffinity(0, affinity)
        here.close()
        child.join(10)
        if child.exitcode is None:
            child.kill()
            child.join(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips", type=int, default=20_000, help="round trips per run")
    parser.add_argument("--runs", type=int, default=3, help="runs per way (median)")
    args = parser.parse_args()
    ways = {"both block": (False, False), "both block, one CPU": (True, False),
            "both poll": (False, True)}
    print(f"{os.cpu_count()} CPU(s); median of {args.runs} runs of {args.trips} round trips")
    for label, (pin, polling) in ways.items():
        figures = [_microseconds_per_trip(pin, polling, args.trips) for _ in range(args.runs)]
        print(f"{label:<20} {statistics.median(figures):7.1f} µs per round trip")


if __name__ == "__main__":
    main()
