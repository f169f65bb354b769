"""pyprocessing 0.52's ``processing.managers`` on ``concurrent.processing.managers``.

``BaseManager`` gains ``serveForever()`` and the class method ``fromAddress()``; a subclass may
declare its types the 0.52 way, ``Foo = CreatorMethod(FooClass)``, which becomes
``register("Foo", FooClass)``.  ``BaseProxy`` gains ``_callMethod``/``_getValue``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from concurrent.processing import managers as _new
from compat._legacy import mirror_class
from compat._warning import warn_legacy
from compat.renames import by_legacy

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


def CreatorMethod(callable: Callable[..., Any] | None = None,  # noqa: N802 - the 0.52 name
                  proxytype: type | None = None, exposed: Any = None,
                  typeid: str | None = None) -> _Creator:
    """0.52's way to add a type to a manager class body; the class calls ``register`` for it."""
    warn_legacy(by_legacy("processing.managers", "CreatorMethod"))
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


BaseManager = mirror_class("BaseManager", _new.BaseManager, "processing.managers",
                           "BaseManager", {"_manual": {"fromAddress": classmethod(_from_address)},
                                           "__init_subclass__": classmethod(_init_subclass)})
SyncManager = type(BaseManager)("SyncManager", (BaseManager, _new.SyncManager), {
    "__module__": __name__, "__slots__": (), "_compat_legacy": True,
    "_compat_mirrors": _new.SyncManager,
    "__doc__": "concurrent.processing.managers.SyncManager with the 0.52 method names."})
BaseProxy = mirror_class("BaseProxy", _new.BaseProxy, "processing.managers", "BaseProxy")


def _legacy_proxies() -> None:
    # 0.52's shared Condition and Event answered notifyAll()/isSet(): give the proxies those.
    for typeid in ("Condition", "Event"):
        callable_, exposed, method_to_typeid, proxytype = SyncManager._registry[typeid]
        legacy = mirror_class(proxytype.__name__, proxytype, "processing", typeid, home=__name__)
        globals()[legacy.__name__] = legacy  # found by name when a proxy is pickled
        SyncManager.register(typeid, callable_, legacy, exposed, method_to_typeid)


_legacy_proxies()


def Manager() -> SyncManager:  # noqa: N802 - the 0.52 name
    """A started ``SyncManager`` whose Condition and Event proxies keep the 0.52 names."""
    manager = SyncManager()
    manager.start()
    return manager


def __getattr__(name: str) -> Any:
    try:
        return getattr(_new, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r} (neither has "
                             f"concurrent.processing.managers)") from None
