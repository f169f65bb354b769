"""concurrent.distributed: the backend contract on a Dask distributed cluster.

Code written for ``concurrent.processing`` scales out by changing one import::

    from concurrent import distributed as backend

It runs on the cluster named by ``connect(address_or_client, security=None)``, else on the
scheduler at ``$CONCURRENT_DISTRIBUTED_SCHEDULER``, else on an embedded ``LocalCluster``
(worker processes on 127.0.0.1) started on first use and closed at exit.  A non-loopback
scheduler needs TLS unless the caller opts in to plain TCP.

Which Dask piece carries each name:

- ``Process``/``Worker``: ``Client.submit`` of a task that secedes from the worker's thread
  pool (``distributed.secede``) and reports where it runs in a ``Variable``; ``terminate`` sets
  an ``Event`` and interrupts the target's thread through ``Client.run``.
  ``cpu_count``: ``Client.nthreads``.  ``current_worker``/``active_children``: kept here.
- ``Queue``, ``SimpleQueue``, ``JoinableQueue``: ``distributed.Queue`` (items pickled by Dask's
  pickler), waits on a ``distributed.Event`` doorbell; ``JoinableQueue`` counts unfinished items
  in a second ``Queue``.
- ``Lock``, ``RLock``, ``Semaphore``, ``BoundedSemaphore``: tokens in a ``distributed.Queue``
  (Dask's lease-based ``Lock``/``Semaphore`` cannot be released by another worker);
  ``Event``: ``distributed.Event``.  ``Condition`` (ours, from three semaphores and the lock)
  and ``Barrier`` (ours, ``threading.Barrier``'s states over that condition, state in a
  ``distributed.Variable``) are what Dask lacks.
- ``Pipe``/``Connection``: one ``distributed.Queue`` per direction; ``wait`` waits on their
  ``Event`` doorbells at once; ``connection.Listener``/``Client`` meet through a ``Variable``
  and a ``Queue`` named by the address.
- ``Pool``: chunks as ``Client.submit`` tasks, ``processes`` in flight, outcomes by future
  callbacks; a lost worker is Dask's retry, then ``WorkerLostError`` (from ``KilledWorker``).
- ``Manager()``: list, dict, Namespace, Value, Array as Dask Actors; its queues, primitives
  and pools are the ones above.  ``Value``/``Array``: the ctypes bytes in a ``Variable``.

Each name loads its module on first use; ``import concurrent.distributed`` needs the
``distributed`` package (``pip install 'concurrent-pep371[distributed]'``) but does not import
it until a name is used.
"""

import importlib.util

if importlib.util.find_spec("distributed") is None:
    raise ImportError(
        "concurrent.distributed needs Dask distributed, which is not installed: "
        "pip install 'concurrent-pep371[distributed]'", name="distributed")

from concurrent._shared._machinery.exports import Export, available, lazy_exports  # noqa: E402

# The one export table: public name -> where it lives.  The contract's classes are the cluster
# backend's own; its functions are that backend object's methods (``DEFAULT``).
_EXPORTS: dict[str, Export] = {
    # workers
    "Worker": Export("._workers", "Process"),
    "Process": Export("._workers", "Process"),
    "current_worker": Export("._backend", "DEFAULT.current_worker"),
    "current_process": Export("._backend", "DEFAULT.current_process"),
    "active_children": Export("._backend", "DEFAULT.active_children"),
    "cpu_count": Export("._backend", "DEFAULT.cpu_count"),
    # the backend object, start methods, and where it runs
    "ClusterContext": Export("._backend", "ClusterContext"),
    "get_context": Export("._backend", "DEFAULT.get_context"),
    "get_start_method": Export("._backend", "DEFAULT.get_start_method"),
    "set_start_method": Export("._backend", "DEFAULT.set_start_method"),
    "get_all_start_methods": Export("._backend", "DEFAULT.get_all_start_methods"),
    "connect": Export("._cluster", "connect"),
    "shutdown": Export("._cluster", "shutdown"),
    "describe": Export("._cluster", "describe"),
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
    "SchedulerLostError": Export("._errors", "SchedulerLostError"),
    "InsecureAddressError": Export("._security", "InsecureAddressError"),
    # submodules
    "connection": Export(".connection", None),
    "managers": Export(".managers", None),
    "pool": Export(".pool", None),
    "sharedctypes": Export(".sharedctypes", None),
}

__all__ = available(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
