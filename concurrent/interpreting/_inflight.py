"""What an interpreter sent that nobody took yet, so that it is not closed too early.

The stdlib's cross-interpreter queues unbind an item when the interpreter that put it is closed:
``get`` then returns ``UNBOUND`` in its place, the data is gone.  A worker often ends before its
results are read, so each interpreter this backend starts counts the items it puts into a
channel and nobody took yet: one token in its *counter* (an interpreter queue) per item, taken
back by whoever takes the item.  An ended interpreter is closed only once its counter is empty
(``_interpreters.Reaper``).  The taker that empties a counter says so: in the main interpreter
it closes what that freed itself, right away (so once a program has read what a worker sent,
nothing of that worker is left); elsewhere it rings the reaper's doorbell.

The main interpreter is never closed while the program runs: what it sends is not counted.
"""

from __future__ import annotations

from collections.abc import Callable

from concurrent import interpreters
from concurrent.interpreting._waiting import Doorbell

__all__ = ["adopt", "on_empty", "sent", "taken"]

_counter: interpreters.Queue | None = None  # this interpreter's, when this backend started it
_counter_id = 0
_emptied: Callable[[], None] | None = None  # what to do when a taker empties a counter


def adopt(counter: interpreters.Queue, reaper_bell: Doorbell) -> None:
    """Count what this interpreter sends in ``counter``; ring ``reaper_bell`` on an empty one."""
    global _counter, _counter_id, _emptied
    _counter, _counter_id, _emptied = counter, counter.id, reaper_bell.ring


def on_empty(emptied: Callable[[], None]) -> None:
    """Call ``emptied()`` when a taker here empties a counter (in the main interpreter, where
    the reaper lives)."""
    global _emptied
    _emptied = emptied


def sent() -> int:
    """Count one item this interpreter is about to put; return the counter's id to send with it
    (0: not counted)."""
    counter = _counter
    if counter is None:
        return 0
    counter.put_nowait(None)
    return _counter_id


def taken(origin: int) -> None:
    """An item sent with counter id ``origin`` was taken: count it off."""
    if not origin:
        return
    try:
        counter = interpreters.Queue(origin)
        counter.get_nowait()
    except RuntimeError:  # the stdlib's QueueError: a counter closed with its interpreter at
        return  # exit, or emptied already; nothing to count any more
    if counter.qsize() == 0 and _emptied is not None:
        _emptied()
