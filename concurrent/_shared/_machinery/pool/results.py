"""What pool submissions return: ``AsyncResult`` for apply/map, iterators for imap.

Both pools use these.  Whoever runs the tasks reports each finished chunk through
``deliver(start, count, outcome, payload)``, ``outcome`` an ``Outcome``: ``OK`` (payload: the
values), ``MIXED`` (payload: ``(ok, value)`` pairs) or ``ERROR`` (payload: one exception for the
whole chunk, e.g. ``WorkerLostError``).  Chunks may be delivered from several threads at once.
``abandon(exc)`` fails whatever is still missing, so a terminated pool never leaves a caller
waiting.
"""

from __future__ import annotations

import collections
import enum
import itertools
import logging
import threading
from _thread import allocate_lock as _allocate_lock
from collections.abc import Callable, Iterator

from concurrent._shared._errors import TimeoutError
from concurrent._shared._machinery.exports import publish
from concurrent._shared._machinery.timeouts import check_timeout
from concurrent._shared._pools import AsyncResult

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ApplyResult", "IMapIterator", "MapResult", "Outcome", "outcomes"]

_log = logging.getLogger("concurrent.pool")
Reporter = Callable[[int, "int | None"], None]


class Outcome(enum.IntEnum):
    """How a chunk of tasks ended (an int, so it crosses a pipe as cheaply as one)."""

    OK = 0  #: every task returned: the payload is the list of values
    MIXED = 1  #: some raised: the payload is one ``(ok, value or exception)`` pair per task
    ERROR = 2  #: the chunk failed as a whole: the payload is the one exception for every task


def outcomes(outcome: Outcome, payload: Any, count: int) -> list[tuple[bool, Any]]:
    """Expand a chunk report into one ``(ok, value)`` pair per task."""
    if outcome == Outcome.OK:
        return [(True, value) for value in payload]
    if outcome == Outcome.MIXED:
        return list(payload)
    return [(False, payload)] * count


def _enter(cache: dict[int, Any] | None, result: Any) -> dict[int, Any] | None:
    """Record ``result`` in its pool's ``_cache`` of unfinished results (multiprocessing's
    name: programs read it to see whether work is outstanding)."""
    if cache is not None:
        cache[id(result)] = result
    return cache


def _leave(cache: dict[int, Any] | None, result: Any) -> None:
    if cache is not None:
        cache.pop(id(result), None)


def _run_callback(callback: Callable, argument: Any) -> None:
    try:
        callback(argument)
    except Exception:
        _log.exception("pool callback %r raised; the result is unaffected", callback)


class ApplyResult(AsyncResult):
    """The result of ``apply_async``: one value, or the exception the task raised.

    As in the stdlib, the callback runs before the result is ready, so it has run by the time
    ``get()`` returns.
    """

    def __init__(self, callback: Callable | None = None,
                 error_callback: Callable | None = None,
                 cache: dict[int, Any] | None = None) -> None:
        # A latch, not an Event: a held lock that _finish releases costs a tenth of an Event
        # to create, and a pool creates one per task.  Waiters pass it on by re-releasing it.
        self._latch = _allocate_lock()
        self._latch.acquire()
        self._ready = False
        self._finishing = _allocate_lock()
        self._callback = callback
        self._error_callback = error_callback
        self._ok = False
        self._value: Any = None
        self._cache = _enter(cache, self)

    def ready(self) -> bool:
        return self._ready

    def successful(self) -> bool:
        if not self._ready:
            raise ValueError(f"{self!r} is not ready yet; call wait() or get() first")
        return self._ok

    def wait(self, timeout: float | None = None) -> None:
        check_timeout(timeout)
        self._wait(timeout)

    def get(self, timeout: float | None = None) -> Any:
        check_timeout(timeout)
        if not self._wait(timeout):
            raise TimeoutError(f"the result was not ready within {timeout} seconds")
        if self._ok:
            return self._value
        try:
            raise self._value
        finally:  # the error's traceback holds this frame: no cycle back through the result
            del self

    def _wait(self, timeout: float | None) -> bool:
        if self._ready:
            return True
        if self._latch.acquire(True, -1 if timeout is None else timeout):
            self._latch.release()
            return True
        return self._ready

    def withdraw(self) -> None:
        """Its submission failed, so no outcome will come: out of the pool's ``_cache``."""
        _leave(self._cache, self)

    def _finish(self, ok: bool, value: Any) -> None:
        if not self._finishing.acquire(False):  # never released: the first outcome wins, even
            return  # when chunks race to fail
        self._ok, self._value = ok, value
        callback = self._callback if ok else self._error_callback
        if callback is not None:
            _run_callback(callback, value)
        self._ready = True
        _leave(self._cache, self)
        self._latch.release()

    def deliver(self, start: int, count: int, outcome: Outcome, payload: Any) -> None:
        """Record the outcome of the single task."""
        if outcome == Outcome.OK:
            self._finish(True, payload[0])
        elif outcome == Outcome.MIXED:
            self._finish(*payload[0])
        else:
            self._finish(False, payload)

    def abandon(self, exc: BaseException) -> None:
        """Fail the result with ``exc`` unless it already finished."""
        self._finish(False, exc)


