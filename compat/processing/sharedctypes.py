"""pyprocessing 0.52's ``processing.sharedctypes``: same names as ``concurrent.processing``'s.

0.52 already spelled these the PEP 8 way, so nothing here warns.
"""

from concurrent.processing.sharedctypes import Array, RawArray, RawValue, Value, copy, synchronized

__all__ = ["Array", "RawArray", "RawValue", "Value", "copy", "synchronized"]
