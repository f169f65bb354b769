"""A pool's life: running, closed, terminated (or broken), and the imap feeders it waits for.

Both pools keep their state here, under ``Lifecycle.lock``, which also guards the pool's own
queues: a task is queued only while the pool runs, checked in the same critical section.

::

    RUNNING --close()--> CLOSED --(queue drained, last feeder gone)--> workers stop
       |                    |
       +----terminate() or a broken initializer---> TERMINATED (``broken`` says why)
"""

from __future__ import annotations

import enum
import threading

from concurrent._shared._errors import BrokenPoolError

__all__ = ["Lifecycle", "PoolState"]


class PoolState(enum.Enum):
    """Where a pool is in its life."""

    RUNNING = "running"
    CLOSED = "closed"
    TERMINATED = "terminated"


class Lifecycle:
    """The state, the error that broke the pool, and the count of imap feeders still reading.

    Call every method with ``lock`` held.
    """

    __slots__ = ("broken", "feeders", "lock", "state")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.state = PoolState.RUNNING
        self.broken: BrokenPoolError | None = None
        self.feeders = 0  # imap feeders still pulling their input

    def check_running(self) -> None:
        """Raise ``BrokenPoolError`` or ``ValueError`` unless the pool takes new tasks."""
        if self.broken is not None:
            raise BrokenPoolError(str(self.broken)) from self.broken.__cause__
        if self.state is not PoolState.RUNNING:
            raise ValueError(f"Pool not running (it was {self.state.value}); create a new Pool")

    @property
    def stopped(self) -> bool:
        """True once terminated or broken: nothing more runs, feeders give up."""
        return self.state is PoolState.TERMINATED

    @property
    def finishing(self) -> bool:
        """Closed, with no feeder left: once the queued tasks are done, the workers may go."""
        return self.state is PoolState.CLOSED and self.feeders == 0

    def close(self) -> bool:
        """Accept no more tasks; True if this call closed a running pool."""
        if self.state is not PoolState.RUNNING:
            return False
        self.state = PoolState.CLOSED
        return True

    def terminate(self) -> bool:
        """Stop now; True if this call did it (False: already terminated)."""
        if self.state is PoolState.TERMINATED:
            return False
        self.state = PoolState.TERMINATED
        return True

    def break_with(self, error: BrokenPoolError) -> None:
        """The pool cannot run tasks any more (``error.__cause__`` says why): terminate it."""
        if self.broken is None:
            self.broken = error
        self.state = PoolState.TERMINATED

    def add_feeder(self) -> None:
        """Count an imap feeder that starts pulling its input (the pool must be running)."""
        self.check_running()
        self.feeders += 1

    def remove_feeder(self) -> bool:
        """A feeder finished; True if it was the last one of a closed pool."""
        self.feeders -= 1
        return self.finishing
