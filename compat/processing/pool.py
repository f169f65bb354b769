"""pyprocessing 0.52's ``processing.pool``: ``Pool`` with ``applyAsync``, ``mapAsync``...

0.52 programs read ``pool._pool`` (the worker processes, with 0.52's ``isAlive()``...) and
``pool._cache`` (the outstanding results, empty when the pool is idle): both are the
``concurrent.processing.pool.Pool``'s.
"""

from __future__ import annotations

from compat._legacy import adopt, mirror_class
from compat.processing._process import PROCESS_EXTRAS
from concurrent.processing import pool as _new

__all__ = ["Pool"]


def _workers(self) -> list:
    """The worker processes, with the legacy process methods (``isAlive()``...)."""
    return [adopt(worker, "processing", "Process", PROCESS_EXTRAS)
            for worker in _new.Pool._pool.fget(self)]


Pool = mirror_class("Pool", _new.Pool, "processing", "Pool", {"_pool": property(_workers)})
