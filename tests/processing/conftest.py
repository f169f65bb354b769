"""Fixtures for the process backend's own tests: one run per start method, no stray children."""

from __future__ import annotations

import multiprocessing

import pytest

import concurrent.processing as processing
from tests.conftest import START_METHODS

JOIN_TIMEOUT = 20.0  # seconds; spawn children on a busy 2-core machine can be slow to start


@pytest.fixture(params=START_METHODS)
def ctx(request) -> processing.Context:
    """The backend bound to one start method."""
    return processing.get_context(request.param)


@pytest.fixture(autouse=True)
def no_stray_children():
    """Each test must join what it started: a child alive afterwards is a test bug.

    Only children started during the test count; leftovers of other test modules are the
    session-end check's business (tests/conftest.py).
    """
    before = set(multiprocessing.active_children())
    yield
    stray = []
    for child in set(multiprocessing.active_children()) - before:
        child.join(JOIN_TIMEOUT)
        if child.is_alive():
            stray.append(child)
            child.kill()
            child.join(JOIN_TIMEOUT)
    assert not stray, f"children still alive after the test: {stray}"


def run(ctx, target, *args, **kwargs):
    """Start ``target(*args)`` in a child of ``ctx`` and join it (bounded); return the process."""
    worker = ctx.Process(target=target, args=args, **kwargs)
    worker.start()
    worker.join(JOIN_TIMEOUT)
    assert not worker.is_alive(), f"{worker!r} did not end within {JOIN_TIMEOUT}s"
    return worker
