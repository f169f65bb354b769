"""Nameless segments (memfds) that carry a ``Pipe``'s large buffers, reused once received.

A fresh segment costs its page faults: creating and populating 128 MB took 128 ms here, against
16 ms to copy 128 MB into pages already touched.  So the sending process keeps the memfds it
made (``SENT``), and each one starts with a state word.  The sender marks a segment
``IN_FLIGHT`` before it hands a duplicate of its descriptor over the socket; the receiver marks
it ``FREE`` when the last view of what it read dies (``open_received``); the next large send
copies into a free segment's warm pages instead of faulting in new ones; the receiving process
keeps its mappings too (``RECEIVED``), so a segment that comes again is not mapped again.

Nothing is named, so nothing is tracked or left behind: a segment lives while a descriptor or
a mapping of it does, whichever end dies.  The sender forgets a segment (closes its descriptor,
drops its mapping) past ``MAX_KEPT`` segments, or when the free ones hold more than
``MAX_IDLE_BYTES``.  A forked child starts with none: its parent's segments stay its parent's.
"""

from __future__ import annotations

import ctypes
import itertools
import mmap
import os
import struct
import threading
import weakref

from concurrent.processing._datapath.segments import create_anonymous, map_descriptor

__all__ = ["HEADER", "RECEIVED", "SENT", "ReceivedSegments", "SentSegments", "open_received"]

HEADER = 64  # the state word, padded so that the data stays 64-byte aligned
FREE, IN_FLIGHT = 0, 1
_STATE = struct.Struct("=q")
MAX_KEPT = 8
MAX_IDLE_BYTES = 512 << 20
_ROUND = 1 << 20  # capacities are whole MiB, so near sizes share segments


class _Segment:
    __slots__ = ("capacity", "fd", "key", "mapping")

    def __init__(self, key: str, fd: int, mapping: mmap.mmap, capacity: int) -> None:
        self.key, self.fd, self.mapping, self.capacity = key, fd, mapping, capacity

    def is_free(self) -> bool:
        return _STATE.unpack_from(self.mapping, 0)[0] == FREE

    def mark(self, state: int) -> None:
        _STATE.pack_into(self.mapping, 0, state)

    def forget(self) -> None:
        """Close this process's descriptor; the mapping goes with its last view."""
        os.close(self.fd)


class SentSegments:
    """The segments this process sent large buffers in, least recently used first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: list[_Segment] = []
        self._keys = itertools.count()

    def take(self, size: int) -> tuple[str, int, mmap.mmap, int]:
        """A segment with room for ``size`` data bytes after ``HEADER``, marked in flight.

        Returns ``(key, descriptor, mapping, capacity)``; the descriptor is a duplicate for the
        caller to send and close.  ``release(key)`` frees it if the send fails.
        """
        with self._lock:
            chosen = None
            for segment in self._kept:
                if (size <= segment.capacity <= max(4 * size, _ROUND) and segment.is_free()
                        and (chosen is None or segment.capacity < chosen.capacity)):
                    chosen = segment
            if chosen is None:
                capacity = -(-size // _ROUND) * _ROUND
                fd, mapping = create_anonymous(HEADER + capacity)
                chosen = _Segment(f"m{next(self._keys)}", fd, mapping, capacity)
                if capacity > MAX_IDLE_BYTES:  # used once: it would stay idle past the budget
                    return chosen.key, fd, mapping, capacity
            else:
                self._kept.remove(chosen)
            chosen.mark(IN_FLIGHT)
            self._kept.append(chosen)
            self._trim()
            return chosen.key, os.dup(chosen.fd), chosen.mapping, chosen.capacity

    def _trim(self) -> None:
        """Forget the oldest segments past ``MAX_KEPT``, and free ones past ``MAX_IDLE_BYTES``
        (never the one just taken, which is last)."""
        while len(self._kept) > MAX_KEPT:
            self._kept.pop(0).forget()
        idle = sum(segment.capacity for segment in self._kept[:-1] if segment.is_free())
        for segment in list(self._kept[:-1]):
            if idle <= MAX_IDLE_BYTES:
                break
            if segment.is_free():
                idle -= segment.capacity
                self._kept.remove(segment)
                segment.forget()

    def release(self, key: str) -> None:
        """The payload sent in segment ``key`` will never be read: free the segment."""
        with self._lock:
            for segment in self._kept:
                if segment.key == key:
                    segment.mark(FREE)
                    return

    def forget_all(self) -> None:
        """Close every descriptor kept (a forked child's copies of its parent's)."""
        self._lock = threading.Lock()
        kept, self._kept = self._kept, []
        for segment in kept:
            segment.forget()


class ReceivedSegments:
    """This process's mappings of the segments it received, least recently used first.

    A sender reuses its segments, so the same few arrive again and again (as new descriptors
    of the same file): mapping and populating 128 MB anew took 23 ms here, more than the copy
    into it.  Kept mappings keep their segments alive, so at most ``MAX_KEPT`` of them, of at
    most ``MAX_IDLE_BYTES`` in all, are kept.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._mapped: dict[tuple[int, int], mmap.mmap] = {}

    def map(self, fd: int, length: int) -> mmap.mmap:
        """A mapping of the first ``length`` bytes of the segment behind ``fd`` (closed)."""
        status = os.fstat(fd)
        file = (status.st_dev, status.st_ino)  # kept mappings keep their inode numbers taken
        with self._lock:
            mapping = self._mapped.pop(file, None)
            if mapping is None or len(mapping) != length:
                mapping = map_descriptor(fd, length)
            else:
                os.close(fd)
            self._mapped[file] = mapping
            kept = sum(len(kept) for kept in self._mapped.values())
            while len(self._mapped) > MAX_KEPT or kept > MAX_IDLE_BYTES:
                oldest = next(iter(self._mapped))  # unmapped when its last view dies
                kept -= len(self._mapped.pop(oldest))
            return mapping

    def forget_all(self) -> None:
        self._lock = threading.Lock()
        self._mapped = {}


SENT = SentSegments()
RECEIVED = ReceivedSegments()


def _after_fork_in_child() -> None:
    SENT.forget_all()
    RECEIVED.forget_all()


os.register_at_fork(after_in_child=_after_fork_in_child)


def open_received(fd: int, capacity: int) -> memoryview:
    """The data of a received segment (``capacity`` bytes after ``HEADER``), read in place.

    ``fd`` is closed here.  When the last view derived from the result dies, the segment is
    marked free for its sender to reuse.
    """
    mapping = RECEIVED.map(fd, HEADER + capacity)
    # A lease: one object that every view keeps alive (ctypes exports the buffer), so its death
    # says this receive is done with the segment.  Capacities are whole MiB: few ctypes types.
    lease = (ctypes.c_ubyte * (HEADER + capacity)).from_buffer(mapping)
    weakref.finalize(lease, _STATE.pack_into, mapping, 0, FREE)
    return memoryview(lease).cast("B")[HEADER:]
