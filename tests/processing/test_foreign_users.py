"""Our contexts work where a multiprocessing context is accepted: the stdlib's own executor."""

from __future__ import annotations

import concurrent.futures
from tests.processing import _targets

WAIT = 60.0


def test_process_pool_executor_runs_on_our_context(ctx):
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as executor:
        assert list(executor.map(abs, [-1, -2, -3], timeout=WAIT)) == [1, 2, 3]
        assert executor.submit(pow, 2, 10).result(timeout=WAIT) == 1024
        failed = executor.submit(_targets.raise_value_error)
        assert isinstance(failed.exception(timeout=WAIT), ValueError)


def test_our_simple_queue_is_multiprocessings_pipe_queue(ctx):
    queue = ctx.SimpleQueue()
    queue.put({"n": 1})
    assert queue._reader.recv() == {"n": 1}  # what ProcessPoolExecutor reads
    queue.put(b"x" * 1000)
    assert queue.get() == b"x" * 1000 and queue.empty()
    queue.close()
