"""``Channel``: a named Dask ``Queue`` of pickled objects, with quiet, bounded waits.

Every queue-like object of this backend is one or more channels: ``Queue`` carries items, a
``Lock`` or ``Semaphore`` carries tokens, a ``Pipe`` one channel per direction.  What we add to
Dask's queue:

- items are pickled here (Dask's queue takes only msgpack-able data), so anything picklable
  travels and what cannot be pickled fails in ``put``, in the caller;
- waits never time out inside Dask's queue, whose scheduler logs each such timeout as an error
  with a traceback.  A caller that finds nothing waits on the channel's doorbell (a Dask
  ``Event`` that ``put`` sets, and ``get`` sets for a waiting ``put`` of a bounded channel),
  in slices, and looks again;
- every request is bounded (``_calls``).

A channel pickles as its names; the copy attaches to the same Dask objects through the client
of the process that unpickles it, on first use.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from typing import Any

from concurrent.distributed import _cluster
from concurrent.distributed._calls import Deadline, request

__all__ = ["Channel", "new_name", "wait_any"]

_NOTHING = object()


def new_name(kind: str) -> str:
    """A cluster-wide unique name for a Dask object of ``kind``."""
    return f"concurrent-{kind}-{uuid.uuid4().hex}"


class Channel:
    """A FIFO of pickled objects in the scheduler, bounded when ``maxsize > 0``."""

    __slots__ = ("_client", "_queue", "_space", "_bell", "maxsize", "name")

    def __init__(self, maxsize: int = 0, name: str | None = None) -> None:
        self.name = name or new_name("channel")
        self.maxsize = maxsize
        self._client = self._queue = self._bell = self._space = None
        if name is None:
            self._attach()  # the creator makes it now, with its maxsize

    def __reduce__(self):
        return Channel, (self.maxsize, self.name)

    def _attach(self) -> Any:
        if self._queue is None:
            from distributed import Event, Queue

            client = _cluster.client()
            self._queue = request(client, lambda limit: Queue(self.name, client, self.maxsize))
            self._bell = Event(self.name + "-bell", client)
            self._space = Event(self.name + "-space", client)
            self._client = client
        return self._queue

    # -- the Dask calls, each bounded ------------------------------------------------------
    def qsize(self) -> int:
        """How many items the scheduler holds now."""
        queue = self._attach()
        return request(self._client, lambda limit: queue.qsize(callback_timeout=limit))

    def _event(self, event: Any, op: str, wait: float | None = None) -> Any:
        scheduler = self._client.scheduler
        handler = getattr(scheduler, f"event_{op}")
        kwargs = {} if wait is None else {"timeout": wait}
        return request(self._client, lambda limit: self._client.sync(
            handler, name=event.name, callback_timeout=limit, **kwargs), wait or 0.0)

    def _take(self) -> Any:
        # Only called when qsize() said there is an item: a lost race is one rare timeout.
        queue = self._queue
        try:
            data = request(self._client, lambda limit: queue.get(timeout=0,
                                                                 callback_timeout=limit))
        except TimeoutError:
            return _NOTHING
        if self.maxsize:
            self._event(self._space, "set")
        from distributed.protocol import pickle

        return pickle.loads(data)

    # -- the channel's operations ----------------------------------------------------------
    def put(self, obj: Any, timeout: float | None = None) -> bool:
        """Append ``obj``; on a full bounded channel wait up to ``timeout`` (``None``: for
        ever, 0: not at all) and return False if no room came."""
        from distributed.protocol import pickle

        data = pickle.dumps(obj)  # fails here, in the caller
        queue = self._attach()
        deadline = Deadline(timeout)
        while True:
            if not self.maxsize or self.qsize() < self.maxsize:
                try:
                    request(self._client, lambda limit: queue.put(
                        data, timeout=0 if self.maxsize else None, callback_timeout=limit))
                except TimeoutError:
                    pass  # another producer filled it first
                else:
                    self._event(self._bell, "set")
                    return True
            if deadline.expired():
                return False
            self._event(self._space, "clear")
            if self.qsize() < self.maxsize:
                continue
            self._event(self._space, "wait", deadline.slice())

    # -- a pipe's direction: the writer learns when the reader closed ----------------------
    def send(self, obj: Any) -> None:
        """Append ``obj`` to an unbounded channel and ring its bell; ``BrokenPipeError`` if its
        reader closed (``close_reading``).  The three requests go out at once: one round trip."""
        from distributed.protocol import pickle

        data = pickle.dumps(obj)  # fails here, in the caller
        self._attach()
        client = self._client
        if request(client, lambda limit: client.sync(_send, client, self.name, data,
                                                      callback_timeout=limit)):
            raise BrokenPipeError("the other end of the pipe is closed")

    def close_reading(self) -> None:
        """No one reads this channel any more: a later ``send`` raises ``BrokenPipeError``."""
        self._attach()
        client = self._client
        request(client, lambda limit: client.sync(client.scheduler.event_set,
                                                  name=self.name + "-closed",
                                                  callback_timeout=limit))

    def get(self, timeout: float | None = None) -> tuple[bool, Any]:
        """``(True, item)`` for the oldest item, waiting up to ``timeout`` (``None``: for ever,
        0: not at all) for one; ``(False, None)`` if none came."""
        self._attach()
        deadline = Deadline(timeout)
        while True:
            if self.qsize() > 0:
                item = self._take()
                if item is not _NOTHING:
                    return True, item
                continue
            if deadline.expired():
                return False, None
            self._event(self._bell, "clear")
            if self.qsize() > 0:
                continue
            self._event(self._bell, "wait", deadline.slice())


async def _send(client: Any, name: str, data: bytes) -> bool:
    """Put ``data``, ring the bell and ask whether the reader closed, concurrently."""
    scheduler = client.scheduler
    _, _, closed = await asyncio.gather(
        scheduler.queue_put(name=name, data=data, timeout=None),
        scheduler.event_set(name=name + "-bell"),
        scheduler.event_is_set(name=name + "-closed"))
    return bool(closed)


async def _first_bell(client: Any, names: list[str], wait: float) -> None:
    waits = [asyncio.ensure_future(client.scheduler.event_wait(name=name, timeout=wait))
             for name in names]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for pending in waits:
            pending.cancel()


def wait_any(channels: Sequence[Channel], timeout: float | None) -> list[Channel]:
    """The channels that hold an item, waiting up to ``timeout`` for one of them to get one.

    It takes nothing: it rings no bell and consumes no item, it only looks (``qsize``) and
    waits on the channels' doorbells together (one Dask ``Event`` wait per channel, at once).
    """
    deadline = Deadline(timeout)
    while True:
        for channel in channels:
            channel._attach()
            channel._event(channel._bell, "clear")
        ready = [channel for channel in channels if channel.qsize() > 0]
        if ready or deadline.expired():
            return ready
        _ring_any(channels[0]._client, [channel._bell.name for channel in channels],
                  deadline.slice())


def _ring_any(client: Any, bells: list[str], wait: float) -> None:
    request(client, lambda limit: client.sync(_first_bell, client, bells, wait,
                                              callback_timeout=limit), wait)
