# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# pprocess 0.5.1's map-style processing: pmap() over a sequence, and get_number_of_cores().
import sys
import time

import pprocess


def slow_cube(n):
    time.sleep(0.01 * (5 - n))  # later items tend to finish first
    return n ** 3


def add(pair):
    a, b = pair
    return a + b


def main():
    cores = pprocess.get_number_of_cores()
    print("cores known: %s" % (cores >= 1))

    print("pmap in item order: %s" % list(pprocess.pmap(slow_cube, range(5), limit=3)))

    sums = pprocess.pmap(add, [(i, j) for i in range(2) for j in range(3)], limit=cores)
    for i in range(2):
        print("row %d: %s" % (i, sums[i * 3:i * 3 + 3]))
    print("last: %d" % sums[-1])

    sizes = pprocess.pmap(len, ["a", "bb", "ccc"], limit=2)
    print("sizes: %s" % sizes[:])

    print("a MakeParallel callable: %s" % list(
        pprocess.pmap(pprocess.MakeParallel(slow_cube), [2, 1])))
    for value in pprocess.pmap(slow_cube, [4, 5]):
        print("no limit: %d" % value)


if __name__ == "__main__":
    if len(sys.argv) > 1:  # test harness: the start method to use
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
