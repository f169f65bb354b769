"""pyprocessing 0.52's ``processing.managers`` on ``concurrent.processing.managers``.

``BaseManager`` gains ``serveForever()`` and the class method ``fromAddress()``; a subclass may
declare its types the 0.52 way, ``Foo = CreatorMethod(FooClass)``, which becomes
``register("Foo", FooClass)``.  ``BaseProxy`` gains ``_callMethod``/``_getValue``.

0.52 ran on Python 2, where an iterator's method was ``next()``: its managers exposed ``next``
with the other public methods, and proxies called ``_callMethod('next')``.  Here the server of a
0.52-style manager also exposes ``__next__`` of an iterator it serves with the default exposure,
and ``_callMethod('next')`` calls it.

0.52's shared ``list`` and ``dict`` exposed Python 2's ``__cmp__``, so their proxies compared
by value (``manager.list([1]) == [1]``); multiprocessing's compare by identity.  The proxies of
a 0.52-style manager compare their referent's value, as 0.52's did.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from multiprocessing import managers as _mp
from typing import Any

from compat._legacy import adopt, mirror_class
from compat._warning import warn_legacy
from compat.renames import PY3_METHOD_NAMES, by_legacy, for_owner
from concurrent.processing import managers as _new

__all__ = ["BaseManager", "BaseProxy", "CreatorMethod", "Manager", "Namespace", "SyncManager",
           "Token"]

Namespace = _new.Namespace
Token = _new.Token


class _Creator:
    """What ``CreatorMethod`` returns: a registration the manager class performs."""

    def __init__(self, callable: Callable[..., Any] | None, proxytype: type | None,
                 exposed: Any, typeid: str | None) -> None:
        self.callable, self.proxytype, self.exposed, self.typeid = (callable, proxytype,
                                                                    exposed, typeid)


def CreatorMethod(callable: Callable[..., Any] | None = None,  # the 0.52 name
                  proxytype: type | None = None, exposed: Any = None,
                  typeid: str | None = None) -> _Creator:
    """0.52's way to add a type to a manager class body; the class calls ``register`` for it."""
    warn_legacy(by_legacy("processing.managers", "CreatorMethod"))
    if exposed is None:  # 0.52: a callable may name what its objects expose
        exposed = getattr(callable, "__exposed__", None)
    return _Creator(callable, proxytype, exposed, typeid)


def _register_creators(cls: type) -> None:
    for name, value in list(vars(cls).items()):
        if isinstance(value, _Creator):
            delattr(cls, name)
            cls.register(value.typeid or name, value.callable, value.proxytype, value.exposed)


def _init_subclass(cls, **kwargs: Any) -> None:
    super(BaseManager, cls).__init_subclass__(**kwargs)
    _register_creators(cls)


def _from_address(cls, address: Any, authkey: bytes | None) -> Any:
    """0.52: a manager object for the server already running at ``address``."""
    warn_legacy(by_legacy("processing.managers", "BaseManager.fromAddress"))
    manager = cls(address=address, authkey=authkey)
    manager.connect()
    return manager


class Server(_new.Server):
    """``concurrent.processing.managers.Server`` serving as 0.52's did: an iterator created with
    the default exposure (its public methods) also exposes ``__next__``, Python 2's public
    ``next()``."""

    def create(self, c, typeid, /, *args, **kwds):
        ident, exposed = super().create(c, typeid, *args, **kwds)
        if self.registry[typeid][1] is None:
            with self.mutex:
                obj, names, _ = self.id_to_obj[ident]
                if hasattr(type(obj), "__next__") and "__next__" not in names:
                    names.add("__next__")
                    exposed = (*exposed, "__next__")
        return ident, exposed


def _call_method(self, methodname: str, args: tuple = (), kwds: dict | None = None) -> Any:
    """0.52's ``_callMethod``: ``'next'`` calls the referent's ``__next__``."""
    warn_legacy(by_legacy("processing.managers", "BaseProxy._callMethod"))
    if methodname in PY3_METHOD_NAMES and methodname not in getattr(self, "_exposed_", ()):
        methodname = PY3_METHOD_NAMES[methodname]
    return self._callmethod(methodname, args, kwds or {})


# What every proxy of a 0.52-style manager has besides its own methods.
_PROXY_METHODS = {"_callMethod": _call_method}


def _value(obj: Any) -> Any:
    return obj._getvalue() if isinstance(obj, _mp.BaseProxy) else obj


