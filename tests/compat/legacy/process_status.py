# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# pyprocessing 0.52 style: print process objects as they go through their states, a child
# printing itself, 0.52's logging levels, and a queue filled with putmany().
import signal
import sys

import processing
from processing import SUBDEBUG, SUBWARNING


def whoami(queue):
    queue.put(str(processing.currentProcess()))


def main():
    processing.enableLogging(level=SUBWARNING)
    logger = processing.getLogger()
    print("levels: %d %d %d %d %d" % (processing.NOTSET, SUBDEBUG, processing.DEBUG,
                                      processing.INFO, SUBWARNING))
    print("logger level: %d" % logger.getEffectiveLevel())

    queue = processing.Queue()
    child = processing.Process(target=whoami, args=(queue,))
    print("before start: %s" % child)
    child.start()
    print("child says: %s" % queue.get(timeout=30))
    child.join(30)
    print("after join: %s" % child)

    stop = processing.Event()
    sleeper = processing.Process(target=stop.wait, args=(60,))
    sleeper.setDaemon(True)
    sleeper.start()
    print("running: %s" % sleeper)
    sleeper.terminate()
    sleeper.join(30)
    print("terminated: %s, by SIGTERM: %s" % (sleeper, sleeper.getExitCode() == -signal.SIGTERM))
    print("main: %s" % processing.currentProcess())

    tasks = processing.Queue()
    tasks.putmany(['a', 'b', 'c'])
    print("putmany: %s" % [tasks.get(timeout=30) for _ in range(3)])
    tasks.put('left behind')
    tasks.canceljoin()
    tasks.close()
    processing.enableLogging(level=processing.NOTSET)


if __name__ == "__main__":
    if len(sys.argv) > 1:  # test harness: the start method to use
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
