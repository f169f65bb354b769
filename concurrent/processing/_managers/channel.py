"""A proxy's connection to its manager, made fast for what it carries: one request, one reply.

Two things a plain ``Connection`` does not do:

- **Spin, then block.**  A proxy call is a round trip, and on a machine with several CPUs each
  side of it usually sleeps in ``recv`` and is woken by the other from another CPU: a bare
  socket round trip between two processes took 49 µs here that way, 7 µs when both sides
  polled (``benchmarks/round_trip_latency.py``).  So a waiting side first polls its socket for
  up to ``SPIN_SECONDS`` before it blocks.  At most one thread per process spins, never on a
  single usable CPU (the peer needs it), and a channel whose spins keep running out backs off
  (it then spins once in 2, 4 ... 64 waits), so a client that calls rarely costs the server
  almost nothing.
- **Large buffers through shared memory**, when both ends can open each other's segments
  (``identity``).  Over a Unix socket (a local manager's default) both ends become ``Pipe()``
  ends: a large buffer travels as a memfd descriptor and is read in place, its segment reused
  by the sender once the receiver dropped what it read (``_datapath.memfd_segments``), so a
  128 MB array costs one copy into warm pages each way.  Over TCP (a manager bound to a local
  address, or one in TLS) each end sends through one named segment of its own, created when
  first needed and reused: a message is answered only after it was read, so when an end sends
  again its peer is done with the last one.  The receiver maps the segment, copies the buffers out
  (``BufferCodec(copy_out=True)``) and unmaps it: received objects own their memory, and
  nothing but the sender ever holds a segment.  The sender unlinks it when the channel closes,
  when its process exits (multiprocessing's exit finalizers: a manager server stops while its
  connection threads still wait in ``recv``), or once its peer answered a message of more than
  ``KEEP_BYTES``.  If the sender is killed, its resource tracker unlinks it; when both ends
  share one tracker (a manager and the program that started it, and their children), the peer
  unlinks it as soon as the connection ends, so a killed worker leaves nothing behind until
  the program's exit.  The receiver keeps its mapping of the peer's segment while the peer
  sends through the same one, so it maps (and faults in) that segment once.

Segments (and peer mappings) of up to ``KEEP_BYTES`` are always kept; bigger ones while those
this process keeps add up to at most ``BIG_KEEP_BYTES``: a 128 MB value read again and again
then costs a copy into warm pages, not 128 MB of page faults on each side every time.
"""

from __future__ import annotations

import contextlib
import functools
import mmap
import os
import select
import threading
import time
import weakref
from multiprocessing import resource_tracker, util
from typing import Any

from concurrent.processing import connection as _connection
from concurrent.processing._datapath import segments as _segments
from concurrent.processing._datapath.codec import BufferCodec

__all__ = ["BIG_KEEP_BYTES", "KEEP_BYTES", "SHARED_THRESHOLD", "SPIN_SECONDS", "ProxyChannel",
           "agreement", "identity"]

SPIN_SECONDS = 100e-6
SHARED_THRESHOLD = 256 << 10  # buffers this big go through the segment
KEEP_BYTES = 64 << 20  # a segment up to this size is kept for reuse
BIG_KEEP_BYTES = 512 << 20  # bigger ones while this process keeps at most this many bytes of them
_MAX_BACKOFF = 64
_ROUND = 1 << 20

_spinning = threading.Lock()  # held by the one thread of this process that spins
_segments_alive: weakref.WeakSet[_OwnSegment] = weakref.WeakSet()
_exit_hook_pid = 0  # the process whose exit finalizers release our segments
_identity: tuple[int, tuple[str, str] | None] = (0, None)  # (pid, identity()) once computed
_big_kept = 0  # bytes of segments and mappings over KEEP_BYTES that this process keeps
_big_lock = threading.Lock()


def _claim(size: int) -> int | None:
    """Keep ``size`` bytes: the bytes claimed from ``BIG_KEEP_BYTES`` (0 for a small segment),
    or ``None`` if they do not fit in it."""
    global _big_kept
    if size <= KEEP_BYTES:
        return 0
    with _big_lock:
        if _big_kept + size > BIG_KEEP_BYTES:
            return None
        _big_kept += size
    return size


