# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# pyprocessing 0.52 style: children send their authkey back through a queue (0.52's key was a
# plain string), update shared values under the values' own locks, and call back through a
# listener of each address family.
import sys

from processing import Array, Process, Queue, Value, currentProcess
from processing.connection import Client, Listener, families


def report(queue, counter, table, slot):
    me = currentProcess()
    queue.put((me.getName(), me.getAuthKey()))
    lock = counter.getlock()
    lock.acquire()
    try:
        counter.getobj().value += 1
    finally:
        lock.release()
    table.getlock().acquire()
    table.getobj()[slot] = (slot + 1) * 10
    table.getlock().release()


def call_back(address, family):
    conn = Client(address)
    conn.send('hello over %s' % family)
    conn.close()


def main():
    queue = Queue()
    counter = Value('i', 0)
    table = Array('i', [0, 0, 0])
    workers = [Process(target=report, args=(queue, counter, table, i)) for i in range(3)]
    for p in workers:
        p.start()
    reports = sorted(queue.get(timeout=30) for _ in workers)
    for p in workers:
        p.join(30)
    mine = currentProcess().getAuthKey()
    print("authkeys: %s" % [(name, type(key).__name__, key == mine) for name, key in reports])
    print("counter %d, table %s" % (counter.value, list(table)))
    for family in families:
        listener = Listener(family=family)
        p = Process(target=call_back, args=(listener.address, family))
        p.start()
        conn = listener.accept()
        print(conn.recv())
        conn.close()
        p.join(30)
        listener.close()
    queue.close()
    queue.jointhread()


if __name__ == "__main__":
    if len(sys.argv) > 1:  # test harness: the start method to use
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
