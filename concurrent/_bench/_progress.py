"""The live progress line: one rewritten line on stderr, only when stderr is a terminal."""

import sys
import time

__all__ = ["Progress"]


class Progress:
    """Counts steps and shows ``[done/total] elapsed label`` in place; silent off a tty."""

    def __init__(self, total: int, stream=None) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.total = total
        self.done = 0
        self._started = time.monotonic()

    def step(self, label: str) -> None:
        """Announce the step about to run, then count it."""
        self.done += 1
        if self.enabled:
            elapsed = time.monotonic() - self._started
            line = f"[{self.done}/{self.total}] {elapsed:5.1f}s {label}"
            self.stream.write("\r\x1b[K" + line[:150])
            self.stream.flush()

    def finish(self) -> None:
        """Erase the line so the table starts on a clean one."""
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
