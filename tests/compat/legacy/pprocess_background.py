# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# pprocess 0.5.1's background processes: started by one run, collected by the same or a later one.
# Usage: pprocess_background.py START_METHOD [start|collect|both]; sockets go in the current dir.
import os
import sys

import pprocess


def triple(n):
    return n * 3


def total(n):
    "Runs in the background, with processes of its own."
    queue = pprocess.Queue(limit=2)
    work = queue.manage(pprocess.MakeParallel(triple))
    for i in range(n):
        work(i)
    return n, sum(queue)


class Keeper(pprocess.PersistentExchange):
    "Keeps what a background process sends."

    def store_data(self, channel):
        self.kept.append(channel.receive())


def start():
    job = pprocess.BackgroundCallable("total.socket", pprocess.MakeParallel(total))
    job(5)
    del job
    parts = pprocess.MakeParallel(total)
    for i in range(3):
        pprocess.BackgroundCallable("part-%d.socket" % i, parts)(i + 1)
    keeper = Keeper(limit=1)
    keeper.manage("kept.socket", pprocess.MakeParallel(total))(4)
    del keeper
    print("started: %s" % sorted(name for name in os.listdir(".") if name.endswith(".socket")))


def collect():
    for n, result in pprocess.BackgroundQueue("total.socket"):
        print("BackgroundQueue: total(%d) = %d" % (n, result))
    queue = pprocess.PersistentQueue(limit=2)
    for i in range(3):
        queue.connect("part-%d.socket" % i)
    print("PersistentQueue: %s" % sorted(queue))
    keeper = Keeper(limit=1)
    keeper.kept = []
    keeper.connect("kept.socket")
    keeper.finish()
    print("PersistentExchange: %s" % keeper.kept)
    keeper = Keeper(limit=1)
    keeper.kept = []
    channel = keeper.create("made.socket")
    if channel:
        channel.send("sent by a created process")
        pprocess.exit(channel)
    keeper.finish()
    print("PersistentExchange.create: %s" % keeper.kept)
    print("sockets left: %s" % [name for name in os.listdir(".") if name.endswith(".socket")])


if __name__ == "__main__":
    import multiprocessing
    multiprocessing.set_start_method(sys.argv[1])
    mode = sys.argv[2] if len(sys.argv) > 2 else "both"
    if mode in ("start", "both"):
        start()
    if mode in ("collect", "both"):
        collect()
