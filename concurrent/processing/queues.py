"""Process queues: a ring in shared memory, under the stdlib's names and signatures.

A queue is a ``Ring`` of records in shared memory (``_datapath.ring``: no pipe, no per-item
syscall, no feeder thread), and ``put`` encodes in the caller with the package's codec
(``_datapath.codec``), so a bad item raises there and is never lost (the stdlib's feeder thread
prints the error and drops the item, gh-84376).  Buffers of 64 KiB or more (bytes, bytearray,
memoryview, numpy arrays) travel through pooled shared-memory segments that the queue's creator
unlinks when the queue is collected or the creator exits; the ring carries only their names.

An unbounded queue never makes ``put`` wait (``queue.Queue`` semantics), yet its ring has a
fixed size.  A put that finds the ring full polls for room for up to 100 µs (a consumer that
keeps up frees some within microseconds); what still does not fit waits in the producing
process (``_datapath.overflow``), fed into the ring by a thread as room appears, and that
process's later puts move the waiting items first and queue behind them.  So an item is in the
ring once ``put`` returns, unless the ring was full, and a producer that dies loses nothing it
put.

One difference from ``multiprocessing.Queue``: ``join_thread()`` raises ``ValueError`` unless
``close()`` came first (the stdlib only asserts it).
"""

from __future__ import annotations

import functools
from multiprocessing import queues as _mp_queues
from multiprocessing.context import assert_spawning
from pickle import dumps as _plain_dumps

from concurrent import _shared
from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent.processing._datapath.codec import PLAIN_TAG, BufferCodec
from concurrent.processing._datapath.overflow import Overflow
from concurrent.processing._datapath.ring import Kind, Ring
from concurrent.processing._datapath.segments import table_size
from concurrent.processing._datapath.spin import spin_until
from concurrent.processing._start import mp_context
from concurrent.processing.connection import Pipe

__all__ = ["JoinableQueue", "Queue", "SimpleQueue"]

_TEXT_AND_NUMBERS = frozenset({str, int, float, bool, type(None)})
_SCALAR, _CODEC = Kind.SCALAR, Kind.CODEC  # looked up once (see ``ring._SCALAR``)


