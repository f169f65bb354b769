"""The exceptions both backends raise, defined once so ``except`` clauses survive a backend switch.

Where the stdlib already has the exception both of its modules raise (``queue.Empty``,
``queue.Full``, ``threading.BrokenBarrierError``), we re-export it rather than define a look-alike.
``BufferTooShort`` is multiprocessing's own class, raised deep inside its connection code; it is
loaded on first use so that importing the thread backend does not import multiprocessing.
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
    "RemoteTraceback",
    "TimeoutError",
    "WorkerLostError",
]


def __getattr__(name: str):
    # BufferTooShort: ``recv_bytes_into`` got a message longer than the buffer; ``args[0]`` holds
    # the message.  Both backends raise multiprocessing's class, so one ``except`` catches both.
    if name == "BufferTooShort":
        from multiprocessing import BufferTooShort

        return BufferTooShort
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class TimeoutError(builtins.TimeoutError):
    """A result was not ready within the timeout given (``AsyncResult.get(timeout)``).

    It subclasses the builtin ``TimeoutError``, not ``multiprocessing.TimeoutError`` (that would
    make importing the thread backend import multiprocessing): code moved from multiprocessing
    that catches ``multiprocessing.TimeoutError`` should catch this class instead.
    """


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


class RemoteTraceback(Exception):  # noqa: N818 - multiprocessing.pool's name for it
    """The formatted traceback of a task that failed in a worker, attached as ``__cause__``.

    A pool re-raises the task's exception in the caller; this cause shows where in the worker it
    was raised, which matters when the worker is another process and the frames are gone.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text


publish("concurrent._shared", globals(), __all__)
