"""The pool thread: it owns the worker processes and hands them chunks (see ``_pool``).

The thread waits on every worker's pipe, every worker's sentinel and a wake-up pipe at once, so
a worker's death is seen the moment it happens: the chunk that worker was running (the first it
had not answered; workers answer in order) fails with ``WorkerLostError``, chunks queued behind
it go back to the front of the queue, and a replacement starts.  Which chunk goes to which
worker is ``schedule``'s rule.

A segment of shared memory that a dead worker held is reclaimed by the codec; its task, if it
must run again, is encoded afresh.
"""

from __future__ import annotations

import logging
import os
import selectors
import threading
from collections.abc import Callable, Iterable

from concurrent._shared import BrokenPoolError, WorkerLostError
from concurrent._shared._machinery.leaving_threads import start_daemon
from concurrent._shared._machinery.pool.lifecycle import Lifecycle, PoolState
from concurrent._shared._machinery.pool.results import Outcome
from concurrent.processing._datapath.codec import BufferCodec
from concurrent.processing._pool import messages
from concurrent.processing._pool.messages import (
    Done,
    Failed,
    InitFailed,
    Partial,
    Ready,
    Task,
)
from concurrent.processing._pool.schedule import Chunk, Schedule
from concurrent.processing._pool.workers import (
    Watched,
    WorkerHandle,
    Workers,
    describe_exit,
    owns_codec,
    pool_codec,
)

__all__ = ["Dispatcher"]

_log = logging.getLogger("concurrent.processing.pool")
_STARTUP_FAILURES = 3  # workers in a row dying before they are ready: the pool is broken


