"""Ask workers to stop instead of terminating them; see what a dead pool worker does."""

import os
import signal

from concurrent import processing


def consume(queue):
    # A sentinel (None) ends a consumer: every item put before it is handled first.
    handled = sum(1 for _ in iter(queue.get, None))
    print(f"consumer: handled {handled} items, exiting", flush=True)


def poll(stop, ready):
    ready.set()
    while not stop.wait(timeout=0.05):  # periodic work would go here
        pass
    print("poller: stop requested, cleaning up", flush=True)


def crash():
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    queue = processing.Queue()
    consumer = processing.Process(target=consume, args=(queue,))
    consumer.start()
    for item in range(10):
        queue.put(item)
    queue.put(None)
    consumer.join(timeout=30)

    stop, ready = processing.Event(), processing.Event()
    poller = processing.Process(target=poll, args=(stop, ready))
    poller.start()
    ready.wait(timeout=30)
    stop.set()
    poller.join(timeout=30)
    print("exit codes:", consumer.exitcode, poller.exitcode)

    # A pool worker that dies mid-task fails that task; the pool replaces the worker.
    with processing.Pool(1) as pool:
        try:
            pool.apply(crash)
        except processing.WorkerLostError as error:
            print("WorkerLostError, exit code", error.exitcode)
        print("the pool goes on:", pool.apply(sum, ([1, 2, 3],)))
