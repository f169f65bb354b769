"""A process queue over a shared-memory ring: no pipe, no per-item syscall, no feeder thread.

``put`` pickles in the caller (a pickling error raises there and nothing is queued), then takes
a short lock, copies the bytes into the ring and moves the tail; ``get`` copies the oldest
record out and moves the head.  A process waits on a semaphore only when the ring is empty (or
full), and only then does the other side pay a ``release``: the stdlib's queue pays a pipe write
and read plus semaphore calls for every item.  Large buffers travel through shared-memory
segments (``_shm_buffers``); the ring carries only their names.  (A thread appears only when
a producer's items overflow a full ring of an unbounded queue: ``_fast_overflow``.)

Safety when a process dies: an item is in the ring once ``put`` returns (unless an unbounded
queue's ring was full: see ``_fast_overflow``), so a producer that dies loses nothing it put;
a consumer takes exactly one item per ``get``, so it never dies holding items others could
have had.  The head and tail move by one aligned 8-byte store after
the copy, so a process killed inside ``put``/``get`` leaves the ring consistent; the lock records
its holder, and a waiter that finds the holder dead (or finds none recorded for three
seconds: it died between taking the lock and recording itself) takes the lock over and recounts
the items.
Waits are in one-second slices, so a wake-up lost to a dying process costs at most a second.
"""

from __future__ import annotations

import os
import struct
import time
from multiprocessing import context as _mp_context
from multiprocessing import heap as _heap
from pickle import dumps as _dumps
from pickle import loads as _loads

from concurrent import _shared
from concurrent._shared._timeouts import check_timeout
from concurrent.processing import _fast_segments
from concurrent.processing._fast_overflow import Overflow
from concurrent.processing._shm_buffers import BufferCodec

__all__ = ["FastJoinableQueue", "FastQueue", "FastSimpleQueue"]

# Native formats: an aligned native 8-byte store is one instruction, so a process killed while
# storing the tail or head cannot leave half of it written.
_STATE = struct.Struct("qqqqq")  # tail, count, head, waiting getters, waiting putters
_COMMIT = struct.Struct("qq")  # (tail, count) for put, (count, head) for get: one store each
_TAIL, _COUNT, _HEAD, _GETTERS, _PUTTERS, _OWNER = 0, 8, 16, 24, 32, 40
_UNFINISHED, _JOINERS = 48, 56  # FastJoinableQueue: items not yet task_done, waiting joiners
_WORD = struct.Struct("q")
_RECORD = struct.Struct("II")  # payload length, kind (8 bytes: records stay 8-aligned)
_SCALAR, _CODEC = 0, 1  # kinds: a plain pickle of a str/int/float/None, or a codec payload
_SCALARS = frozenset({str, int, float, bool, type(None), bytes})
_HEADER_SIZE = 64
_SPINS = 50  # non-blocking retries of a busy lock before sleeping on it
_SLICE = 1.0  # longest single wait: bounds the cost of a wake-up lost to a dead process
# A holder records itself right after taking the lock and clears that right before releasing
# it: a lock held this many slices in a row with no holder recorded lost its holder in between.
_ORPHAN_SLICES = 3
_pid = [os.getpid()]
os.register_at_fork(after_in_child=lambda: _pid.__setitem__(0, os.getpid()))


def _record_size(length: int) -> int:
    return _RECORD.size + ((length + 7) & ~7)


