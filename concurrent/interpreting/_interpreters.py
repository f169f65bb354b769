"""Starting the interpreters that workers run in, and closing them once what they sent is taken.

::

    start()    create -> its sys.path made this one's (exec) -> _bootstrap.setup(...) (call)
    Started    .call(function, *args): run a function of this backend in it, from this thread
    retire()   -> closed once its in-flight counter is empty (_inflight): the stdlib drops
                  what a closed interpreter put.  In the main interpreter, by the thread that
                  retires it (nothing in flight) or that takes its last item; else by the Reaper

An interpreter gets the setup it cannot find alone: the importer's ``sys.path`` (a new
interpreter computes its own, without the entries this program added), its in-flight counter,
the reaper's inbox and doorbell, the program's main script (``_codec``) and a few idle parkers
(``_waiting``).  One started by a worker is handed to the main interpreter's reaper by id, which
holds it before the worker lets go of it.

The Reaper is a thread of the main interpreter that runs only while an interpreter of this
backend exists: it closes what a worker retires or frees (a worker takes the last item another
one sent), and ends with the last interpreter, so that a program that has joined its workers
and read what they sent runs no thread of this backend (a fork of ``concurrent.processing``
then sees one thread).  Whoever closes the last interpreter waits for it to end (``_settle``).

An interpreter is destroyed when its last holder lets go, in whatever thread that happens, and
destroying one while the program finalizes crashes it; so does the runtime when it ends an
interpreter that a thread is still setting up.  So every interpreter started here is held
(``_held``) until the reaper closes it; once the program exits (``atexit``) nothing here
creates, calls or closes an interpreter any more, and the exit waits for the short calls of this
backend in progress (starting an interpreter, a pool worker's start and end: ``_brief``).  What
is left (a daemon worker's target still running) is the runtime's to end with the program.
"""

from __future__ import annotations

import atexit
import sys
import threading

from concurrent import interpreters
from concurrent._shared._machinery.leaving_threads import start_daemon
from concurrent.interpreting import _codec, _inflight, _waiting
from concurrent.interpreting._waiting import Doorbell, wait_for

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ProgramExitingError", "Started", "adopt_reaper", "run_process", "start"]

_SPARE_PARKERS = 1  # idle parkers given to each interpreter started (more would idle there)
_IN_MAIN = interpreters.get_current().id == interpreters.get_main().id
_SYNC_PATH = "import sys\nsys.path[:] = _concurrent_sys_path\ndel _concurrent_sys_path, sys\n"
_EXIT_WAIT = 10.0  # seconds the program's exit waits for brief calls in progress
_SETTLE_WAIT = 5.0  # seconds the close of the last interpreter waits for the reaper to end

_exiting = threading.Event()  # set when the program exits: no more calls into interpreters
_held: set[interpreters.Interpreter] = set()  # started here and not closed yet
_held_lock = threading.Lock()
_brief_calls = 0  # threads in a brief call now (_brief)
_brief_done = threading.Condition(_held_lock)


class ProgramExitingError(RuntimeError):
    """The program is exiting: no interpreter is started or called any more."""


class _Brief:
    """A short call of this backend into interpreters, which the program's exit waits for
    (``with _brief:``; a class, not ``contextlib``: a worker imports this module as it starts)."""

    __slots__ = ()

    def __enter__(self) -> None:
        global _brief_calls
        with _brief_done:
            if _exiting.is_set():
                raise ProgramExitingError("the program is exiting: no interpreter is started or "
                                          "called now")
            _brief_calls += 1

    def __exit__(self, *exc_info: object) -> None:
        global _brief_calls
        with _brief_done:
            _brief_calls -= 1
            _brief_done.notify_all()


_brief = _Brief()


def _hold(interp: interpreters.Interpreter) -> None:
    with _held_lock:
        _held.add(interp)
        if _IN_MAIN:
            _main_reaper().keep_running()


def _let_go(interp: interpreters.Interpreter) -> None:
    with _held_lock:
        _held.discard(interp)
        if not _held and _reaper is not None:
            _reaper.bell.ring()  # nothing left to reap: the reaper ends


