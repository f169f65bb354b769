"""``python -m concurrent bench``: PEP 371's comparison, our backends beside the stdlib.

This package is imported by every spawn/forkserver child that unpickles a workload, so it imports
nothing at the top: the command line lives in ``_cli`` and is loaded only by ``main``.
"""

__all__ = ["main"]


def main(argv: list[str]) -> int:
    """Run the bench with command-line arguments ``argv``; return the process exit status."""
    from concurrent._bench._cli import main as cli_main

    return cli_main(argv)
