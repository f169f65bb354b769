"""Quickstart: a pool of processes, then one process talking through a queue."""

from concurrent import processing


def square(number):
    return number * number


def produce(queue, count):
    for number in range(count):
        queue.put(square(number))
    queue.put(None)  # tells the reader that nothing more is coming


if __name__ == "__main__":
    # A pool runs a function over many inputs on every core, in input order.
    with processing.Pool(2) as pool:
        print("pool.map:", pool.map(square, range(8)))
        pending = pool.apply_async(square, (12,))
        print("apply_async:", pending.get(timeout=30))

    # A process of your own, sending results back through a queue.
    queue = processing.Queue()
    worker = processing.Process(target=produce, args=(queue, 5), name="producer")
    worker.start()
    received = []
    while (item := queue.get(timeout=30)) is not None:
        received.append(item)
    worker.join()  # the queue was drained first, so this join cannot block on it
    print("from", worker.name, "->", received, "exit code", worker.exitcode)
