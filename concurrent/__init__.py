"""The checkout's ``concurrent`` package: used only when a checkout comes first on ``sys.path``.

It shadows the stdlib's ``concurrent`` package, so it extends its ``__path__`` with every other
``<entry>/concurrent`` directory (the stdlib's included): ``concurrent.futures`` (and
``concurrent.interpreters`` on 3.14+) keep importing beside our subpackages.  Installed copies never
use this file; they are reached through the finder in ``_concurrent_bridge`` instead.
"""


def _other_portions(known):
    import os
    import sys

    found = []
    for entry in sys.path:
        candidate = os.path.join(entry or os.curdir, "concurrent")
        if os.path.isfile(os.path.join(candidate, "__init__.py")) and not any(
            os.path.samefile(candidate, seen) for seen in known + found
        ):
            found.append(candidate)
    return found


__path__ = list(__path__)
__path__ += _other_portions(__path__)
del _other_portions
