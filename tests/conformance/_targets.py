"""Worker targets for the conformance suite.

They live in an importable module so spawn and forkserver children can find them.  Primitives
(and the backend object itself, where a target needs it) arrive as arguments; results go back
through a backend queue.
"""

import sys
import time

WAIT = 10.0  # the longest any target waits for its peer; a test fails long before a hang


def put(results, value) -> None:
    results.put(value)


def report_identity(results, backend) -> None:
    results.put((backend.current_worker().name, backend.current_process().name))


def exit_with(code) -> None:
    sys.exit(code)


def raise_error() -> None:
    raise ValueError("raised on purpose by the conformance suite")


def wait_event(event, results) -> None:
    results.put(event.wait(WAIT))


def wait_to_be_stopped(results) -> None:
    """Run Python code until stopped from outside; report an interrupt (KeyboardInterrupt)."""
    deadline = time.monotonic() + WAIT
    try:
        results.put("running")
        while time.monotonic() < deadline:
            time.sleep(0.005)  # short sleeps: a stop raised between bytecodes lands soon
    except KeyboardInterrupt:
        results.put("interrupted")
        return
    results.put("never stopped")


def try_acquire(lock, results, timeout: float) -> None:
    results.put(lock.acquire(timeout=timeout))


def notify(condition) -> None:
    with condition:
        condition.notify_all()


def barrier_wait(barrier, results) -> None:
    results.put(barrier.wait(WAIT))


def consume(jobs, results, count: int) -> None:
    for _ in range(count):
        item = jobs.get(timeout=WAIT)
        results.put(item * 2)
        jobs.task_done()


def echo_once(connection) -> None:
    connection.send(connection.recv())
    connection.close()


def client_send(address, backend, message) -> None:
    with backend.connection.Client(address) as connection:
        connection.send(message)


def increment(value, times: int, done) -> None:
    for _ in range(times):
        with value.get_lock():
            value.value += 1
    done.put(True)


def append_to(shared_list, item, done) -> None:
    shared_list.append(item)
    done.put(True)


def square(x):
    return x * x


def add(x, y):
    return x + y


def fail_on_three(x):
    if x == 3:
        raise ValueError(f"fail_on_three got {x}")
    return x


def slow_identity(x, seconds: float = 0.3):
    time.sleep(seconds)
    return x


# -- pools -----------------------------------------------------------------------------------

INITIALIZED = []  # what the pool initializer ran with, in this worker


def remember_init(tag) -> None:
    INITIALIZED.append(tag)


def initialized(_=None):
    return list(INITIALIZED)


def raise_system_exit(_=None):
    raise SystemExit(3)


# -- managers --------------------------------------------------------------------------------

def fill_shared(shared_list, shared_dict, namespace, done) -> None:
    shared_list.append("worker")
    shared_list[0] = "changed"
    shared_dict["worker"] = len(shared_list)
    namespace.seen = shared_dict["start"]
    done.put(True)


def grow_set(shared_set, done) -> None:
    shared_set.add("worker")
    shared_set |= {"or"}
    shared_set.discard("first")
    done.put(sorted(shared_set))


def add_to_value(value, amount, done) -> None:
    value.value += amount
    done.put(True)


def double_array(numbers, done) -> None:
    for index in range(len(numbers)):
        numbers[index] *= 2
    done.put(True)


def set_event(event) -> None:
    event.set()


def acquire_and_signal(lock, event) -> None:
    lock.acquire()
    event.set()


def release(semaphore) -> None:
    semaphore.release()


def pool_of_manager(pool, x, done) -> None:
    done.put(pool.apply(square, (x,)))


class InputBrokeError(Exception):
    """Raised by an imap's input iterable."""


def breaking_input(total: int, fail_at: int):
    for item in range(total):
        if item == fail_at:
            raise InputBrokeError(f"the input broke at {item}")
        yield item


def identity(value):
    return value
