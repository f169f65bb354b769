"""Tests of concurrent.processing.managers."""
