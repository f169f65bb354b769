"""The pool interface: a fixed set of workers that run submitted tasks."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator

from concurrent._shared._machinery.exports import publish

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (it is slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["AsyncResult", "Pool"]


class AsyncResult(ABC):
    """The pending result of ``apply_async``/``map_async``/``starmap_async``."""

    __slots__ = ()

    @abstractmethod
    def get(self, timeout: float | None = None) -> Any:
        """Return the result, re-raise the task's exception, or raise ``TimeoutError``.

        ``ValueError`` for a negative timeout.
        """

    @abstractmethod
    def wait(self, timeout: float | None = None) -> None:
        """Wait until the result is ready or ``timeout`` passes (check ``ready()`` after)."""

    @abstractmethod
    def ready(self) -> bool:
        """True once the task finished, either way."""

    @abstractmethod
    def successful(self) -> bool:
        """True if it finished without raising; ``ValueError`` if it is not ready yet."""


class Pool(ABC):
    """Workers that run tasks: ``Pool(processes, initializer, initargs, maxtasksperchild)``.

    ``processes`` below 1 raises ``ValueError``; so does a ``chunksize`` below 1.  A task that
    raises re-raises in the caller with the worker's traceback attached as its ``__cause__`` (a
    ``RemoteTraceback``).  A worker that dies while it runs a task makes that task raise
    ``WorkerLostError``; the pool replaces the worker.  After ``terminate()`` or ``close()``, new
    submissions raise ``ValueError``; ``join()`` before either raises ``ValueError``.
    """

    __slots__ = ()

    def __init__(self, processes: int | None = None, initializer: Callable | None = None,
                 initargs: Iterable = (), maxtasksperchild: int | None = None,
                 context: Any = None) -> None:
        """The constructor every backend's ``Pool`` has: ``processes`` workers (default: the
        backend's ``cpu_count()``), each running ``initializer(*initargs)`` first and replaced
        after ``maxtasksperchild`` tasks; ``context`` picks a start method where there are
        several (``None`` elsewhere)."""

    @abstractmethod
    def apply(self, func: Callable, args: Iterable = (), kwds: dict | None = None) -> Any:
        """Run ``func(*args, **kwds)`` in a worker and return its result."""

    @abstractmethod
    def apply_async(self, func: Callable, args: Iterable = (), kwds: dict | None = None,
                    callback: Callable | None = None,
                    error_callback: Callable | None = None) -> AsyncResult:
        """Submit ``func(*args, **kwds)``; ``callback``/``error_callback`` get its outcome."""

    @abstractmethod
    def map(self, func: Callable, iterable: Iterable, chunksize: int | None = None) -> list:
        """``list(map(func, iterable))``, computed by the workers, in order."""

    @abstractmethod
    def map_async(self, func: Callable, iterable: Iterable, chunksize: int | None = None,
                  callback: Callable | None = None,
                  error_callback: Callable | None = None) -> AsyncResult:
        """Submit a ``map``; its ``AsyncResult`` yields the list."""

    @abstractmethod
    def starmap(self, func: Callable, iterable: Iterable[Iterable],
                chunksize: int | None = None) -> list:
        """Like ``map`` but each item is unpacked: ``func(*item)``."""

    @abstractmethod
    def starmap_async(self, func: Callable, iterable: Iterable[Iterable],
                      chunksize: int | None = None, callback: Callable | None = None,
                      error_callback: Callable | None = None) -> AsyncResult:
        """Submit a ``starmap``."""

    @abstractmethod
    def imap(self, func: Callable, iterable: Iterable, chunksize: int | None = None) -> Iterator:
        """A lazy ``map``: results in order as they become available.

        The iterator's ``next(timeout)`` raises ``TimeoutError`` when no result came in time;
        a failed item raises its exception at its place, and iteration can go on after it.
        """

    @abstractmethod
    def imap_unordered(self, func: Callable, iterable: Iterable,
                       chunksize: int | None = None) -> Iterator:
        """A lazy ``map`` whose results come in completion order."""

    @abstractmethod
    def close(self) -> None:
        """Accept no more tasks; the workers exit once the queued tasks are done."""

    @abstractmethod
    def terminate(self) -> None:
        """Stop the workers now; tasks not finished are abandoned (``__exit__`` calls this)."""

    @abstractmethod
    def join(self, timeout: float | None = None) -> None:
        """Wait for the workers to exit; call ``close()`` or ``terminate()`` first.

        With a ``timeout``, return after at most that many seconds even if some still run.
        """

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.terminate()


publish("concurrent._shared", globals(), __all__)
