"""One conformance suite, run against every backend listed in ``backends.py``."""