def _by_value(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def method(self, other: Any) -> bool:
        return compare(self._getvalue(), _value(other))

    method.__name__ = method.__qualname__ = f"__{compare.__name__}__"
    method.__doc__ = f"Compare the referent's value (0.52's ``__cmp__``): ``{compare.__name__}``."
    return method


# 0.52's list and dict exposed __cmp__: their proxies compared by value (lists also ordered).
# They stay hashable by identity, as 0.52's were.
_EQUALITY = {"__eq__": _by_value(operator.eq), "__ne__": _by_value(operator.ne),
             "__hash__": object.__hash__}
_COMPARED = {"list": {**_EQUALITY, **{f"__{op.__name__}__": _by_value(op)
                                      for op in (operator.lt, operator.le, operator.gt,
                                                 operator.ge)}},
             "dict": _EQUALITY}


def _reduce_auto_proxy(self: Any) -> tuple[Any, tuple[Any, ...]]:
    # concurrent's, rebuilt by this module's AutoProxy: the copy keeps the legacy methods
    rebuild, (_, *rest) = super(type(self), self).__reduce__()
    return rebuild, (AutoProxy, *rest)


def AutoProxy(token: Any, serializer: str, *args: Any, **kwds: Any) -> Any:
    """``concurrent.processing.managers.AutoProxy`` with 0.52's ``_callMethod``/``_getValue``:
    the proxy of a type registered without a proxy type (``CreatorMethod(Foo)``)."""
    proxy = _new.AutoProxy(token, serializer, *args, **kwds)
    return adopt(proxy, "processing.managers", "BaseProxy",
                 {**_PROXY_METHODS, "__reduce__": _reduce_auto_proxy})


def _register(cls, typeid: str, callable: Callable[..., Any] | None = None,
              proxytype: Any = None, exposed: Any = None, method_to_typeid: Any = None,
              create_method: bool = True) -> None:
    """``register``, with proxies that have 0.52's ``_callMethod``/``_getValue``."""
    if proxytype is None or proxytype is _new.AutoProxy or proxytype is _mp.AutoProxy:
        proxytype = AutoProxy
    super(BaseManager, cls).register(typeid, callable, proxytype, exposed, method_to_typeid,
                                     create_method)


BaseManager = mirror_class("BaseManager", _new.BaseManager, "processing.managers",
                           "BaseManager", {"_manual": {"fromAddress": classmethod(_from_address)},
                                           "__init_subclass__": classmethod(_init_subclass),
                                           "register": classmethod(_register),
                                           "_Server": Server})
SyncManager = type(BaseManager)("SyncManager", (BaseManager, _new.SyncManager), {
    "__module__": __name__, "__slots__": (), "_compat_legacy": True,
    "_compat_mirrors": _new.SyncManager,
    "__doc__": "concurrent.processing.managers.SyncManager with the 0.52 method names."})
BaseProxy = mirror_class("BaseProxy", _new.BaseProxy, "processing.managers", "BaseProxy",
                         dict(_PROXY_METHODS))


def _legacy_proxies() -> None:
    # 0.52's proxies were BaseProxy's, with _callMethod/_getValue; its shared Condition and
    # Event answered notifyAll()/isSet() too, and its list and dict compared by value.
    made: dict[tuple[type, str | None], type] = {}
    for typeid, (callable_, exposed, method_to_typeid, proxytype) in list(
            SyncManager._registry.items()):
        if isinstance(proxytype, type):  # AutoProxy (a function) is replaced by _register
            own = typeid if for_owner("processing", typeid) or typeid in _COMPARED else None
            legacy = made.get((proxytype, own))
            if legacy is None:
                legacy = mirror_class(proxytype.__name__, proxytype, "processing", own or typeid,
                                      {**_PROXY_METHODS, **_COMPARED.get(typeid, {})},
                                      home=__name__)
                made[(proxytype, own)] = legacy
                globals()[legacy.__name__] = legacy  # found by name when a proxy is pickled
            proxytype = legacy
        SyncManager.register(typeid, callable_, proxytype, exposed, method_to_typeid,
                             create_method=hasattr(_new.SyncManager, typeid))


_legacy_proxies()


def Manager() -> SyncManager:  # the 0.52 name
    """A started ``SyncManager`` whose proxies keep the 0.52 names."""
    manager = SyncManager()
    manager.start()
    return manager


def __getattr__(name: str) -> Any:
    try:
        return getattr(_new, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r} (neither has "
                             f"concurrent.processing.managers)") from None
