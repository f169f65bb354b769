"""Shared-memory segments for large buffers, and a pool that keeps them pre-faulted for reuse.

A fresh segment costs more in page faults than the copy into it (measured here: 1.1 GB/s into a
fresh 128 MB mapping against 7.4 GB/s into touched pages), so a ``SegmentPool`` recycles them:
a small table in shared memory records each segment's name, size and state, and a sender takes
an idle one before creating another.  Segments are named POSIX shared memory, created and
unlinked with the stdlib's ``_posixshmem`` and registered with its resource tracker, so a
program killed outright still gets them unlinked by the tracker.

Life of a pooled segment: ``WRITING`` (a sender copies into it) -> ``IN_FLIGHT`` (its
payload waits in a channel) -> ``MAPPED`` (a receiver reads it in place; released when the
last view of that receive dies) -> ``IDLE`` (reusable).  ``WRITING`` and ``MAPPED`` record the
process holding the segment; a slot whose holder died is reclaimed.  Each process keeps its
mappings of live segments, so a reused segment is neither mapped nor faulted in again.  The
process that created the pool unlinks every segment when the pool is closed or collected, or
when that process exits.
"""

from __future__ import annotations

import _posixshmem
import contextlib
import ctypes
import mmap
import os
import secrets
import struct
import weakref
from multiprocessing import context as _mp_context
from multiprocessing import heap as _heap
from multiprocessing import resource_tracker, util
from multiprocessing.context import BaseContext

from concurrent.processing._start import mp_context

__all__ = ["DEFAULT_SLOTS", "SegmentPool", "create_anonymous", "create_segment", "map_descriptor",
           "map_segment", "table_size", "unlink_segment"]

EMPTY, IDLE, WRITING, IN_FLIGHT, MAPPED = range(5)
_HEADER = struct.Struct("=II")  # number of slots, status
_OPEN, _CLOSED = 0, 1  # closed: every segment unlinked, no new payloads
_SLOT = struct.Struct("=IiQ32s")  # state, holder pid, capacity, name
_PAGE = mmap.PAGESIZE
_POPULATE = getattr(mmap, "MAP_POPULATE", 0)
_ROUND = 1 << 16  # segment sizes are multiples of 64 KiB so near sizes share segments
# The table lock guards a few slot updates.  A process killed while holding it (SIGKILL, a
# segfault) would leave it held for good, so nobody waits for it longer than this: a sender then
# uses an unpooled segment and a receiver maps the segment by name.  Slower, never a hang.
_LOCK_PATIENCE = 2.0
DEFAULT_SLOTS = 16
_tracker_checked_in: list[int | None] = [None]  # the pid that last made sure of the tracker


def table_size(slots: int = DEFAULT_SLOTS) -> int:
    """The bytes of shared memory that the table of a pool of ``slots`` takes."""
    return _HEADER.size + slots * _SLOT.size


def _ensure_tracker() -> None:
    """Start the resource tracker if this process has none: once per process, as checking
    that it runs writes to it and wakes it (most of the cost of creating a pool)."""
    pid = os.getpid()
    if _tracker_checked_in[0] != pid:
        resource_tracker.ensure_running()
        _tracker_checked_in[0] = pid


def create_segment(name: str, size: int) -> mmap.mmap:
    """Create segment ``name`` of ``size`` bytes, tracked for cleanup, and map it (populated)."""
    fd = _posixshmem.shm_open("/" + name, os.O_CREAT | os.O_EXCL | os.O_RDWR, mode=0o600)
    try:
        resource_tracker.register("/" + name, "shared_memory")
        try:
            os.ftruncate(fd, size)
            return mmap.mmap(fd, size, flags=mmap.MAP_SHARED | _POPULATE)
        except BaseException:
            unlink_segment(name)
            raise
    finally:
        os.close(fd)


def create_anonymous(size: int) -> tuple[int, mmap.mmap]:
    """A nameless segment of ``size`` bytes (a memfd) and its mapping (populated).

    It has no name to unlink and nothing for the resource tracker: it lives while a descriptor
    or a mapping of it does, so handing its descriptor over a socket (``SCM_RIGHTS``) leaves
    nothing behind whatever happens to either end.  The caller closes the descriptor.
    """
    fd = os.memfd_create("concurrent", os.MFD_CLOEXEC)
    try:
        os.ftruncate(fd, size)
        return fd, mmap.mmap(fd, size, flags=mmap.MAP_SHARED | _POPULATE)
    except BaseException:
        os.close(fd)
        raise


