"""In-process connections: ``Pipe``, ``Listener``/``Client`` and ``wait`` between threads.

Threads share memory, so ``send`` passes the object itself, as ``multiprocessing.dummy`` and our
thread ``Queue`` do: the receiver gets the very object sent (not a copy), and nothing is pickled.
``send_bytes`` passes a whole ``bytes`` object as it is and copies anything else once.  The
errors are those of a process pipe: ``recv`` raises ``EOFError`` once the peer closed and nothing
is left, any call on a closed end raises ``OSError``, ``send`` to a closed peer raises
``BrokenPipeError``, and ``recv_bytes_into`` raises ``BufferTooShort`` holding the message.
Mixing the two kinds behaves as between processes: ``recv_bytes`` of a sent object returns its
pickle, and ``recv`` of sent bytes unpickles them.
"""

import collections
import hmac
import itertools
import pickle
import threading
import time
from collections.abc import Iterable
from multiprocessing import AuthenticationError

from concurrent._shared import _channels as _abc
from concurrent._shared._errors import BufferTooShort
from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.pipe_ends import PipeEnd
from concurrent._shared._machinery.timeouts import check_timeout

__all__ = ["AuthenticationError", "BufferTooShort", "Client", "Connection", "Listener", "Pipe",
           "default_family", "families", "wait"]

# One kind of address between threads: a name; the family argument is accepted and unused.
families = [None]
default_family = None


class _Channel:
    """One direction of a pipe: the messages in flight, its ends' open handles, and who waits.

    An end is closed once every handle on it is (a worker ``Process`` gets handles of its own,
    as a child process gets its own descriptors): ``writers == 0`` is end of file for the
    reader, ``readers == 0`` a broken pipe for the writer.
    """

    __slots__ = ("lock", "messages", "readable", "readers", "waiting", "watchers", "writers")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.readable = threading.Condition(self.lock)
        self.messages: collections.deque = collections.deque()
        self.writers = 0
        self.readers = 0
        self.waiting = 0  # readers blocked in readable.wait(): only they need a notify
        self.watchers: set[threading.Event] = set()

    @property
    def writer_closed(self) -> bool:
        return self.writers == 0

    def wake(self) -> None:
        # Called with self.lock held, after anything a reader waits for happened.
        if self.waiting:
            self.readable.notify_all()
        for watcher in self.watchers:
            watcher.set()


