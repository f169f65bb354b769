# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# Processes that die under pprocess 0.5.1's API: whoever waits for them is told, nobody hangs.
import os
import signal
import sys

import pprocess
from concurrent.processing import WorkerLostError


def killed(channel, n):
    os.kill(os.getpid(), signal.SIGKILL)


def tens(channel, n):
    channel.send(n * 10)


def tens_unless_two(n):
    if n == 2:
        os._exit(3)
    return n * 10


class Sum(pprocess.Exchange):
    def store_data(self, channel):
        self.total += channel.receive()


def main():
    channel = pprocess.start(killed, 0)
    try:
        channel.receive()
    except EOFError as error:
        print("receive: %s, exit code %s" % (type(error).__name__, error.exitcode))

    exchange = Sum()
    exchange.total = 0
    for n, target in enumerate([tens, killed, tens]):
        exchange.start(target, n)
    lost = 0
    while exchange.unfinished():
        try:
            exchange.finish()
        except WorkerLostError:
            lost += 1
    print("Exchange: total %d, %d lost" % (exchange.total, lost))

    results = pprocess.Map(limit=2)
    call = results.manage(pprocess.MakeParallel(tens_unless_two))
    for n in range(4):
        call(n)
    shown = []
    for n in range(4):
        try:
            shown.append(results[n])
        except EOFError:
            shown.append("lost")
    print("Map: %s" % shown)

    queue = pprocess.Queue(limit=2)
    call = queue.manage(pprocess.MakeParallel(tens_unless_two))
    for n in range(4):
        call(n)
    received = []
    while True:
        try:
            received.extend(queue)
            break
        except pprocess.ProcessLostError:
            received.append(-1)
    print("Queue: %s" % sorted(received))

    shown = []
    try:
        for value in pprocess.pmap(tens_unless_two, range(4), limit=2):
            shown.append(value)
    except WorkerLostError:
        shown.append("lost")
    print("pmap: %s" % shown)

    channel = pprocess.create()
    if channel.pid == 0:
        os._exit(5)
    try:
        channel.receive()
    except EOFError as error:
        print("created process: exit code %s" % error.exitcode)


if __name__ == "__main__":
    if len(sys.argv) > 1:  # test harness: the start method to use
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
