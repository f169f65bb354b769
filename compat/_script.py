"""Stand-in ``__main__`` for ``python -m compat``: the legacy program runs in this namespace.

Kept this small because the program's globals are this module's globals.
"""

from compat._runner import run_legacy_main as _run_legacy_main

_run_legacy_main(globals())
