# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# pprocess 0.5.1's exchanges: an Exchange subclass, Map and Queue, managed and reused callables.
import os
import sys
import time

import pprocess

N = 2


def cell(channel, i, j):
    channel.send((i, j, i * N + j))


def whole_row(channel, i):
    for j in range(N):  # a continuous process: one message per cell
        channel.send((i, j, i * N + j))


def slow_square(n):
    time.sleep(0.01 * (6 - n))  # later calls tend to finish first
    return n * n


def square_with_pid(n):
    return os.getpid(), n * n


class Grid(pprocess.Exchange):
    "Puts each reported cell in its place."

    def store_data(self, channel):
        i, j, value = channel.receive()
        self.grid[i][j] = value


def main():
    grid = Grid(limit=2)
    grid.grid = [[None] * N for i in range(N)]
    for i in range(N):
        for j in range(N):
            grid.start(cell, i, j)
    grid.finish()
    print("Exchange.start with a limit: %s" % grid.grid)

    diagonal = Grid(limit=1)
    diagonal.grid = [[0] * N for i in range(N)]
    for i in range(N):
        diagonal.add_wait(pprocess.start(cell, i, i))
        print("busy at the limit: %s" % bool(diagonal.busy()))
    diagonal.finish()
    print("Exchange.add_wait: %s" % [diagonal.grid[i][i] for i in range(N)])

    results = pprocess.Map(limit=3)
    square = results.manage(pprocess.MakeParallel(slow_square))
    for n in range(6):
        square(n)
    print("Map by index: %s %s, by slice: %s" % (results[4], results[-1], results[1:4]))
    print("Map in call order: %s" % list(results))
    print("Map called like map(): %s" % list(pprocess.Map(limit=2)(slow_square, [3, 1, 2])))

    queue = pprocess.Queue(limit=2)
    square = queue.manage(pprocess.MakeParallel(slow_square))
    for n in range(4):
        square(n)
    while queue.unfinished():
        queue.store(50)  # milliseconds
    print("Queue holds %d results: %s" % (len(queue), sorted(queue)))

    rows = pprocess.Queue(limit=2, continuous=1)
    send_row = rows.manage(whole_row)
    for i in range(N):
        send_row(i)
    print("continuous Queue: %s" % sorted(rows))

    reused = pprocess.Map(limit=2, reuse=1)
    square = reused.manage(pprocess.MakeReusable(square_with_pid))
    for n in range(5):
        square(n)
    pairs = list(reused)
    print("reused Map: %s in %d processes" % ([value for pid, value in pairs],
                                             len(set(pid for pid, value in pairs))))


if __name__ == "__main__":
    if len(sys.argv) > 1:  # test harness: the start method to use
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
