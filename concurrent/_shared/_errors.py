"""The exceptions both backends raise, defined once so ``except`` clauses survive a backend switch.

Where the stdlib already has the exception both of its modules raise (``queue.Empty``,
``queue.Full``, ``threading.BrokenBarrierError``), we re-export it rather than define a look-alike.
``BufferTooShort`` and ``RemoteTraceback`` are multiprocessing's own classes, and ``TimeoutError``
is both multiprocessing's and the builtin one (what ``concurrent.futures`` raises), so code
written for either catches ours.  Those three load multiprocessing, so they are made on first
use: importing the thread backend does not import it.
"""

import builtins
from queue import Empty, Full
from threading import BrokenBarrierError

from concurrent._shared._machinery.exports import publish

__all__ = [
    "BrokenBarrierError",
    "BrokenPoolError",
    "BufferTooShort",  # noqa: F822 - provided by __getattr__ below
    "Empty",
    "Full",
    "RemoteTraceback",  # noqa: F822
    "TimeoutError",
    "WorkerLostError",
]


def __getattr__(name: str):
    if name == "BufferTooShort":
        # ``recv_bytes_into`` got a message longer than the buffer; ``args[0]`` holds it.
        import multiprocessing

        value = multiprocessing.BufferTooShort
    elif name == "RemoteTraceback":
        # A task's exception in the caller has it as ``__cause__``; ``tb`` is the worker's
        # formatted traceback.
        import multiprocessing.pool

        value = multiprocessing.pool.RemoteTraceback
    elif name == "TimeoutError":
        value = _timeout_error()
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def _timeout_error() -> type:
    import multiprocessing

    class TimeoutError(multiprocessing.TimeoutError, builtins.TimeoutError):
        """A result was not ready within the timeout given (``AsyncResult.get(timeout)``).

        Both ``multiprocessing.TimeoutError`` and the builtin ``TimeoutError`` (which
        ``concurrent.futures`` raises), so an ``except`` clause written for either catches it.
        """

    TimeoutError.__module__, TimeoutError.__qualname__ = "concurrent._shared", "TimeoutError"
    return TimeoutError


class WorkerLostError(Exception):
    """A worker died while it ran a task: the task's result raises this instead of hanging.

    ``name`` and ``pid`` identify the worker; ``exitcode`` is its exit status, negative ``-N``
    when signal ``N`` ended it (the convention of ``Process.exitcode``).
    """

    def __init__(self, message: str, *, name: str | None = None, pid: int | None = None,
                 exitcode: int | None = None) -> None:
        super().__init__(message)
        self.name = name
        self.pid = pid
        self.exitcode = exitcode

    def __reduce__(self):
        return (_rebuild_worker_lost, (self.args[0], self.name, self.pid, self.exitcode))


def _rebuild_worker_lost(message, name, pid, exitcode):
    return WorkerLostError(message, name=name, pid=pid, exitcode=exitcode)


class BrokenPoolError(RuntimeError):
    """The pool can no longer run tasks (it was terminated, or its machinery failed)."""


publish("concurrent._shared", globals(), __all__)
