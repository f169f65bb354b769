# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# pyprocessing 0.52 style custom manager: a shared object type served by a manager process.
import sys

from processing import Process
from processing.managers import BaseManager, CreatorMethod


class Tally(object):
    def __init__(self):
        self.items = []

    def add(self, item):
        self.items.append(item)

    def total(self):
        return sum(self.items)


class TallyManager(BaseManager):
    Tally = CreatorMethod(Tally)


def contribute(tally, values):
    for value in values:
        tally.add(value)


def main():
    manager = TallyManager()
    manager.start()
    tally = manager.Tally()
    workers = [Process(target=contribute, args=(tally, range(i, 30, 3))) for i in range(3)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(30)
    print("total: %d" % tally.total())
    print("exit codes: %s" % [p.getExitCode() for p in workers])
    manager.shutdown()


if __name__ == "__main__":
    if len(sys.argv) > 1:  # test harness: the start method to use
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
