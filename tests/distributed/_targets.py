"""Worker targets for the distributed tests (an importable module, so workers find them)."""

import os
import signal
import time


def kill_my_worker_once(marker: str, value):
    """SIGKILL the worker process running this the first time (``marker`` remembers it)."""
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return value
    os.close(fd)
    os.kill(os.getpid(), signal.SIGKILL)


def kill_my_worker(_=None):
    """SIGKILL the worker process running this, every time."""
    os.kill(os.getpid(), signal.SIGKILL)


def square(x):
    return x * x


def pid_and_square(x):
    return os.getpid(), x * x


def busy_until_stopped(started, seconds: float = 30.0) -> None:
    """Say it started, then run Python code (interruptible) for up to ``seconds``."""
    started.set()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.01)


def put_pid(results) -> None:
    results.put(os.getpid())


def hold_lock_and_count(lock, shared, key: str, times: int, done) -> None:
    for _ in range(times):
        with lock:
            shared[key] = shared.get(key, 0) + 1
    done.put(os.getpid())


def kill_on(bad, x):
    """SIGKILL the worker process running this when ``x == bad``, else return ``x``."""
    if x == bad:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def timed_nap(x, seconds: float = 0.15):
    """Sleep, and say when (wall clock) it ran: (start, end)."""
    start = time.time()
    time.sleep(seconds)
    return start, time.time()


def fail_to_initialize(*_):
    raise RuntimeError("this initializer always fails")


class Unpicklable:
    """Refuses to be pickled (as a lock or a socket would)."""

    def __reduce__(self):
        raise TypeError("Unpicklable objects cannot be pickled")


def return_unpicklable(_=None):
    return Unpicklable()
