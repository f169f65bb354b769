"""Helpers for conformance tests: bounded waits for calls that take no timeout."""

import threading

JOIN_TIMEOUT = 10.0


def finish_within(call, timeout: float = JOIN_TIMEOUT) -> None:
    """Run a call that takes no timeout (``Pool.join``, ``JoinableQueue.join``) with a bound."""
    errors = []

    def run():
        try:
            call()
        except BaseException as exc:  # handed to the test thread below
            errors.append(exc)

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    runner.join(timeout)
    assert not runner.is_alive(), f"{call!r} did not return within {timeout}s"
    if errors:
        raise errors[0]
