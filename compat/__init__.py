"""compat: run code written for Python 2.6 ``threading``, pyprocessing 0.52 and pprocess 0.5.1.

``compat.threading`` and ``compat.processing`` keep the legacy camelCase names working on top
of ``concurrent.threading`` and ``concurrent.processing``, and ``compat.pprocess`` keeps
pprocess's API working on ``concurrent.processing``; each use issues a ``LegacyNameWarning``
naming the replacement.  ``python -m compat SCRIPT`` runs a legacy program unchanged, and
``python -m compat.migrate`` rewrites it to the new names.
"""

from compat._warning import LegacyNameWarning

__all__ = ["LegacyNameWarning"]
