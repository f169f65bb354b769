"""The loop a pool worker process runs: receive a chunk, run it, send the outcomes back.

Each worker has its own pipe to the pool, so the pool always knows which chunk a worker holds,
and a worker killed mid-task cannot leave a shared lock held (the failure mode that hangs the
stdlib pool).  The one shared lock, the shared-memory segment table's, is never waited on for
long: a process that finds it held by a dead worker sends through an unpooled segment, or maps
the received one by name (``_datapath.segments``).  The messages are in ``messages``; the loop
over a chunk's tasks is the one both pools share (``runner.run_chunk``).
"""

from __future__ import annotations

import collections
import os
import pickle
import select
import signal
import time
from collections.abc import Callable, Iterable
from multiprocessing.pool import MaybeEncodingError

from concurrent._shared._machinery.pool.results import Outcome
from concurrent._shared._machinery.pool.runner import run_chunk
from concurrent._shared._machinery.pool.tracebacks import capture
from concurrent.processing._datapath.codec import BufferCodec
from concurrent.processing._pool import messages
from concurrent.processing._pool.messages import (
    Done,
    Failed,
    InitFailed,
    Partial,
    Ready,
    Task,
    send_frames,
    take_frames,
)

__all__ = ["worker_main"]

_IDLE_CHECK = 1.0  # seconds between checks, while idle, that the pool's process still lives


def worker_main(conn, codec: BufferCodec, initializer: Callable | None, initargs: Iterable,
                maxtasks: int | None, owner_pid: int) -> None:
    """Serve chunks on ``conn`` until told to stop, ``maxtasks`` chunks ran, or the owner died.

    ``codec`` (the pool's ``BufferCodec``) decodes tasks and encodes their results.
    """
    # Ctrl-C goes to the whole process group; the pool's owner decides what stops, not us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    fd = conn.fileno()
    if initializer is not None:
        try:
            initializer(*initargs)
        except BaseException as exc:
            _send(fd, codec, InitFailed(capture(exc)))
            return
    _send(fd, codec, Ready())
    inbox = _Inbox(fd, owner_pid)
    finished = 0
    while maxtasks is None or finished < maxtasks:
        frame = inbox.next()
        if not frame:  # STOP, or the pool is gone
            return
        offset = messages.resumed_offset(frame)
        if offset is not None:
            frame = inbox.next()
            if not frame:
                return
        _run(fd, codec, frame, offset or 0)
        finished += 1


def _send(fd: int, codec: BufferCodec, message: messages.Message) -> None:
    send_frames(fd, _encode(codec, message))


def _encode(codec: BufferCodec, message: messages.Message) -> bytes:
    if not isinstance(message, Partial | Done):
        return codec.dumps(messages.to_wire(message), what="message")
    try:
        return codec.dumps(messages.to_wire(message), what="result", look_in=message.values)
    except Exception:  # a value that cannot be pickled fails its own task, not the chunk
        pairs = _picklable_outcomes(message.outcome, message.values)
        message = message._replace(outcome=Outcome.MIXED, values=pairs)
        return codec.dumps(messages.to_wire(message), what="result", look_in=pairs)


def _run(fd: int, codec: BufferCodec, frame: bytes, offset: int) -> None:
    """Run a chunk's tasks from ``offset`` on and send their outcomes."""
    started = time.perf_counter()
    try:
        task = Task._make(codec.loads(frame))
    except BaseException as exc:
        _send(fd, codec, Failed(capture(exc), time.perf_counter() - started))
        return

    def report(outcome: Outcome, values: list, exact: bool) -> None:
        _send(fd, codec, Partial(outcome, values, exact))

    items = task.items[offset:] if offset else task.items
    outcome, values = run_chunk(task.func, items, task.star, capture, report)
    _send(fd, codec, Done(outcome, values, time.perf_counter() - started))


class _Inbox:
    """The frames the pool sent, read in bulk: one read takes every chunk queued so far, where
    ``Connection.recv_bytes`` costs two reads (and a poll) per chunk."""

    def __init__(self, fd: int, owner_pid: int) -> None:
        self._fd, self._owner_pid = fd, owner_pid
        self._poller = select.poll()  # Connection.poll builds a selector per call
        self._poller.register(fd, select.POLLIN)
        self._buffer = bytearray()
        self._frames: collections.deque[bytes] = collections.deque()

    def next(self) -> bytes | None:
        """The next frame; ``None`` once the pipe closed or the pool's process died."""
        while not self._frames:
            if not _wait_for_work(self._poller, self._owner_pid):
                return None
            try:
                data = os.read(self._fd, messages.READ_SIZE)
            except OSError:
                return None
            if not data:
                return None
            self._buffer += data
            self._frames.extend(take_frames(self._buffer))
        return self._frames.popleft()


def _wait_for_work(poller, owner_pid: int) -> bool:
    while not poller.poll(_IDLE_CHECK * 1000):
        try:
            os.kill(owner_pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
    return True


def _picklable_outcomes(outcome: Outcome, values: list) -> list[tuple[bool, object]]:
    """Replace each value that cannot be pickled by the stdlib's ``MaybeEncodingError``."""
    pairs = values if outcome == Outcome.MIXED else [(True, v) for v in values]
    result = []
    for ok, value in pairs:
        try:
            pickle.dumps(value)
        except Exception as exc:
            result.append((False, capture(MaybeEncodingError(exc, value))))
        else:
            result.append((ok, value))
    return result