def _settle() -> None:
    """In the main interpreter, once no interpreter of this backend is left: wait (bounded) for
    the reaper to end, so the caller returns with no thread of this backend running."""
    reaper = _reaper
    if reaper is None:
        return
    with _held_lock:
        thread = None if _held else reaper.thread
    if thread is not None and thread is not threading.current_thread():
        thread.join(_SETTLE_WAIT)


class Reaper:
    """Closes retired interpreters whose in-flight counter is empty, from a daemon thread that
    runs while the main interpreter holds an interpreter of this backend.

    Retired by a thread of the main interpreter: ``retire``.  By a worker: through ``inbox``, an
    interpreter queue of ``(interpreter id, counter id, acknowledgement Event)``; a worker that
    retires one is itself held, so the thread runs to take it.
    """

    def __init__(self) -> None:
        self.inbox = interpreters.create_queue()
        self.bell = Doorbell()
        self.thread: threading.Thread | None = None  # the last one started
        self._running = False  # guarded by _held_lock
        self._retired: list[tuple[interpreters.Interpreter, interpreters.Queue]] = []
        self._lock = threading.Lock()
        self._closing = threading.Lock()  # held while closing; at exit, for good
        _inflight.on_empty(self.close_freed)

    def keep_running(self) -> None:
        """An interpreter is held: make sure the thread runs (call with ``_held_lock`` held)."""
        if not self._running and not _exiting.is_set():
            self._running = True
            self.thread = start_daemon(self._run, name="concurrent.interpreting reaper")

    def retire(self, interp: interpreters.Interpreter, counter: interpreters.Queue) -> None:
        """Close ``interp`` once ``counter`` is empty: now, from this thread, if it is."""
        if counter.qsize() == 0:
            try:
                with _brief:
                    _close(interp)
            except ProgramExitingError:
                return  # held: the runtime ends it with the program
            _settle()
            return
        with self._lock:
            self._retired.append((interp, counter))
        self.bell.ring()

    def close_freed(self) -> None:
        """A taker of this interpreter emptied a counter: close what that freed, from its
        thread (the last item a worker sent was just read)."""
        try:
            with _brief, self._closing:
                for interp in self._closable():
                    _close(interp)
        except ProgramExitingError:
            return
        _settle()

    def _adopt(self) -> None:
        """Take over the interpreters that workers retired."""
        while True:
            try:
                interp_id, counter_id, acknowledged = self.inbox.get_nowait()
            except interpreters.QueueEmpty:
                return
            interp = interpreters.Interpreter(interp_id)  # a holder here, before theirs goes
            _hold(interp)
            counter = interpreters.Queue(counter_id)
            acknowledged.set()
            self.retire(interp, counter)

    def _closable(self) -> list[interpreters.Interpreter]:
        with self._lock:
            done = [entry for entry in self._retired if entry[1].qsize() == 0]
            for entry in done:
                self._retired.remove(entry)
        return [interp for interp, _ in done]

    def _has_work(self) -> bool:
        if self.inbox.qsize() or not _held:
            return True
        with self._lock:
            return any(counter.qsize() == 0 for _, counter in self._retired)

    def _run(self) -> None:
        while True:
            wait_for(self._has_work, (self.bell,), None)
            with self._closing:
                if _exiting.is_set():
                    return
                self._adopt()
                for interp in self._closable():
                    _close(interp)
            with _held_lock:
                if not _held:  # the next interpreter held starts another thread
                    self._running = False
                    return

    def close_all(self) -> None:
        """At exit: wait for a close in progress, then close every retired interpreter, sent
        items or not (nobody will read them now)."""
        with self._closing:
            self._adopt()
            with self._lock:
                retired, self._retired = self._retired, []
            for interp, _ in retired:
                _close(interp)


def _close(interp: interpreters.Interpreter) -> None:
    try:
        interp.close()
    except interpreters.InterpreterError:  # still running a call: the program's exit ends it
        return
    _let_go(interp)


_reaper: Reaper | None = None
_reaper_lock = threading.Lock()
# In a worker: where the main interpreter's reaper takes retired interpreters.
_reaper_inbox: interpreters.Queue | None = None
_reaper_bell: Doorbell | None = None


def _main_reaper() -> Reaper:
    global _reaper
    if _reaper is None:
        with _reaper_lock:
            if _reaper is None:
                _reaper = Reaper()
    return _reaper


