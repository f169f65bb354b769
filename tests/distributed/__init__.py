"""Tests of concurrent.distributed beyond the conformance suite: where it runs, faults, security."""
