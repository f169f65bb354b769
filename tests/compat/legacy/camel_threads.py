# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# A Python 2.6-era threading program: camelCase names throughout.
import threading
from threading import Thread, currentThread, Condition, Event, Timer


class Counter(Thread):
    """Counts to `limit`, taking turns with its partner through a condition."""

    def __init__(self, name, cond, state, limit):
        Thread.__init__(self)
        self.setName(name)
        self.setDaemon(False)
        self.cond = cond
        self.state = state
        self.limit = limit

    def run(self):
        me = currentThread().getName()
        for _ in range(self.limit):
            self.cond.acquire()
            try:
                while self.state["turn"] != me:
                    self.cond.wait(5)
                self.state["log"].append(me)
                self.state["turn"] = "pong" if me == "ping" else "ping"
                self.cond.notifyAll()
            finally:
                self.cond.release()


def main():
    print("main thread: %s" % threading.currentThread().getName())
    cond = Condition()
    state = {"turn": "ping", "log": []}
    workers = [Counter("ping", cond, state, 3), Counter("pong", cond, state, 3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
        print("%s alive after join: %s, daemon: %s" % (
            worker.getName(), worker.isAlive(), worker.isDaemon()))
    print("turns: %s" % " ".join(state["log"]))

    fired = Event()
    timer = Timer(0.01, fired.set)
    timer.start()
    fired.wait(30)
    timer.join(30)
    print("timer fired: %s" % fired.isSet())

    names = sorted(t.getName() for t in threading.enumerate())
    print("live threads: %s (count %d)" % (names, threading.activeCount()))
    data = threading.local()
    data.value = 42
    print("local value: %d" % data.value)


if __name__ == "__main__":
    main()
