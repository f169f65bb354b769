# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# pyprocessing 0.52 style benchmark: objects per second through a queue, processes vs threads.
import sys
import time

import processing
import processing.dummy

ITEMS = 2000


def produce(queue, n):
    for i in range(n):
        queue.put(i)
    queue.put(None)


def measure(label, ns):
    queue = ns.Queue()
    producer = ns.Process(target=produce, args=(queue, ITEMS))
    started = time.time()
    producer.start()
    count = total = 0
    for item in iter(queue.get, None):
        count += 1
        total += item
    producer.join(30)
    elapsed = time.time() - started
    print("%s: %d items, checksum %d" % (label, count, total))
    sys.stderr.write("%s: %.1f items/ms\n" % (label, count / max(elapsed * 1000, 1e-9)))
    return producer.getExitCode()


def main():
    codes = [measure("processes", processing), measure("threads", processing.dummy)]
    print("exit codes: %s" % codes)


if __name__ == "__main__":
    if len(sys.argv) > 1:  # test harness: the start method to use
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
