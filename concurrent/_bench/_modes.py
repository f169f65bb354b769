"""The modes the bench compares, and how each one's API is found.

A mode resolves every name the bench uses (``Worker``, ``Queue``, ``Pipe``, ``Lock`` ...) up front
or on first use.  A name that a backend does not export yet makes the mode *unavailable* for the
figures that need it, with the reason: the bench reports that instead of crashing or guessing.
"""

import importlib
from dataclasses import dataclass, field

__all__ = [
    "BASELINE",
    "Backend",
    "LINEAR",
    "MODE_NAMES",
    "OURS_DISTRIBUTED",
    "OURS_INTERPRETING",
    "OURS_PROCESSING",
    "OURS_THREADING",
    "STDLIB_PROCESSING",
    "STDLIB_THREADING",
    "UnavailableError",
    "default_start_method",
    "load_backend",
]

LINEAR = "linear"
STDLIB_THREADING = "threading"
OURS_THREADING = "concurrent.threading"
STDLIB_PROCESSING = "multiprocessing"
OURS_PROCESSING = "concurrent.processing"
OURS_DISTRIBUTED = "concurrent.distributed"  # the cluster section only (_scaleout)
OURS_INTERPRETING = "concurrent.interpreting"  # Python 3.14+

MODE_NAMES = (LINEAR, STDLIB_THREADING, OURS_THREADING, STDLIB_PROCESSING, OURS_PROCESSING,
              OURS_INTERPRETING)
WORKER_MODES = MODE_NAMES[1:]
# Each of our backends is reported beside the stdlib mode it replaces.  Interpreters are measured
# against threads: both run in one process, and interpreters exist to do what threads cannot.
BASELINE = {OURS_THREADING: STDLIB_THREADING, OURS_PROCESSING: STDLIB_PROCESSING,
            OURS_DISTRIBUTED: OURS_PROCESSING,  # a cluster is measured against our processes
            OURS_INTERPRETING: STDLIB_THREADING}


class UnavailableError(Exception):
    """A mode cannot run a figure; the message says why (shown as ``unavailable: <reason>``)."""


def default_start_method() -> str:
    """The platform's default start method, read without fixing it for this process."""
    import multiprocessing

    return multiprocessing.get_all_start_methods()[0]


@dataclass
class Backend:
    """One mode's API: ``get(name)`` returns the object the mode uses for ``name``."""

    mode: str
    processes: bool  # its workers are processes (else threads)
    names: dict = field(repr=False)
    source: str = ""

    def get(self, name: str):
        try:
            return self.names[name]
        except KeyError:
            raise UnavailableError(f"{self.source or self.mode} has no {name} yet") from None

    def has(self, name: str) -> bool:
        return name in self.names

    @property
    def is_process(self) -> bool:
        return self.processes


API_NAMES = ("Worker", "Queue", "Pipe", "Lock", "RLock", "Condition", "Pool", "Manager", "Value",
             "Array")


def _stdlib_threading() -> Backend:
    import queue
    import threading
    from multiprocessing import dummy

    names = {
        "Worker": threading.Thread,
        "Queue": queue.Queue,
        "Pipe": dummy.Pipe,
        "Lock": threading.Lock,
        "RLock": threading.RLock,
        "Condition": threading.Condition,
        "Pool": dummy.Pool,
        "Manager": dummy.Manager,
        "Value": dummy.Value,
        "Array": dummy.Array,
    }
    return Backend(STDLIB_THREADING, False, names, "threading")


def _stdlib_processing(method: str) -> Backend:
    import multiprocessing

    context = multiprocessing.get_context(method)
    names = {name: getattr(context, name) for name in API_NAMES if name != "Worker"}
    names["Worker"] = context.Process
    return Backend(STDLIB_PROCESSING, True, names, f"multiprocessing ({method})")


def _exported(source, label: str) -> dict:
    """The API names ``source`` has."""
    names = {name: getattr(source, name) for name in API_NAMES if hasattr(source, name)}
    if not names:
        raise UnavailableError(f"{label} exports none of {', '.join(API_NAMES)} yet")
    return names


def _import(module_name: str):
    try:
        return importlib.import_module(module_name)
    except Exception as exc:
        reason = f"cannot import {module_name}: {type(exc).__name__}: {exc}"
        raise UnavailableError(reason) from None


def _ours_threading() -> Backend:
    module = _import(OURS_THREADING)
    return Backend(OURS_THREADING, False, _exported(module, OURS_THREADING), OURS_THREADING)


def _ours_processing(method: str) -> Backend:
    module = _import(OURS_PROCESSING)
    try:
        context = module.get_context(method)
    except Exception as exc:
        raise UnavailableError(
            f"{OURS_PROCESSING}.get_context({method!r}) failed: {type(exc).__name__}: {exc}"
        ) from None
    label = f"{OURS_PROCESSING} ({method})"
    return Backend(OURS_PROCESSING, True, _exported(context, label), label)


def _ours_interpreting() -> Backend:
    module = _import(OURS_INTERPRETING)
    # Its workers copy what they are given and report exit codes, as processes do.
    return Backend(OURS_INTERPRETING, True, _exported(module, OURS_INTERPRETING),
                   OURS_INTERPRETING)


def load_backend(mode: str, start_method: str) -> Backend:
    """The API of worker mode ``mode``; raises ``UnavailableError`` when it cannot run at all."""
    if mode == STDLIB_THREADING:
        return _stdlib_threading()
    if mode == STDLIB_PROCESSING:
        return _stdlib_processing(start_method)
    if mode == OURS_THREADING:
        return _ours_threading()
    if mode == OURS_PROCESSING:
        return _ours_processing(start_method)
    if mode == OURS_INTERPRETING:
        return _ours_interpreting()
    raise ValueError(f"unknown worker mode {mode!r}; choose from {', '.join(WORKER_MODES)}")
