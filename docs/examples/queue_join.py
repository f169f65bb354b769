"""Drain a queue before joining the process that fills it."""

from concurrent import processing


def fill(queue, count):
    # The items wait in a pipe; the process cannot exit until they have all been flushed.
    for number in range(count):
        queue.put(b"x" * 1000 + number.to_bytes(4, "big"))


if __name__ == "__main__":
    queue = processing.Queue()
    worker = processing.Process(target=fill, args=(queue, 500))
    worker.start()
    # Joining here first could wait forever: the child blocks flushing items nobody reads.
    items = [queue.get(timeout=30) for _ in range(500)]
    worker.join(timeout=30)
    print(f"received {len(items)} items; worker alive: {worker.is_alive()}, "
          f"exit code {worker.exitcode}")
