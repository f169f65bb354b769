"""Fixtures that run every conformance test once per backend in ``backends.BACKENDS``."""

import pytest

from tests.conformance._helpers import JOIN_TIMEOUT, finish_within
from tests.conformance.backends import BACKENDS


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request):
    """The backend under test: a module or a context with the DESIGN section 3 API."""
    return request.param()


@pytest.fixture(scope="session")
def backend_module(backend) -> str:
    """The importable name of the backend, for targets that need it inside a worker."""
    name = getattr(backend, "__name__", "")
    return "concurrent.threading" if name == "concurrent.threading" else "concurrent.processing"


@pytest.fixture(scope="session")
def on_threads(backend_module) -> bool:
    return backend_module == "concurrent.threading"


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


@pytest.fixture(scope="package")
def pool(backend):
    """One two-worker pool per backend, shared by the pool tests (workers are costly to start)."""
    with backend.Pool(2) as shared_pool:
        yield shared_pool
        shared_pool.close()
        finish_within(shared_pool.join)

