"""Build shims from the rename table: warning functions, legacy classes, and adoption.

Legacy code reaches objects compat did not create (the main thread, ``current_process()`` in a
child, the two ends of a ``Pipe``) and calls camelCase methods on them.  ``adopt`` gives such an
object the legacy methods by moving it to a subclass of its own class: it stays the same object
(identity, ``isinstance`` and state unchanged), only the legacy spellings are added.
"""

from __future__ import annotations

import builtins
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from compat._warning import warn_legacy
from compat.renames import Kind, Rename, by_legacy, for_owner

__all__ = ["adopt", "legacy_function", "legacy_methods", "legacy_methods_auto", "mirror_class",
           "put_many"]

T = TypeVar("T")


def legacy_function(module: str, old: str, target: Callable[..., Any]) -> Callable[..., Any]:
    """A function spelled ``old`` that warns, then calls ``target`` with the same arguments."""
    entry = by_legacy(module, old)

    def shim(*args: Any, **kwargs: Any) -> Any:
        warn_legacy(entry)
        return target(*args, **kwargs)

    shim.__name__ = shim.__qualname__ = old
    shim.__module__ = f"compat.{module}"
    shim.__doc__ = f"Legacy spelling: {entry.message}."
    shim.__wrapped__ = target
    return shim


def _resolve(obj: Any, chain: str) -> Any:
    # "get_server().serve_forever" -> obj.get_server().serve_forever
    *calls, last = chain.split("().")
    for name in calls:
        obj = getattr(obj, name)()
    return getattr(obj, last)


def _method(entry: Rename) -> Callable[..., Any]:
    if entry.kind is Kind.GETTER and entry.wrap:
        wrap = getattr(builtins, entry.wrap)

        def method(self):
            warn_legacy(entry)
            return wrap(getattr(self, entry.new))
    elif entry.kind is Kind.GETTER:
        def method(self):
            warn_legacy(entry)
            return getattr(self, entry.new)
    elif entry.kind is Kind.SETTER:
        def method(self, value):
            warn_legacy(entry)
            setattr(self, entry.new, value)
    else:
        def method(self, *args, **kwargs):
            warn_legacy(entry)
            return _resolve(self, entry.new)(*args, **kwargs)
    method.__name__ = entry.name
    method.__doc__ = f"Legacy spelling: {entry.message}."
    return method


def legacy_methods(module: str, owner: str,
                   manual: dict[str, Callable[..., Any]] | None = None) -> dict[str, Any]:
    """The legacy methods of ``owner`` in ``module``, made from the table.

    Entries the table marks ``MANUAL`` have no mechanical replacement: ``manual`` supplies their
    implementation by name, and a missing one is an error here, not at the user's call.
    """
    manual = dict(manual or {})
    methods: dict[str, Any] = {}
    for entry in for_owner(module, owner):
        if entry.kind is Kind.MANUAL:
            if entry.name not in manual:
                raise LookupError(f"{module}.{entry.old} needs a hand-written shim")
            methods[entry.name] = manual.pop(entry.name)
        else:
            methods[entry.name] = _method(entry)
    if manual:
        raise LookupError(f"not legacy names of {module}.{owner} in compat.renames: "
                          f"{sorted(manual)}")
    return methods


def legacy_methods_auto(module: str, owner: str) -> dict[str, Any]:
    """The legacy methods with a mechanical replacement: what ``adopt`` gives an object."""
    return {entry.name: _method(entry) for entry in for_owner(module, owner)
            if entry.kind is not Kind.MANUAL}


class _MirrorMeta(type):
    """Makes ``isinstance(x, LegacyCls)`` answer as ``isinstance(x, NewCls)`` does.

    The check is nominal (the new class in the MRO): going through ``ABCMeta`` would loop,
    because the ABCs ask their subclasses, and the legacy class is one of them.
    """

    def __instancecheck__(cls, obj: Any) -> bool:
        return cls.__subclasscheck__(type(obj))

    def __subclasscheck__(cls, sub: type) -> bool:
        mirrored = cls.__dict__.get("_compat_mirrors")
        mro = getattr(sub, "__mro__", ())
        return cls in mro or (mirrored is not None and mirrored in mro)


@functools.cache
def _mirror_meta(meta: type) -> type:
    if issubclass(meta, _MirrorMeta):
        return meta
    return type(f"Mirror{meta.__name__}", (_MirrorMeta, meta), {})


def mirror_class(name: str, base: type, module: str, owner: str,
                 namespace: dict[str, Any] | None = None, home: str | None = None) -> type:
    """A subclass of ``base`` with ``owner``'s legacy methods that mirrors ``base`` in isinstance.

    Objects it makes are real ``base`` objects; objects ``base`` makes count as instances of it
    (``isinstance`` holds both ways), and ``adopt`` gives them the legacy methods when legacy
    code reaches them.  ``home`` is the module the class is stored in (for pickling), by default
    ``compat.<module>``.
    """
    ns = {"__module__": home or f"compat.{module}", "__qualname__": name, "_compat_legacy": True,
          "__slots__": (),
          "_compat_mirrors": base, "__doc__": f"{base.__module__}.{base.__qualname__} with the "
          f"legacy {module} method names, each warning once per call site."}
    ns.update(legacy_methods(module, owner, (namespace or {}).pop("_manual", None)))
    ns.update(namespace or {})
    return _mirror_meta(type(base))(name, (base,), ns)


_adopted: dict[tuple[type, str, str], type] = {}


def adopt(obj: T, module: str, owner: str, namespace: dict[str, Any] | None = None) -> T:
    """Give ``obj`` (made outside compat) the legacy methods of ``owner``; returns ``obj``.

    ``namespace`` adds what the legacy class had besides its methods (0.52's ``__repr__``);
    pass the same one for every object of a ``module`` and ``owner``.
    """
    cls = type(obj)
    if getattr(cls, "_compat_legacy", False) or getattr(cls, "_compat_adopted", False):
        return obj
    legacy = _adopted.get((cls, module, owner))
    if legacy is None:
        # One base and no new slots: the layout stays the same, so __class__ may change.
        legacy = type(cls)(cls.__name__, (cls,), {"__slots__": (), "__module__": __name__,
                                                  "_compat_adopted": True,
                                                  **legacy_methods_auto(module, owner),
                                                  **(namespace or {})})
        _adopted[(cls, module, owner)] = legacy
    obj.__class__ = legacy
    return obj


def put_many(module: str, name: str = "putMany") -> Callable[..., None]:
    """The legacy ``Queue.putMany`` (or 0.52's ``putmany``) of ``module``: put every item of an
    iterable, in order."""
    entry = by_legacy(module, f"Queue.{name}")

    def putMany(self, iterable) -> None:
        warn_legacy(entry)
        for item in iterable:
            self.put(item)

    putMany.__name__ = putMany.__qualname__ = name
    return putMany
