"""Make a plain checkout importable for pytest, in the parent and in spawn/forkserver children.

Children copy ``sys.path``, not module state, so the repo root goes on ``sys.path`` itself; when
the stdlib's ``concurrent`` was imported before this file ran (``-p asyncio`` does that), the
checkout's ``concurrent`` directory is also added to that package's ``__path__``.
"""

import os
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))

if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
if "concurrent" in sys.modules:
    _portion = os.path.join(ROOT, "concurrent")
    _package = sys.modules["concurrent"]
    if _portion not in _package.__path__:
        _package.__path__.insert(0, _portion)
