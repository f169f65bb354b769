"""``progress=`` for pool maps: a live bar on a terminal, or a callable that gets (done, total).

Both pools use it.  No dependency: the bar is one line redrawn with ``\\r``, at most ten times
a second, and nothing is drawn when stderr is not a terminal (logs and CI output stay clean).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["ProgressBar", "make_reporter"]

Reporter = Callable[[int, "int | None"], None]


class ProgressBar:
    """Draw ``[#####.....] done/total rate ETA`` on ``stream``, throttled to ``interval``."""

    def __init__(self, stream: TextIO, width: int = 30, interval: float = 0.1) -> None:
        self._stream = stream
        self._width = width
        self._interval = interval
        self._started = time.monotonic()
        self._last_draw = 0.0
        self._drawn = 0  # characters the last line put on screen
        self._finished = False

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        complete = total is not None and done >= total
        if self._finished or (not complete and now - self._last_draw < self._interval):
            return
        self._last_draw = now
        line = self.render(done, total, now - self._started)
        # Pad over what a longer previous line left on screen (a shrinking rate or ETA).
        self._stream.write("\r" + line.ljust(self._drawn))
        self._drawn = len(line)
        if complete:
            self._stream.write("\n")
            self._finished = True
        self._stream.flush()

    def render(self, done: int, total: int | None, elapsed: float) -> str:
        """One line of text for ``done`` of ``total`` after ``elapsed`` seconds."""
        rate = done / elapsed if elapsed > 0 else 0.0
        if total is None:
            return f"{done} done  {rate:,.1f}/s"
        filled = self._width * done // total if total else self._width
        bar = "#" * filled + "." * (self._width - filled)
        if rate > 0 and done < total:
            eta = f"ETA {_clock((total - done) / rate)}"
        else:
            eta = f"in {_clock(elapsed)}"
        return f"[{bar}] {done}/{total}  {rate:,.1f}/s  {eta}"


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def make_reporter(progress: object, stream: TextIO | None = None) -> Reporter | None:
    """Turn the ``progress=`` argument into a callable, or ``None`` when nothing is reported."""
    if progress is None or progress is False:
        return None
    if progress is True:
        stream = sys.stderr if stream is None else stream
        isatty = getattr(stream, "isatty", None)
        if stream is None or isatty is None or not isatty():
            return None
        return ProgressBar(stream)
    if callable(progress):
        return progress
    raise TypeError(f"progress must be True, False, None or a callable taking (done, total), "
                    f"not {progress!r}")
