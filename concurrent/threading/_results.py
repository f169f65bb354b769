"""The pending results a thread pool hands out: one per ``apply``, ``map`` or ``imap`` job.

A job is split into numbered tasks; workers report each task's outcome through ``_task_done``,
the single point where later features (progress callbacks, lost-worker errors) hook in.
"""

import collections
import threading
import traceback
from collections.abc import Callable
from typing import Any

from concurrent._shared import _pools as _abc
from concurrent._shared._errors import RemoteTraceback, TimeoutError
from concurrent._shared._timeouts import check_timeout

__all__ = ["ApplyResult", "IMapIterator", "MapResult", "attach_traceback"]


def attach_traceback(exc: BaseException) -> BaseException:
    """Attach the worker's formatted traceback as ``__cause__``, as a process pool does."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    exc.__cause__ = RemoteTraceback(f'\n"""\n{text}"""')
    return exc


def _report_callback_error(callback: Callable) -> None:
    # A failing callback must not kill the worker thread or lose the result; say so on stderr.
    traceback.print_exc()


class ApplyResult(_abc.AsyncResult):
    """The result of one task, or of a job whose tasks combine into one value."""

    def __init__(self, callback: Callable | None = None,
                 error_callback: Callable | None = None) -> None:
        self._event = threading.Event()
        self._finish_lock = threading.Lock()
        self._callback = callback
        self._error_callback = error_callback
        self._success: bool | None = None
        self._value: Any = None

    def ready(self) -> bool:
        return self._event.is_set()

    def successful(self) -> bool:
        if not self._event.is_set():
            raise ValueError(f"{self!r} is not ready: call successful() after ready() is True")
        return bool(self._success)

    def wait(self, timeout: float | None = None) -> None:
        check_timeout(timeout)
        self._event.wait(timeout)

    def get(self, timeout: float | None = None) -> Any:
        check_timeout(timeout)
        if not self._event.wait(timeout):
            raise TimeoutError(f"the result was not ready within {timeout} seconds")
        if self._success:
            return self._value
        raise self._value

    def _task_done(self, index: int, success: bool, value: Any) -> None:
        self._finish(success, value)

    def _finish(self, success: bool, value: Any) -> None:
        with self._finish_lock:
            if self._success is not None:
                return
            self._success, self._value = success, value
        callback = self._callback if success else self._error_callback
        if callback is not None:
            try:
                callback(value)
            except Exception:
                _report_callback_error(callback)
        self._event.set()


class MapResult(ApplyResult):
    """The result of ``map_async``/``starmap_async``: chunk results joined into one list."""

    def __init__(self, n_chunks: int, callback: Callable | None = None,
                 error_callback: Callable | None = None) -> None:
        super().__init__(callback, error_callback)
        self._chunks: list[list | None] = [None] * n_chunks
        self._remaining = n_chunks
        self._lock = threading.Lock()
        if n_chunks == 0:
            self._finish(True, [])

    def _task_done(self, index: int, success: bool, value: Any) -> None:
        if not success:
            self._finish(False, value)
            return
        with self._lock:
            self._chunks[index] = value
            self._remaining -= 1
            complete = self._remaining == 0
        if complete:
            self._finish(True, [item for chunk in self._chunks for item in chunk])


class IMapIterator:
    """What ``imap``/``imap_unordered`` return; ``next(timeout)`` waits at most that long."""

    def __init__(self, ordered: bool) -> None:
        self._ordered = ordered
        self._cond = threading.Condition(threading.Lock())
        self._arrived: dict[int, tuple[bool, Any]] = {}
        self._ready: collections.deque[tuple[bool, Any]] = collections.deque()
        self._next_index = 0
        self._n_chunks: int | None = None
        self._chunks_seen = 0
        self._items: collections.deque = collections.deque()

    def _set_length(self, n_chunks: int) -> None:
        with self._cond:
            self._n_chunks = n_chunks
            self._cond.notify_all()

    def _task_done(self, index: int, success: bool, value: Any) -> None:
        with self._cond:
            if self._ordered:
                self._arrived[index] = (success, value)
                while self._next_index in self._arrived:
                    self._ready.append(self._arrived.pop(self._next_index))
                    self._next_index += 1
            else:
                self._ready.append((success, value))
            self._cond.notify_all()

    def __iter__(self) -> "IMapIterator":
        return self

    def __next__(self) -> Any:
        return self.next()

    def next(self, timeout: float | None = None) -> Any:
        """The next result; ``TimeoutError`` if none came within ``timeout`` seconds."""
        check_timeout(timeout)
        with self._cond:
            while not self._items:
                if not self._cond.wait_for(self._chunk_available, timeout):
                    raise TimeoutError(f"no result within {timeout} seconds")
                if not self._ready:
                    raise StopIteration
                success, value = self._ready.popleft()
                self._chunks_seen += 1
                if not success:
                    raise value
                self._items.extend(value)
            return self._items.popleft()

    def _chunk_available(self) -> bool:
        return bool(self._ready) or self._chunks_seen == self._n_chunks
