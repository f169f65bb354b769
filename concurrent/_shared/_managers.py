"""The manager interface: a server of shared objects that workers reach through proxies."""

from abc import ABC, abstractmethod

from concurrent._shared._machinery.exports import publish

__all__ = ["Manager"]


class Manager(ABC):
    """What ``Manager()`` returns: a started manager with factories for shared objects.

    Factories, each taking the arguments of the backend object it makes: ``list(sequence=())``,
    ``dict(...)``, ``Namespace(**attributes)``, ``Queue(maxsize=0)``, ``JoinableQueue(maxsize=0)``,
    ``Lock()``, ``RLock()``, ``Semaphore(value=1)``, ``BoundedSemaphore(value=1)``,
    ``Condition(lock=None)``, ``Event()``, ``Barrier(parties, action=None, timeout=None)``,
    ``Value(typecode, value)`` (read and write ``.value``), ``Array(typecode, sequence)``
    (indexing and ``len``), ``Pool(processes=None, ...)``.  What they return can be handed to
    the backend's workers.  ``shutdown()`` stops the manager; as a context manager it shuts down
    on exit.  On threads there is no server: the factories return plain objects.
    """

    __slots__ = ()

    @abstractmethod
    def shutdown(self) -> None:
        """Stop the manager; proxies to its objects stop working."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.shutdown()


publish("concurrent._shared", globals(), __all__)
