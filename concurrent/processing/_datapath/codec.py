"""Where objects become bytes: every channel of the package encodes through a ``BufferCodec``.

The queues, the ends of a ``Pipe``, the pool (tasks and results) and the manager channels all
call ``BufferCodec.dumps``/``loads``: the one place where pickling happens, where a pickling
error is explained (``pickler.explain`` names the bad part: ``args[1].conn``), and where large
buffers leave the message for shared memory, so a channel carries a few hundred bytes, not the
data.  ``check`` only raises what ``dumps`` would, without keeping anything.

``BufferCodec.dumps(obj)`` pickles ``obj`` with multiprocessing's reducers and protocol 5.  Every
buffer of at least ``threshold`` bytes (numpy arrays and other protocol 5 out-of-band buffers;
``bytes``, ``bytearray`` and ``memoryview`` objects at the top level or inside the first two
levels of a tuple, list or dict) is copied once into a shared-memory segment, and the payload
only names it.  ``loads(payload)`` maps the segment and rebuilds the object: numpy arrays and
memoryviews read the segment in place (zero-copy), ``bytes``/``bytearray`` copy out of it
(into huge pages when large, ``hugepages``).

How a channel uses it, in the sending process and the receiving one:

- ``payload = codec.dumps(obj, what="item")`` before the send (a pickling error raises here,
  as ``UnpicklableError``); send ``payload`` as bytes; if the send then fails or the payload
  will never be delivered, call ``codec.discard(payload)``.
- ``obj = codec.loads(payload)`` after the receive.

A payload that holds no shared memory is a plain protocol 5 pickle (``is_plain``), readable by
``pickle.loads`` and by a peer that does not use this module.

A codec with a ``SegmentPool`` (``BufferCodec.for_channel(ctx)``, created by the channel's owner
and passed to its children) recycles pre-faulted segments and unlinks them all when the owner
closes or drops it; ``discard`` returns a segment to the pool.  A codec without a pool can
still load a pooled payload (by the segment's name), but that slot is then reused only after
the owner closes the pool.  Without a pool (the module-level ``dumps``/``loads``), each payload
gets a fresh segment that the receiver unlinks as it maps it: a payload that is never received
stays until the resource tracker removes it at exit.
"""

from __future__ import annotations

import enum
import io
import os
import pickle
import struct
from collections.abc import Sequence
from pickle import dumps as _plain_dumps

from concurrent.processing._datapath import memfd_segments as _memfd
from concurrent.processing._datapath import segments as _segments
from concurrent.processing._datapath.hugepages import copy_to_bytearray, copy_to_bytes
from concurrent.processing._datapath.pickler import PICKLING_ERRORS, Pickler, explain, first_failure

__all__ = ["DEFAULT_THRESHOLD", "PLAIN_TAG", "BufferCodec", "is_plain"]

DEFAULT_THRESHOLD = 64 * 1024
# A plain payload is the pickle itself (it starts with the PROTO opcode), so a small object
# costs no extra copy and reads as an ordinary pickle; the other kinds start with a tag byte.
_PLAIN, _SHARED, _INLINE_REFS = b"\x80", b"\x01", b"\x02"
_PLAIN_TAG, _SHARED_TAG, _INLINE_REFS_TAG = _PLAIN[0], _SHARED[0], _INLINE_REFS[0]
PLAIN_TAG = _PLAIN_TAG  # a plain payload's first byte: ``is_plain`` without a call
_ALIGN = 64
_SCALARS = frozenset({str, int, float, bool, type(None)})
_RAW = (bytes, bytearray, memoryview)
_CONTAINERS = (tuple, list, dict)
_LOOK_INTO = frozenset(_RAW + _CONTAINERS)


class _Ref(enum.IntEnum):
    """What a persistent id in a payload's pickle stands for (an int in the pickle itself)."""

    INLINE_VIEW = 0  # a small memoryview, carried in the id: (kind, data, format, shape, ro)
    BYTES = 1  # a region of the segment: (kind, offset, nbytes, format, shape, readonly)
    BYTEARRAY = 2
    VIEW = 3


_KINDS = {bytes: int(_Ref.BYTES), bytearray: int(_Ref.BYTEARRAY), memoryview: int(_Ref.VIEW)}
_SCAN_LIMIT = 256  # items of a container looked at for large raw buffers
# pickle.dumps builds its result in a buffer it grows and then trims: from glibc's mmap
# threshold (128 KiB) on, that is fresh memory each time, and a 1 MB bytes object took 20 times
# as long as through a Pickler writing to a BytesIO (which takes large bytes as they are).
_PLAIN_BYTES_LIMIT = 128 * 1024
_REF = struct.Struct("=iQ")  # slot, segment size
_UNPOOLED, _ANONYMOUS = -1, -2  # slots of a named segment of its own, of a nameless one


