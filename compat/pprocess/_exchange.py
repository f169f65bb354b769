"""pprocess's ``Exchange``: watch many channels at once, with an optional limit on processes.

``ready()`` waits on the channels' connections with ``concurrent.processing.connection.wait``
and reads one message ahead on each connection that is ready, so that a channel whose process
has ended (its connection at end-of-file) is removed instead of being reported as ready, as
pprocess removed channels that hung up.  A process that ended without closing its channel
died: the exchange raises ``ProcessLostError`` for it (``Map`` puts the error where its result
was due instead), so a caller waiting on the exchange never waits for it for ever.

Calls given to ``start``/``manage`` wait in a first-in, first-out queue while the exchange is
``busy()`` (``limit`` channels active) and start, in order, as channels finish; with ``reuse``
a finished channel's process gets the next call's arguments instead (see ``MakeReusable``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from compat.pprocess._channel import Channel, ProcessLostError
from compat.pprocess._processes import create_process, start_process
from compat.pprocess._warned import WarnedClass
from concurrent.processing.connection import wait as wait_for_connections

__all__ = ["Call", "Exchange"]


class Call(NamedTuple):
    """A call to run in a created process, queued until the exchange has room for it."""

    callable: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    tag: int | None = None  # Map: the index its result goes to
    address: str | None = None  # persistent exchanges: where the background process listens


def check_limit(limit: int | None) -> int | None:
    """``limit`` if it is a positive int or None; a clear error otherwise."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                              or limit < 1):
        raise ValueError(f"limit must be a positive number of processes, or None for no "
                         f"limit, not {limit!r}")
    return limit