def _unclaim(claimed: int) -> None:
    global _big_kept
    if claimed:
        with _big_lock:
            _big_kept -= claimed


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@functools.cache
def _memory_identity() -> str | None:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as file:
            boot = file.read().strip()
        device = os.stat("/dev/shm").st_dev
    except OSError:
        return None
    return f"{boot}:{device}:{os.geteuid()}"


def identity() -> tuple[str, str] | None:
    """What a channel's two ends compare: ``(memory, tracker)``, or ``None`` (no sharing here).

    ``memory`` is equal in processes that can open each other's segments (the same boot, the
    same ``/dev/shm`` filesystem, the same user); ``tracker`` in processes that register them
    with the same resource tracker (the inode of its pipe).
    """
    global _identity
    memory = _memory_identity()
    if memory is None:
        return None
    if _identity[0] != os.getpid():
        tracker = os.fstat(resource_tracker.getfd())
        _identity = os.getpid(), (memory, f"{tracker.st_dev}:{tracker.st_ino}")
    return _identity[1]


def agreement(ours: tuple[str, str] | None, theirs: Any) -> tuple[bool, bool]:
    """``(share memory, share a tracker)`` for two ends with these identities."""
    if ours is None or not isinstance(theirs, tuple) or len(theirs) != 2:
        return False, False
    return ours[0] == theirs[0], ours == tuple(theirs)


def _release_all() -> None:
    for segment in list(_segments_alive):
        segment.close()


def _release_at_exit() -> None:
    """Once per process: a forked multiprocessing child starts with no exit finalizers."""
    global _exit_hook_pid
    if _exit_hook_pid != os.getpid():
        _exit_hook_pid = os.getpid()
        util.Finalize(None, _release_all, exitpriority=0)