class Dispatcher:
    """The queue of chunks, the workers, and the thread that joins them together.

    ``lifecycle.lock`` guards the queue, the workers and the state; the pool queues chunks
    under it (``enqueue``) and then calls ``wake``.
    """

    def __init__(self, method: str | None, processes: int, initializer: Callable | None,
                 initargs: Iterable, maxtasks: int | None) -> None:
        self.lifecycle = Lifecycle()
        self._schedule = Schedule(maxtasks)
        self._startup_failures = 0
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._asleep = False
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._wake_r, selectors.EVENT_READ, (Watched.WAKE, None))
        self.codec = pool_codec(method)
        self._workers = Workers(method, initializer, initargs, maxtasks, self.codec,
                                self._selector, (self._wake_r, self._wake_w,
                                                 self._selector.fileno()))
        for _ in range(processes):
            self._add_worker()
        self._thread = start_daemon(self._run, name="concurrent.processing.pool")

    # -- called from any thread ---------------------------------------------------------------
    def encode(self, task: Task) -> bytes:
        """The payload of ``task``: large buffers in it go to shared memory."""
        return self.codec.dumps(tuple(task), what="task", look_in=task.items)

    def enqueue(self, chunks: Iterable[Chunk]) -> None:
        """Queue chunks behind the others (call with ``lifecycle.lock`` held, then ``wake``)."""
        self._schedule.pending.extend(chunks)

    def discard(self, chunks: Iterable[Chunk]) -> None:
        """Give back the shared memory of chunks no worker will read (a no-op for most)."""
        for chunk in chunks:
            self.codec.discard(chunk.payload)

    def wake(self) -> None:
        """Make the thread look at the queue and the state again."""
        if not self._asleep:
            return  # the thread is awake: it looks at the queue and the state before sleeping
        self._asleep = False
        try:
            os.write(self._wake_w, b"!")
        except (BlockingIOError, OSError):
            pass  # the pipe is full (a wake-up is already pending) or closed

    def terminate(self) -> None:
        """Stop the thread, kill the workers, and fail every unfinished result."""
        with self.lifecycle.lock:
            self.lifecycle.terminate()
            self._workers.signal_all()
        self.wake()
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

    def pids(self) -> list[int]:
        with self.lifecycle.lock:
            return self._workers.pids()

    def processes(self) -> list:
        with self.lifecycle.lock:
            return [worker.process for worker in self._workers.by_sentinel.values()]

    # -- the pool thread ----------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while self._step():
                pass
        except BaseException as exc:  # a bug here must not leave callers waiting forever
            _log.exception("pool thread failed")
            error = BrokenPoolError(f"the pool is broken: {exc!r}")
            error.__cause__ = exc
            with self.lifecycle.lock:
                self.lifecycle.break_with(error)
        finally:
            broken = self.lifecycle.broken
            self._abandon_all(BrokenPoolError("the pool was terminated before the task finished")
                              if broken is None else BrokenPoolError(str(broken)))
            if self.lifecycle.state is PoolState.TERMINATED:
                self._reap_all()

    def _step(self) -> bool:
        with self.lifecycle.lock:
            if self.lifecycle.stopped:
                return False
            self._schedule.assign(self._workers.by_sentinel.values())
            finishing = (self.lifecycle.finishing and not self._schedule.pending
                         and not any(w.outstanding for w in self._workers.by_sentinel.values()))
            self._asleep = not finishing
        if finishing:
            self._workers.stop_all()
            self._reap_all()
            return False
        events = self._selector.select()
        self._asleep = False
        # Answers first: a worker that answered and then exited must not lose that answer.
        for key, _mask in events:
            kind, worker = key.data
            if kind is Watched.ANSWER and worker.process.sentinel in self._workers.by_sentinel:
                self._on_answers(worker)
        for key, _mask in events:
            kind, worker = key.data
            if kind is Watched.WAKE:
                os.read(self._wake_r, 4096)
            elif kind is Watched.EXIT and worker.process.sentinel in self._workers.by_sentinel:
                if self.lifecycle.stopped:  # e.g. its initializer failed: the pool is broken,
                    break  # so its chunks fail with BrokenPoolError, not WorkerLostError
                self._on_exit(worker)
        return True

    def _on_answers(self, worker: WorkerHandle) -> None:
        """Handle every message the worker sent so far: one read, not two per message."""
        for frame in self._workers.read(worker):
            try:
                message = messages.from_wire(self.codec.loads(frame))
            except Exception as exc:  # a result that cannot be unpickled here
                message = Failed(exc, 0.0)
            self._handle(worker, message)

    def _handle(self, worker: WorkerHandle, message: messages.Message) -> None:
        if isinstance(message, Ready):
            worker.ready = True
            self._startup_failures = 0
            return
        if isinstance(message, InitFailed):
            self._break(BrokenPoolError("the pool's initializer failed in a worker; see the "
                                        "cause below"), message.error)
            return
        chunk = worker.outstanding[0]
        if isinstance(message, Partial):  # tasks reported one by one (while they are slow)
            chunk.exact = message.exact
            count = len(message.values)
            chunk.job.deliver(chunk.start, count, message.outcome, message.values)
            chunk.start += count
            chunk.count -= count
            chunk.offset += count
            return
        worker.outstanding.popleft()
        if isinstance(message, Done):
            outcome, payload = message.outcome, message.values
        else:  # Failed: the chunk failed as a whole
            outcome, payload = Outcome.ERROR, message.error
        worker.last_seconds = message.seconds
        if chunk.on_done is not None:
            chunk.on_done(chunk.size, message.seconds)
        chunk.job.deliver(chunk.start, chunk.count, outcome, payload)

    def _on_exit(self, worker: WorkerHandle) -> None:
        process = worker.process
        process.join(5)
        self._drain(worker)
        with self.lifecycle.lock:
            self._workers.by_sentinel.pop(process.sentinel, None)
            lost = worker.outstanding.popleft() if worker.outstanding else None
            self._schedule.requeue(worker.outstanding)
            worker.outstanding.clear()
        name, pid, exitcode = process.name, process.pid, process.exitcode
        self._workers.close(worker)
        how = describe_exit(exitcode)
        if lost is not None:
            self._fail_lost(lost, name, pid, exitcode, how)
        elif not worker.ready and not self.lifecycle.stopped:
            self._startup_failures += 1
            _log.warning("worker %s (pid %s) died with %s before it was ready", name, pid, how)
            if self._startup_failures >= _STARTUP_FAILURES:
                self._break(BrokenPoolError(f"{self._startup_failures} workers in a row died "
                                            f"while starting (the last with {how})"))
                return
        with self.lifecycle.lock:
            state = self.lifecycle.state
            replace = state is PoolState.RUNNING or (state is PoolState.CLOSED and (
                self._schedule.pending or self.lifecycle.feeders))
        if replace:
            self._add_worker()

    def _fail_lost(self, lost: Chunk, name: str, pid: int, exitcode: int | None,
                   how: str) -> None:
        """Fail the task the dead worker ran; put the chunk's tasks it never started back."""
        if lost.exact and lost.count > 1:  # the tasks after the lost one never ran: redo
            # The dead worker may have mapped the payload's segment: encode it again.
            rest = Chunk(lost.job, lost.start + 1, lost.count - 1, self.encode(lost.task),
                         lost.task, lost.on_done, lost.offset + 1, lost.size)
            with self.lifecycle.lock:
                self._schedule.requeue([rest])
            lost.count, lost.on_done = 1, None
        last = lost.start + lost.count - 1
        which = f"task {lost.start}" if lost.count == 1 else f"one of tasks {lost.start}-{last}"
        error = WorkerLostError(f"worker {name} (pid {pid}) died with {how} while running "
                                f"{which}", name=name, pid=pid, exitcode=exitcode)
        _log.warning("%s", error)
        if lost.on_done is not None:
            lost.on_done(lost.size, None)
        lost.job.deliver(lost.start, lost.count, Outcome.ERROR, error)

    def _drain(self, worker: WorkerHandle) -> None:
        """Take the answers a dead worker sent before it died."""
        try:
            for frame in self._workers.drain(worker):
                if not worker.outstanding:
                    break
                self._handle(worker, messages.from_wire(self.codec.loads(frame)))
        except Exception:  # an answer it could not finish: the chunk is lost with it
            pass

    def _break(self, error: BrokenPoolError, cause: BaseException | None = None) -> None:
        if cause is not None:
            error.__cause__ = cause
        with self.lifecycle.lock:
            self.lifecycle.break_with(error)

    def _add_worker(self) -> None:
        # Only the pool thread (or __init__, before it starts) starts workers, so reading the
        # workers to start one needs no lock; adding it does.
        worker = self._workers.start(self.codec)
        with self.lifecycle.lock:
            self._workers.by_sentinel[worker.process.sentinel] = worker

    def _reap_all(self) -> None:
        with self.lifecycle.lock:
            self._workers.reap_all()
        if not self._thread.is_alive() and self._wake_r >= 0:
            if owns_codec(self.codec):  # unlinks every segment; results received stay mapped
                self.codec.close()
            self.codec = BufferCodec()  # let the pool's lock go, even while the pool lives on
            self._selector.close()
            fds = (self._wake_r, self._wake_w)
            self._wake_r = self._wake_w = -1
            for fd in fds:
                os.close(fd)

    def _abandon_all(self, error: BaseException) -> None:
        with self.lifecycle.lock:
            chunks = list(self._schedule.pending)
            self._schedule.pending.clear()
            for worker in self._workers.by_sentinel.values():
                chunks += worker.outstanding
                worker.outstanding.clear()
        self.discard(chunks)
        for chunk in chunks:
            if chunk.on_done is not None:
                chunk.on_done(chunk.count, None)
            chunk.job.abandon(error)

