# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# A classic pyprocessing 0.52 program: a pool of worker processes.
import sys

from processing import Pool, cpuCount


def square(x):
    return x * x


def add(a, b):
    return a + b


def main():
    pool = Pool(2)
    print("map: %s" % pool.map(square, range(8)))
    result = pool.mapAsync(square, range(5))
    print("mapAsync: %s" % result.get(30))
    job = pool.applyAsync(add, (20, 22))
    print("applyAsync: %d" % job.get(30))
    print("apply: %d" % pool.apply(add, (1, 2)))
    print("imap: %s" % list(pool.imap(square, range(4))))
    print("imapUnordered: %s" % sorted(pool.imapUnordered(square, range(6))))
    pool.close()
    pool.join()
    print("cpus known: %s" % (cpuCount() >= 1))


if __name__ == "__main__":
    if len(sys.argv) > 1:  # test harness: the start method to use
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
