"""Pipes and listeners between workers of the cluster, on Dask ``Queue``\\ s.

``Pipe()`` is two channels (``_store.Channel``, each a Dask ``Queue``), one per direction; an
end can be handed to any ``Process`` or pool task, and it attaches to the same channels there.
What travels is a copy (an object that cannot be pickled fails in ``send``), and everything goes
through the scheduler, so a pipe suits messages, not bulk data (scatter that with Dask).

``close()`` sends an end-of-file marker: the peer's ``recv`` raises ``EOFError`` once it has
taken what came before.  It also flags the channel it read from as closed, so the peer's next
``send`` raises ``BrokenPipeError``, as with a process pipe (``send`` puts the message, rings the
bell and reads that flag in one round trip).  An end has no file descriptor, so ``wait()``
takes only these connections.  ``poll`` takes the next message into the end's buffer, so an
end is used by one worker at a time (pickling it carries its buffer along).

``wait()`` watches several ends at once: it looks at each channel and waits on their doorbells
(Dask ``Event``\\ s) together.  ``Listener``/``Client`` meet through a name: the listener's
address.  With an ``authkey`` the listener sends a random challenge and accepts the client only
if it answers with the HMAC of it under the same key.
"""

from __future__ import annotations

import collections
import enum
import hmac
import os
import pickle
from collections.abc import Iterable
from typing import Any

from concurrent._shared import _channels as _abc
from concurrent._shared._errors import BufferTooShort
from concurrent._shared._machinery.exports import public_dir, publish
from concurrent._shared._machinery.pipe_ends import PipeEnd
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent.distributed import _cluster
from concurrent.distributed._calls import request
from concurrent.distributed._store import Channel, new_name, wait_any

__all__ = ["Client", "Connection", "Listener", "Pipe", "wait"]


class Kind(enum.Enum):
    """What a message on a pipe channel is."""

    OBJECT = "object"  # sent by send(): the object itself
    BYTES = "bytes"  # sent by send_bytes(): a bytes payload
    EOF = "eof"  # the sender closed its end


class Connection(PipeEnd, _abc.Connection):
    """One end of a cluster pipe (see the module docstring)."""

    def __init__(self, inbox: Channel | None, outbox: Channel | None) -> None:
        self._inbox, self._outbox = inbox, outbox
        self._buffer: collections.deque = collections.deque()
        self._closed = False

    def __getstate__(self):
        if self._closed:
            raise OSError("cannot send a closed connection")
        return self._inbox, self._outbox, list(self._buffer)

    def __setstate__(self, state) -> None:
        self._inbox, self._outbox, buffered = state
        self._buffer = collections.deque(buffered)
        self._closed = False

    # -- sending --------------------------------------------------------------------------
    def send(self, obj: Any) -> None:
        """Send a copy of ``obj`` (it must be picklable); ``BrokenPipeError`` if the other end
        was closed."""
        self._check_writable().send((Kind.OBJECT, obj))

    def send_bytes(self, buf: Any, offset: int = 0, size: int | None = None) -> None:
        outbox = self._check_writable()
        with memoryview(buf) as view:
            view = view.cast("B")
            length = len(view)
            if offset < 0:
                raise ValueError(f"offset is negative: {offset!r}")
            if length < offset:
                raise ValueError(f"buffer length {length} < offset {offset}")
            if size is None:
                size = length - offset
            elif size < 0:
                raise ValueError(f"size is negative: {size!r}")
            elif offset + size > length:
                raise ValueError(f"buffer length {length} < offset + size ({offset} + {size})")
            data = bytes(view[offset:offset + size])
        outbox.send((Kind.BYTES, data))

    # -- receiving ------------------------------------------------------------------------
    def _next(self) -> tuple[Kind, Any]:
        inbox = self._check_readable()
        if self._buffer:
            kind, payload = self._buffer[0]
            if kind is not Kind.EOF:
                self._buffer.popleft()
        else:
            kind, payload = inbox.get(None)[1]
            if kind is Kind.EOF:
                self._buffer.append((kind, payload))
        if kind is Kind.EOF:
            raise EOFError("the other end of the pipe is closed")
        return kind, payload

    def recv(self) -> Any:
        kind, payload = self._next()
        return pickle.loads(payload) if kind is Kind.BYTES else payload

    def _next_bytes(self) -> bytes:
        kind, payload = self._next()
        return payload if kind is Kind.BYTES else pickle.dumps(payload, pickle.HIGHEST_PROTOCOL)

    def recv_bytes(self, maxlength: int | None = None) -> bytes:
        if maxlength is not None and maxlength < 0:
            raise ValueError(f"maxlength is negative: {maxlength!r}")
        data = self._next_bytes()
        if maxlength is not None and len(data) > maxlength:
            self.close()
            raise OSError(f"bad message length: the message is longer than maxlength={maxlength}")
        return data

    def recv_bytes_into(self, buf: Any, offset: int = 0) -> int:
        self._check_readable()
        with memoryview(buf) as view:
            target = view.cast("B")
            if offset < 0:
                raise ValueError(f"offset is negative: {offset!r}")
            if offset > len(target):
                raise ValueError(f"offset {offset} is past the end of a {len(target)}-byte buffer")
            message = self._next_bytes()
            if offset + len(message) > len(target):
                raise BufferTooShort(message)
            target[offset:offset + len(message)] = message
            return len(message)

    def poll(self, timeout: float | None = 0.0) -> bool:
        """True if a message is ready now or within ``timeout`` seconds (``None``: wait for
        it; a negative timeout does not wait, as ``poll(0)``)."""
        inbox = self._check_readable()
        if self._buffer:
            return True
        found, message = inbox.get(None if timeout is None else max(timeout, 0.0))
        if found:
            self._buffer.append(message)
        return found

    def fileno(self) -> int:
        """A cluster pipe has no file descriptor: always ``OSError``."""
        self._check_readable() if self._inbox is not None else self._check_writable()
        raise OSError("a cluster connection has no file descriptor")

    def close(self) -> None:
        """Close this end (again: no effect); the peer's ``recv`` then raises ``EOFError`` and
        its ``send`` raises ``BrokenPipeError``."""
        if self._closed:
            return
        self._closed = True
        if self._outbox is not None:
            try:
                self._outbox.send((Kind.EOF, None))
            except BrokenPipeError:  # the peer closed first: it reads nothing more
                pass
        if self._inbox is not None:
            self._inbox.close_reading()

    def _ready(self) -> bool:
        return self._closed or bool(self._buffer)


