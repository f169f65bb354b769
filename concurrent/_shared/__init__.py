"""The backend contract that every ``concurrent`` backend implements.

``Backend`` is the contract as one object: the factories and functions user code calls
(workers, primitives, queues, channels, pools, managers, shared values).  The abstract base
classes say what each of those objects does, so ``isinstance(obj, concurrent._shared.Lock)``
holds for a lock of any backend (C-implemented stdlib types join by ``register``, never by a
wrapper), and the exceptions are defined once so ``except`` clauses survive a backend switch.

The code the backends share (the pool core, validation) lives in ``concurrent._shared._machinery``;
it is not part of the interface.  Each name loads its small module on first use.
"""

from concurrent._shared._machinery.exports import Export, available, lazy_exports

# The one export table: public name -> where it lives.
_EXPORTS: dict[str, Export] = {
    # the backend object
    "Backend": Export("._backend", "Backend"),
    "Capability": Export("._backend", "Capability"),
    "LockConvention": Export("._backend", "LockConvention"),
    "contract_names": Export("._backend", "contract_names"),
    # what the backends' objects are
    "Worker": Export("._workers", "Worker"),
    "Lock": Export("._sync", "Lock"),
    "RLock": Export("._sync", "RLock"),
    "Condition": Export("._sync", "Condition"),
    "Semaphore": Export("._sync", "Semaphore"),
    "BoundedSemaphore": Export("._sync", "BoundedSemaphore"),
    "Event": Export("._sync", "Event"),
    "Barrier": Export("._sync", "Barrier"),
    "Queue": Export("._queues", "Queue"),
    "SimpleQueue": Export("._queues", "SimpleQueue"),
    "JoinableQueue": Export("._queues", "JoinableQueue"),
    "Connection": Export("._channels", "Connection"),
    "Pool": Export("._pools", "Pool"),
    "AsyncResult": Export("._pools", "AsyncResult"),
    # what every backend's Pool returns (its apply_async, map_async, imap)
    "ApplyResult": Export("._machinery.pool.results", "ApplyResult"),
    "MapResult": Export("._machinery.pool.results", "MapResult"),
    "IMapIterator": Export("._machinery.pool.results", "IMapIterator"),
    "Manager": Export("._managers", "Manager"),
    # the exceptions every backend raises
    "TimeoutError": Export("._errors", "TimeoutError"),
    "WorkerLostError": Export("._errors", "WorkerLostError"),
    "BrokenPoolError": Export("._errors", "BrokenPoolError"),
    "BrokenBarrierError": Export("._errors", "BrokenBarrierError"),
    "BufferTooShort": Export("._errors", "BufferTooShort"),
    "Empty": Export("._errors", "Empty"),
    "Full": Export("._errors", "Full"),
    "RemoteTraceback": Export("._errors", "RemoteTraceback"),
    "__version__": Export("._version", "__version__"),
}

__all__ = available(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
