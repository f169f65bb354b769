"""Run by test_interrupt: a map of slow tasks that the test interrupts with SIGINT.

Usage: python -m tests.pool._interrupt_script METHOD MARKER_DIR
Prints the worker pids, blocks in map until interrupted, then prints the workers still alive.
"""

import sys

from concurrent.processing.pool import Pool
from tests.pool import _targets
from tests.pool.conftest import alive, get_context

if __name__ == "__main__":
    method, marker_dir = sys.argv[1], sys.argv[2]
    pool = Pool(2, context=get_context(method))
    pids = pool._engine.pids()
    print(" ".join(map(str, pids)), flush=True)
    try:
        pool.map(_targets.mark_and_block, [f"{marker_dir}/{i}" for i in range(4)], chunksize=1)
    except KeyboardInterrupt:
        # Checked before this process exits, so multiprocessing's exit handler cannot help.
        print("interrupted; still alive:", [pid for pid in pids if alive(pid)], flush=True)
        sys.exit(3)
    print("map returned", flush=True)