def map_descriptor(fd: int, size: int) -> mmap.mmap:
    """Map the first ``size`` bytes of the segment behind ``fd`` (closed here)."""
    try:
        return mmap.mmap(fd, size, flags=mmap.MAP_SHARED | _POPULATE)
    finally:
        os.close(fd)


def map_segment(name: str, size: int) -> mmap.mmap:
    """Map the existing segment ``name``; the mapping lives until its last view is released."""
    fd = _posixshmem.shm_open("/" + name, os.O_RDWR, mode=0o600)
    try:
        return mmap.mmap(fd, size, flags=mmap.MAP_SHARED | _POPULATE)
    finally:
        os.close(fd)


def unlink_segment(name: str) -> None:
    """Remove segment ``name`` (mappings stay valid) and drop it from the resource tracker."""
    try:
        _posixshmem.shm_unlink("/" + name)
    except FileNotFoundError:
        return  # already gone: someone else unlinked it and unregistered it
    resource_tracker.unregister("/" + name, "shared_memory")


def new_name(tag: str) -> str:
    """A fresh segment name: ``cpb_<tag>_<random>`` (short enough for macOS' 31 characters)."""
    return f"cpb_{tag}_{secrets.token_hex(5)}"


def process_alive(pid: int) -> bool:
    """False only when ``pid`` surely ended (gone, or a zombie nobody reaped yet)."""
    if pid <= 0 or pid == os.getpid():
        return pid > 0
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (FileNotFoundError, ProcessLookupError):  # it ended (and was reaped) meanwhile
        return False
    except (OSError, IndexError):
        return True


