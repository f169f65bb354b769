"""The backend registry the conformance suite is parametrized over.

Each entry is a ``pytest.param(factory, id=...)``; ``factory()`` returns an object that exposes
the backend API of DESIGN.md section 3 (a module, or a processing context).  Factories import
lazily so that collecting the suite never imports a backend that is not under test.
"""

import pytest


def _threading():
    import concurrent.threading

    return concurrent.threading


def _processing(method):
    def factory():
        import concurrent.processing

        return concurrent.processing.get_context(method)

    return factory


BACKENDS = [
    pytest.param(_threading, id="threading"),
    # ---- processing entries: owned by the concurrent.processing engineer --------------------
    pytest.param(_processing("fork"), id="processing-fork"),
    pytest.param(_processing("spawn"), id="processing-spawn"),
    pytest.param(_processing("forkserver"), id="processing-forkserver"),
    # ---- end of processing entries -----------------------------------------------------------
]
