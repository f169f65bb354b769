"""A Process subclass (importable by its interpreter; imported by the tests only on 3.14+)."""

import sys

from concurrent import interpreting as backend


class Exiting(backend.Process):
    """Overrides run() and ends with sys.exit(7)."""

    def run(self):
        sys.exit(7)
