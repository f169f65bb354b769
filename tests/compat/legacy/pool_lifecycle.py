# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# pyprocessing 0.52 style pool use: ordered and unordered results, errors raised where they are
# read, timeouts, callbacks, and the pool's own _pool (workers) and _cache (unfinished results).
import sys
import time

from processing import Pool, TimeoutError


def cube(x):
    return x ** 3


def inverse(x):
    return 1.0 / (x - 3)


def label(prefix, x):
    return '%s%d' % (prefix, x)


def main():
    pool = Pool(3)
    print("workers: %d, alive: %s" % (len(pool._pool), [w.isAlive() for w in pool._pool]))
    jobs = [pool.applyAsync(label, ('job', i)) for i in range(4)]
    print("applyAsync: %s" % [job.get(30) for job in jobs])
    print("imap: %s" % list(pool.imap(cube, range(6))))
    print("imapUnordered: %s" % sorted(pool.imapUnordered(cube, range(6), chunksize=2)))
    print("chunked map agrees: %s" % (pool.map(cube, range(200), chunksize=30)
                                      == [cube(x) for x in range(200)]))

    for name, call in [("apply", lambda: pool.apply(inverse, (3,))),
                       ("map", lambda: pool.map(inverse, range(6))),
                       ("imap", lambda: list(pool.imap(inverse, range(6))))]:
        try:
            call()
        except ZeroDivisionError:
            print("%s: ZeroDivisionError" % name)
    it = pool.imap(inverse, range(6))
    seen = []
    for _ in range(6):
        try:
            seen.append(round(it.next(30), 2))
        except ZeroDivisionError:
            seen.append('error')
    print("next() one by one: %s" % seen)

    got = []
    pool.applyAsync(cube, (2,), callback=got.append).wait(30)
    pool.mapAsync(cube, range(4), callback=got.extend).wait(30)
    print("callbacks: %s" % got)
    print("unfinished when idle: %d" % len(pool._cache))

    slow = pool.applyAsync(time.sleep, (60,))
    try:
        slow.get(0.01)
    except TimeoutError:
        print("get(timeout) raises TimeoutError: %s" % (not slow.ready()))
    print("unfinished with a slow task: %d" % len(pool._cache))
    pool.terminate()
    pool.join()
    print("terminated")

    other = Pool(2)
    print("close then join: %s" % other.map(cube, [1, 2]))
    other.close()
    other.join()


if __name__ == "__main__":
    if len(sys.argv) > 1:  # test harness: the start method to use
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
