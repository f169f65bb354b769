"""The objects a ``Manager`` keeps on the cluster: one Dask Actor each.

An actor lives on one worker and runs its methods one at a time there, so every method here is
quick and never waits: a shared list, dict, attribute bag, value or array, and one ``call``
method that applies an allowed operation to it.  The proxies in ``managers`` send those calls.
"""

from __future__ import annotations

import array
import enum
from typing import Any

__all__ = ["Held", "Kind"]


class Kind(enum.Enum):
    """What an actor holds, and so which operations it allows."""

    LIST = "list"
    DICT = "dict"
    SET = "set"
    NAMESPACE = "Namespace"
    VALUE = "Value"
    ARRAY = "Array"


_ALLOWED: dict[Kind, frozenset[str]] = {
    Kind.LIST: frozenset({
        "__len__", "__getitem__", "__setitem__", "__delitem__", "__contains__", "__repr__",
        "__eq__", "__iadd__", "__imul__", "append", "extend", "insert", "pop", "remove",
        "index", "count", "sort", "reverse", "clear", "copy"}),
    Kind.DICT: frozenset({
        "__len__", "__getitem__", "__setitem__", "__delitem__", "__contains__", "__repr__",
        "__eq__", "get", "pop", "popitem", "setdefault", "update", "clear", "copy"}),
    Kind.SET: frozenset({
        "__len__", "__contains__", "__repr__", "__eq__", "__and__", "__or__", "__sub__",
        "__xor__", "__rand__", "__ror__", "__rsub__", "__rxor__", "__iand__", "__ior__",
        "__isub__", "__ixor__", "__ge__", "__gt__", "__le__", "__lt__", "add", "clear", "copy",
        "difference", "difference_update", "discard", "intersection", "intersection_update",
        "isdisjoint", "issubset", "issuperset", "pop", "remove", "symmetric_difference",
        "symmetric_difference_update", "union", "update"}),
    Kind.ARRAY: frozenset({"__len__", "__getitem__", "__setitem__", "__repr__", "tolist"}),
}


class Held:
    """One shared object on a worker; ``call`` applies an allowed operation to it."""

    def __init__(self, kind: Kind, args: tuple, kwargs: dict) -> None:
        self.kind = kind
        if kind is Kind.LIST:
            self.obj: Any = list(*args)
        elif kind is Kind.DICT:
            self.obj = dict(*args, **kwargs)
        elif kind is Kind.SET:
            self.obj = set(*args)
        elif kind is Kind.NAMESPACE:
            self.obj = dict(kwargs)
        elif kind is Kind.VALUE:
            self.obj = args[1]
        else:
            self.obj = array.array(*args)

    def call(self, name: str, args: tuple = (), kwargs: dict | None = None) -> Any:
        """``getattr(obj, name)(*args, **kwargs)`` for the operations of its kind."""
        if name not in _ALLOWED.get(self.kind, ()):
            raise AttributeError(f"a shared {self.kind.value} has no operation {name!r}")
        result = getattr(self.obj, name)(*args, **(kwargs or {}))
        return None if result is self.obj else result  # in-place operators return the object

    def snapshot(self) -> Any:
        """A copy of the whole object (lists and tuples for iteration)."""
        if self.kind is Kind.DICT:
            return list(self.obj.items())
        if self.kind is Kind.ARRAY:
            return self.obj.tolist()
        return list(self.obj) if self.kind in (Kind.LIST, Kind.SET) else self.obj

    def get_attribute(self, name: str) -> tuple[bool, Any]:
        """``(True, value)`` of a Namespace attribute or Value, ``(False, None)`` if missing."""
        if self.kind is Kind.VALUE:
            return True, self.obj
        return (name in self.obj), self.obj.get(name)

    def set_attribute(self, name: str, value: Any) -> None:
        if self.kind is Kind.VALUE:
            self.obj = value
        else:
            self.obj[name] = value

    def del_attribute(self, name: str) -> bool:
        return self.obj.pop(name, _MISSING) is not _MISSING


_MISSING = object()
