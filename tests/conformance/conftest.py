"""Fixtures that run every conformance test once per backend in ``backends.BACKENDS``."""

import pytest

from tests.conformance._helpers import JOIN_TIMEOUT, finish_within
from tests.conformance.backends import BACKENDS, close


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request):
    """The backend under test: an object implementing ``concurrent._shared.Backend``."""
    made = request.param()
    yield made
    close(made)


@pytest.fixture
def start(backend):
    """Start ``backend.Process(target, args)`` workers; check they all ended at teardown."""
    started = []

    def start_worker(target, *args, **kwargs):
        worker = backend.Process(target=target, args=args, daemon=True, **kwargs)
        worker.start()
        started.append(worker)
        return worker

    yield start_worker
    for worker in started:
        worker.join(JOIN_TIMEOUT)
        assert not worker.is_alive(), f"{worker!r} did not end within {JOIN_TIMEOUT}s"


@pytest.fixture
def pool(backend):
    """A two-worker pool of the backend."""
    with backend.Pool(2) as shared_pool:
        yield shared_pool
        shared_pool.close()
        finish_within(shared_pool.join)

