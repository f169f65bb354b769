"""Every message between the pool's thread and its worker processes, and how they are framed.

To a worker, on its private pipe, one frame each:

- a ``Task`` payload: ``func`` to run over ``items`` (``func(*item)`` when ``star``);
- a ``RESUME`` frame before a task payload: the first tasks of that chunk already ran
  (a worker died after reporting them; its replacement runs the rest);
- ``STOP`` (an empty frame): finish and exit.

From a worker, in order: ``Ready`` once its initializer ran, or ``InitFailed``; then for each
chunk, in the order the chunks came, any number of ``Partial`` and one ``Done``, or ``Failed``
if the chunk could not even be decoded.  ``outcome`` and ``values`` are as in
``concurrent._shared._machinery.pool.results`` (``Outcome``).

On the wire a message is a plain tuple, ``(tag, *fields)``, of ints and the values (an enum or a
named tuple costs about 3 µs more to pickle and unpickle); ``to_wire``/``from_wire`` convert.
Payloads are ``BufferCodec`` payloads (large buffers in shared memory).  Frames are
``Connection.send_bytes``'s, read and written in bulk (``take_frames``/``send_frames``) to save
system calls.
"""

from __future__ import annotations

import enum
import os
import struct
from collections.abc import Callable
from typing import Any, NamedTuple

from concurrent._shared._machinery.pool.results import Outcome

__all__ = [
    "READ_SIZE", "RESUME", "STOP", "Done", "Failed", "InitFailed", "Partial", "Ready", "Tag",
    "Task", "from_wire", "resume_frame", "resumed_offset", "send_frames", "take_frames",
    "to_wire",
]

READ_SIZE = 1 << 16  # bytes taken from a pipe per read
_SIZE = struct.Struct("!i")  # Connection.send_bytes' frame header
_LONG_SIZE = struct.Struct("!Q")  # ... after a -1 header, for frames of 2 GiB and more
RESUME = b"@"  # + a 4-byte big-endian offset
STOP = b""


class Task(NamedTuple):
    """A chunk of tasks: ``func`` over ``items`` (each ``func(*item)`` when ``star``)."""

    func: Callable
    items: list
    star: bool


class Tag(enum.IntEnum):
    """Which message a worker sent (the first element on the wire)."""

    READY = 0
    INIT_FAILED = 1
    PARTIAL = 2
    DONE = 3
    FAILED = 4


class Ready(NamedTuple):
    """The initializer ran: the worker takes chunks."""

    TAG = Tag.READY


class InitFailed(NamedTuple):
    """The initializer raised ``error`` (with its traceback): the pool is broken."""

    error: BaseException
    TAG = Tag.INIT_FAILED


class Partial(NamedTuple):
    """Outcomes of the next tasks of the running chunk (sent while tasks are slow).

    ``exact``: the worker reports the next task before it starts the one after.
    """

    outcome: Outcome
    values: list
    exact: bool
    TAG = Tag.PARTIAL


class Done(NamedTuple):
    """The running chunk finished: the outcomes not reported yet, and its run time."""

    outcome: Outcome
    values: list
    seconds: float
    TAG = Tag.DONE


class Failed(NamedTuple):
    """The chunk could not be decoded in the worker: ``error`` for all its tasks."""

    error: BaseException
    seconds: float
    TAG = Tag.FAILED


Message = Ready | InitFailed | Partial | Done | Failed
_BY_TAG: dict[int, type] = {cls.TAG: cls for cls in (Ready, InitFailed, Partial, Done, Failed)}


def to_wire(message: Message) -> tuple:
    """``(tag, *fields)`` with plain ints for the enums."""
    return (int(message.TAG), *(int(f) if isinstance(f, Outcome) else f for f in message))


def from_wire(raw: tuple) -> Message:
    """The message a wire tuple stands for."""
    return _BY_TAG[raw[0]]._make(raw[1:])


def resume_frame(offset: int) -> bytes:
    """The frame that makes a worker skip the first ``offset`` tasks of the next chunk."""
    return RESUME + offset.to_bytes(4, "big")


def resumed_offset(frame: bytes) -> int | None:
    """The offset of a ``RESUME`` frame; ``None`` for any other frame."""
    return int.from_bytes(frame[1:5], "big") if frame[:1] == RESUME else None


def send_frames(fd: int, *payloads: Any) -> None:
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
