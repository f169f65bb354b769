"""Tests of concurrent.processing.pool."""
