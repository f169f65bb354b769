"""``Manager()`` between interpreters: shared containers served by the interpreter that made the
manager, the rest as this backend's own objects.

``list``, ``dict``, ``set``, ``Namespace``, ``Value``, ``Array`` and ``Pool`` (and what
``register`` adds) live in the interpreter that called ``Manager()``, served by its threads
(``_server``), and are reached through the proxies below from that interpreter and from any
worker they are handed to; a proxy stored inside another shared object stays a proxy, so nested
objects stay shared.  The queues, locks, semaphores, events, conditions and barriers a manager
makes are the backend's own: they already cross interpreters.  ``shutdown()`` (or leaving the
``with`` block) stops the server; its proxies then raise ``RuntimeError``.

Unlike a process manager there is no server process and no address to connect to from another
process: a manager serves the interpreters of this process only.
"""

from __future__ import annotations

import array
import types
import weakref
from collections.abc import Callable, Iterable

from concurrent._shared import _managers as _abc
from concurrent._shared._machinery.exports import public_dir
from concurrent._shared._machinery.values import TYPECODES
from concurrent.interpreting import _locks, _queues, _server, _sync
from concurrent.interpreting._server import Address, Op, Server, TypeInfo
from concurrent.interpreting.pool import Pool

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ArrayProxy", "AsyncResultProxy", "BaseProxy", "DictProxy", "IteratorProxy",
           "ListProxy", "Manager", "Namespace", "NamespaceProxy", "PoolProxy", "SetProxy",
           "SyncManager", "Value", "ValueProxy"]


class Namespace(types.SimpleNamespace):
    """A bag of attributes, served by a manager (``manager.Namespace(**attributes)``)."""


class Value:
    """A managed value of any type: ``.value`` (or ``get()``/``set()``)."""

    __slots__ = ("_typecode", "_value")

    def __init__(self, typecode: Any, value: Any) -> None:
        self._typecode = typecode
        self._value = value

    def get(self) -> Any:
        """The value."""
        return self._value

    def set(self, value: Any) -> None:
        """Replace the value."""
        self._value = value

    value = property(get, set, doc="The value (read and write).")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._typecode!r}, {self._value!r})"


def _array(typecode: str, sequence: Iterable) -> array.array:
    if typecode not in TYPECODES:
        raise ValueError(f"unknown typecode {typecode!r}: use one of {''.join(TYPECODES)!r}")
    return array.array(typecode, sequence)


class BaseProxy:
    """A reference to an object a manager serves; each call runs there."""

    __slots__ = ("_address", "_ident", "_typeid")

    def __init__(self, address: Address, ident: int, typeid: str) -> None:
        object.__setattr__(self, "_address", address)
        object.__setattr__(self, "_ident", ident)
        object.__setattr__(self, "_typeid", typeid)

    def __reduce__(self):
        return _proxy, (self._address, self._ident, self._typeid)

    def _callmethod(self, name: str, args: tuple = (), kwds: dict | None = None) -> Any:
        """Call method ``name`` of the referent with ``args`` and ``kwds``; return a copy of
        its result (or a proxy, for the methods whose results are served)."""
        return _server.call(self._address, Op.CALL, self._ident, name, args, kwds)

    def __repr__(self) -> str:
        return (f"<{type(self).__module__}.{type(self).__qualname__} object, "
                f"typeid={self._typeid!r} at {id(self):#x}>")

    def __str__(self) -> str:
        return self._callmethod("__repr__")


