"""The one error this backend adds, and how Dask's failures map onto the shared exceptions.

Everything else a caller catches is a shared exception (``concurrent._shared``): a worker that
dies raises ``WorkerLostError``, a terminated pool ``BrokenPoolError``.  What processes cannot
suffer and a cluster can is losing the scheduler that every primitive goes through; that raises
``SchedulerLostError`` (a ``ConnectionError``, so ``except OSError`` still catches it) within a
bounded time in every blocking call.
"""

from __future__ import annotations

from concurrent._shared._machinery.exports import publish

__all__ = ["SchedulerLostError"]


class SchedulerLostError(ConnectionError):
    """The Dask scheduler this backend talks to went away or stopped answering.

    Raised by any call that needs the scheduler (``get``, ``join``, ``acquire``, ``wait``,
    pool results) within ``concurrent.distributed``'s bound on an unanswered request; objects
    of the lost cluster cannot be used again.  ``address`` is the scheduler's address.
    """

    def __init__(self, message: str, address: str | None = None) -> None:
        super().__init__(message)
        self.address = address

    def __reduce__(self):
        return type(self), (self.args[0], self.address)


publish("concurrent.distributed", globals(), __all__)
