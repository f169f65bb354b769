"""Worker functions for the data path tests, importable by spawn and forkserver children."""

from __future__ import annotations

import multiprocessing
import os
import pickle

from concurrent.processing._datapath import ring
from concurrent.processing.queues import JoinableQueue, Queue

WAIT = 20.0  # the longest a child waits for its peer


class SmallQueue(Queue):
    """A queue with a 4 KiB ring: a few items fill it (wrap-around, overflow)."""

    _capacity_bytes = 4096


class SmallJoinableQueue(JoinableQueue):
    _capacity_bytes = 4096


class TinyQueue(Queue):
    _capacity_bytes = 100  # too small: refused


def produce(queue, tag: int, count: int) -> None:
    for seq in range(count):
        queue.put((tag, seq, "p" * 200))


def produce_and_cancel(queue, count: int) -> None:
    """Put more than the ring holds, then exit without waiting for the overflow."""
    queue.cancel_join_thread()
    produce(queue, 0, count)


def consume(queue, results, count: int) -> None:
    """Get ``count`` items and report them all at once."""
    results.put([queue.get(timeout=WAIT)[:2] for _ in range(count)])


def echo(jobs, results, count: int) -> None:
    for _ in range(count):
        results.put(jobs.get(timeout=WAIT))


def consume_joinable(jobs, results, count: int) -> None:
    for _ in range(count):
        results.put(jobs.get(timeout=WAIT)[0])
        jobs.task_done()


def get_one_then_die(queue, results) -> None:
    """A consumer that takes one item, reports it, and dies without any cleanup."""
    results.put(queue.get(timeout=WAIT))
    os._exit(0)


def block_in_get(queue, ready) -> None:
    """Signal, then wait for an item that never comes (the test kills this process)."""
    ready.set()
    queue.get()


def die_holding_lock(queue) -> None:
    queue._ring.acquire()
    os._exit(0)


def die_holding_unrecorded_lock(queue) -> None:
    """Die between taking the queue's lock and recording itself as its holder."""
    queue._ring._lock.acquire()
    os._exit(0)


def die_after_commit(queue, item) -> None:
    """Write ``item`` and commit the tail, then die before updating the count or unlocking."""
    payload = pickle.dumps(item, 5)
    target = queue._ring
    target.acquire()
    tail = target.word(ring.Word.TAIL)
    position = tail % target.capacity
    ring._RECORD.pack_into(target._ring, position, len(payload), ring.Kind.SCALAR)
    start = position + ring._RECORD.size
    target._ring[start:start + len(payload)] = payload
    target._set(ring.Word.TAIL, tail + ring.record_size(len(payload)))
    os._exit(0)


def report_takeover_locks(results) -> None:
    """Put which takeover locks a forked child has (none), and whether a new ring gets one."""
    before = sorted(ring._takeover_locks)
    fresh = ring.Ring(0, 4096, multiprocessing.get_context("fork"), False)
    results.put((before, ring._takeover_locks["fork"] is fresh._recovery))


def put_then_die(queue, item) -> None:
    """A producer that puts and dies at once, without any exit handling."""
    queue.put(item)
    os._exit(0)


def put_all(queue, items) -> None:
    for item in items:
        queue.put(item, timeout=WAIT)


def load_and_die(codec, payload) -> None:
    """A receiver that maps a payload's segment and dies still holding the mapping."""
    received = codec.loads(payload)
    assert len(received) > 0
    os._exit(0)


def acquire_and_die(pool, size: int) -> None:
    """A sender that dies while writing into a pooled segment."""
    assert pool.acquire(size) is not None
    os._exit(0)


def lock_table_and_die(pool) -> None:
    """A process killed while it holds the segment table's lock (it never releases it)."""
    assert pool._lock.acquire(True, 10)
    os._exit(0)


def dumps_and_die(codec, obj, connection) -> None:
    """A sender that encodes ``obj``, hands over the payload and dies before anything else."""
    connection.send_bytes(codec.dumps(obj))
    os._exit(0)


def echo_connection(connection) -> None:
    """Send back every object received until ``None``."""
    while (obj := connection.recv()) is not None:
        connection.send(obj)
    connection.close()


def echo_connection_from_queue(queue) -> None:
    """Take a connection that arrives through ``queue`` after this process started, and echo."""
    echo_connection(queue.get(timeout=WAIT))


def echo_kept_segments(connection) -> None:
    """Answer each buffer with (segments this process kept before, the buffer's bytes)."""
    from concurrent.processing._datapath import memfd_segments

    while (received := connection.recv()) is not None:
        kept = len(memfd_segments.SENT._kept)
        connection.send((kept, bytes(received)))
        del received
