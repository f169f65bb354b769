"""The connection interface: one end of a pipe (``Pipe()``) or of a ``Listener``/``Client`` link."""

from abc import ABC, abstractmethod

from concurrent._shared._machinery.exports import publish

__all__ = ["Connection"]


class Connection(ABC):
    """Messages between two ends.

    ``send``/``recv`` move objects (between processes the receiver gets a copy and an
    unpicklable object fails in ``send``; between threads the object itself is passed);
    ``send_bytes``/``recv_bytes`` move raw bytes.  ``recv`` raises
    ``EOFError`` once the other end is closed and nothing is left; every call on a closed end
    raises ``OSError``, as do ``recv`` on a write-only end and ``send`` on a read-only one.
    Attributes: ``closed``, ``readable``, ``writable``.  ``Pipe(duplex=True)`` returns two ends;
    with ``duplex=False`` the first only receives and the second only sends.
    """

    __slots__ = ()

    @abstractmethod
    def send(self, obj) -> None:
        """Send a picklable object."""

    @abstractmethod
    def recv(self):
        """Receive an object sent with ``send``; ``EOFError`` when nothing more can come."""

    @abstractmethod
    def send_bytes(self, buf, offset: int = 0, size: int | None = None) -> None:
        """Send ``buf[offset:offset + size]`` of a bytes-like object as one message.

        ``ValueError`` for a negative ``offset`` or ``size``, or a range past the buffer's end.
        """

    @abstractmethod
    def recv_bytes(self, maxlength: int | None = None) -> bytes:
        """Receive one message as bytes.

        ``OSError`` if it is longer than ``maxlength`` (the connection is then closed);
        ``EOFError`` once the peer closed and nothing is left.
        """

    @abstractmethod
    def recv_bytes_into(self, buf, offset: int = 0) -> int:
        """Receive one message into ``buf`` at byte ``offset``; return its length in bytes.

        Raises ``BufferTooShort`` (``args[0]`` holds the message) if it does not fit, and
        ``ValueError`` for an offset outside the buffer.
        """

    @abstractmethod
    def poll(self, timeout: float | None = 0.0) -> bool:
        """True if there is data to read now or within ``timeout`` (``None`` waits forever).

        A closed peer counts as data (``recv`` would raise ``EOFError`` at once); a negative
        timeout does not wait, as in multiprocessing.
        """

    @abstractmethod
    def close(self) -> None:
        """Close this end (again: no effect); the peer's ``recv`` then raises ``EOFError``."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


publish("concurrent._shared", globals(), __all__)
