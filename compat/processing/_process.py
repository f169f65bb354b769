"""What 0.52's process objects did besides their method names: ``repr()`` and ``isAlive()``.

multiprocessing words the repr differently (``<Process name='Process-1' parent=... started>``);
legacy programs print it, so process objects reached through ``compat.processing`` keep 0.52's
``<Process(Process-1, started daemon)>``.  0.52's process objects could not be closed; a pool
here closes its ended workers, so ``isAlive()`` answers False for a closed process (which has
ended: ``close()`` refuses a running one) where ``is_alive()`` raises ``ValueError``.
"""

from __future__ import annotations

import os
import signal
from typing import Any

from compat._warning import warn_legacy
from compat.renames import by_legacy
from concurrent.processing import current_process

__all__ = ["PROCESS_EXTRAS", "is_alive", "process_repr"]


def _status(process: Any) -> str:
    if process is current_process():
        return "started"
    if getattr(process, "_parent_pid", os.getpid()) != os.getpid():
        return "unknown"  # a process object that another process started
    if getattr(process, "_popen", ...) is None:
        return "initial"
    code = process.exitcode
    if code is None:
        return "started"
    if code == 0:
        return "stopped"
    if code < 0 and -code in signal.valid_signals():
        return f"stopped[{signal.Signals(-code).name}]"
    return f"stopped[{code}]"


def process_repr(self: Any) -> str:
    """``<Class(name, status[ daemon])>``: status initial, started, stopped, ``stopped[SIGTERM]``
    (ended by a signal), ``stopped[N]`` (exit code N) or unknown (another process's child)."""
    daemon = " daemon" if getattr(self, "daemon", False) else ""
    return f"<{type(self).__name__}({self.name}, {_status(self)}{daemon})>"


def is_alive(self: Any) -> bool:
    """0.52's ``isAlive()``: ``is_alive()``, and False once the process object is closed."""
    warn_legacy(by_legacy("processing", "Process.isAlive"))
    return False if getattr(self, "_closed", False) else self.is_alive()


# What a compat process class has besides the table's legacy methods (compat._legacy.adopt,
# mirror_class), taking precedence over them.
PROCESS_EXTRAS = {"__repr__": process_repr, "isAlive": is_alive}