class Exchange(metaclass=WarnedClass):
    """Channels to created processes, watched together; subclasses define ``store_data``.

    ``limit`` caps the active channels (``start`` queues calls beyond it); ``reuse`` gives a
    finished process the next queued call; ``continuous`` keeps channels that sent something
    (their processes send many times); ``autoclose`` closes and reaps removed channels.
    Timeouts (``ready``, ``store``) are in milliseconds, as pprocess's implementation took them.
    """

    __module__ = "compat.pprocess"
    _legacy_name = "Exchange"

    def __init__(self, channels: Iterable[Channel] | None = None, limit: int | None = None,
                 reuse: int = 0, continuous: int = 0, autoclose: int = 1) -> None:
        self.limit = check_limit(limit)
        self.reuse = reuse
        self.continuous = continuous
        self.autoclose = autoclose
        self._channels: list[Channel] = []
        self._waiting: deque[Call] = deque()
        self._lost: deque[ProcessLostError] = deque()
        for channel in channels or ():
            self.add(channel)

    # -- channels ---------------------------------------------------------------------------

    def add(self, channel: Channel) -> None:
        """Watch ``channel``."""
        if not isinstance(channel, Channel):
            raise TypeError(f"an exchange watches channels (from start(), create() or "
                            f"connect()), not {channel!r}")
        if channel not in self._channels:
            self._channels.append(channel)

    def active(self) -> list[Channel]:
        """The channels being watched."""
        return list(self._channels)

    def ready(self, timeout: float | None = None) -> list[Channel]:
        """The channels with something to receive, waiting up to ``timeout`` milliseconds.

        ``None`` waits until one is ready (or all have ended); 0 only looks.  Channels whose
        process has ended are removed on the way; one that died raises ``ProcessLostError``.
        """
        self._raise_lost()
        for channel in [channel for channel in self._channels if channel.closed]:
            self._end(channel)  # closed by the creator: nothing more can come through it
        ready = [channel for channel in self._channels if channel._has_pending]
        idle = [channel for channel in self._channels if not channel._has_pending]
        if idle:
            seconds = 0 if ready else None if timeout is None else max(timeout, 0) / 1000
            for channel in wait_for_connections(idle, seconds):
                if channel._read_ahead():
                    ready.append(channel)
                else:
                    self._end(channel)
        self._raise_lost()
        return [channel for channel in self._channels if channel in ready]

    def remove(self, channel: Channel) -> None:
        """Stop watching ``channel``; with ``autoclose``, close it and reap its process."""
        if channel not in self._channels:
            raise ValueError(f"{channel!r} is not watched by this exchange")
        self._channels.remove(channel)
        if self.autoclose:
            channel.close()
            channel._exitcode()

    def _end(self, channel: Channel) -> None:
        clean = channel._ended_cleanly
        if channel in self._channels:
            self.remove(channel)
        self._channel_ended(channel, clean)

    def _channel_ended(self, channel: Channel, clean: bool) -> None:
        if not clean:  # raised by ready(), one at a time, so that none is lost
            self._lost.append(channel._lost_error("before it finished"))

    def _raise_lost(self) -> None:
        if self._lost:
            raise self._lost.popleft()

    # -- limits -----------------------------------------------------------------------------

    def unfinished(self) -> bool:
        """Whether calls are still running or queued."""
        return bool(self._channels or self._waiting)

    def busy(self) -> bool:
        """Whether the exchange has as many active channels as its ``limit`` allows."""
        return self.limit is not None and len(self._channels) >= self.limit

    def add_wait(self, channel: Channel) -> None:
        """Add ``channel`` once the exchange is below its limit (storing data meanwhile)."""
        self.wait()
        self.add(channel)

    def wait(self) -> None:
        """Store incoming data until the exchange is below its limit."""
        while self.busy():
            self.store()

    def finish(self) -> None:
        """Store incoming data until every call has run and every channel has ended."""
        while self.unfinished():
            self.store()

    def store(self, timeout: float | None = None) -> None:
        """Pass each ready channel to ``store_data`` (waiting up to ``timeout`` ms for one)."""
        if self._channels:
            for channel in self.ready(timeout):
                self.store_data(channel)
                self.start_waiting(channel)
        self._start_queued()

    def store_data(self, channel: Channel) -> None:
        """Receive from ``channel`` and keep what arrived: the hook subclasses define."""
        raise NotImplementedError(f"{type(self).__name__} has no store_data(channel): define it "
                                  f"in a subclass of Exchange to receive what channels send, "
                                  f"or use Map or Queue, which define it")

    # -- queued calls -----------------------------------------------------------------------

    def start_waiting(self, channel: Channel) -> None:
        """After data from ``channel``: give its process the next call if reusing processes."""
        if self._waiting and not self.continuous:
            if not self.reuse:
                return  # _start_queued starts it in a new process when there is room
            call = self._waiting.popleft()
            self._assign(channel, call)
            try:
                channel.send((call.args, call.kwargs))
            except ProcessLostError:  # it died: the call runs elsewhere, ready() reports it
                self._unassign(channel)
                self._waiting.appendleft(call)
        elif self.reuse:
            try:
                channel.send(None)  # MakeReusable's signal to return
            except ProcessLostError:
                pass  # ready() reports the death when it reads the end of the channel

    def _start_queued(self) -> None:
        while self._waiting and not self.busy():
            self._dispatch(self._waiting.popleft())

    def _dispatch(self, call: Call) -> None:
        try:
            channel = self._launch(call)
        except BaseException as error:
            self._launch_failed(call, error)
            raise
        if channel is not None:
            self._assign(channel, call)
            self.add(channel)

    def _launch(self, call: Call) -> Channel | None:
        return start_process(call.callable, *call.args, **call.kwargs)

    # Hooks through which Map ties results to the calls that produce them.
    def _reserve(self) -> int | None:
        return None

    def _assign(self, channel: Channel, call: Call) -> None:
        pass

    def _unassign(self, channel: Channel) -> None:
        pass

    def _launch_failed(self, call: Call, error: BaseException) -> None:
        pass

    # -- convenience --------------------------------------------------------------------------

    def start(self, callable: Callable[..., Any], *args: Any, **kw: Any) -> None:
        """Run ``callable(channel, *args, **kw)`` in a new process watched by this exchange.

        When the exchange is busy the call waits its turn, in order, and this returns at once.
        """
        self._waiting.append(Call(callable, args, kw, self._reserve()))
        self._start_queued()

    def create(self) -> Channel | None:
        """Fork (once below the limit): the created process gets its channel, the creator None."""
        tag = self._reserve()
        self.wait()
        channel = create_process()
        if channel.pid == 0:
            return channel
        self._assign(channel, Call(create_process, (), {}, tag))
        self.add(channel)
        return None

    def manage(self, callable: Callable[..., Any]) -> Callable[..., None]:
        """A function that runs ``callable(channel, *args, **kw)`` through this exchange."""
        return _Managed(self, callable)


class _Managed:
    """What ``Exchange.manage`` returns: calling it starts the callable through the exchange."""

    def __init__(self, exchange: Exchange, callable: Callable[..., Any]) -> None:
        self.exchange = exchange
        self.callable = callable

    def __call__(self, *args: Any, **kw: Any) -> None:
        self.exchange.start(self.callable, *args, **kw)

    def __repr__(self) -> str:
        return f"<managed {self.callable!r} of {self.exchange!r}>"
