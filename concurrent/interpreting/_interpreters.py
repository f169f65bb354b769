"""Starting the interpreters that workers run in, and closing them once what they sent is taken.

::

    start()    create -> its sys.path made this one's (exec) -> _bootstrap.setup(...) (call)
    Started    .call(function, *args): run a function of this backend in it, from this thread
    retire()   -> the Reaper (a thread of the main interpreter) closes it once its in-flight
                  counter is empty (_inflight): the stdlib drops what a closed interpreter put

An interpreter gets the setup it cannot find alone: the importer's ``sys.path`` (a new
interpreter computes its own, without the entries this program added), its in-flight counter,
the reaper's inbox and doorbell, the program's main script (``_codec``) and a few idle parkers
(``_waiting``).  One started by a worker is handed to the main interpreter's reaper by id, which
holds it before the worker lets go of it (an interpreter is destroyed with its last holder).
"""

from __future__ import annotations

import atexit
import sys
import threading
import warnings
from concurrent import interpreters
from typing import Any

from concurrent.interpreting import _codec, _inflight, _waiting
from concurrent.interpreting._waiting import Doorbell, wait_for

__all__ = ["Started", "adopt_reaper", "run_process", "start"]

_SPARE_PARKERS = 4  # idle parkers given to each interpreter started
_IN_MAIN = interpreters.get_current().id == interpreters.get_main().id
_SYNC_PATH = "import sys\nsys.path[:] = _concurrent_sys_path\ndel _concurrent_sys_path, sys\n"


class Reaper:
    """Closes retired interpreters whose in-flight counter is empty (a daemon thread).

    Retired by a thread of the main interpreter: ``retire``.  By a worker: through ``inbox``, an
    interpreter queue of ``(interpreter id, counter id, acknowledgement Event)``.
    """

    def __init__(self) -> None:
        self.inbox = interpreters.create_queue()
        self.bell = Doorbell()
        self._retired: list[tuple[interpreters.Interpreter, interpreters.Queue]] = []
        self._running = 0  # interpreters started and not retired: calls may still run in them
        self._lock = threading.Lock()
        self._closing = threading.Lock()  # held while closing one; at exit, for good
        self._exiting = False
        self._thread: threading.Thread | None = None
        _inflight.set_reaper_bell(self.bell)
        atexit.register(self.close_all)

    def started(self) -> None:
        with self._lock:
            self._running += 1

    def retire(self, interp: interpreters.Interpreter, counter: interpreters.Queue) -> None:
        """Close ``interp`` once ``counter`` is empty."""
        with self._lock:
            self._running -= 1
            self._retired.append((interp, counter))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="concurrent.interpreting reaper")
                self._thread.start()
        self.bell.ring()

    def _adopt(self) -> None:
        """Take over the interpreters that workers retired."""
        while True:
            try:
                interp_id, counter_id, acknowledged = self.inbox.get_nowait()
            except interpreters.QueueEmpty:
                return
            interp = interpreters.Interpreter(interp_id)  # a holder here, before theirs goes
            counter = interpreters.Queue(counter_id)
            with self._lock:
                self._running += 1
            acknowledged.set()
            self.retire(interp, counter)

    def _closable(self) -> list[interpreters.Interpreter]:
        with self._lock:
            done = [entry for entry in self._retired if entry[1].qsize() == 0]
            for entry in done:
                self._retired.remove(entry)
        return [interp for interp, _ in done]

    def _has_work(self) -> bool:
        if self.inbox.qsize():
            return True
        with self._lock:
            return any(counter.qsize() == 0 for _, counter in self._retired)

    def _run(self) -> None:
        while True:
            wait_for(self._has_work, (self.bell,), None)
            self._adopt()
            with self._closing:  # never while the program finalizes (that crashes)
                if self._exiting:
                    return
                for interp in self._closable():
                    _close(interp)

    def close_all(self) -> None:
        """At exit: close every retired interpreter, sent items or not (nobody will read them
        now); let the stdlib's warning about workers still running pass unshown, as daemon
        workers are expected to be stopped with the program."""
        self._closing.acquire()  # wait for a close in progress; the reaper closes no more
        self._exiting = True
        self._adopt()
        with self._lock:
            retired, self._retired = self._retired, []
            running = self._running
        for interp, _ in retired:
            _close(interp)
        if running > 0:
            warnings.filterwarnings("ignore", "remaining subinterpreters", RuntimeWarning)


def _close(interp: interpreters.Interpreter) -> None:
    try:
        interp.close()
    except interpreters.InterpreterError:  # still running a call: the program's exit stops it
        pass


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


class Started:
    """An interpreter this backend started, and its in-flight counter."""

    __slots__ = ("counter", "interp")

    def __init__(self, interp: interpreters.Interpreter, counter: interpreters.Queue) -> None:
        self.interp, self.counter = interp, counter

    def call(self, function: Any, *args: Any) -> Any:
        """Run ``function(*args)`` in the interpreter from this thread (``ExecutionFailed`` if
        it raises there; this backend's functions do not)."""
        return self.interp.call(function, *args)

    def retire(self, parkers: tuple = ()) -> None:
        """Done with it: it is closed once every item it sent has been taken; ``parkers`` are
        the ones it handed back."""
        _waiting.adopt_parkers(parkers)
        if _IN_MAIN:
            _main_reaper().retire(self.interp, self.counter)
            return
        from concurrent.interpreting._sync import Event

        inbox, bell = _reaper_handles()
        acknowledged = Event()
        inbox.put_nowait((self.interp.id, self.counter.id, acknowledged))
        bell.ring()
        acknowledged.wait()  # the main interpreter holds it now; this holder may go


def start() -> Started:
    """A new interpreter, set up to run this backend's functions and the program's code."""
    inbox, bell = _reaper_handles()
    interp = interpreters.create()
    try:
        counter = interpreters.create_queue()
        interp.prepare_main(_concurrent_sys_path=tuple(sys.path))
        interp.exec(_SYNC_PATH)
        from concurrent.interpreting import _bootstrap

        interp.call(_bootstrap.setup, counter, bell._waiters, inbox, _codec.main_description(),
                    _waiting.spare_parkers(_SPARE_PARKERS))
    except BaseException:
        interp.close()
        raise
    if _IN_MAIN:
        _main_reaper().started()
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
        code, parkers = started.call(_bootstrap.run_process, payload)
    except interpreters.ExecutionFailed as exc:  # only if the bootstrap itself failed
        print(f"Process {name}: {exc}", file=sys.stderr)
    finally:
        started.retire(parkers)
    return code
