"""The pool's engine: one thread that owns the worker processes and hands them chunks.

Every worker has a private duplex pipe.  The thread waits on all the pipes, on every worker's
sentinel and on a wake-up pipe at once, so a worker's death is seen the moment it happens: the
chunk that worker was running (the first it had not answered; workers answer in order) fails
with ``WorkerLostError``, chunks queued behind it go back to the front of the queue, and a
replacement starts.  Behind the chunk it runs, a worker is sent at most seven more, only small
ones and only while its chunks are short, so neither side can block writing to a full pipe while
the other also writes, and no chunk waits long behind a slow task while another worker idles.
Messages are read and written in bulk: one read takes all that a worker has answered, and one
write carries all that a worker is sent at once.

Large buffers in tasks and results travel through the pool's ``BufferCodec``: shared-memory
segments that the pool's process unlinks when the pool ends (terminated, joined or collected).
A segment that a dead worker held is reclaimed by the codec; its task, if it must run again,
is encoded afresh.
"""

from __future__ import annotations

import collections
import itertools
import logging
import os
import selectors
import signal
import threading
from dataclasses import dataclass, field
from multiprocessing import connection as _mp_connection
from typing import Any

from concurrent._shared import BrokenPoolError, WorkerLostError
from concurrent.processing._pool_worker import (
    READ_SIZE, encode, pickle_task, send_frames, take_frames, worker_main)
from concurrent.processing._shm_buffers import BufferCodec

__all__ = ["Chunk", "Dispatcher"]

_log = logging.getLogger("concurrent.processing.pool")
_PREFETCH_LIMIT = 8 * 1024  # bytes per queued chunk: far below a socketpair's buffer, so
_PREFETCH_DEPTH = 8  # ... sending up to this many chunks to one worker never blocks
_SHORT_CHUNK = 0.005  # seconds: a worker whose last chunk ran shorter may get chunks queued
_STARTUP_FAILURES = 3  # workers in a row dying before they are ready: the pool is broken
RUN, CLOSE, TERMINATE = "running", "closed", "terminated"


@dataclass(eq=False)
class Chunk:
    """Consecutive tasks of one job sent to a worker in one message.

    ``start``/``count`` cover the tasks not answered yet; they shrink as a worker reports
    tasks one by one, and ``offset`` counts the tasks of ``payload`` answered before.
    """

    job: Any  # a _shared._pool_results object: deliver(start, count, kind, payload) / abandon(exc)
    start: int
    count: int
    payload: bytes
    on_done: Any = None  # called with (size, seconds) once the whole chunk is finished
    offset: int = 0
    size: int = 0  # tasks in the whole chunk (set from count)
    exact: bool = True  # a dying worker was running exactly task ``start``, and no later one
    task: Any = None  # what ``payload`` encodes, to encode again if a dead worker took it

    def __post_init__(self) -> None:
        self.size = self.size or self.count


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any
    inbox: bytearray = field(default_factory=bytearray)  # read, not yet handled
    ready: bool = False
    sent: int = 0
    last_seconds: float | None = None  # how long its last chunk ran
    outstanding: collections.deque = field(default_factory=collections.deque)


