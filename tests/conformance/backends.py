"""The backends the conformance suite is parametrized over: one backend object each.

Each entry is a ``pytest.param(factory, id=...)``; ``factory()`` returns an object that
implements ``concurrent._shared.Backend``.  The process backend runs once per start method
this platform has (``multiprocessing.get_all_start_methods()``); the cluster backend runs when
its extra is installed (its embedded cluster starts on first use and closes at exit); the
interpreter backend on Python 3.14+, which has ``concurrent.interpreters``.  Factories import
lazily, so collecting the suite never imports a backend that is not under test.
"""

import importlib.util
import multiprocessing
import sys

import pytest


def _threading():
    import concurrent.threading

    return concurrent.threading.get_context()


def _processing(method):
    def factory():
        import concurrent.processing

        return concurrent.processing.get_context(method)

    return factory


def _distributed():
    import concurrent.distributed

    return concurrent.distributed.get_context()


def _interpreting():
    import concurrent.interpreting

    return concurrent.interpreting.get_context()


def close(backend):
    """End what ``backend`` started for the session: the cluster backend's embedded cluster
    (its worker processes are this process's children)."""
    shutdown = getattr(backend.module, "shutdown", None)
    if shutdown is not None:
        shutdown()


BACKENDS = [
    pytest.param(_threading, id="threading"),
    *[pytest.param(_processing(method), id=f"processing-{method}")
      for method in multiprocessing.get_all_start_methods()],
    *([pytest.param(_distributed, id="distributed")]
      if importlib.util.find_spec("distributed") is not None else []),
    *([pytest.param(_interpreting, id="interpreting")] if sys.version_info >= (3, 14) else []),
]
