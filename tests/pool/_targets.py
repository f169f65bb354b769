"""Functions the pool tests run in workers; a module, so spawn/forkserver children import them."""

import ctypes
import os
import signal
import threading
import time

_gate = None  # set by remember_channel in a worker: (pipe to the test, semaphore)


def square(x):
    return x * x


def add(a, b):
    return a + b


def power(base, exponent=2):
    return base ** exponent


def pid_of(_=None):
    return os.getpid()


def pid_and_parent(_=None):
    return os.getpid(), os.getppid()


def fail_on(x, bad):
    if x == bad:
        raise ValueError(f"bad item {x}")
    return x


def raise_base(kind):
    if kind == "exit":
        raise SystemExit(5)
    raise KeyboardInterrupt


def die(how):
    """End this process abruptly: the ways a worker dies mid-task in the wild."""
    if how == "sigkill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif how == "exit":
        os._exit(7)
    elif how == "segv":
        import faulthandler
        faulthandler.disable()  # die silently; the pool is what reports it
        ctypes.string_at(0)
    raise AssertionError(f"unknown death {how!r}")


def die_at(x, victim, how):
    if x == victim:
        die(how)
    return x * x


def random_task(x, plan):
    """Busy-work ``plan[x][0]`` loop turns, then die as ``plan[x][1]`` says (or return x)."""
    turns, how = plan[x]
    total = 0
    for i in range(turns):
        total += i
    if how is not None:
        die(how)
    return x


def remember_channel(writer, release):
    """Pool initializer: keep a pipe to report to, and a Semaphore to wait on.

    A bare pipe, not a SimpleQueue: a worker the test kills right after its report may still
    hold the queue's write lock.  Reports are far below PIPE_BUF, so writes never interleave.
    A Semaphore, not an Event: ``Event.set`` waits for every sleeper to wake, and a sleeper
    killed by the test never does.
    """
    global _gate
    _gate = (writer, release)


def report_and_wait(x):
    """Tell the test our pid, then block until it releases us (bounded: 30 s)."""
    writer, release = _gate
    writer.send((x, os.getpid()))
    if not release.acquire(timeout=30):
        raise TimeoutError("test never released the task")
    return x


def failing_init():
    raise RuntimeError("initializer broke")


def unpicklable_result(_):
    return threading.Lock()


def slow_identity(x, seconds=0.001):
    time.sleep(seconds)  # workload, not synchronization
    return x


def generate(n, fail_at=None):
    for i in range(n):
        if i == fail_at:
            raise LookupError(f"iterable failed at {i}")
        yield i


def mark_and_block(path, seconds=30):
    """Create ``path`` (the test polls for it), then stay busy until interrupted or 30 s pass."""
    with open(path, "w"):
        pass
    time.sleep(seconds)  # the workload being interrupted
    return path


class PlannedTask:
    """A picklable callable: ``random_task`` with a fixed plan of work and deaths."""

    def __init__(self, plan):
        self.plan = plan

    def __call__(self, x):
        return random_task(x, self.plan)


class SlowDeath:
    """A picklable task that takes 10 ms (busy work, not synchronization) and dies on ``victim``."""

    def __init__(self, victim):
        self.victim = victim

    def __call__(self, x):
        time.sleep(0.01)
        if x == self.victim:
            die("sigkill")
        return x


class LockedError(Exception):
    """An exception that holds a lock, so it cannot be pickled back to the pool."""

    def __init__(self, message):
        super().__init__(message)
        self.lock = threading.Lock()


def raise_unpicklable(_=None):
    raise LockedError("holds a lock")


def digest(buffer):
    """The length and SHA-256 of a buffer argument (bytes, memoryview or numpy array)."""
    import hashlib

    view = memoryview(buffer).cast("B")
    return view.nbytes, hashlib.sha256(view).hexdigest()


def pattern(size, seed):
    """``size`` bytes that depend on ``seed`` (so a mixed-up result shows)."""
    block = bytes((seed + i) % 251 for i in range(251))
    return (block * (size // 251 + 1))[:size]


def doubled(array):
    return array * 2


def die_holding(buffer, how):
    """Die mid-task while the large argument is mapped."""
    assert len(buffer) > 0
    die(how)


class SlowBufferDeath:
    """A task that takes 10 ms (busy work, not synchronization), dies on the buffer starting
    with ``victim``, and otherwise returns that first byte."""

    def __init__(self, victim):
        self.victim = victim

    def __call__(self, buffer):
        time.sleep(0.01)
        if buffer[0] == self.victim:
            die("sigkill")
        return buffer[0], len(buffer)
