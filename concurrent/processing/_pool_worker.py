"""The loop a pool worker process runs: receive a chunk, run it, send the outcomes back.

Each worker has its own pipe to the pool, so the pool always knows which chunk a worker
holds, and a worker killed mid-task cannot leave a shared lock held (the failure mode that hangs
the stdlib pool).

To the worker: pickled ``(func, items, star)``, preceded by ``b"@"`` and a 4-byte offset when
its first tasks already ran; ``b""`` to stop.  From it: ``("ready",)`` once its initializer
ran, or ``("init_failed", error)``; then per chunk, in the order the chunks came, any number of
``("partial", kind, values, exact)`` and one ``("done", kind, values, seconds)``, or
``("error", error, seconds)`` if the chunk could not be unpickled.  ``kind`` and ``values`` are
as in ``concurrent._shared._pool_results``; ``exact`` says the next task is reported before the
one after it starts.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable, Iterable
from typing import Any

from concurrent._shared._pool_tracebacks import capture

__all__ = ["worker_main"]

_IDLE_CHECK = 1.0  # seconds between checks, while idle, that the pool's process still lives
_SLOW_TASK = 0.005  # seconds: tasks at least this slow are reported one by one
_dumps = pickle.dumps
_loads = pickle.loads


def worker_main(conn, initializer: Callable | None, initargs: Iterable,
                maxtasks: int | None, owner_pid: int, inherited_fds: tuple[int, ...]) -> None:
    """Serve chunks on ``conn`` until told to stop, ``maxtasks`` chunks ran, or the owner died."""
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
    poller = select.poll()  # Connection.poll builds a selector per call: too slow per task
    poller.register(conn.fileno(), select.POLLIN)
    finished = 0
    while maxtasks is None or finished < maxtasks:
        if not _wait_for_work(poller, owner_pid):
            return
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not data:
            return
        offset = 0
        if data[:1] == b"@":  # the chunk's first tasks already ran (see _pool_dispatch)
            offset = int.from_bytes(data[1:5], "big")
            data = conn.recv_bytes()
        _run_chunk(conn, data, offset)
        finished += 1


def _wait_for_work(poller, owner_pid: int) -> bool:
    while not poller.poll(_IDLE_CHECK * 1000):
        try:
            os.kill(owner_pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
    return True


def _run_chunk(conn, data: bytes, offset: int) -> None:
    """Run the chunk's tasks from ``offset`` on and send their outcomes.

    While its tasks are slow, the worker reports each one before it starts the next, so if it
    dies the pool knows exactly which task killed it and that the rest never ran.  After the
    first fast task it goes quiet until the chunk ends: per-task messages would cost more than
    fast tasks themselves, and the pool then only knows the range the death happened in.
    """
    started = time.perf_counter()
    try:
        func, items, star = _loads(data)
    except BaseException as exc:
        conn.send_bytes(_dumps(("error", capture(exc), time.perf_counter() - started)))
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
            conn.send_bytes(_outcome_message("partial", values, failed, exact))
            values, failed = [], False
    seconds = time.perf_counter() - started
    conn.send_bytes(_outcome_message("done", values, failed, seconds))


def _outcome_message(what: str, values: list, failed: bool, extra: Any) -> bytes:
    """``(what, kind, values, extra)``, replacing results that cannot be pickled by errors."""
    try:
        return _dumps((what, "mixed" if failed else "ok", values, extra))
    except Exception:
        return _dumps((what, "mixed", _picklable_outcomes(values, failed), extra))


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
