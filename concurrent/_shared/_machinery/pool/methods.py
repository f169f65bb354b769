"""The public ``Pool`` methods, written once for both pools on a few backend hooks.

Argument checks, chunking, results, ``progress=`` and imap feeding are the same whether tasks
run in threads or processes; only how a chunk is packaged (a tuple, or pickled bytes that name
what cannot be pickled) and how it is queued differ.  A backend pool subclasses ``PoolMethods``
and provides the hooks below.
"""

from __future__ import annotations

import functools
import warnings
from abc import abstractmethod
from collections.abc import Callable, Iterable

from concurrent._shared._machinery.leaving_threads import start_daemon
from concurrent._shared._machinery.pool.args import check_callable, check_chunksize
from concurrent._shared._machinery.pool.chunks import map_chunksize
from concurrent._shared._machinery.pool.feeding import Feeder
from concurrent._shared._machinery.pool.lifecycle import Lifecycle, PoolState
from concurrent._shared._machinery.pool.progress import make_reporter
from concurrent._shared._machinery.pool.results import ApplyResult, IMapIterator, MapResult
from concurrent._shared._pools import Pool

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["PoolMethods", "Progress"]

Progress = bool | Callable[[int, "int | None"], None] | None  # see progress.py


class PoolMethods(Pool):
    """apply/map/starmap/imap and their async forms.

    Subclasses set ``_processes`` and ``_lifecycle`` and provide the hooks below.
    """

    __slots__ = ()
    _processes: int
    _lifecycle: Lifecycle
    _cache: dict[int, Any]  # unfinished results, by id (multiprocessing.pool's name)

    # -- the backend's hooks -----------------------------------------------------------------
    @abstractmethod
    def _prepare(self, result: Any, func: Callable, items: list, star: bool, start: int,
                 on_done: Callable | None) -> Any:
        """Package tasks ``start...`` of ``result``; raise if they cannot be sent."""

    @abstractmethod
    def _enqueue(self, chunks: list) -> None:
        """Queue prepared chunks for the workers (called with ``_lifecycle.lock`` held)."""

    def _enqueued(self) -> None:
        """Chunks were queued (called without the lock): e.g. wake whoever hands them out."""

    def _discard(self, chunks: list) -> None:
        """Prepared chunks that will never run: free what they hold."""

    def _feeders_done(self) -> None:
        """The last imap feeder of a closed pool finished: the workers may stop when idle."""

    def _check_imap_func(self, func: Callable) -> None:
        """Raise now if ``func`` cannot reach the workers (imap items are checked lazily)."""

    # -- the pool as a context manager, and when it is dropped -------------------------------
    def __enter__(self):
        """``ValueError`` on a pool that was closed or terminated, as multiprocessing's (a broken
        pool enters: what is submitted to it raises ``BrokenPoolError``)."""
        with self._lifecycle.lock:
            if self._lifecycle.broken is None:
                self._lifecycle.check_running()
        return self

    def __del__(self, _warn=warnings.warn) -> None:
        lifecycle = getattr(self, "_lifecycle", None)  # None: __init__ failed
        if lifecycle is not None and lifecycle.state is PoolState.RUNNING:
            _warn(f"unclosed running multiprocessing pool {self!r}", ResourceWarning,
                  source=self)

    # -- queueing, shared by every submission ------------------------------------------------
    def _check_running(self) -> None:
        with self._lifecycle.lock:
            self._lifecycle.check_running()

    def _submit(self, chunks: list, result: ApplyResult) -> None:
        """Queue ``result``'s chunks; ``ValueError``/``BrokenPoolError`` (chunks discarded,
        result withdrawn) if not running."""
        try:
            with self._lifecycle.lock:
                self._lifecycle.check_running()
                self._enqueue(chunks)
        except BaseException:
            self._discard(chunks)
            result.withdraw()
            raise
        self._enqueued()

    def _feed(self, chunk: Any) -> bool:
        """Queue a chunk of an imap feeder (a closed pool still takes it); False once stopped."""
        with self._lifecycle.lock:
            stopped = self._lifecycle.stopped
            if not stopped:
                self._enqueue([chunk])
        if stopped:
            self._discard([chunk])
            return False
        self._enqueued()
        return True

    def _prepare_apply(self, result: ApplyResult, func: Callable, args: tuple,
                       kwds: dict | None) -> Any:
        """Package one ``apply`` task."""
        target = functools.partial(func, **kwds) if kwds else func
        return self._prepare(result, target, [args], True, 0, None)

    # -- single tasks ------------------------------------------------------------------------
    def apply(self, func: Callable, args: Iterable = (), kwds: dict | None = None) -> Any:
        return self._wait(self.apply_async(func, args, kwds))

    def apply_async(self, func: Callable, args: Iterable = (), kwds: dict | None = None,
                    callback: Callable | None = None,
                    error_callback: Callable | None = None) -> ApplyResult:
        _check_callables(func, callback, error_callback)
        if kwds is not None and not isinstance(kwds, dict):
            raise TypeError(f"kwds must be a dict or None, not {kwds!r}")
        args = tuple(args)
        self._check_running()
        result = ApplyResult(callback, error_callback, self._cache)
        try:
            chunk = self._prepare_apply(result, func, args, kwds)
        except BaseException:
            result.withdraw()
            raise
        self._submit([chunk], result)
        return result

    # -- maps --------------------------------------------------------------------------------
    def map(self, func: Callable, iterable: Iterable, chunksize: int | None = None, *,
            progress: Progress = None) -> list:
        return self._wait(self._map_async(func, iterable, chunksize, None, None, progress, False))

    def map_async(self, func: Callable, iterable: Iterable, chunksize: int | None = None,
                  callback: Callable | None = None, error_callback: Callable | None = None, *,
                  progress: Progress = None) -> MapResult:
        return self._map_async(func, iterable, chunksize, callback, error_callback, progress,
                               False)

    def starmap(self, func: Callable, iterable: Iterable[Iterable], chunksize: int | None = None,
                *, progress: Progress = None) -> list:
        return self._wait(self._map_async(func, iterable, chunksize, None, None, progress, True))

    def starmap_async(self, func: Callable, iterable: Iterable[Iterable],
                      chunksize: int | None = None, callback: Callable | None = None,
                      error_callback: Callable | None = None, *,
                      progress: Progress = None) -> MapResult:
        return self._map_async(func, iterable, chunksize, callback, error_callback, progress,
                               True)

    def _map_async(self, func, iterable, chunksize, callback, error_callback, progress,
                   star: bool) -> MapResult:
        _check_callables(func, callback, error_callback)
        chunksize = check_chunksize(chunksize)
        reporter = make_reporter(progress)
        self._check_running()
        items = list(iterable)
        if star:
            items = [tuple(item) for item in items]
        if chunksize is None:
            chunksize = map_chunksize(len(items), self._processes, reporter is not None)
        result = MapResult(len(items), callback, error_callback, reporter, self._cache)
        chunks: list = []
        try:
            for start in range(0, len(items), chunksize):
                chunks.append(self._prepare(result, func, items[start:start + chunksize], star,
                                            start, None))
        except BaseException:  # raised at submission: nothing of it runs, nothing stays held
            self._discard(chunks)
            result.withdraw()
            raise
        if chunks:
            self._submit(chunks, result)
        return result

    def imap(self, func: Callable, iterable: Iterable, chunksize: int | None = None, *,
             progress: Progress = None) -> IMapIterator:
        """Results in order, lazily; ``chunksize=None`` adapts the chunks to the task time."""
        return self._imap(func, iterable, chunksize, progress, ordered=True)

    def imap_unordered(self, func: Callable, iterable: Iterable, chunksize: int | None = None,
                       *, progress: Progress = None) -> IMapIterator:
        """Results as they finish, lazily; ``chunksize=None`` adapts as ``imap`` does."""
        return self._imap(func, iterable, chunksize, progress, ordered=False)

    def _imap(self, func, iterable, chunksize, progress, ordered: bool) -> IMapIterator:
        check_callable("func", func)
        chunksize = check_chunksize(chunksize)
        reporter = make_reporter(progress)
        self._check_imap_func(func)
        length = len(iterable) if hasattr(iterable, "__len__") else None
        result = IMapIterator(ordered, reporter, length, on_interrupt=self.terminate,
                              cache=self._cache)

        def submit(items: list, start: int, on_done: Callable) -> bool:
            return self._feed(self._prepare(result, func, items, False, start, on_done))

        lifecycle = self._lifecycle
        feeder = Feeder(iter(iterable), chunksize, self._processes, length, result, submit,
                        lambda: lifecycle.stopped)
        with lifecycle.lock:
            lifecycle.add_feeder()
        start_daemon(self._run_feeder, feeder, name=f"{type(self).__module__} feeder")
        return result

    def _run_feeder(self, feeder: Feeder) -> None:
        try:
            feeder.run()
        finally:
            with self._lifecycle.lock:
                last = self._lifecycle.remove_feeder()
            if last:
                self._feeders_done()

    def _wait(self, result: ApplyResult) -> Any:
        try:
            return result.get()
        except KeyboardInterrupt:
            self.terminate()  # Ctrl-C: stop the workers; what has not run never will
            raise
        finally:  # a task's error holds this frame: no cycle back through its result
            del result


def _check_callables(func: object, callback: object, error_callback: object) -> None:
    check_callable("func", func)
    check_callable("callback", callback, optional=True)
    check_callable("error_callback", error_callback, optional=True)
