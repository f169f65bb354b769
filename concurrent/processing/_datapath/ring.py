"""A ring of records in shared memory: the engine of the process queues (``queues.py``).

``push`` takes a short lock, copies one record (a payload and its kind) into the ring and moves
the tail; ``pop`` copies the oldest record out and moves the head.  A process waits on a
semaphore only when the ring is empty (or full), and only then does the other side pay a
``release``: the stdlib's queue pays a pipe write and read plus semaphore calls for every item.
A consumer that finds the ring empty polls it briefly first (``spin``), so a producer that keeps
up with it never has to wake it.

Safety when a process dies: the head and tail move by one aligned 8-byte store after the copy,
so a process killed inside ``push``/``pop`` leaves the ring consistent; a consumer takes exactly
one record per ``pop``.  The lock records its holder, and a waiter that finds the holder dead
(or finds none recorded for three seconds: it died between taking the lock and recording itself,
or in another brief critical section that shares the lock, see ``Ring.lock``) takes the lock over
and recounts the records.  Waits are in one-second slices, so a wake-up lost to a dying process
costs at most a second.

A ring costs three semaphores (four when joinable), as many as the stdlib's queue: the lock that
arbitrates takeovers is one per start method for all the rings a process creates, since a
takeover is rare and holds it for a few instructions.

Layout: a 64-byte header of 8-byte words (``Word``), then the records, each an 8-byte
``(length, kind)`` head and the payload padded to 8 bytes.
"""

from __future__ import annotations

import enum
import os
import struct
import time
from multiprocessing import heap as _heap
from multiprocessing.context import BaseContext, assert_spawning
from pickle import loads as _loads

from concurrent import _shared
from concurrent.processing._datapath.segments import process_alive
from concurrent.processing._datapath.spin import spin_until

__all__ = ["Kind", "Ring", "Word"]


class Word(enum.IntEnum):
    """Byte offsets of the header's 8-byte counters."""

    TAIL = 0  #: bytes ever pushed (the next record starts at TAIL % capacity)
    COUNT = 8  #: records in the ring
    HEAD = 16  #: bytes ever popped
    GETTERS = 24  #: processes waiting for a record
    PUTTERS = 32  #: processes waiting for room
    OWNER = 40  #: pid holding the lock, 0 when none is recorded
    UNFINISHED = 48  #: records pushed and not yet marked done (joinable queues)
    JOINERS = 56  #: processes waiting in join() (joinable queues)


class Kind(enum.IntEnum):
    """What a record's payload is."""

    SCALAR = 0  #: a plain pickle of a str/int/float/None: unpickling it runs no user code
    CODEC = 1  #: a ``BufferCodec`` payload, decoded by the queue outside the lock


# Native formats: an aligned native 8-byte store is one instruction, so a process killed while
# storing the tail or head cannot leave half of it written.
_STATE = struct.Struct("qqqqq")  # tail, count, head, getters, putters
_COMMIT = struct.Struct("qq")  # (tail, count) for push, (count, head) for pop: one store each
_WORD = struct.Struct("q")
_RECORD = struct.Struct("II")  # payload length, kind (8 bytes: records stay 8-aligned)
_RECORD_HEAD = _RECORD.size
HEADER_SIZE = 64
_SPINS = 50  # non-blocking retries of a busy lock before sleeping on it
_SLICE = 1.0  # longest single wait: bounds the cost of a wake-up lost to a dead process
# A holder records itself right after taking the lock and clears that right before releasing
# it: a lock held this many slices in a row with no holder recorded lost its holder in between.
_ORPHAN_SLICES = 3
_pid = [os.getpid()]
os.register_at_fork(after_in_child=lambda: _pid.__setitem__(0, os.getpid()))
# The members push and pop use, looked up once: on 3.11 reading an enum member off its class
# costs about 90 ns, a tenth of a small item's whole put.
_TAIL, _COUNT, _GETTERS, _PUTTERS, _OWNER, _UNFINISHED = (
    Word.TAIL, Word.COUNT, Word.GETTERS, Word.PUTTERS, Word.OWNER, Word.UNFINISHED)
