"""Have the fork server import, once, the modules that forkserver children need."""

import sys

from concurrent import processing


def already_imported(names):
    """In the child: which of ``names`` it found imported, without importing them itself."""
    return [name for name in names if name in sys.modules]


if __name__ == "__main__":
    # Before the first forkserver process starts, as the list counts when the server starts.
    # "__main__" keeps multiprocessing's own preload of this module.
    processing.set_forkserver_preload(["__main__", "decimal"])
    ctx = processing.get_context("forkserver")
    with ctx.Pool(1) as pool:
        found = pool.apply(already_imported, (["decimal", "concurrent.processing.process"],))
    print("imported before the task ran:", ", ".join(found))
