"""Argument checks both pools share, so bad input fails the same way on threads and processes."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["check_callable", "check_chunksize", "check_pool_args"]


def check_pool_args(processes: object, initializer: object, maxtasksperchild: object,
                    default: Callable[[], int]) -> int:
    """Validate ``Pool(...)``'s arguments; return ``processes``, ``default()`` when ``None``."""
    if processes is None:
        processes = default()
    if isinstance(processes, bool) or not isinstance(processes, int):
        raise TypeError(f"processes must be an int or None, not {processes!r}")
    if processes < 1:
        raise ValueError(f"processes must be at least 1, got {processes}")
    check_callable("initializer", initializer, optional=True)
    if maxtasksperchild is not None and (isinstance(maxtasksperchild, bool) or not
                                         isinstance(maxtasksperchild, int) or
                                         maxtasksperchild < 1):
        raise ValueError(f"maxtasksperchild must be a positive int or None, "
                         f"not {maxtasksperchild!r}")
    return processes


def check_callable(what: str, obj: object, optional: bool = False) -> None:
    """``TypeError`` naming ``what`` unless ``obj`` is callable (or ``None`` when optional)."""
    if optional and obj is None:
        return
    if not callable(obj):
        raise TypeError(f"{what} must be callable{' or None' if optional else ''}, not {obj!r}")


def check_chunksize(chunksize: object) -> int | None:
    """Return ``chunksize`` if it is ``None`` or a positive int; else raise naming the value."""
    if chunksize is None:
        return None
    if isinstance(chunksize, bool) or not isinstance(chunksize, int):
        raise TypeError(f"chunksize must be a positive int or None, not {chunksize!r}")
    if chunksize < 1:
        raise ValueError(f"chunksize must be at least 1, got {chunksize}; pass None to let the "
                         "pool choose")
    return chunksize
