"""What the fork server preloads for our processes: the modules each of our children needs.

multiprocessing's fork server imports the modules of its preload list once (``['__main__']``
unless ``set_forkserver_preload`` set another) and forks every child from itself; whatever it
did not import, every child imports again.  Each of our children unpickles a process object of
``concurrent.processing``, so each would import our package anew.  Before one of our processes
starts, ``add_ours`` appends ``PRELOAD`` to the list, after the user's modules; the list only
counts when the server starts, so a server that a multiprocessing process started first keeps
its own.  The server skips a preload module that fails to import (multiprocessing's
``on_error="ignore"``, the only setting before 3.15); under any other setting we add nothing,
so our modules can never warn or fail where the user's would not.
"""

from __future__ import annotations

__all__ = ["PRELOAD", "add_ours"]

# What a child of ours imports when it unpickles: its process object (our package, the backend
# contract, the pickling helpers; typing with them), the queues and primitives it is given
# (the shared-memory data path: ctypes, mmap, hashlib ...), and a pool worker's loop.
# pkgutil: up to 3.13 the server never imports a script's __main__, so each child re-runs it
# through runpy, which imports pkgutil then.
PRELOAD = (
    "concurrent.processing.process",
    "concurrent.processing.queues",
    "concurrent.processing.synchronize",
    "concurrent.processing._pool.worker",
    "pkgutil",
)


def add_ours() -> None:
    """Put ``PRELOAD`` at the end of the fork server's preload list, once."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    current = getattr(server, "_preload_modules", None)
    on_error = getattr(server, "_preload_on_error", "ignore")  # 3.15+: the user's choice
    if not isinstance(current, (list, tuple)) or on_error != "ignore":
        return
    missing = [name for name in PRELOAD if name not in current]
    if missing:  # a new list: the user's own list object stays as they left it
        server._preload_modules = [*current, *missing]
