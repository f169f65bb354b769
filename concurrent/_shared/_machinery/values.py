"""The ``Value``/``Array`` contract both backends share: typecodes and argument checks.

``Value(typecode_or_type, *args, lock=True)`` and ``Array(typecode_or_type, size_or_initializer,
*, lock=True)`` take an ``array``-module typecode or a ctypes type.  ``lock=True`` guards the
object with a new ``RLock``, ``lock=False`` returns the bare ctypes object, and a lock object is
used as given; the guarded object has ``get_lock()``, ``get_obj()`` and ``.value``.
"""

from __future__ import annotations

import ctypes

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (it is slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["TYPECODES", "check_lock", "resolve_ctype"]

TYPECODES: dict[str, type] = {
    "c": ctypes.c_char, "u": ctypes.c_wchar,
    "b": ctypes.c_byte, "B": ctypes.c_ubyte,
    "h": ctypes.c_short, "H": ctypes.c_ushort,
    "i": ctypes.c_int, "I": ctypes.c_uint,
    "l": ctypes.c_long, "L": ctypes.c_ulong,
    "q": ctypes.c_longlong, "Q": ctypes.c_ulonglong,
    "f": ctypes.c_float, "d": ctypes.c_double,
}


def resolve_ctype(typecode_or_type: str | type) -> type:
    """The ctypes type for an ``array``-module typecode, or the ctypes type itself.

    An unknown typecode string raises ``ValueError`` (as ``array.array`` does); anything that is
    neither a string nor a ctypes type raises ``TypeError``.
    """
    if isinstance(typecode_or_type, str):
        try:
            return TYPECODES[typecode_or_type]
        except KeyError:
            raise ValueError(
                f"unknown typecode {typecode_or_type!r}: use one of "
                f"{''.join(TYPECODES)!r} or a ctypes type such as ctypes.c_int") from None
    if isinstance(typecode_or_type, type) and issubclass(
            typecode_or_type, (ctypes._SimpleCData, ctypes.Structure, ctypes.Union,
                               ctypes.Array, ctypes._Pointer)):
        return typecode_or_type
    raise TypeError(f"{typecode_or_type!r} is neither a typecode nor a ctypes type; "
                    f"use one of {''.join(TYPECODES)!r} or a ctypes type such as ctypes.c_int")


def check_lock(lock: Any) -> Any:
    """Return ``lock`` if it can guard a value (it has ``acquire`` and ``release``).

    ``AttributeError`` otherwise, as multiprocessing raises: the ``lock=`` argument takes True,
    False or a lock object.
    """
    if not (hasattr(lock, "acquire") and hasattr(lock, "release")):
        raise AttributeError(f"lock={lock!r} has no method 'acquire'/'release': pass True, "
                             "False or a lock object")
    return lock
