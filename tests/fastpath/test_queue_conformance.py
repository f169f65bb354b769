"""The conformance suite's queue tests, run against FastQueue under each start method.

The functions are the suite's own (imported, so pytest collects them here too); only the
``backend`` they receive differs: a context whose ``Queue`` is ``FastQueue``.
"""

from __future__ import annotations

import multiprocessing
import types

import pytest

from concurrent import _shared
from concurrent.processing._fast_queue import FastJoinableQueue, FastQueue, FastSimpleQueue
from tests.conformance.test_queues import (  # noqa: F401 - collected by pytest from here
    test_bounded_queue_raises_full,
    test_joinable_queue_join_waits_for_task_done,
    test_queue_is_fifo_and_times_out,
    test_queue_rejects_negative_timeout,
    test_queue_size_hints,
    test_simple_queue,
    test_task_done_too_often_raises,
)
from tests.fastpath.conftest import START_METHODS, finish


@pytest.fixture(params=START_METHODS)
def backend(request):
    """The queue part of a backend, with our queues, and ``Process`` to start consumers."""
    ctx = multiprocessing.get_context(request.param)
    return types.SimpleNamespace(
        Queue=lambda maxsize=0: FastQueue(maxsize, ctx=ctx),
        SimpleQueue=lambda: FastSimpleQueue(ctx=ctx),
        JoinableQueue=lambda maxsize=0: FastJoinableQueue(maxsize, ctx=ctx),
        Process=ctx.Process,
        Empty=_shared.Empty,
        Full=_shared.Full,
    )


@pytest.fixture
def start(backend):
    """Start daemonic workers; join them (bounded) at teardown."""
    started = []

    def start_worker(target, *args):
        worker = backend.Process(target=target, args=args, daemon=True)
        worker.start()
        started.append(worker)
        return worker

    yield start_worker
    for worker in started:
        finish(worker)
