"""The package version, read by ``python -m concurrent info`` and the build backend."""

__version__ = "0.1.0"
