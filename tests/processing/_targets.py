"""Functions run in child processes; importable, so spawn and forkserver children find them."""

from __future__ import annotations

import os
import signal
import sys

import concurrent.processing as processing

WAIT = 20.0  # the longest a child waits for its peer; tests fail long before a hang


def put(results, value) -> None:
    results.put(value)


def exit_with(code) -> None:
    sys.exit(code)


def raise_value_error() -> None:
    raise ValueError("raised on purpose in the child")


def kill_self(signum: int) -> None:
    os.kill(os.getpid(), signum)


def wait_forever(event) -> None:
    """Block until ``event`` is set (tests end such children with terminate or kill)."""
    event.wait(WAIT)


def ignore_sigterm_and_wait(ready, event) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ready.set()
    event.wait(WAIT)


def report_identity(results) -> None:
    me = processing.current_process()
    parent = processing.parent_process()
    results.put({
        "name": me.name,
        "pid": me.pid,
        "ident": me.ident,
        "os_pid": os.getpid(),
        "daemon": me.daemon,
        "authkey": bytes(me.authkey),
        "parent_pid": parent.pid if parent else None,
        "worker_is_process": processing.current_worker() is me,
        "start_method": processing.get_start_method(),
    })


def join_self(results) -> None:
    try:
        processing.current_process().join(1)
    except RuntimeError as exc:
        results.put(("RuntimeError", str(exc)))
    else:
        results.put(("no error", ""))


def start_grandchild(results) -> None:
    """Run in a daemon: starting a child must fail clearly."""
    try:
        processing.Process(target=put, args=(results, "grandchild")).start()
    except RuntimeError as exc:
        results.put(("RuntimeError", str(exc)))
    else:
        results.put(("no error", ""))


def start_daemon_then_exit(results, event, method: str) -> None:
    """Start a daemon grandchild that would wait long, report its pid, and return at once."""
    child = processing.get_context(method).Process(target=wait_forever, args=(event,),
                                                   daemon=True)
    child.start()
    results.put(child.pid)


def add_under_lock(lock, value, times: int) -> None:
    for _ in range(times):
        with lock:
            value.value += 1


def add_to_array(array, times: int) -> None:
    for _ in range(times):
        with array.get_lock():
            for index in range(len(array)):
                array[index] += 1


def try_acquire(lock, results, timeout) -> None:
    results.put(lock.acquire(timeout=timeout))


def hold_until(lock, held, release) -> None:
    with lock:
        held.set()
        release.wait(WAIT)


def set_event(event) -> None:
    event.set()


def wait_event(event, results) -> None:
    results.put(event.wait(WAIT))


def notify_when_set(condition, flag) -> None:
    with condition:
        flag.value = 1
        condition.notify_all()


def barrier_wait(barrier, results) -> None:
    results.put(barrier.wait(WAIT))


def echo_queue(jobs, results, count: int) -> None:
    for _ in range(count):
        results.put(jobs.get(timeout=WAIT))


def consume_joinable(jobs, results, count: int) -> None:
    for _ in range(count):
        item = jobs.get(timeout=WAIT)
        results.put(item * 2)
        jobs.task_done()


def echo_connection(conn) -> None:
    """Echo until ``None`` (a forked child holds a copy of the other end, so no EOF comes)."""
    while (message := conn.recv()) is not None:
        conn.send(message)
    conn.close()


def send_bytes(conn, data: bytes) -> None:
    conn.send_bytes(data)
    conn.close()


def write_shared_memory(name: str, data: bytes) -> None:
    from concurrent.processing.shared_memory import SharedMemory

    segment = SharedMemory(name=name)
    try:
        segment.buf[:len(data)] = data
    finally:
        segment.close()


def double_shareable_list(name: str) -> None:
    from concurrent.processing.shared_memory import ShareableList

    values = ShareableList(name=name)
    try:
        for index in range(len(values)):
            values[index] = values[index] * 2
    finally:
        values.shm.close()


def with_stderr_to(path: str, target, *args) -> None:
    """Send this child's stderr to ``path`` (a forkserver child's stderr is the server's)."""
    sys.stderr = open(path, "w", buffering=1, encoding="utf-8")  # closed when the child exits
    target(*args)


def log_warning(message: str) -> None:
    processing.log_to_stderr()
    processing.get_logger().warning(message)


class RunOverridden(processing.Process):
    """A subclass that replaces ``run`` instead of passing a target."""

    def __init__(self, results) -> None:
        super().__init__()
        self.results = results

    def run(self) -> None:
        self.results.put(f"run() of {self.name}")


class SpawnedRunOverridden(processing.SpawnProcess):
    """The same, bound to spawn: the subclass itself is pickled to the child."""

    def __init__(self, results) -> None:
        super().__init__()
        self.results = results

    def run(self) -> None:
        self.results.put(f"run() of {self.name}")