def _at_exit() -> None:
    """The program exits: stop starting and calling interpreters, close the retired ones, and
    let the stdlib's warning about the others (daemon workers still running, pools never closed)
    pass unshown: they end with the program, as daemon processes do."""
    with _brief_done:
        _exiting.set()
        _brief_done.wait_for(lambda: _brief_calls == 0, _EXIT_WAIT)
    if _reaper is not None:
        _reaper.close_all()
    with _held_lock:
        left = bool(_held) or _brief_calls > 0
    if left:
        import warnings

        warnings.filterwarnings("ignore", "remaining subinterpreters", RuntimeWarning)


if _IN_MAIN:
    atexit.register(_at_exit)


def adopt_reaper(inbox: interpreters.Queue, bell: Doorbell) -> None:
    """In an interpreter that starts: where to retire the interpreters it starts itself."""
    global _reaper_inbox, _reaper_bell
    _reaper_inbox, _reaper_bell = inbox, bell


def _reaper_handles() -> tuple[interpreters.Queue, Doorbell]:
    if _IN_MAIN:
        reaper = _main_reaper()
        return reaper.inbox, reaper.bell
    if _reaper_inbox is None:
        raise RuntimeError("concurrent.interpreting starts workers only from the main "
                           "interpreter or from interpreters it started itself")
    return _reaper_inbox, _reaper_bell


def _check_not_exiting() -> None:
    if _exiting.is_set():
        raise ProgramExitingError("the program is exiting: no interpreter is started or called now")


class Started:
    """An interpreter this backend started, and its in-flight counter."""

    __slots__ = ("counter", "interp")

    def __init__(self, interp: interpreters.Interpreter, counter: interpreters.Queue) -> None:
        self.interp, self.counter = interp, counter

    def call(self, function: Any, *args: Any) -> Any:
        """Run ``function(*args)`` in the interpreter from this thread (``ExecutionFailed`` if
        it raises there; this backend's functions do not)."""
        _check_not_exiting()
        return self.interp.call(function, *args)

    def call_briefly(self, function: Any, *args: Any) -> Any:
        """``call`` for a short call of this backend, which the program's exit waits for."""
        with _brief:
            return self.interp.call(function, *args)

    def retire(self, parkers: tuple | None = ()) -> None:
        """Done with it: it is closed once every item it sent has been taken; ``parkers`` are
        the ones it handed back."""
        _waiting.adopt_parkers(parkers or ())
        if _exiting.is_set():
            return  # held: the runtime ends it with the program
        if _IN_MAIN:
            _main_reaper().retire(self.interp, self.counter)
            return
        from concurrent.interpreting._sync import Event

        inbox, bell = _reaper_handles()
        acknowledged = Event()
        inbox.put_nowait((self.interp.id, self.counter.id, acknowledged))
        bell.ring()
        acknowledged.wait()  # the main interpreter holds it now; this one may let go
        _let_go(self.interp)


def start() -> Started:
    """A new interpreter, set up to run this backend's functions and the program's code."""
    with _brief:
        inbox, bell = _reaper_handles()
        interp = interpreters.create()
        _hold(interp)
        try:
            counter = interpreters.create_queue()
            interp.prepare_main(_concurrent_sys_path=tuple(sys.path))
            interp.exec(_SYNC_PATH)
            from concurrent.interpreting import _bootstrap

            interp.call(_bootstrap.setup, counter, bell._waiters, inbox,
                        _codec.main_description(), _waiting.spare_parkers(_SPARE_PARKERS))
        except BaseException:
            _close(interp)
            raise
    return Started(interp, counter)


def run_process(name: str, payload: Any) -> int:
    """Run the pickled ``Process`` ``payload`` in a new interpreter; return its exit status."""
    try:
        started = start()
    except Exception as exc:
        print(f"Process {name}: could not start its interpreter: {exc}", file=sys.stderr)
        return 1
    from concurrent.interpreting import _bootstrap

    code, parkers = 1, ()
    try:
        result = started.call(_bootstrap.run_process, payload)
        if result is not None:  # None: the call was cut short as the program finalized
            code, parkers = result
    except ProgramExitingError:
        pass
    except interpreters.ExecutionFailed as exc:  # only if the bootstrap itself failed
        print(f"Process {name}: {exc}", file=sys.stderr)
    finally:
        started.retire(parkers)
    return code