def _round_up(size: int) -> int:
    return max(_ROUND, -(-size // _ROUND) * _ROUND)


class SegmentPool:
    """A table of reusable segments shared by the processes of one channel.

    ``slots`` bounds how many segments exist at once; ``max_idle_bytes`` bounds the memory that
    idle segments keep (a released segment past it is unlinked instead).  Create it in the
    process that owns the channel and pass it to children when starting them.  ``lock``
    guards the table (a new one by default); a lock shared with other work must only ever be
    held briefly, as the table's is.
    """

    def __init__(self, slots: int = DEFAULT_SLOTS, max_idle_bytes: int = 512 << 20, *,
                 ctx: BaseContext | None = None, lock=None,
                 table: tuple[_heap.BufferWrapper, int] | None = None) -> None:
        if slots < 1:
            raise ValueError(f"slots must be at least 1, got {slots!r}")
        if max_idle_bytes < 0:
            raise ValueError(f"max_idle_bytes must be >= 0, got {max_idle_bytes!r}")
        mp_ctx = mp_context(None) if ctx is None else ctx
        # Children started from now on (fork included) share this tracker: a segment one
        # process creates and another unlinks is then registered and unregistered in one place.
        _ensure_tracker()
        # ``lock``: a channel's own lock, shared to save a semaphore (a queue lends its ring's).
        self._lock = mp_ctx.Lock() if lock is None else lock
        # ``table``: ``table_size(slots)`` bytes at an offset of shared memory set aside by the
        # caller (a queue's ring keeps them after its records), to save an allocation.
        self._wrapper, self._offset = (
            (_heap.BufferWrapper(table_size(slots)), 0) if table is None else table)
        self._slots, self._max_idle, self._tag = slots, max_idle_bytes, secrets.token_hex(4)
        self._setup()
        if len(self._table) < table_size(slots):
            raise ValueError(f"the table of {slots} slots needs {table_size(slots)} bytes, "
                             f"got {len(self._table)} at offset {self._offset}")
        self._table[:] = bytes(len(self._table))
        _HEADER.pack_into(self._table, 0, slots, 0)
        # At exit this runs after queues' overflow feeders (-5) have put their last items.
        self._finalizer = util.Finalize(self, _unlink_all, (self._table, self._lock, slots),
                                        exitpriority=-10)

    @property
    def tag(self) -> str:
        """The part of every segment name that identifies this pool."""
        return self._tag

    def _setup(self) -> None:
        self._table = self._wrapper.create_memoryview()[
            self._offset:self._offset + table_size(self._slots)]
        # This process's mappings of live segments, kept so that neither a sender nor a
        # receiver pays for mapping (and faulting in) a segment twice.  A mapping still in use
        # is never closed: dropping it here leaves it to its last view.
        self._mapped: dict[str, mmap.mmap] = {}
        self._pending: list[tuple[int, str]] = []  # releases that found the lock busy

    def __getstate__(self):
        _mp_context.assert_spawning(self)
        return (self._lock, self._wrapper, self._offset, self._slots, self._max_idle,
                self._tag)

    def __setstate__(self, state) -> None:
        (self._lock, self._wrapper, self._offset, self._slots, self._max_idle,
         self._tag) = state
        self._finalizer = None
        self._setup()

    @contextlib.contextmanager
    def _locked(self):
        """Hold the table lock; yields False (lock not held) if it stayed busy too long."""
        held = self._lock.acquire(True, _LOCK_PATIENCE)
        try:
            yield held
        finally:
            if held:
                self._lock.release()

    # table access (call with the lock held) -----------------------------------------------

    def _read(self, slot: int) -> tuple[int, int, int, str]:
        state, pid, capacity, raw = _SLOT.unpack_from(self._table, _HEADER.size + slot * _SLOT.size)
        return state, pid, capacity, raw.rstrip(b"\0").decode("ascii")

    def _write(self, slot: int, state: int, pid: int, capacity: int, name: str) -> None:
        _SLOT.pack_into(self._table, _HEADER.size + slot * _SLOT.size, state, pid, capacity,
                        name.encode("ascii"))

    def _status(self) -> int:
        return _HEADER.unpack_from(self._table, 0)[1]

    def _settle(self, slot: int, name: str) -> None:
        """A receiver's mapping died: make the slot idle, or unlink it past the idle budget."""
        state, pid, capacity, current = self._read(slot)
        if current != name or state != MAPPED or pid != os.getpid():
            return
        idle = sum(self._read(i)[2] for i in range(self._slots) if self._read(i)[0] == IDLE)
        if idle + capacity > self._max_idle:
            unlink_segment(name)
            self._write(slot, EMPTY, 0, 0, "")
        else:
            self._write(slot, IDLE, 0, capacity, name)

    def _flush_pending(self) -> None:
        while self._pending:
            self._settle(*self._pending.pop())

    # the sender's side ----------------------------------------------------------------------

    def acquire(self, size: int) -> tuple[int, str, mmap.mmap] | None:
        """A segment of at least ``size`` bytes in state ``WRITING``, mapped here.

        Returns ``(slot, name, mapping)``, or ``None`` when every slot is busy or the pool is
        closed: the caller then uses an unpooled segment.  (Children may go on using
        a channel whose creator dropped it, as with the stdlib's queues and pipes.)
        """
        me = os.getpid()
        with self._locked() as held:
            if not held or self._status() != _OPEN:  # closed, or a dead lock holder
                return None
            self._flush_pending()
            choice, free = self._choose(size)
            fresh = choice is None and free is not None
            if fresh:
                choice, capacity, name = free, _round_up(size), new_name(self._tag)
            elif choice is not None:
                capacity, name = self._read(choice)[2:]
            if choice is not None:
                self._write(choice, WRITING, me, capacity, name)
            live = {self._read(i)[3] for i in range(self._slots)}
        self._forget_stale(live)
        if choice is None:
            return None
        try:
            mapping = self._mapped.get(name)
            if mapping is None:
                mapping = self._map_or_create(name, capacity, fresh)
                self._mapped[name] = mapping
        except BaseException:
            with self._locked() as held:
                if held:
                    self._write(choice, EMPTY, 0, 0, "")
            raise
        return choice, name, mapping

    @staticmethod
    def _map_or_create(name: str, capacity: int, fresh: bool) -> mmap.mmap:
        if not fresh:
            try:
                return map_segment(name, capacity)
            except FileNotFoundError:
                pass  # its creator died before creating it: create it now
        return create_segment(name, capacity)

    def _choose(self, size: int) -> tuple[int | None, int | None]:
        """The best idle slot for ``size`` (or None), and a free slot to create one in."""
        best, free, evictable = None, None, None
        for slot in range(self._slots):
            state, pid, capacity, name = self._read(slot)
            if state in (WRITING, MAPPED) and not process_alive(pid):
                state = IDLE  # its holder died: the segment is ours to reuse
                self._write(slot, IDLE, 0, capacity, name)
            if state == IDLE:
                if size <= capacity <= max(4 * size, _ROUND) and (
                        best is None or capacity < self._read(best)[2]):
                    best = slot
                elif evictable is None:
                    evictable = slot
            elif state == EMPTY and free is None:
                free = slot
        if best is None and free is None and evictable is not None:
            unlink_segment(self._read(evictable)[3])
            self._write(evictable, EMPTY, 0, 0, "")
            free = evictable
        return best, free

    def sent(self, slot: int, name: str) -> None:
        """The payload naming ``name`` is in a channel now: no process holds the segment."""
        with self._locked() as held:
            if not held:  # the receiver accepts a slot still marked WRITING
                return
            state, pid, capacity, current = self._read(slot)
            if current == name and state == WRITING:
                self._write(slot, IN_FLIGHT, 0, capacity, name)

    def abandon(self, slot: int, name: str) -> None:
        """The payload will never be sent or received (it failed, or its channel dropped it)."""
        with self._locked() as held:
            if not held:  # the slot stays taken until the owner unlinks every segment
                return
            state, pid, capacity, current = self._read(slot)
            if current == name and state in (WRITING, IN_FLIGHT):
                self._write(slot, IDLE, 0, capacity, name)

    # the receiver's side --------------------------------------------------------------------

    def _forget_stale(self, live: set[str]) -> None:
        for stale in [name for name in self._mapped if name not in live]:
            del self._mapped[stale]

    def open(self, slot: int, name: str, size: int) -> memoryview:
        """The first ``size`` bytes of a received payload's segment, as a writable view.

        The segment returns to the pool when the last view derived from this one dies.
        """
        with self._locked() as held:
            if not held:  # read in place by name; the owner unlinks the segment at close
                return memoryview(map_segment(name, size))
            self._flush_pending()  # a process that only receives settles its releases here
            state, pid, capacity, current = self._read(slot)
            # WRITING: the sender gave up marking it sent (see ``sent``), yet it was sent.
            if current != name or state not in (IN_FLIGHT, WRITING):
                raise RuntimeError(f"shared-memory segment {name!r} of this payload was already "
                                   f"received, or its channel was closed")
            self._write(slot, MAPPED, os.getpid(), capacity, name)
            live = {self._read(i)[3] for i in range(self._slots)}
        self._forget_stale(live)
        try:
            mapping = self._mapped.get(name)
            if mapping is None:
                mapping = self._mapped[name] = map_segment(name, capacity)
        except BaseException:
            with self._locked() as held:
                if held:
                    self._write(slot, IN_FLIGHT, 0, capacity, name)
            raise
        # A lease: one object per receive that every view of it keeps alive (ctypes exports
        # the buffer), so its death says that this receive is done with the segment.
        # (Typed by capacity, not size: ctypes keeps every array type it made, and capacities
        # are few.)
        lease = (ctypes.c_ubyte * capacity).from_buffer(mapping)
        weakref.finalize(lease, self._release, slot, name)
        return memoryview(lease).cast("B")[:size]

    def _release(self, slot: int, name: str) -> None:
        # Runs when the last view of a received mapping dies, possibly inside a garbage
        # collection that interrupted this very process while it held the lock: never block.
        if not self._lock.acquire(False):
            self._pending.append((slot, name))
            return
        try:
            self._settle(slot, name)
        finally:
            self._lock.release()

    # ownership ------------------------------------------------------------------------------

    def close(self) -> None:
        """Unlink every segment (in the creating process; elsewhere only forget the mappings)."""
        self._mapped.clear()
        if self._finalizer is not None:
            self._finalizer()


def _unlink_all(table: memoryview, lock, slots: int) -> None:
    """Unlink every segment of the pool and mark it closed; runs once, in the creator."""
    locked = lock.acquire(True, _LOCK_PATIENCE)  # a holder that died must not stop the cleanup
    try:
        _HEADER.pack_into(table, 0, slots, _CLOSED)
        for slot in range(slots):
            offset = _HEADER.size + slot * _SLOT.size
            state, _, _, raw = _SLOT.unpack_from(table, offset)
            if state != EMPTY:
                unlink_segment(raw.rstrip(b"\0").decode("ascii"))
                _SLOT.pack_into(table, offset, EMPTY, 0, 0, b"")
    finally:
        if locked:
            lock.release()
