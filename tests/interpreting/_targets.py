"""Worker targets for the interpreter backend's tests (importable, so interpreters find them)."""

import sys
import threading

WAIT = 10.0


def put_many(queue, count: int) -> None:
    for item in range(count):
        queue.put(("item", item))


def raise_key_error() -> None:
    raise KeyError("boom in an interpreter")


def wait_for_event(event, results) -> None:
    results.put(event.wait(WAIT))


def start_a_thread_that_waits(event, results) -> None:
    """Return at once, leaving a thread that finishes once ``event`` is set."""
    def later():
        event.wait(WAIT)
        results.put("thread done")

    threading.Thread(target=later).start()


def interpreter_id(_=None) -> int:
    from concurrent import interpreters

    return interpreters.get_current().id


def fail_on(value, bad):
    if value == bad:
        raise ValueError(f"task {value} failed")
    return value


def unpicklable_result(_=None):
    return threading.Lock()


def raise_in_initializer() -> None:
    raise RuntimeError("the initializer failed")


def send_and_close(connection, message) -> None:
    connection.send(message)
    connection.close()


def receive_all(connection, results) -> None:
    received = []
    while True:
        try:
            received.append(connection.recv())
        except EOFError:
            break
    results.put(received)


def nested(results, depth: int) -> None:
    """Start a worker that starts a worker ... ``depth`` deep; each puts its name."""
    from concurrent import interpreting as backend

    results.put(backend.current_process().name)
    if depth > 1:
        child = backend.Process(target=nested, args=(results, depth - 1))
        child.start()
        child.join(WAIT)


def add_to_array(numbers, done) -> None:
    for index in range(len(numbers)):
        numbers[index] += 0.5
    done.put(True)


def bump_raw(value, done) -> None:
    value.value += 1
    done.put(True)


def use_proxy(proxy, done) -> None:
    done.put(proxy.describe())


def print_to_stderr(text: str) -> None:
    print(text, file=sys.stderr)


def connect(address, results, authkey=None) -> None:
    from concurrent.interpreting.connection import Client

    try:
        with Client(address, authkey=authkey) as connection:
            connection.send("hello")
            results.put(connection.recv())
    except (EOFError, OSError) as exc:
        results.put(type(exc).__name__)


def put_into(queue, item) -> None:
    queue.put(item)

