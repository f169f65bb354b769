"""compat.threading: every Python 2.6 name, each warning, on real concurrent.threading objects."""

from __future__ import annotations

import re

import pytest

import compat.threading as legacy
import concurrent.threading as new
from compat import LegacyNameWarning
from compat.renames import RENAMES

PY26_NAMES = ["activeCount", "active_count", "Condition", "currentThread", "current_thread",
              "enumerate", "Event", "Lock", "RLock", "Semaphore", "BoundedSemaphore", "Thread",
              "Timer", "setprofile", "settrace", "local", "stack_size", "ThreadError"]


def _warns(message):
    """Expect exactly ``message`` as a LegacyNameWarning."""
    return pytest.warns(LegacyNameWarning, match=f"^{re.escape(message)}$")


def test_every_python26_name_is_here():
    missing = [name for name in PY26_NAMES if not hasattr(legacy, name)]
    assert missing == []
    assert sorted(legacy.__all__) == sorted(PY26_NAMES)


def test_legacy_name_warning_is_a_deprecation_warning():
    assert issubclass(LegacyNameWarning, DeprecationWarning)


def test_module_functions_warn_at_the_callers_line():
    with _warns("currentThread() is deprecated, use current_thread() instead") as record:
        thread = legacy.currentThread()
    assert record[0].filename == __file__
    assert thread is new.current_thread()
    with _warns("activeCount() is deprecated, use active_count() instead"):
        assert legacy.activeCount() == new.active_count()


def test_thread_methods_warn_and_delegate():
    done = []
    thread = legacy.Thread(target=done.append, args=(1,))
    with _warns("setName() is deprecated, set the name attribute instead"):
        thread.setName("worker")
    with _warns("getName() is deprecated, get the name attribute instead") as record:
        assert thread.getName() == "worker" == thread.name
    assert record[0].filename == __file__
    with _warns("setDaemon() is deprecated, set the daemon attribute instead"):
        thread.setDaemon(True)
    with _warns("isDaemon() is deprecated, get the daemon attribute instead"):
        assert thread.isDaemon() is True
    thread.start()
    thread.join(30)
    with _warns("isAlive() is deprecated, use is_alive() instead"):
        assert thread.isAlive() is False
    assert done == [1]


def test_subclasses_written_the_old_way_work():
    class Worker(legacy.Thread):
        def __init__(self):
            legacy.Thread.__init__(self)
            self.seen = None

        def run(self):
            self.seen = self.getName()

    worker = Worker()
    with pytest.warns(LegacyNameWarning):
        worker.start()
        worker.join(30)
    assert worker.seen == worker.name


def test_isinstance_holds_both_ways():
    pairs = [(legacy.Thread, new.Thread, lambda cls: cls()),
             (legacy.Timer, new.Timer, lambda cls: cls(1, print)),
             (legacy.Condition, new.Condition, lambda cls: cls()),
             (legacy.Event, new.Event, lambda cls: cls())]
    for old_cls, new_cls, make in pairs:
        assert isinstance(make(old_cls), new_cls)
        assert isinstance(make(new_cls), old_cls)
        assert issubclass(old_cls, new_cls) and issubclass(new_cls, old_cls)
    assert legacy.Lock is new.Lock and legacy.RLock is new.RLock
    assert not isinstance(object(), legacy.Thread)


def test_condition_notify_all_and_event_is_set():
    condition, woken = legacy.Condition(), legacy.Event()

    def waiter():
        with condition:
            condition.wait(30)
        woken.set()

    thread = legacy.Thread(target=waiter)
    with condition:
        thread.start()
        condition.wait(0.01)  # releases the lock so the waiter can start waiting
    while not woken.is_set() and thread.is_alive():
        with condition:
            with _warns("notifyAll() is deprecated, use notify_all() instead"):
                condition.notifyAll()
        woken.wait(0.05)
    thread.join(30)
    with _warns("isSet() is deprecated, use is_set() instead"):
        assert woken.isSet() is True


def test_main_thread_gets_legacy_methods_without_changing_the_new_classes():
    with pytest.warns(LegacyNameWarning):
        name = legacy.currentThread().getName()
    assert name == new.main_thread().name
    assert legacy.current_thread() is new.main_thread()  # the same object, not a wrapper
    assert new.main_thread().ident == new.get_ident()
    assert not hasattr(new.Thread, "getName")
    assert not hasattr(new.Thread(), "isAlive")
    assert not hasattr(new.Event(), "isSet")


def test_enumerate_gives_threads_with_legacy_methods():
    threads = legacy.enumerate()
    assert new.current_thread() in threads
    with pytest.warns(LegacyNameWarning):
        names = [thread.getName() for thread in threads]
    assert new.current_thread().name in names


def test_timer_has_thread_methods():
    fired = legacy.Event()
    timer = legacy.Timer(0.01, fired.set)
    with _warns("setName() is deprecated, set the name attribute instead"):
        timer.setName("tick")
    timer.start()
    assert fired.wait(30)
    timer.join(30)
    assert timer.name == "tick"


def test_newer_names_fall_through_and_unknown_names_say_so():
    assert legacy.main_thread is new.main_thread
    with pytest.raises(AttributeError, match="'compat.threading' has no attribute 'nothere'"):
        _ = legacy.nothere


# -- compat.threading keeps in step with concurrent.threading -------------------------------


def test_dir_has_every_name_of_concurrent_threading_and_the_legacy_ones():
    legacy_only = {entry.name for entry in RENAMES
                   if entry.module == "threading" and entry.owner is None}
    assert set(dir(legacy)) == set(dir(new)) | legacy_only
    assert set(legacy.__all__) <= set(dir(legacy))


@pytest.mark.parametrize("name", sorted(dir(new)))
def test_each_name_of_concurrent_threading_is_the_same_here(name):
    ours, theirs = getattr(legacy, name), getattr(new, name)
    if name in ("current_thread", "enumerate"):  # the same threads, given the 2.6 methods
        assert ours() == theirs()
    elif ours is not theirs:  # a legacy class: the new one with the 2.6 methods added
        assert isinstance(ours, type) and issubclass(ours, theirs) and issubclass(theirs, ours)


def test_what_concurrent_threading_gained_works_here():
    assert legacy.__excepthook__ is new.__excepthook__
    first, second = legacy.Timer(30, print), legacy.Timer(30, print)
    assert (first.args, first.kwargs) == ([], {})
    assert first.args is not second.args and first.kwargs is not second.kwargs
    queue = legacy.Queue()
    queue.close()
    with pytest.raises(ValueError, match="is closed"):
        queue.put(1)
    manager = legacy.Manager()
    with manager:
        assert manager.set([1, 2]) == {1, 2}


@pytest.mark.parametrize("name", ["concurrent_tee", "serialize_iterator",
                                  "synchronized_iterator"])
def test_iterator_helpers_follow_the_running_python(name):
    # threading has them from 3.15; concurrent.threading exports what the running Python has.
    assert hasattr(legacy, name) == hasattr(new, name)
    if hasattr(new, name):
        assert getattr(legacy, name) is getattr(new, name)
