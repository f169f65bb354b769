"""One producer/consumer program, two backends: change the import line below to switch.

Producers put numbers on a queue and, under a lock, add how many they made to a shared counter;
the consumer feeds the queue's numbers to a pool that tests them for primality.  Every name used
comes from ``backend``, so the same code runs on threads or on processes.
"""

from concurrent import threading as backend  # or: from concurrent import processing as backend

PRODUCERS = 4
NUMBERS_PER_PRODUCER = 250
TIMEOUT = 60.0


def produce(queue, lock, produced, first: int, count: int) -> None:
    """Put ``count`` numbers starting at ``first`` on the queue, then a ``None`` end marker."""
    for number in range(first, first + count):
        queue.put(number)
    with lock:  # read-modify-write of the shared counter: the lock makes it atomic
        produced.value += count
    queue.put(None)


def is_prime(number: int) -> bool:
    """Trial division: enough work per item to be worth a pool."""
    if number < 2:
        return False
    divisor = 2
    while divisor * divisor <= number:
        if number % divisor == 0:
            return False
        divisor += 1
    return True


def drain(queue, producers: int):
    """Yield the queue's numbers until every producer has sent its end marker."""
    finished = 0
    while finished < producers:
        item = queue.get(timeout=TIMEOUT)
        if item is None:
            finished += 1
        else:
            yield item


def main() -> None:
    queue = backend.Queue()
    lock = backend.Lock()
    produced = backend.Value("i", 0, lock=False)  # guarded by ``lock`` explicitly
    count = NUMBERS_PER_PRODUCER
    workers = [backend.Process(target=produce, args=(queue, lock, produced, k * count, count))
               for k in range(PRODUCERS)]
    for worker in workers:
        worker.start()
    with backend.Pool(2) as pool:
        flags = list(pool.imap_unordered(is_prime, drain(queue, PRODUCERS), chunksize=16))
    for worker in workers:
        worker.join(TIMEOUT)
        if worker.is_alive() or worker.exitcode != 0:
            raise SystemExit(f"producer {worker.name} did not finish cleanly")
    print(f"producers: {PRODUCERS}")
    print(f"numbers produced: {produced.value}")
    print(f"numbers consumed: {len(flags)}")
    print(f"primes found: {sum(flags)}")


if __name__ == "__main__":
    main()