class MapResult(ApplyResult):
    """The result of ``map_async``/``starmap_async``: the list, or the first error to arrive."""

    def __init__(self, length: int, callback: Callable | None = None,
                 error_callback: Callable | None = None,
                 progress: Reporter | None = None, cache: dict[int, Any] | None = None) -> None:
        super().__init__(callback, error_callback, cache)
        self._values: list[Any] = [None] * length
        self._length = length
        self._done = 0
        self._progress = progress
        self._lock = threading.Lock()
        if length == 0:
            self._finish(True, [])

    def deliver(self, start: int, count: int, outcome: Outcome, payload: Any) -> None:
        """Store one finished chunk; fail on its first error, finish when every task is in."""
        failure = None
        with self._lock:
            if outcome == Outcome.OK:
                self._values[start:start + count] = payload
            else:
                for offset, (ok, value) in enumerate(outcomes(outcome, payload, count)):
                    if not ok:
                        failure = value
                        break
                    self._values[start + offset] = value
            self._done += count
            done = self._done
            if self._progress is not None:  # under the lock: counts reach it in order
                self._progress(done, self._length)
        if failure is not None:
            self._finish(False, failure)
        elif done >= self._length:
            self._finish(True, self._values)


class _Failed:
    """A failed task's place among an imap's results: its exception."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


class _WithFailures:
    """The results of a chunk in which a task failed: its error raises at its position, and
    the results after it follow on the next calls."""

    __slots__ = ("_values",)

    def __init__(self, values: list) -> None:
        self._values = iter(values)

    def __iter__(self) -> _WithFailures:
        return self

    def __next__(self) -> Any:
        value = next(self._values)
        if type(value) is _Failed:
            try:
                raise value.error
            finally:  # the error's traceback holds this frame: no cycle back through value
                del value
        return value


class _Chunks:
    """The chunks of an ``IMapIterator`` as its ``itertools.chain`` takes them (``__iter__``).

    The chunk being read is the iterator's ``_current``, shared with ``next()``, so that a loop
    and calls of ``next()`` take turns without losing or repeating a result.
    """

    __slots__ = ("_results",)

    def __init__(self, results: IMapIterator) -> None:
        self._results = results

    def __iter__(self) -> _Chunks:
        return self

    def __next__(self) -> Iterator:
        results = self._results
        if results._current is not None and not results._current_chained:
            results._current_chained = True  # next() moved on to it: the loop goes on there
            return results._current
        results._current = results._take(None)
        results._current_chained = True
        return results._current


class IMapIterator(Iterator):
    """Results of ``imap`` (in order) or ``imap_unordered`` (as they finish), lazily.

    A task that failed raises its exception at its position; iteration then goes on.
    ``on_interrupt`` runs when Ctrl-C arrives while the caller waits (the pool terminates).

    Results arrive a chunk at a time and wait in ``_chunks`` in the order they are handed out,
    each as an iterator over its results (``_WithFailures`` if a task of it failed).  A loop
    over the iterator (``__iter__``) runs through them in ``itertools.chain``, one Python call
    per chunk and none per result, as the stdlib's flattening of its chunks does; ``next()``
    reads the same chunk iterators.  In order, a chunk that arrives early waits in ``_early``
    until the chunks before it came.
    """

    def __init__(self, ordered: bool, progress: Reporter | None = None,
                 length: int | None = None,
                 on_interrupt: Callable[[], None] | None = None,
                 cache: dict[int, Any] | None = None) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._ordered = ordered
        self._chunks: collections.deque[Iterator] = collections.deque()  # ready, in order
        self._current: Iterator | None = None  # the chunk being read
        self._current_chained = False  # whether the loop's chain has _current already
        self._flat: Iterator | None = None  # the loop's chain, made by the first __iter__
        self._early: dict[int, tuple[Iterator, int]] = {}  # ordered: past a gap, by start
        self._next_start = 0  # ordered: where the next chunk to hand out starts
        self._queued = 0  # results moved to _chunks so far
        self._length = length
        self._done = 0
        self._progress = progress
        self._broken: BaseException | None = None
        self._broken_raised = False
        self._on_interrupt = on_interrupt
        self._cache = _enter(cache, self)

    def __iter__(self) -> Iterator:
        if self._flat is None:
            self._flat = itertools.chain.from_iterable(_Chunks(self))
        return self._flat

    def __next__(self) -> Any:
        return self.next()

    def next(self, timeout: float | None = None) -> Any:
        """The next result; ``TimeoutError`` if none arrives within ``timeout`` seconds."""
        check_timeout(timeout)
        while True:
            current = self._current
            if current is not None:
                for value in current:  # at most one: the chunk's next result, or its error
                    return value
            self._current = self._take(timeout)  # StopIteration once all were taken
            self._current_chained = False

    def _take(self, timeout: float | None) -> Iterator:
        """The next chunk's results, waiting at most ``timeout`` seconds for it."""
        try:
            return self._chunks.popleft()  # atomic: no lock needed while chunks wait
        except IndexError:
            pass
        try:
            with self._cond:
                if not self._cond.wait_for(self._has_next, timeout):
                    raise TimeoutError(f"no result arrived within {timeout} seconds")
                if self._chunks:
                    return self._chunks.popleft()
                if self._broken is not None and not self._broken_raised:
                    self._broken_raised = True
                    return _WithFailures([_Failed(self._broken)])
                raise StopIteration
        except KeyboardInterrupt:
            if self._on_interrupt is not None:
                self._on_interrupt()
            raise

    def _has_next(self) -> bool:
        return bool(self._chunks) or self._broken is not None or (
            self._length is not None and self._queued >= self._length)

    def set_length(self, length: int) -> None:
        """All tasks are submitted: there are ``length`` results in all."""
        with self._cond:
            self._length = length
            if self._done >= length:
                _leave(self._cache, self)
            self._cond.notify_all()

    def deliver(self, start: int, count: int, outcome: Outcome, payload: Any) -> None:
        """Store a finished chunk and wake the consumer."""
        if outcome == Outcome.OK:
            values = payload
        elif outcome == Outcome.MIXED:
            values = [value if ok else _Failed(value) for ok, value in payload]
        else:
            values = [_Failed(payload)] * count
        chunk = iter(values) if outcome == Outcome.OK else _WithFailures(values)
        with self._cond:
            if not self._ordered:
                self._chunks.append(chunk)
                self._queued += count
            elif start != self._next_start:
                self._early[start] = (chunk, count)
            else:
                self._chunks.append(chunk)
                self._queued += count
                self._next_start = start + count
                while self._next_start in self._early:  # the chunks it was the gap before
                    waiting, size = self._early.pop(self._next_start)
                    self._chunks.append(waiting)
                    self._queued += size
                    self._next_start += size
            self._done += count
            if self._progress is not None:  # under the lock: counts reach it in order
                self._progress(self._done, self._length)
            if self._length is not None and self._done >= self._length:
                _leave(self._cache, self)
            self._cond.notify_all()

    def abandon(self, exc: BaseException) -> None:
        """The pool stopped: once the results already in are taken, raise ``exc``, then stop."""
        with self._cond:
            if self._broken is None and not (self._length is not None
                                              and self._done >= self._length):
                self._broken = exc
            _leave(self._cache, self)
            self._cond.notify_all()


publish("concurrent._shared", globals(), ["ApplyResult", "IMapIterator", "MapResult"])
