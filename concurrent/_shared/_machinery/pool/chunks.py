"""How many tasks go to a worker per message: the one knob that sets a pool's overhead.

Both pools use it.  ``map`` knows its length and splits it into about four chunks per worker
(the stdlib's rule, good for throughput).  ``imap`` often does
not know its length and the stdlib then sends one task per message (~60 µs each here);
``ChunkSizer`` instead starts at one task and grows the chunks until each keeps a worker busy for
about ``target`` seconds, so slow tasks keep the latency of single tasks and fast tasks get the
throughput of large chunks.
"""

from __future__ import annotations

import math

__all__ = ["ChunkSizer", "map_chunksize"]


def map_chunksize(length: int, workers: int, progress: bool = False) -> int:
    """About four chunks per worker: few messages, yet load stays balanced at the tail.

    With ``progress`` on, five times smaller chunks make a smoother bar at a small cost.
    """
    if length <= 0:
        return 1
    return max(1, math.ceil(length / (workers * (20 if progress else 4))))


class ChunkSizer:
    """Adaptive chunk size for ``imap``: grows by at most 2x per measurement toward ``target``."""

    def __init__(self, workers: int, length: int | None = None, target: float = 0.02,
                 largest: int = 4096) -> None:
        self._size = 1
        self._target = target
        self._largest = largest if length is None else max(1, min(largest,
                                                                  map_chunksize(length, workers)))

    def next_size(self) -> int:
        """The size to use for the next chunk."""
        return self._size

    def record(self, count: int, seconds: float) -> None:
        """Learn from a finished chunk of ``count`` tasks that took ``seconds`` in a worker."""
        if count <= 0:
            return
        per_task = seconds / count
        ideal = self._largest if per_task <= 0 else int(self._target / per_task)
        self._size = max(1, min(ideal, self._size * 2, self._largest))
