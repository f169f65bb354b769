"""What every pipe end made of two message channels has in common (threads, interpreters, the
cluster): ``closed``, ``readable``, ``writable``, its repr, and the checks that raise
multiprocessing's ``OSError`` before a call on a closed end or in a direction it lacks.

An end holds ``_inbox`` (``None``: it cannot receive), ``_outbox`` (``None``: it cannot send)
and ``_closed``.  A process end (``concurrent.processing.connection``) is multiprocessing's
``Connection`` instead.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["PipeEnd"]


class PipeEnd:
    """Mixin for a ``Connection`` over ``_inbox``/``_outbox`` channels."""

    __slots__ = ()
    _inbox: Any
    _outbox: Any
    _closed: bool

    def __repr__(self) -> str:
        state = "closed" if self._closed else (
            "duplex" if self.readable and self.writable else
            "read-only" if self.readable else "write-only")
        return f"<{type(self).__module__}.{type(self).__qualname__} {state}>"

    @property
    def closed(self) -> bool:
        """True once ``close()`` was called on this end."""
        return self._closed

    @property
    def readable(self) -> bool:
        """True if this end can receive."""
        return self._inbox is not None

    @property
    def writable(self) -> bool:
        """True if this end can send."""
        return self._outbox is not None

    def _check_open(self) -> None:
        if self._closed:
            raise OSError("handle is closed")

    def _check_readable(self) -> Any:
        """The inbox; ``OSError`` if this end is closed or cannot receive."""
        self._check_open()
        if self._inbox is None:
            raise OSError("connection is write-only")
        return self._inbox

    def _check_writable(self) -> Any:
        """The outbox; ``OSError`` if this end is closed or cannot send."""
        self._check_open()
        if self._outbox is None:
            raise OSError("connection is read-only")
        return self._outbox
