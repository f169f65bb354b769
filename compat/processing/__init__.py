"""pyprocessing 0.52's ``processing`` package on ``concurrent.processing``.

Every name of the 0.52 reference works; the camelCase ones issue ``LegacyNameWarning`` naming
the ``concurrent.processing`` spelling.  Objects are real ``concurrent.processing`` objects and
``isinstance`` holds both ways.  Objects compat did not create (the main process, a child's own
process object) get the legacy methods when reached through ``currentProcess()`` or
``activeChildren()``, and print as 0.52's did (``<Process(Process-1, started)>``).  Proxies
made by ``Manager()`` have 0.52's ``_callMethod()``/``_getValue()`` (and the shared Condition
and Event its ``notifyAll()``/``isSet()``).  0.52's logging levels (``SUBWARNING``...) warn
when read, naming the module that has them now.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from typing import Any

import concurrent.processing as _new
from compat._legacy import adopt, legacy_function, mirror_class, put_many
from compat._warning import warn_legacy
from compat.processing import sharedctypes as _sharedctypes
from compat.processing._process import PROCESS_EXTRAS as _PROCESS_EXTRAS
from compat.processing.connection import Pipe
from compat.processing.pool import Pool
from compat.renames import RENAMES, Kind

__all__ = [
    "Array",
    "AuthenticationError",
    "BoundedSemaphore",
    "BufferTooShort",
    "Condition",
    "Event",
    "LocalManager",
    "Lock",
    "Manager",
    "Pipe",
    "Pool",
    "Process",
    "ProcessError",
    "Queue",
    "RLock",
    "Semaphore",
    "TimeoutError",
    "Value",
    "activeChildren",
    "cpuCount",
    "currentProcess",
    "enableLogging",
    "freezeSupport",
    "getLogger",
]


Process = mirror_class("Process", _new.Process, "processing", "Process", dict(_PROCESS_EXTRAS))
Queue = mirror_class("Queue", _new.Queue, "processing", "Queue",
                     {"_manual": {"putMany": put_many("processing"),
                                  "putmany": put_many("processing", "putmany")}})
Condition = mirror_class("Condition", _new.Condition, "processing", "Condition")
Event = mirror_class("Event", _new.Event, "processing", "Event")

Lock = _new.Lock
RLock = _new.RLock
Semaphore = _new.Semaphore
BoundedSemaphore = _new.BoundedSemaphore
BufferTooShort = _new.BufferTooShort
ProcessError = _new.ProcessError
AuthenticationError = _new.AuthenticationError
TimeoutError = _new.TimeoutError


def Manager() -> Any:  # the 0.52 name
    """A started manager (``compat.processing.managers.SyncManager``)."""
    from compat.processing import managers

    return managers.Manager()


def Value(typecode_or_type: Any, *args: Any, lock: Any = True) -> Any:
    """A shared ctypes object (``concurrent.processing.Value``) with 0.52's ``getlock()``."""
    return _sharedctypes.legacy(_new.Value(typecode_or_type, *args, lock=lock))


def Array(typecode_or_type: Any, size_or_initializer: Any, *, lock: Any = True) -> Any:
    """A shared ctypes array (``concurrent.processing.Array``) with 0.52's ``getlock()``."""
    return _sharedctypes.legacy(_new.Array(typecode_or_type, size_or_initializer, lock=lock))


def _current_process() -> _new.Process:
    return adopt(_new.current_process(), "processing", "Process", _PROCESS_EXTRAS)


def _active_children() -> list[_new.Process]:
    return [adopt(child, "processing", "Process", _PROCESS_EXTRAS)
            for child in _new.active_children()]


def _enable_logging(level: int, HandlerType: type | None = None,  # 0.52's argument names
                    handlerArgs: Iterable[Any] = (),
                    format: str | None = None) -> logging.Logger:
    # 0.52: attach one handler of HandlerType (a stderr StreamHandler by default) to the logger,
    # and set its level, NOTSET included (log_to_stderr leaves the level as it is for 0).
    if HandlerType is None:
        logger = _new.log_to_stderr(level)
        logger.setLevel(level)
        if format is not None:
            for handler in logger.handlers:
                handler.setFormatter(logging.Formatter(format))
        return logger
    logger = _new.get_logger()
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = HandlerType(*handlerArgs)
    handler.setFormatter(logging.Formatter(format or "[%(levelname)s/%(processName)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    return logger


class _LocalManager:
    """0.52's server-less manager: its factories are concurrent.processing's own."""

    _FACTORIES = ("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition", "Event",
                  "Queue", "Value", "Array")

    def __getattr__(self, name: str) -> Any:
        if name not in self._FACTORIES:
            raise AttributeError(f"LocalManager has no factory {name!r}; it has "
                                 f"{', '.join(self._FACTORIES)}")
        return globals()[name]

    def shutdown(self) -> None:
        """Nothing to stop: no server process runs for a local manager."""

    def __enter__(self) -> _LocalManager:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()


currentProcess = legacy_function("processing", "currentProcess", _current_process)
activeChildren = legacy_function("processing", "activeChildren", _active_children)
cpuCount = legacy_function("processing", "cpuCount", _new.cpu_count)
freezeSupport = legacy_function("processing", "freezeSupport", _new.freeze_support)
getLogger = legacy_function("processing", "getLogger", _new.get_logger)
enableLogging = legacy_function("processing", "enableLogging", _enable_logging)
LocalManager = legacy_function("processing", "LocalManager", _LocalManager)


# 0.52's logging levels (NOTSET, SUBDEBUG, DEBUG, INFO, SUBWARNING): each use warns.
_CONSTANTS = {entry.old: entry for entry in RENAMES
              if entry.module == "processing" and entry.kind is Kind.CONSTANT}


def __getattr__(name: str) -> Any:
    entry = _CONSTANTS.get(name)
    if entry is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warn_legacy(entry)
    return getattr(importlib.import_module(entry.new_module), entry.new)
