"""Starting many workers leaves nothing behind: no interpreter, no thread, no pipe descriptor."""

import os
import threading

from tests.interpreting import _targets
from tests.interpreting.conftest import WAIT, needs_interpreters, until

pytestmark = needs_interpreters


def _descriptors() -> dict[str, str]:
    found = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            found[name] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:  # closed since it was listed
            continue
    return found


def test_workers_that_wait_hand_their_parkers_back(backend):
    results = backend.Queue()

    def round_of_workers() -> None:
        event = backend.Event()
        workers = [backend.Process(target=_targets.wait_for_event, args=(event, results))
                   for _ in range(4)]
        for worker in workers:
            worker.start()
        event.set()  # wakes those that wait already; the others find it set
        assert [results.get(timeout=WAIT) for _ in workers] == [True] * 4
        for worker in workers:
            worker.join(WAIT)

    from concurrent import interpreters

    threads = threading.active_count() + 1  # the reaper's thread may start with the first
    descriptors = _descriptors()
    for _ in range(10):
        round_of_workers()
    assert until(lambda: len(interpreters.list_all()) == 1)  # each closed by the reaper
    assert until(lambda: threading.active_count() <= threads)
    # At most 5 threads wait at once (4 workers and this one): at most 5 pipes are made, and
    # then reused, however many workers come and go.
    new = {fd: target for fd, target in _descriptors().items() if fd not in descriptors}
    assert len(new) <= 2 * 5, new
