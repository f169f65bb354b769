"""Notice a lost scheduler while nobody is asking it anything.

Primitives find out on their next request (``_calls``), but a pool result or a ``Process``
waits on a future that Dask may leave pending for a long time after the scheduler died.  While
such waits exist, one daemon thread asks the scheduler who it is every ``PERIOD`` seconds; when
it does not answer (or the client gives up), every watcher is told once with the
``SchedulerLostError``, and fails its waiters with it.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

from concurrent.distributed._calls import request
from concurrent.distributed._errors import SchedulerLostError

__all__ = ["PERIOD", "forget", "unwatch", "watch"]

PERIOD = 1.0
Watcher = Callable[[SchedulerLostError], None]

_lock = threading.Lock()
_watchers: dict[int, tuple[Any, Watcher]] = {}
_wakeup = threading.Event()
_thread: threading.Thread | None = None
_tokens = itertools.count(1)


def watch(client: Any, watcher: Watcher) -> int:
    """Call ``watcher(error)`` if ``client``'s scheduler is lost; returns a token to unwatch."""
    global _thread
    token = next(_tokens)
    with _lock:
        _watchers[token] = (client, watcher)
        if _thread is None or not _thread.is_alive():
            _wakeup.clear()
            _thread = threading.Thread(target=_run, name="concurrent.distributed monitor",
                                       daemon=True)
            _thread.start()
    return token


def unwatch(token: int) -> None:
    """Stop watching (no effect if already told or removed)."""
    with _lock:
        _watchers.pop(token, None)


def forget() -> None:
    """Drop every watcher and stop the thread (the session closed on purpose)."""
    with _lock:
        _watchers.clear()
    _wakeup.set()


def _ping(client: Any) -> SchedulerLostError | None:
    try:
        request(client, lambda limit: client.sync(client.scheduler.identity,
                                                  callback_timeout=limit))
    except SchedulerLostError as exc:
        return exc
    except Exception as exc:  # any other failure to answer counts as lost too
        return SchedulerLostError(f"the Dask scheduler failed to answer: {exc!r}")
    return None


def _run() -> None:
    global _thread
    while not _wakeup.wait(PERIOD):
        with _lock:
            if not _watchers:
                _thread = None
                return
            clients = {id(client): client for client, _ in _watchers.values()}
        for key, client in clients.items():
            error = _ping(client)
            if error is None:
                continue
            with _lock:
                told = [(token, w) for token, (c, w) in _watchers.items() if id(c) == key]
                for token, _ in told:
                    del _watchers[token]
            for _, watcher in told:
                watcher(error)
