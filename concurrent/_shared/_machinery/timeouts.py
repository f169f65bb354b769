"""Validation both backends share, so a bad timeout fails the same way on threads and processes."""

__all__ = ["check_timeout"]


def check_timeout(timeout: float | None) -> None:
    """Raise ``ValueError`` naming ``timeout`` if it is negative; ``None`` means wait forever.

    Checked up front: silently treating ``-5`` as "don't wait" hides a caller's arithmetic bug.
    """
    if timeout is not None and timeout < 0:
        raise ValueError(
            f"timeout must be a non-negative number of seconds or None, got {timeout!r}"
        )