_SCALAR = Kind.SCALAR


# start method -> the takeover lock of the rings this process creates, kept for its lifetime
# (a semaphore that spawn and forkserver unlink at exit); a forked child makes its own.
_takeover_locks: dict[str, object] = {}
os.register_at_fork(after_in_child=_takeover_locks.clear)


def _takeover_lock(ctx: BaseContext):
    method = ctx.get_start_method()
    lock = _takeover_locks.get(method)
    if lock is None:
        lock = _takeover_locks.setdefault(method, ctx.Lock())
    return lock


def record_size(length: int) -> int:
    """The bytes a record with a ``length``-byte payload takes in the ring."""
    return _RECORD_HEAD + ((length + 7) & ~7)


class Ring:
    """``capacity`` bytes of records shared by processes, holding at most ``maxsize`` records
    (0: as many as fit).  Create it in the parent and pass it to children when starting them.
    """

    __slots__ = ("_all_done", "_buf", "_capacity", "_lock", "_maxsize", "_not_empty",
                 "_not_full", "_recovery", "_ring", "_state")

    def __init__(self, maxsize: int, capacity: int, ctx: BaseContext, joinable: bool,
                 spare: int = 0) -> None:
        if capacity < 4096:
            raise ValueError(f"a ring needs at least 4096 bytes, got {capacity!r}")
        capacity = capacity // 8 * 8
        self._state = (maxsize, capacity, ctx.Lock(), _takeover_lock(ctx), ctx.Semaphore(0),
                       ctx.Semaphore(0), _heap.BufferWrapper(HEADER_SIZE + capacity + spare),
                       ctx.Semaphore(0) if joinable else None)
        self._setup()
        self._buf[:HEADER_SIZE] = bytes(HEADER_SIZE)

    def _setup(self) -> None:
        (self._maxsize, self._capacity, self._lock, self._recovery, self._not_empty,
         self._not_full, wrapper, self._all_done) = self._state
        self._buf = wrapper.create_memoryview()
        self._ring = self._buf[HEADER_SIZE:HEADER_SIZE + self._capacity]

    def __getstate__(self):
        assert_spawning(self)
        return self._state

    def __setstate__(self, state) -> None:
        self._state = state
        self._setup()

    @property
    def maxsize(self) -> int:
        return self._maxsize

    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def spare(self) -> tuple[_heap.BufferWrapper, int]:
        """The shared memory after the records (``spare`` bytes of it were asked for), as a
        ``(BufferWrapper, offset)`` pair: a queue keeps its segment pool's table there."""
        return self._state[6], HEADER_SIZE + self._capacity

    @property
    def lock(self):
        """The ring's lock, which other brief critical sections of its queue may share (its
        segment pool's table).  Hold it only for a few microseconds and never while waiting:
        a ring waiter takes over a lock held by nobody recorded for three seconds.
        """
        return self._lock

    def word(self, word: Word) -> int:
        """A header counter (a snapshot)."""
        return _WORD.unpack_from(self._buf, word)[0]

    def _set(self, word: Word, value: int) -> None:
        _WORD.pack_into(self._buf, word, value)

    # the lock, with takeover from a dead holder ------------------------------------------

    def acquire(self) -> None:
        """Take the lock; inherit it from a holder that died."""
        if not self._lock.acquire(False):
            self._acquire_busy()
        _WORD.pack_into(self._buf, _OWNER, _pid[0])

    def _acquire_busy(self) -> None:
        """Take the lock that another holds (``acquire``, after its first try)."""
        lock = self._lock
        # The lock guards a copy of a few hundred bytes: retrying a few times costs less than
        # sleeping in the kernel and being woken (two syscalls, a context switch).
        for _ in range(_SPINS):
            if lock.acquire(False):
                return
        unowned = 0  # slices in a row that the lock stayed held by nobody recorded
        while not lock.acquire(True, _SLICE):
            holder = self.word(Word.OWNER)
            unowned = unowned + 1 if holder == 0 else 0
            if (holder or unowned >= _ORPHAN_SLICES) and self._take_over_from(holder):
                return

    def release(self) -> None:
        self._set(Word.OWNER, 0)
        self._lock.release()

    def _take_over_from(self, holder: int) -> bool:
        """Inherit the lock from ``holder`` if it died (0: one that died before recording)."""
        if holder != 0 and process_alive(holder):
            return False
        with self._recovery:  # only one waiter may inherit a lock (any ring's: it is shared)
            if self.word(Word.OWNER) != holder:
                return False
            self._set(Word.OWNER, _pid[0])
        tail, _, head = _STATE.unpack_from(self._buf, 0)[:3]
        count, position = 0, head
        while position < tail:  # the holder may have died between the commit and the count
            position += record_size(_RECORD.unpack_from(self._ring, position % self._capacity)[0])
            count += 1
        self._set(Word.COUNT, count)
        return True

    def _wait(self, semaphore, counter: Word, deadline: float | None) -> bool:
        """Sleep (lock released) until signalled or ``deadline``; False when it passed."""
        remaining = _SLICE if deadline is None else deadline - time.monotonic()
        if remaining <= 0:
            return False
        self._set(counter, self.word(counter) + 1)
        self.release()
        signalled = False
        try:
            signalled = semaphore.acquire(True, min(remaining, _SLICE))
        finally:  # also when interrupted: the caller's ``finally`` releases the lock
            self.acquire()
            if not signalled and not semaphore.acquire(False):
                self._set(counter, max(self.word(counter) - 1, 0))  # nobody woke us
        return True

    # records ------------------------------------------------------------------------------

    def push(self, payload: bytes, kind: Kind, block: bool, timeout: float | None,
             counted: bool = False) -> None:
        """Append a record, waiting for room while ``block``; ``Full`` if none came.

        ``counted``: a joinable queue already counted it as unfinished (see ``add_unfinished``).
        """
        length = len(payload)
        need = _RECORD_HEAD + ((length + 7) & ~7)  # record_size(length), without the call
        ring, capacity, buf, lock = self._ring, self._capacity, self._buf, self._lock
        if need > capacity:  # the codec keeps payloads far below this; a bad codec may not
            raise ValueError(f"an item of {length} bytes cannot fit a ring of {capacity} bytes")
        if not lock.acquire(False):  # acquire(), inlined
            self._acquire_busy()
        _WORD.pack_into(buf, _OWNER, _pid[0])
        try:
            tail, count, head, getters, _ = _STATE.unpack_from(buf, 0)
            if capacity - (tail - head) < need or 0 < self._maxsize <= count:
                deadline = None if timeout is None else time.monotonic() + timeout
                while capacity - (tail - head) < need or 0 < self._maxsize <= count:
                    if not block or not self._wait(self._not_full, _PUTTERS, deadline):
                        raise _shared.Full
                    tail, count, head, getters, _ = _STATE.unpack_from(buf, 0)
            position = tail % capacity
            _RECORD.pack_into(ring, position, length, kind)
            start = position + _RECORD_HEAD
            first = capacity - start
            if first >= length:
                ring[start:start + length] = payload
            else:
                ring[start:] = payload[:first]
                ring[:length - first] = payload[first:]
            _COMMIT.pack_into(buf, _TAIL, tail + need, count + 1)
            if self._all_done is not None and not counted:
                self._set(_UNFINISHED, self.word(_UNFINISHED) + 1)
            if getters > 0:
                _WORD.pack_into(buf, _GETTERS, getters - 1)
                self._not_empty.release()
        finally:
            _WORD.pack_into(buf, _OWNER, 0)
            lock.release()

    def wait_for_room(self, length: int) -> None:
        """Wait until a record of a ``length``-byte payload may fit, one wait slice at most
        (the caller then pushes without waiting, and waits again if another took the room)."""
        need = record_size(length)
        self.acquire()
        try:
            tail, count, head = _STATE.unpack_from(self._buf, 0)[:3]
            if self._capacity - (tail - head) < need or 0 < self._maxsize <= count:
                self._wait(self._not_full, _PUTTERS, None)
        finally:
            self.release()

    def pop(self, block: bool, timeout: float | None):
        """Remove the oldest record: ``(Kind.SCALAR, item)`` or ``(Kind.CODEC, payload)``.

        ``Empty`` if none came while ``block`` (within ``timeout``).
        """
        ring, capacity, buf, lock = self._ring, self._capacity, self._buf, self._lock
        if not lock.acquire(False):  # acquire(), inlined
            self._acquire_busy()
        _WORD.pack_into(buf, _OWNER, _pid[0])
        try:
            tail, count, head, _, putters = _STATE.unpack_from(buf, 0)
            if tail == head and block:  # a producer that keeps up is caught awake
                self.release()
                try:
                    spin_until(self._has_record)
                finally:
                    self.acquire()
                tail, count, head, _, putters = _STATE.unpack_from(buf, 0)
            if tail == head:
                deadline = None if timeout is None else time.monotonic() + timeout
                while tail == head:
                    if not block or not self._wait(self._not_empty, _GETTERS, deadline):
                        raise _shared.Empty
                    tail, count, head, _, putters = _STATE.unpack_from(buf, 0)
            position = head % capacity
            length, kind = _RECORD.unpack_from(ring, position)
            start = position + _RECORD_HEAD
            first = capacity - start
            if first >= length:
                value = ring[start:start + length].tobytes()
            else:
                value = ring[start:].tobytes() + ring[:length - first].tobytes()
            head += _RECORD_HEAD + ((length + 7) & ~7)  # record_size(length)
            _COMMIT.pack_into(buf, _COUNT, max(count - 1, 0), head)
            if putters > 0:
                _WORD.pack_into(buf, _PUTTERS, putters - 1)
                self._not_full.release()
        finally:
            _WORD.pack_into(buf, _OWNER, 0)
            lock.release()
        # Unpickled once the lock is free: a producer waiting for it goes on meanwhile.
        return kind, (_loads(value) if kind == _SCALAR else value)

    def _has_record(self) -> bool:
        tail, _, head = _STATE.unpack_from(self._buf, 0)[:3]
        return tail != head

    def has_room(self, length: int) -> bool:
        """True if a record of a ``length``-byte payload fits now (a snapshot, taken without
        the lock; ``maxsize`` aside)."""
        tail, _, head = _STATE.unpack_from(self._buf, 0)[:3]
        return self._capacity - (tail - head) >= record_size(length)

    def count(self) -> int:
        """The records in the ring (a snapshot)."""
        return self.word(Word.COUNT)

    def empty(self) -> bool:
        """True if the ring holds no record (a snapshot)."""
        tail, _, head = _STATE.unpack_from(self._buf, 0)[:3]
        return head == tail

    # unfinished records, for joinable queues ----------------------------------------------

    def add_unfinished(self) -> None:
        """Count one record that will be pushed later (``counted=True``) as unfinished now."""
        self.acquire()
        try:
            self._set(Word.UNFINISHED, self.word(Word.UNFINISHED) + 1)
        finally:
            self.release()

    def task_done(self) -> None:
        """One record was processed; ``ValueError`` if more than were pushed."""
        self.acquire()
        try:
            unfinished = self.word(Word.UNFINISHED)
            if unfinished <= 0:
                raise ValueError("task_done() called too many times")
            self._set(Word.UNFINISHED, unfinished - 1)
            if unfinished == 1:
                for _ in range(self.word(Word.JOINERS)):
                    self._all_done.release()
                self._set(Word.JOINERS, 0)
        finally:
            self.release()

    def join(self) -> None:
        """Block until every record pushed was marked done."""
        self.acquire()
        try:
            while self.word(Word.UNFINISHED) > 0:
                self._wait(self._all_done, Word.JOINERS, None)
        finally:
            self.release()
