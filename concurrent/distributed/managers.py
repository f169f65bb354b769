"""``Manager()`` on a cluster: shared containers as Dask Actors, the rest as cluster objects.

``list``, ``dict``, ``Namespace``, ``Value`` and ``Array`` each live in one Dask Actor
(``_actors.Held``) on a worker of the cluster, reached through the proxies below from the caller
and from any ``Process`` or pool task they are handed to; a proxy stored inside another shared
object stays a proxy, so nested objects stay shared.  The queues, locks, semaphores, events,
conditions, barriers and pools a manager makes are the backend's own: they already live in the
scheduler.  ``shutdown()`` releases the actors; their proxies then raise.

If the worker that holds an actor dies, its object is gone: calls on its proxies raise
``WorkerLostError``.  The remote managers of ``concurrent.processing`` (one server process of
your own) remain the better fit for state that must outlive any single machine of a cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from concurrent._shared import _managers as _abc
from concurrent._shared._errors import WorkerLostError
from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.values import TYPECODES
from concurrent.distributed import _cluster, _locks, _queues, _sync
from concurrent.distributed._actors import Held, Kind
from concurrent.distributed._calls import GRACE, request
from concurrent.distributed.pool import Pool

__all__ = ["ArrayProxy", "DictProxy", "ListProxy", "NamespaceProxy", "SetProxy", "SyncManager",
           "ValueProxy"]


class _Proxy:
    """Calls on one actor; pickles as the actor's handle."""

    __slots__ = ("_actor",)

    def __init__(self, actor: Any) -> None:
        object.__setattr__(self, "_actor", actor)

    def __reduce__(self):
        return type(self), (self._actor,)

    def _do(self, method: str, *args: Any) -> Any:
        try:
            with _cluster.client().as_current():  # Dask's actor handles find their client so
                future = getattr(self._actor, method)(*args)
                return future.result(GRACE)
        except (OSError, TimeoutError) as exc:
            raise WorkerLostError(f"the cluster worker holding this shared object is gone "
                                  f"or does not answer: {exc}") from exc
        except RuntimeError as exc:
            if "was lost" in str(exc):
                raise WorkerLostError(str(exc)) from exc
            raise

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self._do("call", name, args, kwargs)


def _forward(name: str) -> Callable:
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


class ListProxy(_Proxy):
    """A list shared through the cluster."""

    __slots__ = ()

    def __iter__(self):
        return iter(self._do("snapshot"))

    def __repr__(self) -> str:
        return f"<ListProxy {self._do('snapshot')!r}>"


class DictProxy(_Proxy):
    """A dict shared through the cluster."""

    __slots__ = ()

    def __iter__(self):
        return iter(self.keys())

    def keys(self) -> list:
        return [key for key, _ in self._do("snapshot")]

    def values(self) -> list:
        return [value for _, value in self._do("snapshot")]

    def items(self) -> list:
        return list(self._do("snapshot"))

    def __repr__(self) -> str:
        return f"<DictProxy {dict(self._do('snapshot'))!r}>"


class SetProxy(_Proxy):
    """A set shared through the cluster."""

    __slots__ = ()

    def __iter__(self):
        return iter(self._do("snapshot"))

    def __repr__(self) -> str:
        return f"<SetProxy {set(self._do('snapshot'))!r}>"


class ArrayProxy(_Proxy):
    """An ``array.array`` shared through the cluster: indexing, slicing and ``len``."""

    __slots__ = ()

    def __iter__(self):
        return iter(self._do("snapshot"))


for _name in ("__len__", "__getitem__", "__setitem__", "__delitem__", "__contains__", "append",
              "extend", "insert", "pop", "remove", "index", "count", "sort", "reverse", "clear",
              "copy"):
    setattr(ListProxy, _name, _forward(_name))
for _name in ("__len__", "__getitem__", "__setitem__", "__delitem__", "__contains__", "get",
              "pop", "popitem", "setdefault", "update", "clear", "copy"):
    setattr(DictProxy, _name, _forward(_name))
for _name in ("__len__", "__contains__", "__and__", "__or__", "__sub__", "__xor__", "__rand__",
              "__ror__", "__rsub__", "__rxor__", "__ge__", "__gt__", "__le__", "__lt__", "add",
              "clear", "copy", "difference", "difference_update", "discard", "intersection",
              "intersection_update", "isdisjoint", "issubset", "issuperset", "pop", "remove",
              "symmetric_difference", "symmetric_difference_update", "union", "update"):
    setattr(SetProxy, _name, _forward(_name))
for _name in ("__iand__", "__ior__", "__isub__", "__ixor__"):  # in place: the proxy stays
    setattr(SetProxy, _name, lambda self, other, _name=_name: (self._call(_name, other), self)[1])
SetProxy.__eq__ = lambda self, other: set(self) == set(other)
SetProxy.__hash__ = None
for _name in ("__len__", "__getitem__", "__setitem__"):
    setattr(ArrayProxy, _name, _forward(_name))
ListProxy.__iadd__ = lambda self, other: (self._call("__iadd__", list(other)), self)[1]
ListProxy.__eq__ = lambda self, other: list(self) == list(other)
ListProxy.__hash__ = None
DictProxy.__eq__ = lambda self, other: dict(self.items()) == dict(other)
DictProxy.__hash__ = None


