"""Callables that the pprocess shim tests run in created processes (importable under spawn)."""

from __future__ import annotations

import os
import signal


def double_until_none(channel) -> None:
    """Answer each number with its double until ``None`` arrives."""
    value = channel.receive()
    while value is not None:
        channel.send(value * 2)
        value = channel.receive()


def send_one(channel, value) -> None:
    channel.send(value)


def send_exception_object(channel) -> None:
    channel.send(KeyError("sent as data"))  # pprocess raised any exception it received


def fail(channel, text) -> None:
    raise ValueError(text)


def killed(channel) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def exit_with(channel, status) -> None:
    os._exit(status)


def return_at_once(channel) -> None:
    """Send nothing: the channel closes cleanly when this returns."""


def send_while_sent_to(channel) -> None:
    channel.send("from the child")  # its creator sends at the same time


def square(n: int) -> int:
    return n * n


def square_unless_two(n: int) -> int:
    if n == 2:
        os._exit(3)
    return n * n


def pid_of(n: int) -> int:
    return os.getpid()
