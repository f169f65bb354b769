"""pyprocessing 0.52's ``processing.dummy``: the ``processing`` API on threads.

Maps onto ``concurrent.threading``, whose ``Process`` is the thread-backed worker with the
process API; camelCase names warn as in ``compat.processing``.
"""

from __future__ import annotations

import concurrent.threading as _new
from compat._legacy import adopt, legacy_function, mirror_class, put_many
from compat.processing.dummy.connection import Pipe
from concurrent.threading import managers as _managers

__all__ = [
    "Array",
    "BoundedSemaphore",
    "Condition",
    "Event",
    "Lock",
    "Manager",
    "Pipe",
    "Pool",
    "Process",
    "Queue",
    "RLock",
    "Semaphore",
    "Value",
    "activeChildren",
    "cpuCount",
    "currentProcess",
    "freezeSupport",
]


_MODULE = "processing.dummy"
# 0.52 named the class DummyProcess (its repr says so) and exported it as Process.
DummyProcess = Process = mirror_class("DummyProcess", _new.Process, _MODULE, "Process")
Queue = mirror_class("Queue", _new.Queue, _MODULE, "Queue",
                     {"_manual": {"putMany": put_many(_MODULE),
                                  "putmany": put_many(_MODULE, "putmany")}})
Pool = mirror_class("Pool", _new.Pool, _MODULE, "Pool")
Condition = mirror_class("Condition", _new.Condition, _MODULE, "Condition")
Event = mirror_class("Event", _new.Event, _MODULE, "Event")

Lock = _new.Lock
RLock = _new.RLock
Semaphore = _new.Semaphore
BoundedSemaphore = _new.BoundedSemaphore
Value = _new.Value
Array = _new.Array
Manager = _new.Manager
# 0.52's dummy module was its own manager: shared objects are plain ones between threads.
Namespace = _managers.Namespace
dict = dict
list = list


def _current_process() -> _new.Thread:
    return adopt(_new.current_process(), _MODULE, "Process")


def _active_children() -> list[_new.Thread]:
    return [adopt(child, _MODULE, "Process") for child in _new.active_children()]


currentProcess = legacy_function(_MODULE, "currentProcess", _current_process)
activeChildren = legacy_function(_MODULE, "activeChildren", _active_children)
cpuCount = legacy_function(_MODULE, "cpuCount", _new.cpu_count)
freezeSupport = legacy_function(_MODULE, "freezeSupport", lambda: None)