class Dispatcher:
    """Worker processes, the queue of chunks, and the thread that joins them together."""

    def __init__(self, context, processes: int, initializer, initargs, maxtasks) -> None:
        self._ctx = context
        self._size = processes
        self._initializer = initializer
        self._initargs = tuple(initargs)
        self._maxtasks = maxtasks
        self._names = itertools.count(1)
        self._lock = threading.Lock()
        self._pending: collections.deque[Chunk] = collections.deque()
        self._feeders = 0
        self.state = RUN
        self._broken: BaseException | None = None
        self._startup_failures = 0
        self._workers: dict[Any, _Worker] = {}  # keyed by sentinel
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._asleep = False
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._wake_r, selectors.EVENT_READ, ("wake", None))
        self.codec = BufferCodec.for_channel(context)
        for _ in range(processes):
            self._start_worker()
        self._thread = threading.Thread(target=self._run, name="concurrent.processing.pool",
                                        daemon=True)
        self._thread.start()

    # -- called from any thread -------------------------------------------------------------
    def encode(self, task: tuple) -> bytes:
        """The payload of ``(func, items, star)``: large buffers in it go to shared memory."""
        return encode(self.codec, task, task[1], what="task", plain=pickle_task)

    def submit(self, chunks: list[Chunk]) -> None:
        """Queue chunks; raise ``ValueError`` unless the pool is running."""
        try:
            with self._lock:
                self._check_running()
                self._pending.extend(chunks)
        except Exception:
            self._discard(chunks)
            raise
        self._wake()

    def add_feeder(self) -> None:
        with self._lock:
            self._check_running()
            self._feeders += 1

    def feed(self, chunk: Chunk) -> bool:
        """Queue a chunk from a running imap feeder; False once the pool was terminated."""
        with self._lock:
            stopped = self.state == TERMINATE
            if not stopped:
                self._pending.append(chunk)
        if stopped:
            self._discard([chunk])
            return False
        self._wake()
        return True

    def remove_feeder(self) -> None:
        with self._lock:
            self._feeders -= 1
        self._wake()

    def check_running(self) -> None:
        """Raise ``BrokenPoolError`` or ``ValueError`` unless the pool takes new tasks."""
        with self._lock:
            self._check_running()

    def _check_running(self) -> None:
        if self._broken is not None:
            raise BrokenPoolError(f"the pool is broken: {self._broken}") from self._broken
        if self.state != RUN:
            raise ValueError(f"Pool not running (it was {self.state}); create a new Pool")

    def close(self) -> None:
        with self._lock:
            if self.state == RUN:
                self.state = CLOSE
        self._wake()

    def terminate(self) -> None:
        """Stop the thread, kill the workers, and fail every unfinished result."""
        with self._lock:
            self.state = TERMINATE
            workers = list(self._workers.values())
        for worker in workers:  # unblocks a thread stuck sending to a busy worker
            _signal(worker.process.terminate)
        self._wake()
        if threading.current_thread() is self._thread:
            return  # called from a callback: the thread reaps the workers as it exits
        self._thread.join(10)
        if self._thread.is_alive():
            _log.warning("pool thread still busy (in a callback?) after terminate()")
        else:
            self._reap_all()

    def join(self, timeout: float | None = None) -> None:
        if threading.current_thread() is self._thread:
            raise RuntimeError("cannot join the pool from its own callback")
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self._reap_all()

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers.values()]

    def _wake(self) -> None:
        if not self._asleep:
            return  # the thread is awake: it looks at the queue and the state before sleeping
        self._asleep = False
        try:
            os.write(self._wake_w, b"!")
        except (BlockingIOError, OSError):
            pass  # the pipe is full (a wake-up is already pending) or closed

    # -- the pool thread ---------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while self._step():
                pass
        except BaseException as exc:  # a bug here must not leave callers waiting forever
            _log.exception("pool thread failed")
            self._broken = exc
            with self._lock:
                self.state = TERMINATE
        finally:
            self._abandon_all(BrokenPoolError("the pool was terminated before the task finished")
                              if self._broken is None else
                              BrokenPoolError(f"the pool is broken: {self._broken}"))
            if self.state == TERMINATE:
                self._reap_all()

    def _step(self) -> bool:
        with self._lock:
            if self.state == TERMINATE:
                return False
            self._assign()
            finishing = (self.state == CLOSE and not self._pending and not self._feeders
                         and not any(w.outstanding for w in self._workers.values()))
            self._asleep = not finishing
        if finishing:
            self._stop_workers()
            return False
        events = self._selector.select()
        self._asleep = False
        # Answers first: a worker that answered and then exited must not lose that answer.
        for key, _mask in events:
            kind, worker = key.data
            if kind == "answer" and worker.process.sentinel in self._workers:
                self._on_message(worker)
        for key, _mask in events:
            kind, worker = key.data
            if kind == "wake":
                os.read(self._wake_r, 4096)
            elif kind == "exit" and worker.process.sentinel in self._workers:
                if self.state == TERMINATE:  # e.g. its initializer failed: the pool is broken,
                    break  # so its chunks fail with BrokenPoolError, not WorkerLostError
                self._on_exit(worker)
        return True

    def _assign(self) -> None:
        # Idle workers first; then, round by round, more chunks to busy ones, so they never
        # wait on us.  Each worker's new chunks go out in one write.
        batches: dict[_Worker, list[Chunk]] = {}
        for prefetch in (False,) + (True,) * (_PREFETCH_DEPTH - 1):
            assigned = False
            for worker in self._workers.values():
                if not self._pending:
                    break
                if self._may_send(worker, self._pending[0], prefetch):
                    chunk = self._pending.popleft()
                    worker.outstanding.append(chunk)
                    worker.sent += 1
                    batches.setdefault(worker, []).append(chunk)
                    assigned = True
            if prefetch and not assigned:
                break  # every worker is full (or the queue is empty)
        for worker, chunks in batches.items():
            frames = []
            for chunk in chunks:
                if chunk.offset:
                    frames.append(b"@" + chunk.offset.to_bytes(4, "big"))
                frames.append(chunk.payload)
            try:
                send_frames(worker.conn.fileno(), *frames)
            except OSError:  # it died; its sentinel tells us next
                for _ in chunks:
                    worker.outstanding.pop()
                worker.sent -= len(chunks)
                self._pending.extendleft(reversed(chunks))

    def _may_send(self, worker: _Worker, chunk: Chunk, prefetch: bool) -> bool:
        if self._maxtasks is not None and worker.sent >= self._maxtasks:
            return False
        if not prefetch:
            return not worker.outstanding
        # Queue a little work behind a busy worker only when its chunks are known to be short:
        # a chunk queued behind a long task would wait while another worker idles.
        return (0 < len(worker.outstanding) < _PREFETCH_DEPTH and worker.ready
                and worker.last_seconds is not None and worker.last_seconds < _SHORT_CHUNK
                and len(chunk.payload) <= _PREFETCH_LIMIT)

    def _on_message(self, worker: _Worker) -> None:
        """Handle every message the worker sent so far: one read, not two per message."""
        try:
            data = os.read(worker.conn.fileno(), READ_SIZE)
        except OSError:
            return  # the worker is gone; its sentinel fires next
        worker.inbox += data
        for frame in take_frames(worker.inbox):
            try:
                message = self.codec.loads(frame)
            except Exception as exc:  # a result that cannot be unpickled here
                message = ("error", exc, 0.0)
            self._handle(worker, message)

    def _handle(self, worker: _Worker, message: tuple) -> None:
        kind = message[0]
        if kind == "ready":
            worker.ready = True
            self._startup_failures = 0
            return
        if kind == "init_failed":
            self._break(BrokenPoolError("the pool's initializer failed in a worker; see the "
                                        "cause below"), message[1])
            return
        chunk = worker.outstanding[0]
        if kind == "partial":  # tasks reported one by one (while they are slow)
            _, outcome, values, chunk.exact = message
            chunk.job.deliver(chunk.start, len(values), outcome, values)
            chunk.start += len(values)
            chunk.count -= len(values)
            chunk.offset += len(values)
            return
        worker.outstanding.popleft()
        if kind == "done":
            _, outcome, payload, seconds = message
        else:  # "error": the chunk failed as a whole
            outcome, payload, seconds = kind, message[1], message[2]
        worker.last_seconds = seconds
        if chunk.on_done is not None:
            chunk.on_done(chunk.size, seconds)
        chunk.job.deliver(chunk.start, chunk.count, outcome, payload)

    def _on_exit(self, worker: _Worker) -> None:
        process = worker.process
        process.join(5)
        self._drain(worker)
        with self._lock:
            self._workers.pop(process.sentinel, None)
            lost = worker.outstanding.popleft() if worker.outstanding else None
            self._pending.extendleft(reversed(worker.outstanding))
            worker.outstanding.clear()
        name, pid, exitcode = process.name, process.pid, process.exitcode
        self._forget(worker)
        worker.conn.close()
        _close_process(process)
        how = describe_exit(exitcode)
        if lost is not None:
            if lost.exact and lost.count > 1:  # the tasks after the lost one never ran: redo
                # The dead worker may have mapped the payload's segment: encode it again.
                payload = lost.payload if lost.task is None else self.encode(lost.task)
                rest = Chunk(lost.job, lost.start + 1, lost.count - 1, payload,
                             lost.on_done, lost.offset + 1, lost.size, task=lost.task)
                with self._lock:
                    self._pending.appendleft(rest)
                lost.count, lost.on_done = 1, None
            last = lost.start + lost.count - 1
            which = f"task {lost.start}" if lost.count == 1 else f"one of tasks {lost.start}-{last}"
            error = WorkerLostError(
                f"worker {name} (pid {pid}) died with {how} while running {which}",
                name=name, pid=pid, exitcode=exitcode)
            _log.warning("%s", error)
            if lost.on_done is not None:
                lost.on_done(lost.size, None)
            lost.job.deliver(lost.start, lost.count, "error", error)
        elif not worker.ready and self.state != TERMINATE:
            self._startup_failures += 1
            _log.warning("worker %s (pid %s) died with %s before it was ready", name, pid, how)
            if self._startup_failures >= _STARTUP_FAILURES:
                self._break(BrokenPoolError(f"{self._startup_failures} workers in a row died "
                                            f"while starting (the last with {how})"))
                return
        with self._lock:
            replace = self.state == RUN or (self.state == CLOSE and (
                self._pending or self._feeders))
        if replace:
            self._start_worker()

    def _drain(self, worker: _Worker) -> None:
        """Take the answers a dead worker sent before it died (without ever blocking)."""
        fd = worker.conn.fileno()
        try:
            os.set_blocking(fd, False)
            while data := os.read(fd, READ_SIZE):
                worker.inbox += data
        except OSError:  # the end of the data (or of the pipe): all read
            pass
        try:
            for frame in take_frames(worker.inbox):
                if not worker.outstanding:
                    break
                self._handle(worker, self.codec.loads(frame))
        except Exception:  # an answer it could not finish: the chunk is lost with it
            pass

    def _break(self, error: BrokenPoolError, cause: BaseException | None = None) -> None:
        if cause is not None:
            error.__cause__ = cause
        self._broken = error
        with self._lock:
            self.state = TERMINATE

    def _start_worker(self) -> None:
        # The stdlib's Pipe: the pool moves bytes in its own frames and encodes large buffers
        # itself, so a channel codec (and its shared-memory table) would be waste here.
        parent, child = _mp_connection.Pipe(duplex=True)
        # A forked child inherits our ends of its siblings' pipes: it closes them first thing.
        inherited = tuple(w.conn.fileno() for w in self._workers.values()) + (
            self._wake_r, self._wake_w)
        inherit = inherited if self._ctx.get_start_method() == "fork" else ()
        process = self._ctx.Process(
            target=worker_main, name=f"PoolWorker-{next(self._names)}", daemon=True,
            args=(child, self.codec, self._initializer, self._initargs, self._maxtasks,
                  os.getpid(), inherit))
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._selector.register(parent.fileno(), selectors.EVENT_READ, ("answer", worker))
        self._selector.register(process.sentinel, selectors.EVENT_READ, ("exit", worker))
        with self._lock:
            self._workers[process.sentinel] = worker

    def _forget(self, worker: _Worker) -> None:
        for fd in (worker.conn.fileno(), worker.process.sentinel):
            try:
                self._selector.unregister(fd)
            except (KeyError, ValueError):
                pass

    def _stop_workers(self) -> None:
        for worker in list(self._workers.values()):
            try:
                worker.conn.send_bytes(b"")
            except OSError:
                pass
        for worker in list(self._workers.values()):
            worker.process.join(10)
        self._reap_all()

    def _reap_all(self) -> None:
        with self._lock:
            workers = list(self._workers.values())
            self._workers.clear()
        for worker in workers:
            process = worker.process
            if process.exitcode is None:
                _signal(process.terminate)
                process.join(1)
            if process.exitcode is None:
                _signal(process.kill)
                process.join(5)
            self._forget(worker)
            worker.conn.close()
            _close_process(process)
        if not self._thread.is_alive() and self._wake_r >= 0:
            self.codec.close()  # unlinks every segment; results already received stay mapped
            self.codec = BufferCodec()  # let the pool's lock go, even while the pool lives on
            self._selector.close()
            fds = (self._wake_r, self._wake_w)
            self._wake_r = self._wake_w = -1
            for fd in fds:
                os.close(fd)

    def _abandon_all(self, error: BaseException) -> None:
        with self._lock:
            chunks = list(self._pending)
            self._pending.clear()
            for worker in self._workers.values():
                chunks += worker.outstanding
                worker.outstanding.clear()
        self._discard(chunks)
        for chunk in chunks:
            if chunk.on_done is not None:
                chunk.on_done(chunk.count, None)
            chunk.job.abandon(error)

    def _discard(self, chunks: list[Chunk]) -> None:
        """Give back the shared memory of chunks no worker will read (a no-op for most)."""
        for chunk in chunks:
            self.codec.discard(chunk.payload)


def _signal(action) -> None:
    try:
        action()
    except (OSError, ValueError, AttributeError):
        pass


def _close_process(process) -> None:
    close = getattr(process, "close", None)
    if close is not None:
        try:
            close()
        except ValueError:
            pass


def describe_exit(exitcode: int | None) -> str:
    """Say how a worker ended, from its ``exitcode`` (negative: killed by that signal)."""
    if exitcode is None:
        return "an unknown exit status"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"signal {name} (exitcode {exitcode})"
    return f"exit code {exitcode}"
