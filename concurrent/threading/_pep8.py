"""Hide the camelCase aliases the stdlib threading classes inherit, so only PEP 8 names remain.

Subclassing is the only way to drop an inherited method; a descriptor that raises
``AttributeError`` makes ``hasattr`` false and names the PEP 8 spelling to use instead, and the
metaclass keeps the hidden names out of ``dir()``.
"""

__all__ = ["PEP8Only", "Renamed"]


class Renamed:
    """A class attribute standing in for a removed camelCase alias."""

    __slots__ = ("name", "replacement")

    def __init__(self, replacement: str) -> None:
        self.replacement = replacement
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance, owner=None):
        owner = owner if owner is not None else type(instance)
        raise AttributeError(
            f"{owner.__name__!r} object has no attribute {self.name!r}: concurrent.threading "
            f"has PEP 8 names only; use {self.replacement} instead"
        )


def _visible(names, cls):
    return sorted(name for name in names if not isinstance(_lookup(cls, name), Renamed))


def _lookup(cls, name):
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


class PEP8Only(type):
    """Metaclass whose classes, and their instances, leave ``Renamed`` names out of ``dir()``."""

    def __new__(mcls, name, bases, namespace, **kwargs):
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        if "__dir__" not in namespace:
            cls.__dir__ = _instance_dir
        return cls

    def __dir__(cls):
        return _visible(type.__dir__(cls), cls)


def _instance_dir(self):
    return _visible(object.__dir__(self), type(self))
