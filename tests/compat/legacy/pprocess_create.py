# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# pprocess 0.5.1's fork-style processes: create() returns twice, exit() ends the created one.
import sys
import time

import pprocess


class Tally(pprocess.Exchange):
    "Counts the letters that created processes report."

    def store_data(self, channel):
        letter, count = channel.receive()
        self.counts[letter] = count


def main():
    channel = pprocess.create()
    if channel.pid == 0:
        value = channel.receive()
        while value is not None:
            channel.send(value * 2)
            value = channel.receive()
        pprocess.exit(channel)
    doubled = []
    for value in (5, 6, 7):
        channel.send(value)
        doubled.append(channel.receive())
    channel.send(None)
    channel.wait()
    print("doubled by a created process: %s" % doubled)

    squares = pprocess.Map(limit=2)
    for n in range(6):
        channel = squares.create()
        if channel:
            try:
                time.sleep(0.01 * (6 - n))  # later ones tend to finish first
                channel.send(n * n)
            finally:
                pprocess.exit(channel)
    print("Map of created processes, in creation order: %s" % squares[0:6])

    queue = pprocess.Queue(limit=3)
    for n in range(5):
        channel = queue.create()
        if channel:
            channel.send(n ** 3)
            pprocess.exit(channel)
    print("Queue of created processes: %s" % sorted(queue))

    tally = Tally(limit=2)
    tally.counts = {}
    for word in ("banana", "cherry", "apple"):
        channel = tally.create()
        if channel:
            channel.send((word[0], word.count(word[0])))
            pprocess.exit(channel)
    tally.finish()
    print("Exchange of created processes: %s" % sorted(tally.counts.items()))


if __name__ == "__main__":
    if len(sys.argv) > 1:  # test harness: the start method (create() forks whatever it is)
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
