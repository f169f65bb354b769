"""``pmap`` on a ``concurrent.processing`` ``Pool``: ``Pool.imap`` with pprocess's guarantees.

pprocess ran each item in a process of its own, at most ``limit`` at a time, and gave the results
in the order of the items; ``Pool(limit, maxtasksperchild=1).imap(f, items, chunksize=1)`` does
the same.  A worker that dies fails its item with ``WorkerLostError`` and the pool goes on.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import concurrent.processing as _new
from compat.pprocess._collect import Failure, MakeParallel, unwrap
from compat.pprocess._exchange import check_limit

__all__ = ["PoolResults", "pool_map"]


class PoolResults:
    """What ``pmap`` returns: the results in item order, fetched as they are needed.

    Iterate over it, or index and slice it, as pprocess's ``Map`` allowed.  An item whose call
    raised (or whose worker died) raises that error where its result would be.  The pool is
    closed once every result has arrived, and terminated if the object is dropped before.
    """

    __module__ = "compat.pprocess"

    def __init__(self, pool: Any, results: Iterator[Any], total: int) -> None:
        self._pool = pool
        self._iterator = results
        self._total = total
        self._values: list[Any] = []
        self._index = 0
        self._finalizer = weakref.finalize(self, pool.terminate)
        if not total:
            self._close()

    def _close(self) -> None:
        # As soon as the last result is in: a pool left running would go on forking workers
        # (one per item), and a fork copies whatever pipes the program has open at the time.
        self._finalizer.detach()
        self._pool.close()
        self._pool.join()

    def _fetch(self, count: int | None) -> None:
        """Fetch results until there are ``count`` of them (``None``: all)."""
        wanted = self._total if count is None else min(count, self._total)
        while len(self._values) < wanted:
            try:
                self._values.append(next(self._iterator))
            except Exception as error:  # raised when its place is reached
                self._values.append(Failure(error))
            if len(self._values) == self._total:
                self._close()

    def __iter__(self) -> PoolResults:
        return self

    def __next__(self) -> Any:
        self._fetch(self._index + 1)
        if self._index >= len(self._values):
            raise StopIteration
        value = self._values[self._index]
        self._index += 1
        return unwrap(value)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            bounded = index.stop is not None and index.stop >= 0 and (index.start or 0) >= 0
            self._fetch(index.stop if bounded else None)
            return [unwrap(value) for value in self._values[index]]
        self._fetch(index + 1 if index >= 0 else None)
        try:
            value = self._values[index]
        except IndexError:  # a result that does not exist: no item had this index
            raise IndexError(f"pmap result index {index} out of range: "
                             f"{len(self._values)} results") from None
        return unwrap(value)


def pool_map(callable: Callable[..., Any], sequence: Iterable[Any],
             limit: int | None = None) -> PoolResults:
    """``callable(item)`` for each item, each in a process of its own, ``limit`` at a time.

    The results come in item order.  ``limit=None`` runs the items on ``cpu_count()`` processes
    at a time (pprocess started them all at once).  ``callable`` is a plain function; a
    ``MakeParallel`` wrapper is looked through, as pprocess accepted one too.
    """
    check_limit(limit)
    function = callable.callable if isinstance(callable, MakeParallel) else callable
    items = list(sequence)  # pprocess, too, took every item at once, to start them all
    pool = _new.Pool(limit, maxtasksperchild=1)
    try:
        results = pool.imap(function, items, chunksize=1)
    except BaseException:
        pool.terminate()
        raise
    return PoolResults(pool, results, len(items))
