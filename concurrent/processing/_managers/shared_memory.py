"""The server of a ``SharedMemoryManager``: our hardened ``Server`` that also owns segments.

A client creates each ``SharedMemory`` block itself (it must map it anyway) and asks the server
to track its name (``track_segment``); the server unlinks every block it tracks when it is shut
down, so the blocks live exactly as long as the manager, as multiprocessing documents.  The
requests are multiprocessing's (``track_segment``, ``release_segment``, ``list_segments``), so
its clients work with this server and ours with its server.

Unlinking does not map the block again (multiprocessing's server opens each block to unlink it):
it is ``shm_unlink`` and the resource tracker's unregistration (``_datapath.segments``), and a
block someone already unlinked is skipped instead of failing the shutdown.

Each block is recorded once per resource tracker, and removed by whoever unlinks it.  A manager
that ``start()`` started shares the tracker of the program that started it, so the server's
record of a block is the client's own, and a block is never reported as leaked.  A server in
another program has its own tracker: it records the block there (it is unlinked even if the
server is killed), and our client drops its own record of the block (``SharedMemoryManager``),
so that the client's exit neither unlinks a block the server still owns nor warns about it.
"""

from __future__ import annotations

import threading
from multiprocessing import resource_tracker
from typing import Any

from concurrent._shared._machinery.exports import publish
from concurrent.processing._datapath.segments import unlink_segment
from concurrent.processing._managers.channel import identity
from concurrent.processing._managers.server import Server

__all__ = ["SharedMemoryServer"]


class _SegmentTracker:
    """The names of the blocks one server owns, in the order they were tracked.

    Its methods are those of multiprocessing's tracker, which a proxy type marked
    ``_shared_memory_proxy`` receives as ``shared_memory_context``.
    """

    def __init__(self) -> None:
        self._names: list[str] = []
        self._lock = threading.Lock()  # each client connection has its own thread

    @property
    def segment_names(self) -> list[str]:
        with self._lock:
            return list(self._names)

    def register_segment(self, segment_name: str) -> None:
        """Own the block: record it here and with this process's resource tracker, so that it
        is unlinked even if this server is killed.  (When the client that made the block shares
        that tracker, as a manager's ``start()`` arranges, the record is the client's own.)"""
        resource_tracker.register("/" + segment_name, "shared_memory")
        with self._lock:
            self._names.append(segment_name)

    def destroy_segment(self, segment_name: str) -> None:
        """Unlink the block now and forget it."""
        with self._lock:
            try:
                self._names.remove(segment_name)
            except ValueError:
                raise ValueError(f"this manager does not track a segment named "
                                 f"{segment_name!r}; see list_segments()") from None
        unlink_segment(segment_name)

    def unlink(self) -> None:
        """Unlink every block (those someone already unlinked are skipped)."""
        with self._lock:
            names, self._names = self._names, []
        for name in names:
            unlink_segment(name)


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name or "/" in name.lstrip("/"):
        raise ValueError(f"a segment name is a non-empty string without '/', not {name!r}")
    return name.lstrip("/")


class SharedMemoryServer(Server):
    """A manager server that tracks ``SharedMemory`` blocks and unlinks them at shutdown."""

    public = [*Server.public, "track_segment", "release_segment", "list_segments"]

    def __init__(self, *args: Any, **kwds: Any) -> None:
        super().__init__(*args, **kwds)
        self._segments = _SegmentTracker()

    def create(self, c: Any, typeid: str, /, *args: Any, **kwds: Any) -> Any:
        """Create a shared object; a proxy type marked ``_shared_memory_proxy`` (the hook of
        multiprocessing's server) gets the segment tracker as ``shared_memory_context``."""
        if hasattr(self.registry[typeid][-1], "_shared_memory_proxy"):
            kwds["shared_memory_context"] = self._segments
        return super().create(c, typeid, *args, **kwds)

    def track_segment(self, c: Any, segment_name: str) -> Any:
        """Own the block ``segment_name``: unlink it when this server shuts down.  Returns this
        process's channel identity: a client whose resource tracker differs hands the block's
        record over (``SharedMemoryManager``), multiprocessing's client ignores it."""
        self._segments.register_segment(_check_name(segment_name))
        return identity()

    def release_segment(self, c: Any, segment_name: str) -> None:
        """Unlink the tracked block ``segment_name`` now and stop tracking it."""
        self._segments.destroy_segment(_check_name(segment_name))

    def list_segments(self, c: Any) -> list[str]:
        """The names of the blocks this server tracks."""
        return self._segments.segment_names

    def shutdown(self, c: Any) -> None:
        """Unlink every tracked block, then stop serving."""
        self._segments.unlink()
        return super().shutdown(c)

    def serve_forever(self) -> None:
        """Serve until stopped; however it stops, the tracked blocks are unlinked."""
        try:
            super().serve_forever()
        finally:
            self._segments.unlink()


publish("concurrent.processing.managers", globals(), __all__)
