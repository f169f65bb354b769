"""The loop a pool worker process runs: receive a chunk, run it, send the outcomes back.

Each worker has its own pipe to the pool, so the pool always knows which chunk a worker
holds, and a worker killed mid-task cannot leave a shared lock held (the failure mode that hangs
the stdlib pool).  The one shared lock, the shared-memory segment table's, is never waited on
for long: a process that finds it held by a dead worker sends through an unpooled segment, or
maps the received one by name (``_fast_segments``).

To the worker: ``(func, items, star)``, or ``(func, args, None)`` for one ``apply`` task,
preceded by ``b"@"`` and a 4-byte offset when its first tasks already ran; ``b""`` to stop.
From it: ``("ready",)`` once its initializer ran, or ``("init_failed", error)``; then per chunk,
in the order the chunks came, any number of ``("partial", kind, values, exact)`` and one
``("done", kind, values, seconds)``, or ``("error", error, seconds)`` if the chunk could not be
unpickled.  ``kind`` and ``values`` are as in ``concurrent._shared._pool_results``; ``exact``
says the next task is reported before the one after it starts.  Both directions carry
``encode``'s payloads: a plain pickle, or, when they hold large buffers, a ``BufferCodec``
payload naming the shared memory that holds them.  Frames are ``Connection.send_bytes``'s,
read and written in bulk (``take_frames``/``send_frames``) to save system calls.
"""

from __future__ import annotations

import collections
import io
import os
import pickle
import select
import signal
import struct
import time
from collections.abc import Callable, Iterable
from typing import Any

from concurrent._shared._pool_tracebacks import capture
from concurrent.processing import _pickling
from concurrent.processing._shm_buffers import DEFAULT_THRESHOLD, _has_large_raw

__all__ = ["READ_SIZE", "encode", "pickle_task", "send_frames", "take_frames", "worker_main"]

_IDLE_CHECK = 1.0  # seconds between checks, while idle, that the pool's process still lives
_SLOW_TASK = 0.005  # seconds: tasks at least this slow are reported one by one
_dumps = pickle.dumps
_SCAN_ITEMS = 8
READ_SIZE = 1 << 16  # bytes taken from a pipe per read
_SIZE = struct.Struct("!i")  # Connection.send_bytes' frame header
_LONG_SIZE = struct.Struct("!Q")  # ... after a -1 header, for frames of 2 GiB and more


class _LargeBufferError(Exception):
    """A protocol 5 buffer worth shared memory turned up while pickling plainly."""


def _refuse_large(buffer: pickle.PickleBuffer) -> bool:
    if buffer.raw().nbytes >= DEFAULT_THRESHOLD:
        raise _LargeBufferError
    return True  # in-band


def encode(codec, message: tuple, items, *, what: str, plain: Callable = pickle.dumps) -> bytes:
    """``message`` as a payload of ``codec`` (a ``BufferCodec``), large buffers in shared memory.

    Most messages are small, and the codec costs several times their plain pickling, so a plain
    protocol 5 pickle goes first: it is a valid codec payload when it stays under the codec's
    threshold (then no buffer in it is large).  Only a message whose ``items`` (its tasks'
    arguments or results) visibly hold a large buffer, or whose plain pickle came out large,
    goes to the codec.
    """
    # A look one level into the few items of a single task (its args, or an outcome pair)
    # saves pickling a big buffer twice; a long chunk is judged by its pickle's length alone.
    if len(items) > _SCAN_ITEMS or not _has_large_raw(items, codec.threshold):
        try:
            data = plain(message, 5, buffer_callback=_refuse_large)
        except Exception:  # _LargeBufferError, or unpicklable: the codec then explains it
            pass
        else:
            if len(data) < codec.threshold:
                return data
    return codec.dumps(message, what=what)


def pickle_task(obj, protocol: int, buffer_callback: Callable) -> bytes:
    """Pickle with multiprocessing's reducers, as the stdlib pool sends tasks."""
    _pickling._Pickler.refresh()
    out = io.BytesIO()
    _pickling._Pickler(out, protocol, buffer_callback=buffer_callback).dump(obj)
    return out.getvalue()


