"""Tests specific to ``concurrent.threading``; the shared contract is in ``tests/conformance``."""