class FastQueue(_shared.Queue):
    """A FIFO queue between processes, bounded when ``maxsize > 0``.

    ``capacity_bytes`` sizes the ring.  A bounded queue's ``put`` also waits while the ring
    has no room for the item; an unbounded one never waits: what does not fit goes to this
    process's overflow (``_fast_overflow``), fed into the ring by a thread as room appears.
    Create it in the parent and pass it to children when starting them.
    """

    _joinable = False

    def __init__(self, maxsize: int = 0, *, capacity_bytes: int = 1 << 20, ctx=None,
                 codec: BufferCodec | None = None) -> None:
        if not isinstance(maxsize, int) or maxsize < 0:
            raise ValueError(f"maxsize must be an int >= 0, got {maxsize!r}")
        if capacity_bytes < 4096:
            raise ValueError(f"capacity_bytes must be at least 4096, got {capacity_bytes!r}")
        mp_ctx = _mp_context._default_context if ctx is None else getattr(ctx, "_mp_context", ctx)
        capacity = capacity_bytes // 8 * 8
        self._state = (
            maxsize, capacity, mp_ctx.Lock(), mp_ctx.Lock(), mp_ctx.Semaphore(0),
            mp_ctx.Semaphore(0), _heap.BufferWrapper(_HEADER_SIZE + capacity),
            codec or BufferCodec.for_channel(ctx=mp_ctx, inline_limit=capacity // 4),
            mp_ctx.Semaphore(0) if self._joinable else None,
        )
        self._setup()
        self._buf[:_HEADER_SIZE] = bytes(_HEADER_SIZE)

    def _setup(self) -> None:
        (self._maxsize, self._capacity, self._lock, self._recovery, self._not_empty,
         self._not_full, wrapper, self._codec, self._all_done) = self._state
        self._buf = wrapper.create_memoryview()
        self._ring = self._buf[_HEADER_SIZE:]
        self._inline_limit = self._capacity // 4
        self._large = self._codec.threshold  # bytes this big go to the codec unpickled
        self._closed = self._cancelled = False
        self._overflow: Overflow | None = None

    def __getstate__(self):
        _mp_context.assert_spawning(self)
        return self._state

    def __setstate__(self, state) -> None:
        self._state = state
        self._setup()

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__} maxsize={self._maxsize} items={self.qsize()}>"

    # the lock, with takeover from a dead holder ------------------------------------------

    def _acquire(self) -> None:
        lock = self._lock
        if not lock.acquire(False):
            # The lock guards a copy of a few hundred bytes: retrying a few times costs less
            # than sleeping in the kernel and being woken (two syscalls, a context switch).
            for _ in range(_SPINS):
                if lock.acquire(False):
                    break
            else:
                unowned = 0  # slices in a row that the lock stayed held by nobody recorded
                while not lock.acquire(True, _SLICE):
                    holder = _WORD.unpack_from(self._buf, _OWNER)[0]
                    unowned = unowned + 1 if holder == 0 else 0
                    if (holder or unowned >= _ORPHAN_SLICES) and self._take_over_from(holder):
                        break
        _WORD.pack_into(self._buf, _OWNER, _pid[0])

    def _release(self) -> None:
        _WORD.pack_into(self._buf, _OWNER, 0)
        self._lock.release()

    def _take_over_from(self, holder: int) -> bool:
        """Inherit the lock from ``holder`` if it died (0: one that died before recording)."""
        if holder != 0 and _fast_segments.process_alive(holder):
            return False
        with self._recovery:  # only one waiter may inherit the lock
            if _WORD.unpack_from(self._buf, _OWNER)[0] != holder:
                return False
            _WORD.pack_into(self._buf, _OWNER, _pid[0])
        tail, _, head = _STATE.unpack_from(self._buf, 0)[:3]
        count, position = 0, head
        while position < tail:  # the holder may have died between the commit and the count
            position += _record_size(_RECORD.unpack_from(self._ring, position % self._capacity)[0])
            count += 1
        _WORD.pack_into(self._buf, _COUNT, count)
        return True

    def _wait(self, semaphore, counter: int, deadline: float | None) -> bool:
        """Sleep (lock released) until signalled or ``deadline``; False when it passed."""
        remaining = _SLICE if deadline is None else deadline - time.monotonic()
        if remaining <= 0:
            return False
        _WORD.pack_into(self._buf, counter, _WORD.unpack_from(self._buf, counter)[0] + 1)
        self._release()
        signalled = False
        try:
            signalled = semaphore.acquire(True, min(remaining, _SLICE))
        finally:  # also when interrupted: the caller's ``finally`` releases the lock
            self._acquire()
            if not signalled and not semaphore.acquire(False):
                waiting = _WORD.unpack_from(self._buf, counter)[0]  # nobody woke us
                _WORD.pack_into(self._buf, counter, max(waiting - 1, 0))
        return True

    # the queue API ------------------------------------------------------------------------

    def put(self, obj, block: bool = True, timeout: float | None = None) -> None:
        """Append ``obj``; ``Full`` if no room came in time, ``UnpicklableError`` at once."""
        if self._closed:
            raise ValueError(f"{self!r} is closed")
        if block and timeout is not None:
            check_timeout(timeout)
        if type(obj) in _SCALARS and not (type(obj) is bytes and len(obj) >= self._large):
            payload, kind = _dumps(obj, 5), _SCALAR
            if len(payload) > self._inline_limit:  # a huge string: let the codec share it
                payload, kind = self._codec.dumps(obj, what="item"), _CODEC
        else:
            payload, kind = self._codec.dumps(obj, what="item"), _CODEC
        try:
            overflow = self._overflow
            if overflow is not None and len(overflow) and overflow.pid == _pid[0]:
                self._spill(payload, kind)  # behind this process's earlier items
            elif self._maxsize == 0:
                try:
                    self._push(payload, kind, False, None)
                except _shared.Full:  # an unbounded queue never makes put wait
                    self._spill(payload, kind)
            else:
                self._push(payload, kind, block, timeout)
        except BaseException:
            if kind == _CODEC:
                self._codec.discard(payload)
            raise

    def _spill(self, payload: bytes, kind: int) -> None:
        overflow = self._overflow
        if overflow is None or overflow.pid != _pid[0]:  # none yet, or the parent's (forked)
            overflow = self._overflow = Overflow(self._feed)
            if self._cancelled:
                overflow.cancel()
        if self._joinable:  # counted now, as the stdlib counts in put: join must wait for it
            self._acquire()
            try:
                _WORD.pack_into(self._buf, _UNFINISHED,
                                _WORD.unpack_from(self._buf, _UNFINISHED)[0] + 1)
            finally:
                self._release()
        overflow.append((payload, kind))

    def _feed(self, payload: bytes, kind: int) -> None:
        """The overflow feeder's push: wait for room as long as it takes."""
        self._push(payload, kind, True, None, counted=True)

    def _push(self, payload: bytes, kind: int, block: bool, timeout: float | None,
              counted: bool = False) -> None:
        length = len(payload)
        need = _record_size(length)
        ring, capacity, buf = self._ring, self._capacity, self._buf
        if need > capacity:  # the codec keeps payloads far below this; a bad codec may not
            raise ValueError(f"an item of {length} bytes cannot fit a ring of {capacity} bytes")
        self._acquire()
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
            start = position + _RECORD.size
            first = capacity - start
            if first >= length:
                ring[start:start + length] = payload
            else:
                ring[start:] = payload[:first]
                ring[:length - first] = payload[first:]
            _COMMIT.pack_into(buf, _TAIL, tail + need, count + 1)
            if self._joinable and not counted:
                _WORD.pack_into(buf, _UNFINISHED, _WORD.unpack_from(buf, _UNFINISHED)[0] + 1)
            if getters > 0:
                _WORD.pack_into(buf, _GETTERS, getters - 1)
                self._not_empty.release()
        finally:
            _WORD.pack_into(buf, _OWNER, 0)
            self._lock.release()

    def get(self, block: bool = True, timeout: float | None = None):
        """Remove and return the oldest item; ``Empty`` if none came in time."""
        if block and timeout is not None:
            check_timeout(timeout)
        ring, capacity, buf = self._ring, self._capacity, self._buf
        self._acquire()
        try:
            tail, count, head, _, putters = _STATE.unpack_from(buf, 0)
            if tail == head:
                deadline = None if timeout is None else time.monotonic() + timeout
                while tail == head:
                    if not block or not self._wait(self._not_empty, _GETTERS, deadline):
                        raise _shared.Empty
                    tail, count, head, _, putters = _STATE.unpack_from(buf, 0)
            position = head % capacity
            length, kind = _RECORD.unpack_from(ring, position)
            start = position + _RECORD.size
            first = capacity - start
            if first >= length:
                if kind == _SCALAR:  # a str/int/...: unpickling it runs no user code
                    item = _loads(ring[start:start + length])
                else:
                    payload = ring[start:start + length].tobytes()
            else:
                payload = ring[start:].tobytes() + ring[:length - first].tobytes()
                if kind == _SCALAR:
                    item = _loads(payload)
            _COMMIT.pack_into(buf, _COUNT, max(count - 1, 0), head + _record_size(length))
            if putters > 0:
                _WORD.pack_into(buf, _PUTTERS, putters - 1)
                self._not_full.release()
        finally:
            _WORD.pack_into(buf, _OWNER, 0)
            self._lock.release()
        return item if kind == _SCALAR else self._codec.loads(payload)

    def qsize(self) -> int:
        """The number of items in the queue (a snapshot)."""
        return _WORD.unpack_from(self._buf, _COUNT)[0]

    def empty(self) -> bool:
        """True if the queue holds no item (a hint: another process may change it at once)."""
        tail, _, head = _STATE.unpack_from(self._buf, 0)[:3]
        return head == tail

    def full(self) -> bool:
        """True if ``maxsize`` items are queued (a hint, like ``empty``)."""
        return 0 < self._maxsize <= self.qsize()

    def close(self) -> None:
        """This process will put no more items (items already put stay for consumers)."""
        self._closed = True

    def join_thread(self) -> None:
        """Wait until the items this process put are all in the ring (after ``close``).

        Only items that found the ring of an unbounded queue full wait outside it, in this
        process; the process also waits for them when it exits, as with the stdlib's queue.
        """
        if not self._closed:
            raise ValueError(f"{self!r} is still open: close() it before join_thread()")
        if self._overflow is not None and self._overflow.pid == _pid[0]:
            self._overflow.join()

    def cancel_join_thread(self) -> None:
        """Do not wait at exit for items still outside the ring: they are lost if it exits."""
        self._cancelled = True
        if self._overflow is not None and self._overflow.pid == _pid[0]:
            self._overflow.cancel()

