"""compat: run code written for Python 2.6 ``threading`` and pyprocessing 0.52, then move it.

``compat.threading`` and ``compat.processing`` keep the legacy camelCase names working on top
of ``concurrent.threading`` and ``concurrent.processing``; each use issues a
``LegacyNameWarning`` naming the replacement.  ``python -m compat SCRIPT`` runs a legacy program
unchanged, and ``python -m compat.migrate`` rewrites it to the new names.
"""

from compat._warning import LegacyNameWarning

__all__ = ["LegacyNameWarning"]
