"""A FIFO of messages between interpreters: what the queues, the pipes and the listener carry.

::

    put:  count it in flight (_inflight.sent) -> items.put_nowait -> ring ``readers``
    get:  items.get_nowait, or wait on ``readers`` -> ring ``writers`` -> count it off

``items`` is an interpreter queue (bounded by it when ``maxsize > 0``, so a full queue refuses
atomically); the two doorbells wake whoever waits for an item or for room.  An item on it is a
plain tuple ``(kind, payload, origin)``, so that it crosses natively: ``kind`` a ``Kind`` (read
back as a plain int: building the enum again would cost more than the comparison saves),
``payload`` what ``_codec.dumps`` made (``BYTES``: raw bytes of ``send_bytes``), ``origin`` the
sender's in-flight counter (0 for the main interpreter).
"""

from __future__ import annotations

import enum

from concurrent import interpreters
from concurrent._shared._machinery.exports import publish
from concurrent.interpreting import _inflight
from concurrent.interpreting._waiting import Doorbell, wait_for

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Channel", "Kind", "LostItemError"]


class Kind(enum.IntEnum):
    """What a message's payload is (crosses as an int)."""

    OBJECT = 0  #: what ``_codec.dumps`` made of an object
    BYTES = 1  #: raw bytes, as ``send_bytes`` sends them


class LostItemError(RuntimeError):
    """An item was dropped by the stdlib because the interpreter that put it was closed first.

    Interpreters this backend starts are closed only once what they sent was taken; this
    happens with interpreters started otherwise (``concurrent.interpreters.create()``).
    """


class Channel:
    """The items and the doorbells of one direction; pickles as its interpreter queues."""

    __slots__ = ("items", "maxsize", "readers", "writers")

    def __init__(self, maxsize: int = 0, *, _parts: tuple | None = None) -> None:
        if _parts is not None:
            self.items, self.readers, self.writers, self.maxsize = _parts
            return
        self.maxsize = maxsize
        self.items = interpreters.create_queue(maxsize)
        self.readers = Doorbell()
        self.writers = Doorbell() if maxsize else None

    def __reduce__(self):
        return _rebuild, ((self.items, self.readers, self.writers, self.maxsize),)

    def put(self, kind: Kind, payload: Any, timeout: float | None, counted: bool = True) -> bool:
        """Append a message; wait up to ``timeout`` seconds for room (0: do not wait, ``None``:
        no limit).  False if there was none.  ``counted=False``: the message may be lost with
        the sender's interpreter (its reader then gets ``LostItemError``)."""
        item = (int(kind), payload, _inflight.sent() if counted else 0)
        items = self.items
        try:
            items.put_nowait(item)
        except interpreters.QueueFull:
            if not (timeout != 0 and wait_for(lambda: _try_put(items, item), (self.writers,),
                                               timeout)):
                _inflight.taken(item[2])
                return False
        self.readers.ring()
        return True

    def get(self, timeout: float | None) -> tuple[int, Any] | None:
        """Take the oldest message as ``(kind, payload)`` (``kind`` a ``Kind`` value), waiting
        up to ``timeout`` seconds (0: do not wait, ``None``: no limit); ``None`` if none
        came."""
        items = self.items
        try:
            item = items.get_nowait()
        except interpreters.QueueEmpty:
            if timeout == 0:
                return None
            item = wait_for(lambda: _try_get(items), (self.readers,), timeout)
            if item is None:
                return None
        if self.writers is not None:
            self.writers.ring()
        if type(item) is not tuple:
            raise LostItemError("an item was lost: the interpreter that put it was closed "
                                "before it was taken (start workers with this backend, which "
                                "keeps an interpreter until what it sent is taken)")
        kind, payload, origin = item
        if origin:
            _inflight.taken(origin)
        return kind, payload

    def qsize(self) -> int:
        return self.items.qsize()


def _try_put(items: interpreters.Queue, item: tuple) -> bool:
    try:
        items.put_nowait(item)
    except interpreters.QueueFull:
        return False
    return True


def _try_get(items: interpreters.Queue) -> Any:
    try:
        return items.get_nowait()
    except interpreters.QueueEmpty:
        return None


def _rebuild(parts: tuple) -> Channel:
    return Channel(_parts=parts)


publish("concurrent.interpreting", globals(), ["LostItemError"])