class FastSimpleQueue(FastQueue, _shared.SimpleQueue):
    """An unbounded ``FastQueue`` with the ``SimpleQueue`` API: ``put``, ``get``, ``empty``."""

    def __init__(self, *, capacity_bytes: int = 1 << 20, ctx=None,
                 codec: BufferCodec | None = None) -> None:
        super().__init__(0, capacity_bytes=capacity_bytes, ctx=ctx, codec=codec)


class FastJoinableQueue(FastQueue, _shared.JoinableQueue):
    """A ``FastQueue`` counting unfinished items: consumers ``task_done()``, producers ``join()``.

    ``put`` counts the item in the same locked step that queues it, so ``join`` can never see
    an item in the ring that is not counted yet.
    """

    _joinable = True

    def task_done(self) -> None:
        """Mark one fetched item as processed; ``ValueError`` if called more often than ``put``."""
        buf = self._buf
        self._acquire()
        try:
            unfinished = _WORD.unpack_from(buf, _UNFINISHED)[0]
            if unfinished <= 0:
                raise ValueError("task_done() called too many times")
            _WORD.pack_into(buf, _UNFINISHED, unfinished - 1)
            if unfinished == 1:
                for _ in range(_WORD.unpack_from(buf, _JOINERS)[0]):
                    self._all_done.release()
                _WORD.pack_into(buf, _JOINERS, 0)
        finally:
            self._release()

    def join(self) -> None:
        """Block until every item put has been marked done with ``task_done``."""
        self._acquire()
        try:
            while _WORD.unpack_from(self._buf, _UNFINISHED)[0] > 0:
                self._wait(self._all_done, _JOINERS, None)
        finally:
            self._release()
