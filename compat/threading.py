"""The Python 2.6 ``threading`` module's names, camelCase included, on ``concurrent.threading``.

Every 2.6 name works; the camelCase ones issue ``LegacyNameWarning`` naming the PEP 8 spelling.
Classes here are subclasses of the ``concurrent.threading`` ones and ``isinstance`` holds both
ways.  Threads compat did not create (the main thread, threads from other libraries) get the
legacy methods when legacy code reaches them through ``currentThread()`` or ``enumerate()``.
Names 2.6 did not have fall through to ``concurrent.threading``, so a legacy program run by
``python -m compat`` can use newer names too, and ``dir()`` lists them: everything
``concurrent.threading`` has on the running Python is here.
"""

from __future__ import annotations

import concurrent.threading as _new
from compat._legacy import adopt, legacy_function, mirror_class

__all__ = [
    "BoundedSemaphore",
    "Condition",
    "Event",
    "Lock",
    "RLock",
    "Semaphore",
    "Thread",
    "ThreadError",
    "Timer",
    "activeCount",
    "active_count",
    "currentThread",
    "current_thread",
    "enumerate",
    "local",
    "setprofile",
    "settrace",
    "stack_size",
]

Thread = mirror_class("Thread", _new.Thread, "threading", "Thread")
Timer = mirror_class("Timer", _new.Timer, "threading", "Thread")
Condition = mirror_class("Condition", _new.Condition, "threading", "Condition")
Event = mirror_class("Event", _new.Event, "threading", "Event")

Lock = _new.Lock
RLock = _new.RLock
Semaphore = _new.Semaphore
BoundedSemaphore = _new.BoundedSemaphore
ThreadError = _new.ThreadError
local = _new.local
settrace = _new.settrace
setprofile = _new.setprofile
stack_size = _new.stack_size
active_count = _new.active_count


def current_thread() -> _new.Thread:
    """The calling thread, with the 2.6 methods (``getName()``...) available on it."""
    return adopt(_new.current_thread(), "threading", "Thread")


def enumerate() -> list[_new.Thread]:  # the module's own name since 1.5
    """All live threads, each with the 2.6 methods available on it."""
    return [adopt(thread, "threading", "Thread") for thread in _new.enumerate()]


currentThread = legacy_function("threading", "currentThread", current_thread)
activeCount = legacy_function("threading", "activeCount", active_count)


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(dir(_new)))


def __getattr__(name: str):
    try:
        return getattr(_new, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r} (neither has "
                             f"concurrent.threading)") from None
