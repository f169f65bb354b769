"""Fixtures for the shared-memory data path: one run per start method, leftover-segment checks."""

from __future__ import annotations

import glob
import multiprocessing

import pytest

from tests.conftest import START_METHODS

JOIN_TIMEOUT = 30.0  # seconds; spawn children on a busy 2-core machine can be slow to start


@pytest.fixture(params=START_METHODS)
def ctx(request):
    """A stdlib context bound to one start method."""
    return multiprocessing.get_context(request.param)


def segments(tag: str) -> list[str]:
    """The shared-memory segments of the pool (or unpooled creator) tagged ``tag``."""
    return glob.glob(f"/dev/shm/cpb_{tag}_*")


def start(ctx, target, *args):
    """Start ``target(*args)`` in a daemonic child of ``ctx``."""
    child = ctx.Process(target=target, args=args, daemon=True)
    child.start()
    return child


def finish(child, exitcode: int | None = 0) -> None:
    """Join ``child`` (bounded); check it ended, with ``exitcode`` unless that is None."""
    child.join(JOIN_TIMEOUT)
    if child.is_alive():
        child.kill()
        child.join(JOIN_TIMEOUT)
        pytest.fail(f"{child!r} did not end within {JOIN_TIMEOUT}s")
    if exitcode is not None:
        assert child.exitcode == exitcode


@pytest.fixture(autouse=True)
def no_stray_children():
    """Each test must join what it started (children started before it are not its own:
    a session-scoped pool's workers, a manager)."""
    before = set(multiprocessing.active_children())
    yield
    stray = [child for child in multiprocessing.active_children()
             if child not in before and child.is_alive()]
    for child in stray:
        child.kill()
        child.join(JOIN_TIMEOUT)
    assert not stray, f"children still alive after the test: {stray}"
