"""Module-level functions that act on the default context, and the errors the backend raises.

Kept apart from ``__init__`` so that the package imports nothing heavy until a name is used.
"""

from __future__ import annotations

import multiprocessing

from concurrent._shared import (
    BrokenBarrierError,
    BrokenPoolError,
    BufferTooShort,
    Empty,
    Full,
    TimeoutError,
    WorkerLostError,
)
from concurrent.processing.context import get_context

__all__ = [
    "AuthenticationError",
    "BrokenBarrierError",
    "BrokenPoolError",
    "BufferTooShort",
    "Empty",
    "Full",
    "Manager",
    "Pool",
    "ProcessError",
    "TimeoutError",
    "WorkerLostError",
    "allow_connection_pickling",
    "cpu_count",
    "freeze_support",
    "get_logger",
    "log_to_stderr",
    "reducer",
    "set_executable",
    "set_forkserver_preload",
]

ProcessError = multiprocessing.ProcessError
AuthenticationError = multiprocessing.AuthenticationError
reducer = multiprocessing.reducer

_default = get_context()

cpu_count = _default.cpu_count
set_executable = _default.set_executable
set_forkserver_preload = _default.set_forkserver_preload
freeze_support = _default.freeze_support
allow_connection_pickling = _default.allow_connection_pickling
get_logger = _default.get_logger
log_to_stderr = _default.log_to_stderr
Pool = _default.Pool
Manager = _default.Manager
