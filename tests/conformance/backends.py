"""The backends the conformance suite is parametrized over: one backend object each.

Each entry is a ``pytest.param(factory, id=...)``; ``factory()`` returns an object that
implements ``concurrent._shared.Backend``.  The process backend runs once per start method
this platform has (``multiprocessing.get_all_start_methods()``).  Factories import lazily, so
collecting the suite never imports a backend that is not under test.
"""

import multiprocessing

import pytest


def _threading():
    import concurrent.threading

    return concurrent.threading.get_context()


def _processing(method):
    def factory():
        import concurrent.processing

        return concurrent.processing.get_context(method)

    return factory


BACKENDS = [
    pytest.param(_threading, id="threading"),
    *[pytest.param(_processing(method), id=f"processing-{method}")
      for method in multiprocessing.get_all_start_methods()],
]