class Queue(_shared.Queue):
    """A FIFO queue between processes, bounded when ``maxsize > 0``.

    Create it in the parent and pass it to children when starting them.  A bounded queue's
    ``put`` also waits while the ring has no room for the item.
    """

    _start_method: str | None = None
    _capacity_bytes = 1 << 20  # the ring's size; a subclass may choose another
    _joinable = False

    def __init__(self, maxsize: int = 0) -> None:
        if not isinstance(maxsize, int) or maxsize < 0:
            raise ValueError(f"maxsize must be an int >= 0, got {maxsize!r}")
        ctx = mp_context(self._start_method)
        # The segment pool shares the ring's lock and keeps its table after the ring's records:
        # a queue costs three semaphores and one piece of shared memory, as the stdlib's costs
        # three semaphores and a pipe.
        ring = Ring(maxsize, self._capacity_bytes, ctx, self._joinable, spare=table_size())
        codec = BufferCodec.for_channel(ctx=ctx, lock=ring.lock, table=ring.spare,
                                        inline_limit=ring.capacity // 4)
        self._state = (ring, codec)
        self._setup()

    def _setup(self) -> None:
        self._ring, self._codec = self._state
        self._maxsize = self._ring.maxsize
        self._closed = self._cancelled = False
        self._overflow: Overflow | None = None

    def __getstate__(self):
        assert_spawning(self)
        return self._state

    def __setstate__(self, state) -> None:
        self._state = state
        self._setup()

    def __repr__(self) -> str:
        return (f"<{type(self).__module__}.{type(self).__qualname__} maxsize={self._maxsize} "
                f"items={self.qsize()}>")

    def _refuse_closed(self) -> None:
        raise ValueError(f"Queue {self!r} is closed")

    def put(self, obj, block: bool = True, timeout: float | None = None) -> None:
        """Append ``obj``; ``Full`` if no room came in time, a pickling error at once.

        ``ValueError`` after ``close()`` in this process.
        """
        if self._closed:
            self._refuse_closed()
        if block and timeout is not None:
            check_timeout(timeout)
        # A plain pickle of a str, int, bytes...: the ring unpickles it in place.  Text and
        # numbers skip the codec's own checks (the most common items: a tenth of a put).
        if type(obj) in _TEXT_AND_NUMBERS:
            payload = _plain_dumps(obj, 5)
            kind = _SCALAR
            if len(payload) >= self._codec.inline_limit:  # e.g. a huge str: shared memory
                payload, kind = self._codec.dumps(obj, what="item"), _CODEC
        else:
            payload = self._codec.dumps(obj, what="item")
            kind = _SCALAR if type(obj) is bytes and payload[0] == PLAIN_TAG else _CODEC
        try:
            overflow = self._overflow
            if overflow is not None and len(overflow) and overflow.is_ours():
                # Behind this process's earlier items: in the ring once they all are.
                if not (overflow.drain() and self._push_now(payload, kind)):
                    self._spill(payload, kind)
            elif self._maxsize == 0:
                try:
                    self._ring.push(payload, kind, False, None)
                except _shared.Full:  # an unbounded queue never makes put wait
                    self._push_soon_or_spill(payload, kind)
            else:
                self._ring.push(payload, kind, block, timeout)
        except BaseException:
            if kind == _CODEC:
                self._codec.discard(payload)
            raise

    def _push_soon_or_spill(self, payload: bytes, kind: Kind) -> None:
        """The ring was full.  A consumer that keeps up makes room within microseconds, so
        poll for it briefly (``spin_until``) before spilling, which starts a thread."""
        if not (spin_until(functools.partial(self._ring.has_room, len(payload)))
                and self._push_now(payload, kind)):
            self._spill(payload, kind)

    def _push_now(self, payload: bytes, kind: Kind, counted: bool = False) -> bool:
        """Push if there is room now (never waits); False if there is none."""
        if not self._ring.has_room(len(payload)):
            return False
        try:
            self._ring.push(payload, kind, False, None, counted)
        except _shared.Full:  # another producer took the room first
            return False
        return True

    def _spill(self, payload: bytes, kind: Kind) -> None:
        overflow = self._overflow
        if overflow is None or not overflow.is_ours():  # none yet, or the parent's (forked)
            overflow = self._overflow = Overflow(self._push_spilled, self._wait_for_room)
            if self._cancelled:
                overflow.cancel()
        if self._joinable:  # counted now, as the stdlib counts in put: join must wait for it
            self._ring.add_unfinished()
        overflow.append((payload, kind))

    def _push_spilled(self, payload: bytes, kind: Kind) -> bool:
        return self._push_now(payload, kind, counted=True)  # counted when spilled

    def _wait_for_room(self, payload: bytes, kind: Kind) -> None:
        self._ring.wait_for_room(len(payload))

    def get(self, block: bool = True, timeout: float | None = None):
        """Remove and return the oldest item; ``Empty`` if none came in time.

        ``ValueError`` after ``close()`` in this process.
        """
        if self._closed:
            self._refuse_closed()
        if block and timeout is not None:
            check_timeout(timeout)
        kind, value = self._ring.pop(block, timeout)
        return value if kind == _SCALAR else self._codec.loads(value)

    def qsize(self) -> int:
        """The number of items in the queue (a snapshot)."""
        return self._ring.count()

    def empty(self) -> bool:
        """True if the queue holds no item (a hint: another process may change it at once)."""
        return self._ring.empty()

    def full(self) -> bool:
        """True if ``maxsize`` items are queued (a hint, like ``empty``)."""
        return 0 < self._maxsize <= self.qsize()

    def close(self) -> None:
        """This process is done with the queue: its ``put`` and ``get`` raise from now on.

        Items already put stay for the other processes' consumers.
        """
        self._closed = True

    def join_thread(self) -> None:
        """Wait until the items this process put are all in the ring (after ``close``).

        Only items that found the ring of an unbounded queue full wait outside it, in this
        process; the process also waits for them when it exits, as with the stdlib's queue.
        """
        if not self._closed:
            raise ValueError(f"{self!r} is still open: close() it before join_thread()")
        if self._overflow is not None and self._overflow.is_ours():
            self._overflow.join()

    def cancel_join_thread(self) -> None:
        """Do not wait at exit for items still outside the ring: they are lost if it exits."""
        self._cancelled = True
        if self._overflow is not None and self._overflow.is_ours():
            self._overflow.cancel()


class SimpleQueue(_mp_queues.SimpleQueue, _shared.SimpleQueue):
    """An unbounded FIFO queue between processes: ``put``, ``get``, ``empty``, ``close``.

    multiprocessing's: a pipe and two locks, so libraries that read its pipe (the stdlib's
    ``ProcessPoolExecutor`` waits on ``_reader``) work with it.  Its ends encode with a codec of
    its own: a bad item raises in ``put``, naming its bad part, and buffers of 64 KiB or more
    travel through pooled shared memory, as through a ``Queue``.  After ``close()`` its ``put``,
    ``get`` and ``empty`` raise ``OSError``, as multiprocessing's do.
    """

    _start_method: str | None = None

    def __init__(self) -> None:
        ctx = mp_context(self._start_method)
        self._reader, self._writer = Pipe(duplex=False)
        self._rlock, self._wlock = ctx.Lock(), ctx.Lock()
        self._codec = BufferCodec.for_channel(ctx=ctx)
        self._setup()

    def _setup(self) -> None:
        self._reader._codec = self._writer._codec = self._codec  # also for _reader.recv()
        self._poll = self._reader.poll

    def __getstate__(self):
        assert_spawning(self)
        return self._reader, self._writer, self._rlock, self._wlock, self._codec

    def __setstate__(self, state) -> None:
        self._reader, self._writer, self._rlock, self._wlock, self._codec = state
        self._setup()

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__qualname__} at {id(self):#x}>"

    def put(self, obj) -> None:
        """Append ``obj``; a pickling error raises here and nothing is sent."""
        self._writer._check_closed()
        payload = self._codec.dumps(obj, what="item")
        try:
            with self._wlock:
                self._writer.send_bytes(payload)
        except BaseException:
            self._codec.discard(payload)
            raise

    def get(self):
        """Remove and return the oldest item, waiting while the queue is empty."""
        with self._rlock:
            payload = self._reader.recv_bytes()
        return self._codec.loads(payload)


class JoinableQueue(Queue, _shared.JoinableQueue):
    """A ``Queue`` that counts unfinished items: consumers ``task_done()``, producers ``join()``.

    ``put`` counts the item in the same locked step that queues it, so ``join`` can never see
    an item in the ring that is not counted yet.
    """

    _joinable = True

    def task_done(self) -> None:
        """Mark one fetched item as processed; ``ValueError`` if called more often than ``put``."""
        self._ring.task_done()

    def join(self) -> None:
        """Block until every item put has been marked done with ``task_done``."""
        self._ring.join()

__dir__ = public_dir(globals())
