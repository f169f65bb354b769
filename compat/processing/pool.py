"""pyprocessing 0.52's ``processing.pool``: ``Pool`` with ``applyAsync``, ``mapAsync``..."""

from __future__ import annotations

from concurrent.processing import pool as _new
from compat._legacy import mirror_class

__all__ = ["Pool"]

Pool = mirror_class("Pool", _new.Pool, "processing", "Pool")