def Pipe(duplex: bool = True) -> tuple[Connection, Connection]:
    """Two connected ends; with ``duplex=False`` the first only receives, the second sends."""
    forward = Channel()
    if not duplex:
        return Connection(forward, None), Connection(None, forward)
    backward = Channel()
    return Connection(backward, forward), Connection(forward, backward)


def wait(object_list: Iterable[Connection], timeout: float | None = None) -> list[Connection]:
    """The ends of ``object_list`` that ``recv`` would not block on, waiting up to ``timeout``."""
    check_timeout(timeout)
    connections = list(object_list)
    for connection in connections:
        if not isinstance(connection, Connection):
            raise TypeError(f"wait() takes concurrent.distributed connections, "
                            f"got {connection!r}")
    ready = [c for c in connections if c._ready()]
    readable = [c for c in connections if c._inbox is not None and not c._ready()]
    if ready or not readable:
        return ready
    channels = wait_any([c._inbox for c in readable], timeout)
    return [c for c in readable if c._inbox in channels]


# -- Listener / Client -------------------------------------------------------------------------

_WELCOME, _FAILURE = b"#WELCOME#", b"#FAILURE#"


def _registry(address: str) -> Any:
    from distributed import Variable

    return Variable("concurrent-listener-open:" + address, _cluster.client())


class Listener:
    """Accepts ``Client`` connections made from anywhere in the cluster to its ``address``."""

    def __init__(self, address: str | None = None, family: str | None = None, backlog: int = 1,
                 authkey: bytes | None = None) -> None:
        if authkey is not None and not isinstance(authkey, bytes):
            raise TypeError(f"authkey should be a bytes object, got {type(authkey).__name__}")
        if address is None:
            address = new_name("listener")
        elif not isinstance(address, str):
            raise TypeError(f"a cluster address is a str, got {address!r}")
        self._address, self._authkey = address, authkey
        self._requests = Channel(name="concurrent-listener:" + address)
        self._requests._attach()
        self._closed = False
        self.last_accepted: str | None = None
        registry = _registry(address)
        request(registry.client, lambda limit: registry.set([authkey is not None],
                                                            callback_timeout=limit))

    @property
    def address(self) -> str:
        return self._address

    def accept(self) -> Connection:
        """Wait for a client; with an ``authkey``, accept it only if it proves it has the key."""
        if self._closed:
            raise OSError("the listener is closed")
        connection = self._requests.get(None)[1]
        if self._authkey is not None:
            challenge = os.urandom(32)
            connection.send_bytes(challenge)
            answer = connection.recv_bytes(256)
            expected = hmac.new(self._authkey, challenge, "sha256").digest()
            if not hmac.compare_digest(answer, expected):
                connection.send_bytes(_FAILURE)
                from multiprocessing import AuthenticationError

                raise AuthenticationError("digest received was wrong")
            connection.send_bytes(_WELCOME)
        self.last_accepted = self._address
        return connection

    def close(self) -> None:
        """Stop listening: later ``Client`` calls are refused."""
        if not self._closed:
            self._closed = True
            _registry(self._address).delete()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def Client(address: str, family: str | None = None,
           authkey: bytes | None = None) -> Connection:
    """Connect to the ``Listener`` at ``address``; ``ConnectionRefusedError`` if there is none."""
    registry = _registry(address)
    try:
        needs_key = request(registry.client, lambda limit: registry.get(
            timeout=0, callback_timeout=limit))[0]
    except TimeoutError:
        raise ConnectionRefusedError(f"no listener at {address!r}") from None
    ours, theirs = Pipe()
    Channel(name="concurrent-listener:" + address).put(theirs)
    if needs_key:
        from multiprocessing import AuthenticationError

        if authkey is None:
            ours.close()
            raise AuthenticationError(f"the listener at {address!r} requires an authkey")
        challenge = ours.recv_bytes(256)
        ours.send_bytes(hmac.new(authkey, challenge, "sha256").digest())
        if ours.recv_bytes(256) != _WELCOME:
            ours.close()
            raise AuthenticationError("digest sent was rejected")
    return ours


publish("concurrent.distributed.connection", globals(), __all__)

__dir__ = public_dir(globals())
