"""The functions the bench runs inside workers.

Spawn and forkserver children import this module to unpickle their target, so it imports only
``os`` at the top; anything heavier is imported inside the function that needs it.
"""

import os

__all__ = [
    "condition_partner",
    "echo_connection",
    "echo_queue",
    "empty",
    "fibonacci",
    "file_io",
    "http_get",
    "identity",
    "payload_size",
    "put_items",
    "send_items",
    "sum_primes",
    "write_text_file",
]

READY = "ready"


def empty() -> None:
    """Do nothing: the time measured is the cost of starting and joining the workers."""


def fibonacci(n: int) -> int:
    """The naive recursive Fibonacci number: pure interpreter work that holds the GIL."""
    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)


def sum_primes(below: int) -> int:
    """The sum of the primes below ``below``, by trial division (CPU-bound, as in PEP 371)."""
    total = 0
    for number in range(2, below):
        divisor = 2
        while divisor * divisor <= number:
            if number % divisor == 0:
                break
            divisor += 1
        else:
            total += number
    return total


def write_text_file(path: str, size: int) -> None:
    """Write about ``size`` bytes of numbered text lines to ``path`` for ``file_io``."""
    line_count = max(1, size // 60)
    with open(path, "w", encoding="ascii") as out:
        for number in range(line_count):
            out.write(f"{number:08d} the quick brown fox jumps over the lazy dog {number:08x}\n")


def file_io(path: str, reads: int, seed: int) -> int:
    """Seek to ``reads`` random places in ``path``, write the next line to ``os.devnull``.

    Returns the number of bytes written, so a caller can tell the reads really happened.
    """
    import random

    chooser = random.Random(seed)
    written = 0
    size = os.path.getsize(path)
    with open(path, "rb") as source, open(os.devnull, "wb") as sink:
        for _ in range(reads):
            source.seek(chooser.randrange(size))
            source.readline()
            written += sink.write(source.readline())
    return written


def http_get(host: str, port: int, requests: int) -> int:
    """GET ``/`` from ``host:port`` ``requests`` times, one connection each; return bytes read.

    Raises ``RuntimeError`` naming the status when the server does not answer 200.
    """
    from http.client import HTTPConnection

    received = 0
    for _ in range(requests):
        connection = HTTPConnection(host, port, timeout=30)
        try:
            connection.request("GET", "/")
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"GET http://{host}:{port}/ answered {response.status}")
            received += len(body)
        finally:
            connection.close()
    return received


def identity(item):
    """Return ``item``: a task that costs nothing, so a map measures the pool's own cost."""
    return item


def put_items(queue, count: int) -> None:
    """Put ``count`` small integers on ``queue`` (the queue-overhead workload)."""
    put = queue.put
    for number in range(count):
        put(number)


def send_items(connection, count: int, item) -> None:
    """Send ``READY`` then ``count`` copies of ``item`` through ``connection``."""
    connection.send(READY)
    send = connection.send
    for _ in range(count):
        send(item)


def condition_partner(condition, rounds: int, timeout: float) -> None:
    """Ping-pong with the parent through ``condition`` for ``rounds`` notify/wait pairs.

    The parent holds the condition while it starts us, so each ``notify`` finds the other side
    already waiting and no wake-up is lost.
    """
    with condition:
        condition.notify()
        for _ in range(rounds):
            if not condition.wait(timeout):
                raise RuntimeError(f"condition ping-pong: no notify within {timeout} s")
            condition.notify()


def payload_size(payload) -> int:
    """The size in bytes of a ``bytes``-like or numpy payload (``nbytes`` if it has one)."""
    nbytes = getattr(payload, "nbytes", None)
    return len(payload) if nbytes is None else nbytes


def echo_queue(inbox, outbox) -> None:
    """Answer every payload from ``inbox`` with its size on ``outbox``, until ``None`` comes."""
    outbox.put(READY)
    while (payload := inbox.get()) is not None:
        outbox.put(payload_size(payload))


def echo_connection(connection) -> None:
    """Answer every payload received on ``connection`` with its size, until ``None`` comes."""
    connection.send(READY)
    while (payload := connection.recv()) is not None:
        connection.send(payload_size(payload))
