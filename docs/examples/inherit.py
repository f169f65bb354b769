"""Give a child the objects it needs as arguments rather than through globals."""

from concurrent import processing


def add(total, lock, amount):
    for _ in range(amount):
        with lock:
            total.value += 1


if __name__ == "__main__":
    # Created in the parent and passed to each Process: this works with every start method.
    total = processing.Value("i", 0, lock=False)
    lock = processing.Lock()
    workers = [processing.Process(target=add, args=(total, lock, 1000)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print("total:", total.value)
