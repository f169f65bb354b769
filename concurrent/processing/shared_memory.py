"""Named shared memory blocks: the stdlib's ``SharedMemory`` and ``ShareableList``, re-exported.

A block outlives the process that made it until ``unlink()``; the resource tracker unlinks
leftovers when the program ends (and warns about them).  Call ``close()`` in every process that
opened the block and ``unlink()`` once, in the one that owns it.
"""

from multiprocessing.shared_memory import ShareableList, SharedMemory

from concurrent._shared._machinery.exports import public_dir

__all__ = ["ShareableList", "SharedMemory"]

__dir__ = public_dir(globals())