def _forward(name: str, referent: str) -> Callable:
    def method(self, *args, **kwargs):
        return self._callmethod(name, args, kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``{referent}.{name}`` of the served object; returns a copy of its result."
    return method


def _in_place(name: str, referent: str) -> Callable:
    def method(self, other):
        self._callmethod(name, (other,))
        return self

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``{referent}.{name}`` of the served object; returns this proxy."
    return method


def _proxy_class(name: str, referent: str, forwarded: Iterable[str],
                 in_place: Iterable[str] = (), extra: dict | None = None) -> type:
    namespace: dict[str, Any] = {"__slots__": (), "__module__": __name__,
                                 "__qualname__": name}
    namespace.update((method, _forward(method, referent)) for method in forwarded)
    namespace.update((method, _in_place(method, referent)) for method in in_place)
    namespace.update(extra or {})
    return type(name, (BaseProxy,), namespace)


def _documented(function: Callable, doc: str) -> Callable:
    function.__doc__ = doc
    return function


def _snapshot_iter(self):
    return iter(self._callmethod("copy"))


ListProxy = _proxy_class("ListProxy", "list", (
    "__len__", "__getitem__", "__setitem__", "__delitem__", "__contains__", "__reversed__",
    "append", "extend", "insert", "pop", "remove", "index", "count", "sort", "reverse",
    "clear", "copy"), ("__iadd__", "__imul__"), {
    "__iter__": _snapshot_iter,
    "__eq__": lambda self, other: list(self) == list(other),
    "__hash__": None,
    "__doc__": "A list served by a manager."})
DictProxy = _proxy_class("DictProxy", "dict", (
    "__len__", "__getitem__", "__setitem__", "__delitem__", "__contains__", "get", "pop",
    "popitem", "setdefault", "update", "clear", "copy"), (), {
    "__iter__": lambda self: iter(self.keys()),
    "keys": _documented(lambda self: list(self._callmethod("copy")),
                        "A list of the keys (a snapshot)."),
    "values": _documented(lambda self: list(self._callmethod("copy").values()),
                          "A list of the values (a snapshot)."),
    "items": _documented(lambda self: list(self._callmethod("copy").items()),
                         "A list of the (key, value) pairs (a snapshot)."),
    "__eq__": lambda self, other: dict(self.items()) == dict(other),
    "__hash__": None,
    "__doc__": "A dict served by a manager."})
SetProxy = _proxy_class("SetProxy", "set", (
    "__len__", "__contains__", "__and__", "__or__", "__sub__", "__xor__", "__rand__",
    "__ror__", "__rsub__", "__rxor__", "__ge__", "__gt__", "__le__", "__lt__", "add",
    "clear", "copy", "difference", "difference_update", "discard", "intersection",
    "intersection_update", "isdisjoint", "issubset", "issuperset", "pop", "remove",
    "symmetric_difference", "symmetric_difference_update", "union", "update"),
    ("__iand__", "__ior__", "__isub__", "__ixor__"), {
    "__iter__": _snapshot_iter,
    "__eq__": lambda self, other: set(self) == set(other),
    "__hash__": None,
    "__doc__": "A set served by a manager."})
ArrayProxy = _proxy_class("ArrayProxy", "array.array",
                          ("__len__", "__getitem__", "__setitem__"), (), {
    "__iter__": lambda self: iter(self._callmethod("tolist")),
    "__doc__": "An ``array.array`` served by a manager: indexing, slicing and ``len``."})
AsyncResultProxy = _proxy_class("AsyncResultProxy", "AsyncResult",
                                ("get", "wait", "ready", "successful"), (),
                                {"__doc__": "The pending result of a served pool's task."})
IteratorProxy = _proxy_class("IteratorProxy", "IMapIterator", ("__next__", "next"), (), {
    "__iter__": lambda self: self,
    "__doc__": "The results of a served pool's imap, one call per result."})
PoolProxy = _proxy_class("PoolProxy", "Pool", (
    "apply", "apply_async", "map", "map_async", "starmap", "starmap_async", "imap",
    "imap_unordered", "close", "terminate", "join"), (), {
    "__enter__": lambda self: self,
    "__exit__": lambda self, *exc_info: self.terminate(),
    "__doc__": "A pool served by a manager: its workers run in that interpreter's pool."})


class ValueProxy(BaseProxy):
    """A value served by a manager: ``.value`` (or ``get()``/``set()``)."""

    __slots__ = ()

    def get(self) -> Any:
        """A copy of the served value."""
        return self._callmethod("get")

    def set(self, value: Any) -> None:
        """Replace the served value with a copy of ``value``."""
        self._callmethod("set", (value,))

    value = property(get, set, doc="The served value (read and write).")


class NamespaceProxy(BaseProxy):
    """An attribute bag served by a manager; names starting with ``_`` stay on the proxy."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._callmethod("__getattribute__", (name,))

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self._callmethod("__setattr__", (name, value))

    def __delattr__(self, name: str) -> None:
        self._callmethod("__delattr__", (name,))


class _AutoProxy(BaseProxy):
    """The proxy of a registered type without one: every public method is forwarded."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self._callmethod(name, args, kwargs)


_PROXIES: dict[str, type[BaseProxy]] = {
    "list": ListProxy, "dict": DictProxy, "set": SetProxy, "Namespace": NamespaceProxy,
    "Value": ValueProxy, "Array": ArrayProxy, "Pool": PoolProxy,
    "AsyncResult": AsyncResultProxy, "Iterator": IteratorProxy,
}
_POOL_RESULTS = {"apply_async": "AsyncResult", "map_async": "AsyncResult",
                 "starmap_async": "AsyncResult", "imap": "Iterator",
                 "imap_unordered": "Iterator"}
_TYPES: dict[str, TypeInfo] = {
    "list": TypeInfo(list, {}), "dict": TypeInfo(dict, {}), "set": TypeInfo(set, {}),
    "Namespace": TypeInfo(Namespace, {}), "Value": TypeInfo(Value, {}),
    "Array": TypeInfo(_array, {}), "Pool": TypeInfo(Pool, _POOL_RESULTS),
    "AsyncResult": TypeInfo(None, {}), "Iterator": TypeInfo(None, {}),
}


def _proxy(address: Address, ident: int, typeid: str) -> BaseProxy:
    return _PROXIES.get(typeid, _AutoProxy)(address, ident, typeid)


class SyncManager(_abc.Manager):
    """A started manager whose objects live in this interpreter (see the module docstring)."""

    def __init__(self) -> None:
        self._server = Server(dict(_TYPES), _proxy)
        self._state = "started"
        self._finalizer = weakref.finalize(self, self._server.shutdown)

    @classmethod
    def register(cls, typeid: str, callable: Callable | None = None,
                 proxytype: type[BaseProxy] | None = None, exposed: Any = None,
                 method_to_typeid: dict[str, str] | None = None,
                 create_method: bool = True) -> None:
        """Serve objects made by ``callable(*args, **kwds)`` as method ``typeid`` of every
        manager made after; their proxy is ``proxytype`` (default: every public method
        forwarded).  ``exposed`` is accepted for multiprocessing's signature."""
        if callable is not None:
            _TYPES[typeid] = TypeInfo(callable, dict(method_to_typeid or {}))
        if proxytype is not None:
            _PROXIES[typeid] = proxytype
        if create_method and callable is not None:
            def create(self, *args, **kwds):
                return self._create(typeid, *args, **kwds)

            create.__name__ = create.__qualname__ = typeid
            setattr(cls, typeid, create)

    @property
    def address(self) -> str:
        """A name of the server (it is reached through proxies, not by address)."""
        return f"concurrent.interpreting-manager-{self._server.address.key}"

    def start(self, initializer: Callable | None = None, initargs: Iterable = ()) -> None:
        """Accepted for processing's API: the manager is started when made."""
        if self._state != "started":
            raise RuntimeError(f"the manager is {self._state}; a manager starts once")
        if initializer is not None:
            initializer(*initargs)

    def _check(self) -> None:
        if self._state != "started":
            raise RuntimeError(f"the manager is {self._state}: make a new one with Manager()")

    def _create(self, typeid: str, *args: Any, **kwds: Any) -> Any:
        self._check()
        return self._server.create(typeid, args, kwds)

    def shutdown(self) -> None:
        """Stop the server: its proxies raise ``RuntimeError`` from now on."""
        if self._state == "started":
            self._state = "shut down"
            self._finalizer()

    def join(self, timeout: float | None = None) -> None:
        """Wait until the server's threads have ended (after ``shutdown()``), or ``timeout``
        seconds pass: what waiting for the server process is in processing."""
        self._server.join(timeout)

    def list(self, sequence: Iterable = ()) -> ListProxy:
        """A served list of ``sequence``'s items."""
        return self._create("list", sequence)

    def dict(self, *args: Any, **kwargs: Any) -> DictProxy:
        """A served dict, built as ``dict(*args, **kwargs)``."""
        return self._create("dict", *args, **kwargs)

    def set(self, iterable: Iterable = ()) -> SetProxy:
        """A served set of ``iterable``'s items."""
        return self._create("set", iterable)

    def Namespace(self, **attributes: Any) -> NamespaceProxy:
        """A served attribute bag holding ``attributes``."""
        return self._create("Namespace", **attributes)

    def Value(self, typecode: Any, value: Any, lock: Any = True) -> ValueProxy:
        """A served value of any type; ``lock`` is accepted for compatibility (each call is
        atomic)."""
        return self._create("Value", typecode, value)

    def Array(self, typecode: str, sequence: Iterable, lock: Any = True) -> ArrayProxy:
        """A served ``array.array``; ``lock`` is accepted for compatibility."""
        return self._create("Array", typecode, list(sequence))

    def Pool(self, processes: int | None = None, initializer: Callable | None = None,
             initargs: Iterable = (), maxtasksperchild: int | None = None) -> PoolProxy:
        """A served ``Pool``: its workers are interpreters started by the manager's one."""
        return self._create("Pool", processes, initializer, initargs, maxtasksperchild)

    def _make(self, factory: Callable, *args: Any) -> Any:
        self._check()
        return factory(*args)

    def Queue(self, maxsize: int = 0) -> _queues.Queue:
        """This backend's ``Queue`` (it crosses interpreters as it is)."""
        return self._make(_queues.Queue, maxsize)

    def JoinableQueue(self, maxsize: int = 0) -> _queues.JoinableQueue:
        """This backend's ``JoinableQueue``."""
        return self._make(_queues.JoinableQueue, maxsize)

    def Lock(self) -> _locks.Lock:
        """This backend's ``Lock``."""
        return self._make(_locks.Lock)

    def RLock(self) -> _locks.RLock:
        """This backend's ``RLock``."""
        return self._make(_locks.RLock)

    def Semaphore(self, value: int = 1) -> _locks.Semaphore:
        """This backend's ``Semaphore``."""
        return self._make(_locks.Semaphore, value)

    def BoundedSemaphore(self, value: int = 1) -> _locks.BoundedSemaphore:
        """This backend's ``BoundedSemaphore``."""
        return self._make(_locks.BoundedSemaphore, value)

    def Condition(self, lock: Any = None) -> _sync.Condition:
        """This backend's ``Condition``."""
        return self._make(_sync.Condition, lock)

    def Event(self) -> _sync.Event:
        """This backend's ``Event``."""
        return self._make(_sync.Event)

    def Barrier(self, parties: int, action: Callable | None = None,
                timeout: float | None = None) -> _sync.Barrier:
        """This backend's ``Barrier``."""
        return self._make(_sync.Barrier, parties, action, timeout)


def Manager() -> SyncManager:
    """A started manager whose shared objects live in this interpreter."""
    return SyncManager()


__dir__ = public_dir(globals())
