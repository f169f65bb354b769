# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# A classic pyprocessing 0.52 program: worker processes fed through queues.
import sys

import processing
from processing import Process, Queue, currentProcess


def worker(tasks, results):
    name = currentProcess().getName()
    for item in iter(tasks.get, None):
        results.put((name, item, item * 10))


def main():
    tasks, results = Queue(), Queue()
    workers = []
    for i in range(2):
        p = Process(target=worker, args=(tasks, results))
        p.setName("worker-%d" % i)
        p.setDaemon(True)
        workers.append(p)
        p.start()
    for item in range(6):
        tasks.putNoWait(item)
    for _ in workers:
        tasks.put(None)
    outcomes = sorted(results.get(timeout=30) for _ in range(6))
    print("results: %s" % sorted(value for _, _, value in outcomes))
    names = set(name for name, _, _ in outcomes)
    print("named workers: %s" % (names <= set(["worker-0", "worker-1"])))
    for p in workers:
        p.join(30)
        print("%s exit code %s, alive %s, has pid %s" % (
            p.getName(), p.getExitCode(), p.isAlive(), p.getPid() is not None))
    print("children left: %d" % len(processing.activeChildren()))
    try:
        results.getNoWait()
    except Exception as exc:
        print("empty queue raises %s" % type(exc).__name__)
    tasks.close()
    tasks.joinThread()
    results.close()
    results.joinThread()
    print("main is %s" % currentProcess().getName())


if __name__ == "__main__":
    if len(sys.argv) > 1:  # test harness: the start method to use
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
