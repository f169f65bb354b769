"""Run by test_orphans: start a pool, print its worker pids, then wait to be killed.

Usage: python -m tests.pool._orphan_script METHOD
"""

import sys
import threading

from concurrent.processing.pool import Pool
from tests.pool import _targets
from tests.pool.conftest import get_context

if __name__ == "__main__":
    pool = Pool(2, context=get_context(sys.argv[1]))
    assert len(pool.map(_targets.pid_of, range(4))) == 4
    print(" ".join(map(str, pool._engine.pids())), flush=True)
    threading.Event().wait(60)  # the test kills us long before this
