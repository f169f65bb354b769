"""What a worker sent stays until it is taken, though the worker ended: its interpreter is closed
only then (the stdlib drops an item whose interpreter is closed)."""

import pytest

from tests.interpreting import _targets
from tests.interpreting.conftest import WAIT, needs_interpreters, until

pytestmark = needs_interpreters


def test_items_outlive_the_worker_that_put_them(backend):
    from concurrent import interpreters

    before = len(interpreters.list_all())
    results = backend.Queue()
    worker = backend.Process(target=_targets.put_many, args=(results, 200))
    worker.start()
    worker.join(WAIT)
    assert worker.exitcode == 0 and results.qsize() == 200
    assert len(interpreters.list_all()) == before + 1  # kept: its items are still queued
    assert [results.get(timeout=WAIT) for _ in range(200)] == [("item", n) for n in range(200)]
    assert until(lambda: len(interpreters.list_all()) == before)  # closed once taken


def test_an_item_from_an_interpreter_started_elsewhere_is_reported_lost(backend):
    import sys

    from concurrent import interpreters

    results = backend.Queue()
    foreign = interpreters.create()
    try:
        foreign.prepare_main(path=tuple(sys.path))
        foreign.exec("import sys; sys.path[:] = path")
        foreign.call(_targets.put_into, results, "lost")
    finally:
        foreign.close()
    with pytest.raises(backend.LostItemError, match="closed before it was taken"):
        results.get(timeout=WAIT)
