"""Exchanges that collect results: ``Map`` (in call order), ``Queue`` (in arrival order).

Also the wrappers that make plain functions fit them: ``MakeParallel`` sends a function's return
value through the channel, ``MakeReusable`` keeps doing so for each new set of arguments it
receives until it receives ``None``.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from compat.pprocess._channel import Channel
from compat.pprocess._exchange import Call, Exchange
from compat.pprocess._warned import WarnedClass, quietly

__all__ = ["Failure", "MakeParallel", "MakeReusable", "Map", "Queue", "unwrap"]


class MakeParallel(metaclass=WarnedClass):
    """``callable`` made channel-aware: called with a channel first, it sends its result."""

    __module__ = "compat.pprocess"
    _legacy_name = "MakeParallel"

    def __init__(self, callable: Callable[..., Any]) -> None:
        if not _is_callable(callable):
            raise TypeError(f"{type(self).__name__} wraps a function to run in another process; "
                            f"{callable!r} is not callable")
        self.callable = callable

    def __call__(self, channel: Channel, *args: Any, **kw: Any) -> None:
        channel.send(self.callable(*args, **kw))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.callable!r})"


class MakeReusable(MakeParallel):
    """Like ``MakeParallel``, then ``(args, kw)`` pairs from the channel until ``None`` comes."""

    __module__ = "compat.pprocess"
    _legacy_name = "MakeReusable"

    def __call__(self, channel: Channel, *args: Any, **kw: Any) -> None:
        channel.send(self.callable(*args, **kw))
        while (request := channel.receive()) is not None:
            args, kw = request
            channel.send(self.callable(*args, **kw))


def _is_callable(obj: object) -> bool:
    return callable(obj)


class _Slot(enum.Enum):
    PENDING = "pending"  # the result has not arrived yet


class Failure(NamedTuple):
    """A result that is an error: raised where the result would have been returned."""

    error: BaseException


def unwrap(value: Any) -> Any:
    """``value``, or raise the error it stands for."""
    if isinstance(value, Failure):
        raise value.error
    return value


class Map(Exchange):
    """An exchange whose results come out in the order of the calls that produce them.

    Iterate over it, or index and slice it, as the result of the built-in ``map``; either waits
    for the results it needs.  A call whose process raised or died yields its error in its
    place: iterating or indexing raises it there, and the other results stay available.
    """

    __module__ = "compat.pprocess"
    _legacy_name = "Map"

    def __init__(self, channels: Iterable[Channel] | None = None, limit: int | None = None,
                 reuse: int = 0, continuous: int = 0, autoclose: int = 1) -> None:
        self._reset()
        super().__init__(channels, limit, reuse, continuous, autoclose)

    def _reset(self) -> None:
        self._results: list[Any] = []
        self._slots: dict[Channel, int] = {}  # channel -> index of the result it owes
        self._index = 0

    # -- tying results to calls (Exchange's hooks) -------------------------------------------

    def _reserve(self) -> int:
        self._results.append(_Slot.PENDING)
        return len(self._results) - 1

    def _assign(self, channel: Channel, call: Call) -> None:
        self._slots[channel] = call.tag

    def _unassign(self, channel: Channel) -> None:
        self._slots.pop(channel, None)

    def _launch_failed(self, call: Call, error: BaseException) -> None:
        self._results[call.tag] = Failure(error)

    def add(self, channel: Channel) -> None:
        """Watch ``channel``; its result comes after those of the calls started before."""
        super().add(channel)
        if channel not in self._slots:
            self._slots[channel] = self._reserve()

    def _channel_ended(self, channel: Channel, clean: bool) -> None:
        index = self._slots.pop(channel, None)
        if index is not None:
            self._results[index] = Failure(channel._lost_error("before it sent its result",
                                                              closed=clean))

    def store_data(self, channel: Channel) -> None:
        """Receive ``channel``'s result into its place."""
        index = self._slots.pop(channel, None)
        if index is None:  # a continuous channel sending again: its results come last
            index = self._reserve()
        try:
            self._results[index] = channel.receive()
        except Exception as error:  # raised when its place is reached
            self._results[index] = Failure(error)

    # -- map-like use -----------------------------------------------------------------------

    def __call__(self, callable: Callable[..., Any], sequence: Iterable[Any]) -> Map:
        """Start ``callable(item)`` for each item, each in its own process; return ``self``."""
        if self.unfinished():
            raise RuntimeError("this Map still has calls running; finish() it (or iterate "
                               "over it) before calling it again")
        wrapped = callable if isinstance(callable, MakeParallel) else \
            quietly(MakeParallel, callable)
        self._reset()
        for item in sequence:
            self.start(wrapped, item)
        return self

    def __iter__(self) -> Map:
        return self

    def __next__(self) -> Any:
        while True:
            if self._index >= len(self._results):
                self.finish()  # ends the processes, and a continuous channel may add results
                if self._index >= len(self._results):
                    raise StopIteration
                continue
            value = self._results[self._index]
            if value is not _Slot.PENDING:
                self._index += 1
                self._settle()
                return unwrap(value)
            self._store_for(self._index)

    def __getitem__(self, index: int | slice) -> Any:
        while True:
            try:
                values = self._results[index]
            except IndexError:
                if not self.unfinished():
                    raise IndexError(f"Map index {index} out of range: "
                                     f"{len(self._results)} results") from None
                self.store()
                continue
            if not isinstance(index, slice):
                if values is not _Slot.PENDING:
                    self._settle()
                    return unwrap(values)
            elif _Slot.PENDING not in values:
                self._settle()
                return [unwrap(value) for value in values]
            self._store_for(index)

    def _settle(self) -> None:
        # Every result is in: the channels left have all delivered and are ending, so let them
        # end now (a forked process is reaped only when its channel leaves the exchange).
        if not self.continuous and self.unfinished() and _Slot.PENDING not in self._results:
            self.finish()

    def _store_for(self, index: int | slice) -> None:
        if not self.unfinished():
            raise RuntimeError(f"the result at {index} will never arrive: its channel was "
                               f"removed from the Map before it sent it")
        self.store()


class Queue(Exchange):
    """An exchange whose results come out in the order they arrive; iterate over it."""

    __module__ = "compat.pprocess"
    _legacy_name = "Queue"

    def __init__(self, channels: Iterable[Channel] | None = None, limit: int | None = None,
                 reuse: int = 0, continuous: int = 0, autoclose: int = 1) -> None:
        self._queue: deque[Any] = deque()
        super().__init__(channels, limit, reuse, continuous, autoclose)

    def store_data(self, channel: Channel) -> None:
        """Receive from ``channel`` onto the end of the queue."""
        self._queue.append(channel.receive())

    def __iter__(self) -> Queue:
        return self

    def __next__(self) -> Any:
        while not self._queue:
            if not self.unfinished():
                raise StopIteration
            self.store()
        return self._queue.popleft()

    def __len__(self) -> int:
        """How many results have arrived and not been taken yet."""
        return len(self._queue)
