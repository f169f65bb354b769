"""The Pipe prime sieve: each stage is a worker that reads numbers from a Pipe, keeps the first
as its prime, and passes the numbers it does not divide to the next stage, which it starts.

Change the import line to run it on another backend; nothing else changes.
"""

from concurrent import distributed as backend  # or: processing, threading

LIMIT = 40
TIMEOUT = 60.0


def stage(inbox, primes) -> None:
    """Take the first number as a prime; sieve the rest into a new stage."""
    prime = inbox.recv()
    if prime is None:  # the numbers ran out: tell the parent the sieve is done
        primes.put(None)
        return
    primes.put(prime)
    reader, writer = backend.Pipe(duplex=False)
    following = backend.Process(target=stage, args=(reader, primes))
    following.start()
    while (number := inbox.recv()) is not None:
        if number % prime:
            writer.send(number)
    writer.send(None)
    writer.close()
    following.join(TIMEOUT)  # each stage ends after the one it started


def main() -> None:
    primes = backend.Queue()
    reader, writer = backend.Pipe(duplex=False)
    first = backend.Process(target=stage, args=(reader, primes))
    first.start()
    for number in range(2, LIMIT + 1):
        writer.send(number)
    writer.send(None)
    found = []
    while (prime := primes.get(timeout=TIMEOUT)) is not None:
        found.append(prime)
    first.join(TIMEOUT)
    print(f"primes up to {LIMIT}:", *found)


if __name__ == "__main__":
    main()