def worker_main(conn, codec, initializer: Callable | None, initargs: Iterable,
                maxtasks: int | None, owner_pid: int, inherited_fds: tuple[int, ...]) -> None:
    """Serve chunks on ``conn`` until told to stop, ``maxtasks`` chunks ran, or the owner died.

    ``codec`` (the pool's ``BufferCodec``) decodes tasks and encodes their results.
    """
    # Ctrl-C goes to the whole process group; the pool's owner decides what stops, not us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for fd in inherited_fds:  # under fork: the pool's ends of its other workers' pipes
        try:
            os.close(fd)
        except OSError:
            pass
    if initializer is not None:
        try:
            initializer(*initargs)
        except BaseException as exc:
            conn.send_bytes(_dumps(("init_failed", capture(exc))))
            return
    conn.send_bytes(_dumps(("ready",)))
    inbox = _Inbox(conn.fileno(), owner_pid)
    finished = 0
    while maxtasks is None or finished < maxtasks:
        data = inbox.next()
        if not data:
            return
        offset = 0
        if data[:1] == b"@":  # the chunk's first tasks already ran (see _pool_dispatch)
            offset = int.from_bytes(data[1:5], "big")
            data = inbox.next()
            if data is None:
                return
        _run_chunk(conn, codec, data, offset)
        finished += 1


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
                data = os.read(self._fd, READ_SIZE)
            except OSError:
                return None
            if not data:
                return None
            self._buffer += data
            self._frames.extend(take_frames(self._buffer))
        return self._frames.popleft()


def send_frames(fd: int, *payloads: bytes) -> None:
    """Write ``payloads`` as ``Connection.send_bytes`` frames, in one system call."""
    view = memoryview(b"".join(part for payload in payloads
                               for part in (_SIZE.pack(len(payload)), payload)))
    while view:
        view = view[os.write(fd, view):]


def take_frames(buffer: bytearray) -> list[bytes]:
    """Take the complete ``Connection.send_bytes`` frames off the front of ``buffer``."""
    frames, position, end = [], 0, len(buffer)
    while end - position >= _SIZE.size:
        start = position + _SIZE.size
        (size,) = _SIZE.unpack_from(buffer, position)
        if size < 0:  # -1: a long frame, its size follows
            if end - start < _LONG_SIZE.size:
                break
            (size,) = _LONG_SIZE.unpack_from(buffer, start)
            start += _LONG_SIZE.size
        if end - start < size:
            break
        frames.append(bytes(buffer[start:start + size]))
        position = start + size
    del buffer[:position]
    return frames


def _wait_for_work(poller, owner_pid: int) -> bool:
    while not poller.poll(_IDLE_CHECK * 1000):
        try:
            os.kill(owner_pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
    return True


def _run_chunk(conn, codec, data: bytes, offset: int) -> None:
    """Run the chunk's tasks from ``offset`` on and send their outcomes.

    While its tasks are slow, the worker reports each one before it starts the next, so if it
    dies the pool knows exactly which task killed it and that the rest never ran.  After the
    first fast task it goes quiet until the chunk ends: per-task messages would cost more than
    fast tasks themselves, and the pool then only knows the range the death happened in.
    """
    started = time.perf_counter()
    fd = conn.fileno()
    try:
        func, items, star = codec.loads(data)
        if star is None:  # one apply task: ``items`` is its args
            items, star = [items], True
    except BaseException as exc:
        send_frames(fd, _dumps(("error", capture(exc), time.perf_counter() - started)))
        return
    if offset:
        items = items[offset:]
    values: list[Any] = []
    failed = False
    exact = True
    mark = started
    last = len(items) - 1
    for index, item in enumerate(items):
        try:
            value = func(*item) if star else func(item)
        except BaseException as exc:
            # SystemExit and KeyboardInterrupt too: a task must not take its worker down.
            if not failed:
                values = [(True, v) for v in values]
                failed = True
            values.append((False, capture(exc)))
        else:
            values.append((True, value) if failed else value)
        if exact and index < last:
            now = time.perf_counter()
            exact = now - mark >= _SLOW_TASK
            mark = now
            send_frames(fd, _outcome_message(codec, "partial", values, failed, exact))
            values, failed = [], False
    seconds = time.perf_counter() - started
    send_frames(fd, _outcome_message(codec, "done", values, failed, seconds))


def _outcome_message(codec, what: str, values: list, failed: bool, extra: Any) -> bytes:
    """``(what, kind, values, extra)``, replacing results that cannot be pickled by errors."""
    try:
        return encode(codec, (what, "mixed" if failed else "ok", values, extra), values,
                      what="result")
    except Exception:
        pairs = _picklable_outcomes(values, failed)
        return encode(codec, (what, "mixed", pairs, extra), pairs, what="result")


def _picklable_outcomes(values: list, failed: bool) -> list[tuple[bool, Any]]:
    """Replace each value that cannot be pickled by an error that says so."""
    pairs = values if failed else [(True, v) for v in values]
    result = []
    for ok, value in pairs:
        try:
            _dumps(value)
        except Exception as exc:
            error = pickle.PicklingError(
                f"the task's result {type(value).__qualname__} could not be pickled to return it "
                f"from the worker ({type(exc).__name__}: {exc}); return plain data instead")
            result.append((False, capture(error)))
        else:
            result.append((ok, value))
    return result
