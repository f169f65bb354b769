"""concurrent.interpreting: the backend contract on isolated interpreters of one process.

Code written for ``concurrent.processing`` runs its workers as interpreters of this process by
changing one import::

    from concurrent import interpreting as backend

Each worker is a fresh interpreter (the stdlib's ``concurrent.interpreters``, PEP 734, Python
3.14+) with its own GIL, run from a thread of the caller: CPU-bound Python code uses every core
without starting processes.  Interpreters share no objects: what crosses between them is pickled
and the receiver gets a copy, as between processes.

What it declares (``get_context().capabilities``): ``COPIES_OBJECTS``.  A running interpreter
cannot be stopped from outside (no ``Process.terminate()``), and a worker cannot die alone (a
crash ends the whole process), so neither ``TERMINATES_WORKERS`` nor ``LOSES_WORKERS``.  Its
locks follow ``LockConvention.SEMLOCK``, multiprocessing's.

What carries each name (all built on ``concurrent.interpreters``' public API):

- ``Process``/``Worker``: a thread that creates an interpreter and calls the target in it
  (``Interpreter.call``); ``current_process``, ``active_children``, ``cpu_count``.
- ``Queue``, ``SimpleQueue``, ``JoinableQueue``: an interpreter queue of pickled items each;
  a waiting ``get``/``put`` sleeps on a pipe that the other side pokes, rather than polling.
- ``Lock``, ``RLock``, ``Semaphore``, ``BoundedSemaphore``: tokens in an interpreter queue;
  ``Event``: a one-token queue; ``Condition`` and ``Barrier``: built on those.
- ``Pipe``/``Connection``: an interpreter queue per direction; ``wait`` waits on several;
  ``connection.Listener``/``Client`` meet through an interpreter queue named by the address.
- ``Pool``: worker threads of the caller, each with an interpreter, on the shared pool machinery.
- ``Value``/``Array``: ctypes objects in a buffer every interpreter maps (a shared memoryview).
- ``Manager()``: containers served by a thread of the interpreter that made it, reached through
  interpreter queues; its queues and primitives are the ones above.

Each name loads its module on first use.  Importing it on Python 3.11 to 3.13 raises
``ImportError``: there is no ``concurrent.interpreters`` there.
"""

import sys

if sys.version_info < (3, 14):
    raise ImportError(
        f"concurrent.interpreting needs Python 3.14 or newer (its workers are the stdlib's "
        f"concurrent.interpreters, PEP 734); this is Python {sys.version_info.major}."
        f"{sys.version_info.minor}: use concurrent.threading or concurrent.processing instead",
        name="concurrent.interpreting")

from concurrent._shared._machinery.exports import Export, available, lazy_exports

# The one export table: public name -> where it lives.  The contract's classes are the
# backend's own; its functions are that backend object's methods (``DEFAULT``).
_EXPORTS: dict[str, Export] = {
    # workers
    "Worker": Export("._workers", "Process"),
    "Process": Export("._workers", "Process"),
    "current_worker": Export("._backend", "DEFAULT.current_worker"),
    "current_process": Export("._backend", "DEFAULT.current_process"),
    "active_children": Export("._backend", "DEFAULT.active_children"),
    "cpu_count": Export("._backend", "DEFAULT.cpu_count"),
    # the backend object and start methods
    "InterpreterContext": Export("._backend", "InterpreterContext"),
    "get_context": Export("._backend", "DEFAULT.get_context"),
    "get_start_method": Export("._backend", "DEFAULT.get_start_method"),
    "set_start_method": Export("._backend", "DEFAULT.set_start_method"),
    "get_all_start_methods": Export("._backend", "DEFAULT.get_all_start_methods"),
    # primitives
    "Lock": Export("._locks", "Lock"),
    "RLock": Export("._locks", "RLock"),
    "Condition": Export("._sync", "Condition"),
    "Semaphore": Export("._locks", "Semaphore"),
    "BoundedSemaphore": Export("._locks", "BoundedSemaphore"),
    "Event": Export("._sync", "Event"),
    "Barrier": Export("._sync", "Barrier"),
    # queues and channels
    "Queue": Export("._queues", "Queue"),
    "SimpleQueue": Export("._queues", "SimpleQueue"),
    "JoinableQueue": Export("._queues", "JoinableQueue"),
    "Pipe": Export("._backend", "DEFAULT.Pipe"),
    "wait": Export("._backend", "DEFAULT.wait"),
    "Connection": Export(".connection", "Connection"),
    # pools and shared data
    "Pool": Export(".pool", "Pool"),
    "Manager": Export("._backend", "DEFAULT.Manager"),
    "Value": Export("._backend", "DEFAULT.Value"),
    "Array": Export("._backend", "DEFAULT.Array"),
    # errors
    "TimeoutError": Export("concurrent._shared._errors", "TimeoutError"),
    "WorkerLostError": Export("concurrent._shared._errors", "WorkerLostError"),
    "BrokenPoolError": Export("concurrent._shared._errors", "BrokenPoolError"),
    "BrokenBarrierError": Export("threading", "BrokenBarrierError"),
    "BufferTooShort": Export("multiprocessing", "BufferTooShort"),
    "Empty": Export("queue", "Empty"),
    "Full": Export("queue", "Full"),
    "LostItemError": Export("._channel", "LostItemError"),
    # submodules
    "connection": Export(".connection", None),
    "managers": Export(".managers", None),
    "pool": Export(".pool", None),
    "sharedctypes": Export(".sharedctypes", None),
}

__all__ = available(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