def _after_fork_in_child() -> None:
    global _spinning, _big_kept, _big_lock
    _spinning = threading.Lock()  # another thread of the parent may have held it
    _big_kept, _big_lock = 0, threading.Lock()
    for segment in list(_segments_alive):  # the parent's to unlink, not ours
        segment.forget()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class _OwnSegment:
    """The segment pool of one channel end, as ``BufferCodec`` uses a pool: one segment to
    send through (ours, reused), and the peer's mapped for one read at a time."""

    def __init__(self, shared_tracker: bool) -> None:
        self._name: str | None = None
        self._mapping: mmap.mmap | None = None
        self._kept: int | None = None  # claimed to keep ours (see _claim); None: not yet
        self._peer: str | None = None  # the peer's segment, last seen
        self._peer_mapping: mmap.mmap | None = None  # kept while the peer sends through it
        self._peer_kept = 0
        self._shared_tracker = shared_tracker
        _segments_alive.add(self)

    def acquire(self, size: int) -> tuple[int, str, mmap.mmap]:
        if self._mapping is None or len(self._mapping) < size:
            self._drop_own()
            _release_at_exit()
            self._name = _segments.new_name(f"m{os.getpid():x}")
            self._mapping = _segments.create_segment(self._name, -(-size // _ROUND) * _ROUND)
        return 0, self._name, self._mapping

    def sent(self, slot: int, name: str) -> None:
        """Nothing to record: the peer answering is the receipt."""

    def abandon(self, slot: int, name: str) -> None:
        """The send failed; the segment is free for the next one."""

    def answered(self) -> None:
        """The peer answered, so it is done with our segment: keep it if it fits the budget."""
        if self._mapping is not None and self._kept is None:
            self._kept = _claim(len(self._mapping))
            if self._kept is None:
                self._drop_own()

    def open(self, slot: int, name: str, size: int) -> memoryview:
        mapping = self._peer_mapping
        if name != self._peer or mapping is None or len(mapping) < size:
            self._drop_peer_mapping()
            _release_at_exit()
            mapping = _segments.map_segment(name, size)
            kept = _claim(size)
            if kept is not None:  # otherwise unmapped when the read's last view dies
                self._peer_mapping, self._peer_kept = mapping, kept
        self._peer = name
        return memoryview(mapping)[:size]

    def close(self) -> None:
        """Unlink our segment, and the peer's last one when its record is in our tracker too
        (the peer may have been killed holding it); whoever unlinks a segment drops its record,
        and the second of two unlinks finds nothing to do."""
        peer, self._peer = self._peer, None
        self._drop_own()
        self._drop_peer_mapping()
        if peer is not None and self._shared_tracker:
            _segments.unlink_segment(peer)

    def _drop_own(self) -> None:
        mapping, name = self._mapping, self._name
        self._mapping = self._name = None
        _unclaim(self._kept or 0)
        self._kept = None
        if mapping is not None:
            _segments.unlink_segment(name)
            with contextlib.suppress(BufferError):  # a send copying into it (a thread at exit)
                mapping.close()  # otherwise the mapping goes with that copy's view

    def _drop_peer_mapping(self) -> None:
        mapping, self._peer_mapping = self._peer_mapping, None
        _unclaim(self._peer_kept)
        self._peer_kept = 0
        if mapping is not None:
            with contextlib.suppress(BufferError):  # a read still copying out of it
                mapping.close()

    def forget(self) -> None:
        """Drop everything without unlinking (a forked child: the segments are the parent's)."""
        self._mapping = self._name = self._peer = self._peer_mapping = self._kept = None
        self._peer_kept = 0

    __del__ = close


class ProxyChannel:
    """``send``/``recv``/``close`` over a manager connection (either side), as described above."""

    def __init__(self, conn: Any, *, share_memory: bool = False, shared_tracker: bool = False,
                 spin: bool = True) -> None:
        if share_memory:
            descriptor_end = _connection._as_descriptor_end(conn)
            if descriptor_end is not None:  # a Unix socket: large buffers go as a Pipe's go
                conn, share_memory = descriptor_end, False
        self._conn = conn
        self._segment = _OwnSegment(shared_tracker) if share_memory else None
        self._codec = (BufferCodec(self._segment, threshold=SHARED_THRESHOLD,
                                   inline_limit=SHARED_THRESHOLD, copy_out=True)
                       if share_memory else None)
        self._poll = None
        if spin and SPIN_SECONDS > 0 and hasattr(select, "poll") and _usable_cpus() > 1:
            self._poll = select.poll()
            self._poll.register(conn.fileno(), select.POLLIN)
        self._skip = self._backoff = 0
        if self._codec is None:
            self.send = conn.send  # the stdlib's send, with no frame of ours in between

    @classmethod
    def between(cls, conn: Any, ours: tuple[str, str] | None, theirs: Any, *,
                spin: bool) -> ProxyChannel:
        """The channel over ``conn`` for two ends with these ``identity()`` values."""
        share_memory, shared_tracker = agreement(ours, theirs)
        return cls(conn, share_memory=share_memory, shared_tracker=shared_tracker, spin=spin)

    def send(self, obj: Any) -> None:
        self._conn.send_bytes(self._codec.dumps(obj, what="obj"))

    def recv(self) -> Any:
        if self._poll is not None:
            self._spin()
        if self._codec is None:
            return self._conn.recv()
        payload = self._conn.recv_bytes()
        self._segment.answered()
        return self._codec.loads(payload)

    def close(self) -> None:
        if self._segment is not None:
            self._segment.close()
        self._conn.close()

    def _spin(self) -> None:
        """Poll for up to ``SPIN_SECONDS`` (if this channel's turn and no other thread spins)."""
        if self._skip:
            self._skip -= 1
            return
        poll = self._poll.poll
        if poll(0) or not _spinning.acquire(False):
            return
        try:
            deadline = time.perf_counter() + SPIN_SECONDS
            while not poll(0):
                if time.perf_counter() > deadline:
                    self._backoff = min(2 * self._backoff or 1, _MAX_BACKOFF)
                    self._skip = self._backoff
                    return
            self._backoff = 0
        finally:
            _spinning.release()
