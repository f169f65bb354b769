"""concurrent.distributed: the backend contract on a Dask distributed cluster.

Code written for ``concurrent.processing`` scales out by changing one import::

    from concurrent import distributed as backend

It runs on the cluster named by ``connect(address_or_client, security=None)``, else on the
scheduler at ``$CONCURRENT_DISTRIBUTED_SCHEDULER``, else on an embedded ``LocalCluster``
(worker processes on 127.0.0.1) started on first use and closed at exit.  A non-loopback
scheduler needs TLS unless the caller opts in to plain TCP.

What it declares (``get_context().capabilities``): ``COPIES_OBJECTS`` (everything crosses as a
pickled copy), ``LOSES_WORKERS`` (a cluster worker can die under a task: Dask runs it again, up
to ``distributed.scheduler.allowed-failures`` times, then the pool task raises
``WorkerLostError``) and ``TERMINATES_WORKERS``: ``Process.terminate()``/``kill()`` stop a
target that has not started yet before it runs, and a running target at its next Python
bytecode, by raising an exception in its thread; a call blocked in C (``time.sleep``, a socket
read, a long C extension call) returns first.  The worker process and its other tasks go on.
Its locks follow ``LockConvention.SEMLOCK``, multiprocessing's.

Beyond the shared exceptions, one error is its own: ``SchedulerLostError``, raised within a
bounded time by any blocking call once the scheduler is gone.  It subclasses
``ConnectionError``, so code that catches ``ConnectionError`` (or ``OSError``) for a lost
manager connection catches it too.

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
  ``Event``: ``distributed.Event``.  ``Condition`` (ours, from three semaphores and the lock;
  it takes only this backend's ``Lock``/``RLock``) and ``Barrier`` (ours, ``threading.Barrier``'s
  states over that condition, state in a ``distributed.Variable``) are what Dask lacks.
- ``Pipe``/``Connection``: one ``distributed.Queue`` per direction; ``send`` to an end whose
  peer closed raises ``BrokenPipeError``; ``wait`` takes these connections only (they have no
  file descriptor, and a ``Process`` has no ``sentinel``) and waits on their ``Event``
  doorbells at once; ``connection.Listener``/``Client`` meet through a ``Variable`` and a
  ``Queue`` named by the address.
- ``Pool``: batches of chunks as Dask tasks (``Client.map``), ``processes`` running at once,
  results of finished batches fetched together.
- ``Manager()``: list, dict, Namespace, Value, Array as Dask Actors; its queues, primitives
  and pools are the ones above.  ``Value``/``Array``: the ctypes bytes in a ``Variable``;
  ``get_obj()`` returns a snapshot of them.

Each name loads its module on first use; ``import concurrent.distributed`` needs the
``distributed`` package (``pip install 'concurrent-pep371[distributed]'``) but does not import
it until a name is used.
"""

import importlib.util

if importlib.util.find_spec("distributed") is None:
    raise ImportError(
        "concurrent.distributed needs Dask distributed, which is not installed: "
        "pip install 'concurrent-pep371[distributed]'", name="distributed")

from concurrent._shared._machinery.exports import Export, available, lazy_exports

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
