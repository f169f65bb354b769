# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# pyprocessing 0.52 style: one test body run with processes, with threads
# (processing.dummy) and with a manager's shared objects.
import sys

import processing
import processing.dummy


class Namespace(object):
    pass


def bump(counter, lock, start, n):
    start.wait(30)
    for _ in range(n):
        lock.acquire()
        try:
            counter.value += 1
        finally:
            lock.release()


def wait_for_flag(cond, flag, out):
    cond.acquire()
    try:
        while not flag.value:
            cond.wait(30)
    finally:
        cond.release()
    out.put("woken")


def exercise(label, ns, make_value, make_queue):
    counter = make_value("i", 0)
    lock, start = ns.Lock(), ns.Event()
    bumpers = [ns.Process(target=bump, args=(counter, lock, start, 50)) for _ in range(2)]
    for p in bumpers:
        p.start()
    start.set()
    for p in bumpers:
        p.join(30)
    print("%s: counter %d, exit codes %s" % (
        label, counter.value, [p.getExitCode() for p in bumpers]))

    cond, flag, out = ns.Condition(), make_value("i", 0), make_queue()
    sleeper = ns.Process(target=wait_for_flag, args=(cond, flag, out))
    sleeper.start()
    cond.acquire()
    try:
        flag.value = 1
        cond.notifyAll()
    finally:
        cond.release()
    print("%s: condition %s" % (label, out.get(timeout=30)))
    sleeper.join(30)

    sem = ns.Semaphore(2)
    print("%s: semaphore %s %s %s" % (
        label, sem.acquire(False), sem.acquire(False), sem.acquire(False)))


def main():
    exercise("processes", processing, processing.Value, processing.Queue)
    exercise("threads", processing.dummy, processing.dummy.Value, processing.dummy.Queue)
    manager = processing.Manager()
    shared = Namespace()
    shared.Process = processing.Process
    shared.Lock, shared.Event = manager.Lock, manager.Event
    shared.Condition, shared.Semaphore = manager.Condition, manager.Semaphore
    exercise("manager", shared, manager.Value, manager.Queue)
    manager.shutdown()
    print("event set: %s" % processing.Event().isSet())


if __name__ == "__main__":
    if len(sys.argv) > 1:  # test harness: the start method to use
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
