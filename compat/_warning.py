"""``LegacyNameWarning`` and the one helper that issues it from a table entry."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from compat.renames import Rename

__all__ = ["LegacyNameWarning", "warn_legacy"]


class LegacyNameWarning(DeprecationWarning):
    """A legacy (camelCase or pyprocessing) name was used; the message names its replacement."""

    __module__ = "compat"  # its public home, in warnings, tracebacks and pickles


def warn_legacy(entry: Rename, stacklevel: int = 2) -> None:
    """Warn that ``entry``'s legacy name was used; ``stacklevel`` 2 blames our caller's caller."""
    warnings.warn(entry.message, LegacyNameWarning, stacklevel=stacklevel + 1)