class _Bytes:
    """A ``send_bytes`` message, told apart from an object passed by ``send``."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


class Connection(PipeEnd, _abc.Connection):
    """One end of an in-process pipe; see the module docstring for what travels and its errors."""

    def __init__(self, inbox: _Channel | None, outbox: _Channel | None) -> None:
        self._inbox = inbox
        self._outbox = outbox
        self._closed = False
        for channel, count in ((inbox, "readers"), (outbox, "writers")):
            if channel is not None:
                with channel.lock:
                    setattr(channel, count, getattr(channel, count) + 1)

    def _duplicate(self) -> "Connection":
        """Another handle on the same end, closed independently (what a child process gets)."""
        self._check_open()
        return Connection(self._inbox, self._outbox)

    def send(self, obj) -> None:
        """Pass ``obj`` itself to the peer: threads share memory, so it is not copied or pickled."""
        outbox = self._outbox
        if self._closed or outbox is None:
            self._check_writable()
        with outbox.lock:
            if outbox.readers == 0:
                raise BrokenPipeError("the other end of the pipe is closed")
            outbox.messages.append(obj)
            if outbox.waiting or outbox.watchers:
                outbox.wake()

    def recv(self):
        """Receive the next object; ``EOFError`` once the peer closed and nothing is left."""
        inbox = self._inbox
        if self._closed or inbox is None:
            self._check_readable()
        message = self._take(inbox)
        if type(message) is _Bytes:
            return pickle.loads(message.data)
        return message

    def send_bytes(self, buf, offset: int = 0, size: int | None = None) -> None:
        """Send ``buf[offset:offset + size]`` (in bytes) of a bytes-like object as one message.

        A whole ``bytes`` object is passed as it is (it cannot change); anything else is copied
        once, so later changes to ``buf`` do not reach the receiver.
        """
        if self._closed or self._outbox is None:
            self._check_writable()
        if type(buf) is bytes and offset == 0 and size is None:
            data = buf
        else:
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
                    raise ValueError(
                        f"buffer length {length} < offset + size ({offset} + {size})")
                data = buf if type(buf) is bytes and size == length else bytes(
                    view[offset:offset + size])
        self.send(_Bytes(data))

    def recv_bytes(self, maxlength: int | None = None) -> bytes:
        """Receive one message as bytes; a message over ``maxlength`` raises ``OSError``."""
        if maxlength is not None and maxlength < 0:
            raise ValueError(f"maxlength is negative: {maxlength!r}")
        data = self._take_bytes()
        if maxlength is not None and len(data) > maxlength:
            self.close()
            raise OSError(f"bad message length: the message is longer than maxlength={maxlength}")
        return data

    def recv_bytes_into(self, buf, offset: int = 0) -> int:
        """Receive one message into ``buf`` at byte ``offset``; return its length in bytes.

        A message that does not fit raises ``BufferTooShort`` with the message as ``args[0]``.
        """
        self._check_readable()
        with memoryview(buf) as view:
            target = view.cast("B")
            if offset < 0:
                raise ValueError(f"offset is negative: {offset!r}")
            if offset > len(target):
                raise ValueError(f"offset {offset} is past the end of a {len(target)}-byte buffer")
            message = self._take_bytes()
            size = len(message)
            if offset + size > len(target):
                raise BufferTooShort(message)
            target[offset:offset + size] = message
            return size

    def poll(self, timeout: float | None = 0.0) -> bool:
        """True if a message (or end of file) is ready now or within ``timeout`` seconds
        (``None``: wait for it; a negative timeout does not wait, as ``poll(0)``)."""
        inbox = self._inbox
        if self._closed or inbox is None:
            self._check_readable()
        if inbox.messages or inbox.writer_closed:
            return True
        if timeout is not None and timeout <= 0:  # a negative timeout does not wait
            return False
        with inbox.lock:
            inbox.waiting += 1
            try:
                return bool(inbox.readable.wait_for(
                    lambda: inbox.messages or inbox.writer_closed or self._closed, timeout))
            finally:
                inbox.waiting -= 1

    def fileno(self) -> int:
        """In-process ends have no file descriptor: always ``OSError``."""
        self._check_open()
        raise OSError("an in-process connection has no file descriptor")

    def close(self) -> None:
        """Close this handle (idempotent); once every handle on this end is closed, the peer
        gets ``EOFError`` / ``BrokenPipeError``."""
        if self._closed:
            return
        self._closed = True
        if self._outbox is not None:
            with self._outbox.lock:
                self._outbox.writers -= 1
                self._outbox.wake()
        if self._inbox is not None:
            with self._inbox.lock:
                self._inbox.readers -= 1
                if self._inbox.readers == 0:
                    self._inbox.messages.clear()
                self._inbox.wake()

    def _take_bytes(self) -> bytes:
        message = self._take(self._check_readable())
        if type(message) is _Bytes:
            return message.data
        return pickle.dumps(message, pickle.HIGHEST_PROTOCOL)  # what a process pipe carries

    def _take(self, inbox: _Channel):
        """The next message of ``inbox`` (this end's), waiting for one; ``EOFError`` once the
        peer closed and nothing is left."""
        messages = inbox.messages
        if messages:  # tested first: a failed popleft costs an exception each time a reader waits
            try:
                return messages.popleft()  # atomic: no lock needed when one is there
            except IndexError:  # another handle on this end took it meanwhile
                pass
        with inbox.lock:
            while not messages:
                if inbox.writer_closed:
                    raise EOFError("the other end of the pipe is closed")
                inbox.waiting += 1
                try:
                    inbox.readable.wait()
                finally:
                    inbox.waiting -= 1
                if self._closed:
                    raise OSError("handle is closed")
            return messages.popleft()

    def _ready(self) -> bool:
        inbox = self._inbox
        return self._closed or inbox is None or bool(inbox.messages) or inbox.writer_closed


def Pipe(duplex: bool = True) -> tuple[Connection, Connection]:
    """Two connected ends; with ``duplex=False`` the first only receives, the second only sends."""
    forward = _Channel()
    if not duplex:
        return Connection(forward, None), Connection(None, forward)
    backward = _Channel()
    return Connection(backward, forward), Connection(forward, backward)


def wait(object_list: Iterable[Connection], timeout: float | None = None) -> list[Connection]:
    """Return the connections in ``object_list`` that are ready to read, waiting up to ``timeout``.

    A connection is ready when ``recv`` would not block: it has a message or its peer closed.
    """
    check_timeout(timeout)
    connections = list(object_list)
    for connection in connections:
        if not isinstance(connection, Connection):
            raise TypeError(f"wait() takes in-process connections, got {connection!r}")
    deadline = None if timeout is None else time.monotonic() + timeout
    watcher = threading.Event()
    inboxes = [c._inbox for c in connections if c._inbox is not None]
    for inbox in inboxes:
        with inbox.lock:
            inbox.watchers.add(watcher)
    try:
        while True:
            watcher.clear()
            ready = [c for c in connections if c._ready()]
            if ready:
                return ready
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return []
            watcher.wait(remaining)
    finally:
        for inbox in inboxes:
            with inbox.lock:
                inbox.watchers.discard(watcher)


_listeners: dict[str, "Listener"] = {}
_listeners_lock = threading.Lock()
_names = itertools.count(1)


class Listener:
    """Accepts ``Client`` connections made to its ``address`` (a name, within this process)."""

    def __init__(self, address: str | None = None, family: str | None = None, backlog: int = 1,
                 authkey: bytes | None = None) -> None:
        if authkey is not None and not isinstance(authkey, bytes):
            raise TypeError(f"authkey should be a bytes object, got {type(authkey).__name__}")
        if address is None:
            address = f"concurrent.threading-listener-{next(_names)}"
        elif not isinstance(address, str):
            raise TypeError(f"an in-process address is a str, got {address!r}")
        self._address = address
        self._authkey = authkey
        self._pending: collections.deque[Connection] = collections.deque()
        self._arrived = threading.Condition(threading.Lock())
        self._closed = False
        self.last_accepted: str | None = None
        with _listeners_lock:
            if address in _listeners:
                raise OSError(f"address {address!r} is already in use")
            _listeners[address] = self

    @property
    def address(self) -> str:
        """The name clients connect to."""
        return self._address

    def accept(self) -> Connection:
        """Wait for a client and return the connection to it."""
        with self._arrived:
            while not self._pending:
                if self._closed:
                    raise OSError("the listener is closed")
                self._arrived.wait()
            self.last_accepted = self._address
            return self._pending.popleft()

    def close(self) -> None:
        """Stop listening; pending and later ``Client`` calls fail."""
        with _listeners_lock:
            if _listeners.get(self._address) is self:
                del _listeners[self._address]
        with self._arrived:
            self._closed = True
            for connection in self._pending:
                connection.close()
            self._pending.clear()
            self._arrived.notify_all()

    def _connect(self, authkey: bytes | None) -> Connection:
        if self._authkey is not None and (
                authkey is None or not hmac.compare_digest(authkey, self._authkey)):
            raise AuthenticationError("digest received was wrong")
        ours, theirs = Pipe()
        with self._arrived:
            if self._closed:
                raise ConnectionRefusedError(f"no listener at {self._address!r}")
            self._pending.append(theirs)
            self._arrived.notify()
        return ours

    def __enter__(self) -> "Listener":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def Client(address: str, family: str | None = None, authkey: bytes | None = None) -> Connection:
    """Connect to the ``Listener`` at ``address``; ``ConnectionRefusedError`` if there is none."""
    with _listeners_lock:
        listener = _listeners.get(address)
    if listener is None:
        raise ConnectionRefusedError(f"no listener at {address!r}")
    return listener._connect(authkey)

__dir__ = public_dir(globals())
