"""One program, two backends: the import is the only line that differs."""

import sys

from concurrent import _shared


def checksum(chunk):
    return sum(value * value for value in chunk) % 9973


def run(backend):
    """Split the work over a pool of ``backend`` workers and collect it through a queue."""
    chunks = [range(start, start + 1000) for start in range(0, 8000, 1000)]
    with backend.Pool(2) as pool:
        sums = pool.map(checksum, chunks)
    queue = backend.Queue()
    lock = backend.Lock()
    worker = backend.Process(target=queue.put, args=(sum(sums),))
    worker.start()
    total = queue.get(timeout=30)
    worker.join()
    # Both backends implement the one interface in concurrent._shared.
    interface = isinstance(queue, _shared.Queue) and isinstance(lock, _shared.Lock)
    return total, interface


if __name__ == "__main__":
    if "--threads" in sys.argv:
        from concurrent import threading as backend
    else:
        from concurrent import processing as backend
    total, interface = run(backend)
    print(f"{backend.__name__}: total={total} implements concurrent._shared: {interface}")