class NamespaceProxy(_Proxy):
    """An attribute bag shared through the cluster."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        found, value = self._do("get_attribute", name)
        if not found:
            raise AttributeError(f"'Namespace' object has no attribute {name!r}")
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        self._do("set_attribute", name, value)

    def __delattr__(self, name: str) -> None:
        if not self._do("del_attribute", name):
            raise AttributeError(name)


class ValueProxy(_Proxy):
    """A value shared through the cluster: ``.value`` (or ``get()``/``set()``)."""

    __slots__ = ()

    def get(self) -> Any:
        return self._do("get_attribute", "value")[1]

    def set(self, value: Any) -> None:
        self._do("set_attribute", "value", value)

    value = property(get, set)

    def __repr__(self) -> str:
        return f"<ValueProxy {self.get()!r}>"


class SyncManager(_abc.Manager):
    """A started manager whose shared objects live on the cluster (see the module docstring)."""

    def __init__(self) -> None:
        self._actors: list[Any] = []
        self._state = "started"

    @property
    def address(self) -> str | None:
        """The scheduler's address: where the shared objects are found."""
        return _cluster.scheduler_address()

    def start(self, initializer: Callable | None = None, initargs: Iterable = ()) -> None:
        """Accepted for processing's API: a cluster manager is started when made."""
        if self._state != "started":
            raise RuntimeError(f"the manager is {self._state}; a manager starts once")
        if initializer is not None:
            initializer(*initargs)

    def _check(self) -> None:
        if self._state != "started":
            raise RuntimeError(f"the manager is {self._state}: make a new one with Manager()")

    def _hold(self, proxy: type[_Proxy], kind: Kind, *args: Any, **kwargs: Any) -> Any:
        self._check()
        client = _cluster.client()
        future = request(client, lambda limit: client.submit(Held, kind, args, kwargs,
                                                             actor=True, pure=False))
        self._actors.append(future)
        return proxy(request(client, lambda limit: future.result(limit)))

    def shutdown(self) -> None:
        """Release the shared containers; proxies to them stop working."""
        if self._state == "started":
            self._state = "shut down"
            for future in self._actors:
                future.release()
            self._actors.clear()

    def join(self, timeout: float | None = None) -> None:
        """Accepted for processing's API: there is no server process to wait for."""

    def list(self, sequence: Iterable = ()) -> ListProxy:
        return self._hold(ListProxy, Kind.LIST, list(sequence))

    def dict(self, *args: Any, **kwargs: Any) -> DictProxy:
        return self._hold(DictProxy, Kind.DICT, *args, **kwargs)

    def set(self, iterable: Iterable = ()) -> SetProxy:
        return self._hold(SetProxy, Kind.SET, list(iterable))

    def Namespace(self, **attributes: Any) -> NamespaceProxy:
        return self._hold(NamespaceProxy, Kind.NAMESPACE, **attributes)

    def Value(self, typecode: Any, value: Any, lock: Any = True) -> ValueProxy:
        """A shared value; ``lock`` is accepted for compatibility (each call is atomic)."""
        return self._hold(ValueProxy, Kind.VALUE, typecode, value)

    def Array(self, typecode: str, sequence: Iterable, lock: Any = True) -> ArrayProxy:
        """A shared ``array.array``; ``lock`` is accepted for compatibility."""
        if typecode not in TYPECODES:
            raise ValueError(f"unknown typecode {typecode!r}: use one of {''.join(TYPECODES)!r}")
        return self._hold(ArrayProxy, Kind.ARRAY, typecode, list(sequence))

    def _make(self, factory: Callable, *args: Any) -> Any:
        self._check()
        return factory(*args)

    def Queue(self, maxsize: int = 0) -> _queues.Queue:
        return self._make(_queues.Queue, maxsize)

    def JoinableQueue(self, maxsize: int = 0) -> _queues.JoinableQueue:
        return self._make(_queues.JoinableQueue, maxsize)

    def Lock(self) -> _locks.Lock:
        return self._make(_locks.Lock)

    def RLock(self) -> _locks.RLock:
        return self._make(_locks.RLock)

    def Semaphore(self, value: int = 1) -> _locks.Semaphore:
        return self._make(_locks.Semaphore, value)

    def BoundedSemaphore(self, value: int = 1) -> _locks.BoundedSemaphore:
        return self._make(_locks.BoundedSemaphore, value)

    def Condition(self, lock: Any = None) -> _sync.Condition:
        return self._make(_sync.Condition, lock)

    def Event(self) -> _sync.Event:
        return self._make(_sync.Event)

    def Barrier(self, parties: int, action: Callable | None = None,
                timeout: float | None = None) -> _sync.Barrier:
        return self._make(_sync.Barrier, parties, action, timeout)

    def Pool(self, processes: int | None = None, initializer: Callable | None = None,
             initargs: Iterable = (), maxtasksperchild: int | None = None) -> Pool:
        return self._make(Pool, processes, initializer, initargs, maxtasksperchild)


def Manager() -> SyncManager:
    """A started manager of objects shared by the whole cluster."""
    return SyncManager()


__dir__ = public_dir(globals())