def _aligned(size: int) -> int:
    return -(-size // _ALIGN) * _ALIGN


def _has_large_raw(obj, threshold: int, depth: int = 2) -> bool:
    """True if a big bytes/bytearray/memoryview sits at most ``depth`` containers down."""
    kind = type(obj)
    if kind in _RAW:
        return memoryview(obj).nbytes >= threshold
    if depth == 0 or kind not in _CONTAINERS:
        return False
    items = obj.values() if kind is dict else obj
    if len(items) > _SCAN_LIMIT:
        return False
    for item in items:  # a loop, not any(): this runs for every message sent
        if type(item) in _LOOK_INTO and _has_large_raw(item, threshold, depth - 1):
            return True
    return False


class _Collector:
    """Gathers the large buffers of one pickling and lays them out in a segment."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.regions: list[memoryview] = []  # everything to copy, in segment order
        self.out_of_band: list[tuple[int, int, bool]] = []  # offset, size, read-only
        self.size = 0
        self.references = 0  # objects the pickle refers to by persistent id

    def place(self, raw: memoryview) -> int:
        """Reserve room for ``raw`` in the segment; its offset."""
        offset = self.size
        self.regions.append(raw)
        self.size = _aligned(offset + raw.nbytes)
        return offset

    def buffer_callback(self, buffer: pickle.PickleBuffer) -> bool:
        """Out-of-band for big contiguous buffers (True keeps a buffer in-band)."""
        try:
            raw = buffer.raw()
        except BufferError:  # not contiguous: pickle copies it in-band
            return True
        if raw.nbytes < self.threshold:
            return True
        self.out_of_band.append((self.place(raw), raw.nbytes, raw.readonly))
        return False

    def persistent_id(self, obj):
        """Move big bytes/bytearray/memoryview out of the pickle; small memoryviews inline."""
        kind = type(obj)
        if kind not in _RAW:
            return None
        self.references += 1
        view = memoryview(obj)
        if kind is memoryview:
            if not view.contiguous:
                return None  # pickling then fails as in the stdlib: memoryview is not picklable
            view.cast("B").cast(view.format, view.shape)  # the receiver must be able to rebuild it
            if view.nbytes < self.threshold:
                return (int(_Ref.INLINE_VIEW), view.tobytes(), view.format, view.shape,
                        view.readonly)
        elif view.nbytes < self.threshold:
            self.references -= 1
            return None
        raw = view.cast("B") if view.format != "B" or view.ndim != 1 else view
        return (_KINDS[kind], self.place(raw), view.nbytes, view.format, view.shape,
                view.readonly)


class _InBandBelow:
    """A ``buffer_callback`` that keeps buffers below ``threshold`` in the pickle, as the
    general path does, and notes a larger one (the pickle is then made again by that path).
    So a small numpy array is pickled once, not once here and again there."""

    __slots__ = ("large", "threshold")

    def __init__(self, threshold: int) -> None:
        self.threshold, self.large = threshold, False

    def __call__(self, buffer: pickle.PickleBuffer) -> bool:
        try:
            if buffer.raw().nbytes < self.threshold:
                return True
        except BufferError:  # not contiguous: pickle copies it in-band
            return True
        self.large = True
        return False  # out of band: not copied into a pickle that will be made again


class _ReferencingPickler(Pickler):
    """Also moves raw buffers out by persistent id (a Python call per object: used sparingly)."""

    def __init__(self, file, collector: _Collector) -> None:
        super().__init__(file, 5, buffer_callback=collector.buffer_callback)
        self.collector = collector

    def persistent_id(self, obj):
        return self.collector.persistent_id(obj)


def _pickle(obj, collector: _Collector, scan: bool) -> bytes:
    """Protocol 5 with multiprocessing's reducers, handing big buffers to ``collector``."""
    Pickler.refresh()
    out = io.BytesIO()
    if scan:
        _ReferencingPickler(out, collector).dump(obj)
    else:
        Pickler(out, 5, buffer_callback=collector.buffer_callback).dump(obj)
    return out.getvalue()


class _Unpickler(pickle.Unpickler):
    """Rebuilds a payload; persistent ids name regions of ``view``, the mapped segment."""

    def __init__(self, data, view: memoryview, buffers=(), copy: bool = False) -> None:
        super().__init__(io.BytesIO(data), buffers=buffers)
        self.view, self.copy = view, copy

    def persistent_load(self, ref):
        kind = ref[0]
        if kind == _Ref.INLINE_VIEW:
            _, data, fmt, shape, readonly = ref
            view = memoryview(bytearray(data))
        else:
            _, offset, nbytes, fmt, shape, readonly = ref
            view = self.view[offset:offset + nbytes]
            if kind == _Ref.BYTES:
                return copy_to_bytes(view)
            if kind == _Ref.BYTEARRAY:
                return copy_to_bytearray(view)
            if self.copy:
                view = memoryview(copy_to_bytearray(view))
        if fmt != "B" or len(shape) != 1:
            view = view.cast(fmt, shape)
        return view.toreadonly() if readonly else view


class BufferCodec:
    """Pickles objects for a channel, moving buffers of ``threshold`` bytes or more to shared
    memory.  ``inline_limit`` caps the payload bytes: a bigger pickle goes into the segment too.
    ``copy_out``: ``loads`` copies every buffer out of the segment instead of reading it in
    place, so the sender may reuse the segment once its peer answered (a request/reply channel
    with a segment of its own, ``_managers_channel``).
    """

    def __init__(self, pool: _segments.SegmentPool | None = None, *,
                 threshold: int = DEFAULT_THRESHOLD, inline_limit: int = 1 << 20,
                 copy_out: bool = False) -> None:
        if threshold < 1:
            raise ValueError(f"threshold must be a positive number of bytes, got {threshold!r}")
        if inline_limit < 1:
            raise ValueError(f"inline_limit must be a positive number of bytes, "
                             f"got {inline_limit!r}")
        self.pool, self.threshold, self.inline_limit = pool, threshold, inline_limit
        self.copy_out = copy_out
        self._plain_bytes_limit = min(threshold, _PLAIN_BYTES_LIMIT)

    @classmethod
    def for_channel(cls, ctx=None, **options) -> BufferCodec:
        """A codec with its own segment pool, owned by the calling process."""
        pool_options = {k: options.pop(k) for k in ("slots", "max_idle_bytes", "lock", "table")
                        if k in options}
        return cls(_segments.SegmentPool(ctx=ctx, **pool_options), **options)

    def close(self) -> None:
        """Drop this process's mappings; in the pool's creator, unlink every segment."""
        if self.pool is not None:
            self.pool.close()

    # sending ----------------------------------------------------------------------------------

    def dumps(self, obj, *, what: str = "obj", look_in: object = None,
              descriptors: list[int] | None = None) -> bytes:
        """The payload for ``obj``; ``UnpicklableError`` (naming the bad part) if it cannot be.

        ``what`` names ``obj`` at the start of that path (``what="args"``: ``args[1].conn``).
        Large bytes, bytearray and memoryview objects are looked for in ``look_in`` (a part of
        ``obj``, by default ``obj`` itself), at most two containers deep; numpy arrays and other
        protocol 5 buffers are found anywhere.  With ``descriptors`` (a list, for a channel that
        can pass file descriptors), large buffers go to a nameless segment, reused once its
        receiver is done with it (``memfd_segments``), whose descriptor is appended there: the
        caller sends it with the payload, then closes it.
        """
        kind = type(obj)
        if kind in _SCALARS or (kind is bytes and len(obj) < self._plain_bytes_limit):
            main = _plain_dumps(obj, 5)
            if len(main) < self.inline_limit:
                return main
            return self._share(main, _Collector(self.threshold), descriptors)
        scan = _has_large_raw(obj if look_in is None else look_in, self.threshold)
        if not scan:
            main = self._dumps_small(obj)
            if main is not None:
                return main
        collector = _Collector(self.threshold)
        try:
            try:
                main = _pickle(obj, collector, scan)
            except PICKLING_ERRORS:
                if scan:
                    raise
                collector = _Collector(self.threshold)  # a memoryview deeper down: look for it
                main = _pickle(obj, collector, True)
        except PICKLING_ERRORS as exc:
            raise explain(obj, what=what, error=exc, protocol=5) from exc
        if not collector.regions and len(main) + 1 <= self.inline_limit:
            return _INLINE_REFS + main if collector.references else main
        return self._share(main, collector, descriptors)

    @staticmethod
    def check(obj, *, what: str = "obj") -> None:
        """Raise the ``UnpicklableError`` that ``dumps`` would raise for ``obj``, if any."""
        error = first_failure(obj, 5)
        if error is not None:
            raise explain(obj, what=what, error=error, protocol=5) from error

    def _dumps_small(self, obj) -> bytes | None:
        """The plain pickle of ``obj`` when it has no buffer of ``threshold`` bytes or more and
        fits the payload.

        The common case, made cheap: no ``_Collector``, and a Python call only per out-of-band
        buffer (``_InBandBelow``).  ``None`` (also on a pickling error, which the general path
        then explains) sends the caller there.
        """
        Pickler.refresh()
        out, buffers = io.BytesIO(), _InBandBelow(self.threshold)
        try:
            Pickler(out, 5, buffer_callback=buffers).dump(obj)
        except PICKLING_ERRORS:
            return None
        if buffers.large or out.tell() + 1 > self.inline_limit:
            return None
        return out.getvalue()

    def _share(self, main: bytes, collector: _Collector,
               descriptors: list[int] | None = None) -> bytes:
        if len(main) + 1 > self.inline_limit:
            main_ref: bytes | tuple[int, int] = (collector.place(memoryview(main)), len(main))
        else:
            main_ref = main
        size = max(collector.size, 1)
        taken = self.pool.acquire(size) if self.pool is not None else None
        if taken is not None:
            slot, name, mapping = taken
        elif descriptors is not None:
            slot = _ANONYMOUS
            name, fd, mapping, size = _memfd.SENT.take(size)
            descriptors.append(fd)
        else:
            slot, name = _UNPOOLED, _segments.new_name(f"x{os.getpid():x}")
            mapping = _segments.create_segment(name, size)
        try:
            start = _memfd.HEADER if slot == _ANONYMOUS else 0
            with memoryview(mapping) as whole, whole[start:] as target:
                offset = 0
                for raw in collector.regions:
                    target[offset:offset + raw.nbytes] = raw
                    offset = _aligned(offset + raw.nbytes)
            if slot == _UNPOOLED:
                mapping.close()
            layout = (name, main_ref, collector.out_of_band)
            payload = _SHARED + _REF.pack(slot, size) + pickle.dumps(layout, 5)
        except BaseException:
            self._drop(slot, name)
            raise
        if slot >= 0:
            self.pool.sent(slot, name)
        return payload

    def _drop(self, slot: int, name: str) -> None:
        if slot == _UNPOOLED:
            _segments.unlink_segment(name)
        elif slot == _ANONYMOUS:  # the caller closes the descriptor it was to send
            _memfd.SENT.release(name)
        else:
            self.pool.abandon(slot, name)

    @staticmethod
    def descriptors_in(payload) -> int:
        """How many file descriptors must arrive with ``payload`` (see ``dumps``)."""
        if len(payload) <= _REF.size or payload[0] != _SHARED_TAG:
            return 0
        return 1 if _REF.unpack_from(payload, 1)[0] == _ANONYMOUS else 0

    def discard(self, payload: bytes) -> None:
        """Free the segment of a payload that will never be loaded (a no-op for plain ones)."""
        if payload[:1] == _SHARED:
            slot, _ = _REF.unpack_from(payload, 1)
            self._drop(slot, pickle.loads(payload[1 + _REF.size:])[0])

    # receiving --------------------------------------------------------------------------------

    def loads(self, payload: bytes, descriptors: Sequence[int] = ()):
        """The object ``payload`` describes; its shared segment is released when unused.

        ``descriptors``: those that arrived with it (``descriptors_in``); closed here.
        """
        tag = payload[0] if len(payload) else None  # an int: cheaper than a one-byte slice
        if tag == _PLAIN_TAG:
            return pickle.loads(payload)
        if tag == _INLINE_REFS_TAG:
            return _Unpickler(memoryview(payload)[1:], memoryview(b"")).load()
        if tag != _SHARED_TAG:
            raise ValueError(f"not a payload of BufferCodec.dumps "
                             f"(starts with {bytes(payload[:1])!r})")
        slot, size = _REF.unpack_from(payload, 1)
        name, main, out_of_band = pickle.loads(memoryview(payload)[1 + _REF.size:])
        if slot == _ANONYMOUS:
            if len(descriptors) != 1:
                raise ValueError(f"this payload needs its segment's descriptor, got "
                                 f"{len(descriptors)}")
            view = _memfd.open_received(descriptors[0], size)
        elif slot == _UNPOOLED:
            view = memoryview(_segments.map_segment(name, size))
            _segments.unlink_segment(name)
        elif self.pool is None:  # a channel end that travelled without its pool (rare)
            # Read in place; the slot stays in flight until the pool's owner unlinks it all.
            view = memoryview(_segments.map_segment(name, size))
        else:
            view = self.pool.open(slot, name, size)
        if self.copy_out:
            buffers = [copy_to_bytes(view[offset:offset + length]) if readonly
                       else copy_to_bytearray(view[offset:offset + length])
                       for offset, length, readonly in out_of_band]
        else:
            buffers = [view[offset:offset + length].toreadonly() if readonly
                       else view[offset:offset + length]
                       for offset, length, readonly in out_of_band]
        if not isinstance(main, bytes):
            main = view[main[0]:main[0] + main[1]]
        return _Unpickler(main, view, buffers, self.copy_out).load()


def is_plain(payload: bytes) -> bool:
    """True for a payload that is an ordinary pickle (it holds no shared memory)."""
    return bool(payload) and payload[0] == _PLAIN_TAG
