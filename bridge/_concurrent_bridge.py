"""Let our ``concurrent.*`` subpackages import beside the stdlib's ``concurrent`` package.

The stdlib owns the regular package ``concurrent`` and is found before site-packages, so an
installed ``concurrent/processing`` is never reached by plain lookup.  ``install()`` appends a
finder to the END of ``sys.meta_path``: it is consulted only after normal lookup has failed, only
for names directly below ``concurrent``, and it then looks for ``<entry>/concurrent/<name>`` in
each ``sys.path`` entry, in order.  Importing this module imports nothing else, so the cost added
to every interpreter start-up stays tiny.
"""

import sys

_PREFIX = "concurrent."


class ConcurrentSubpackageFinder:
    """Find ``concurrent.<name>`` in any ``sys.path`` entry that the stdlib's lookup missed."""

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if not fullname.startswith(_PREFIX) or "." in fullname[len(_PREFIX):]:
            return None
        from importlib.machinery import PathFinder

        seen = set(path or ())
        candidates = []
        for entry in sys.path:
            directory = (entry or ".").rstrip("/\\") + "/concurrent"
            if directory not in seen:
                seen.add(directory)
                candidates.append(directory)
        return PathFinder.find_spec(fullname, candidates)

    @classmethod
    def invalidate_caches(cls):
        pass


def install():
    """Append the finder once; safe to call any number of times (and from a ``.start`` file)."""
    if not any(getattr(f, "__name__", "") == "ConcurrentSubpackageFinder" for f in sys.meta_path):
        sys.meta_path.append(ConcurrentSubpackageFinder)
