"""One embedded LocalCluster for the session's distributed tests, closed before the leak check."""

import pytest

pytest.importorskip("distributed", reason="needs the [distributed] extra")


@pytest.fixture(scope="session")
def cluster():
    """``concurrent.distributed`` on its embedded cluster (shared; closed at session end)."""
    import concurrent.distributed as backend

    yield backend
    backend.shutdown()
