"""Classes whose every construction and subclassing warns, as calls of the legacy names do.

pprocess's classes are legacy names themselves (``pprocess.Map(limit=4)``), and legacy code also
subclasses them (``class MyExchange(pprocess.Exchange)``).  Both are uses: the metaclass warns at
the line that constructs an object (of the class or of a user's subclass) and at the ``class``
statement of a user's subclass, with the wording of the class's entry in ``compat.renames``.
Objects the shim makes for itself are built with ``quietly`` and do not warn.
"""

from __future__ import annotations

import inspect
from typing import Any, TypeVar

from compat._warning import warn_legacy
from compat.renames import Rename, by_legacy

__all__ = ["WarnedClass", "quietly"]

T = TypeVar("T")
_HOME = "compat.pprocess"


class WarnedClass(type):
    """Metaclass of the pprocess classes: ``_legacy_name`` names the class's rename entry."""

    def __init__(cls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> None:
        super().__init__(name, bases, namespace)
        if not str(namespace.get("__module__", "")).startswith(_HOME):
            warn_legacy(cls._legacy_entry())  # the user's class statement

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        warn_legacy(cls._legacy_entry())  # the line that constructs the object
        return super().__call__(*args, **kwargs)

    @property
    def __signature__(cls) -> inspect.Signature:
        """What calling the class takes: its ``__init__``'s parameters, not ``__call__``'s."""
        try:  # the annotations as objects, so that documentation can link them
            init = inspect.signature(cls.__init__, eval_str=True)
        except NameError:
            init = inspect.signature(cls.__init__)
        return inspect.Signature(list(init.parameters.values())[1:])

    def _legacy_entry(cls) -> Rename:
        return by_legacy("pprocess", cls._legacy_name)


def quietly(cls: type[T], *args: Any, **kwargs: Any) -> T:
    """Construct ``cls(*args, **kwargs)`` for the shim's own use, without a warning."""
    obj = cls.__new__(cls)
    obj.__init__(*args, **kwargs)
    return obj
