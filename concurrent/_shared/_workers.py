"""The worker interface: a thread or a process driven through one threading-like API."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping

from concurrent._shared._machinery.exports import publish

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (it is slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Worker"]


class Worker(ABC):
    """A unit of execution that runs ``run()`` (by default ``target(*args, **kwargs)``).

    Attributes every worker has: ``name`` (str), ``daemon`` (bool, set before ``start``),
    ``ident`` (``None`` until started).  Processes also have ``pid``, ``exitcode`` and
    ``sentinel``; the thread backend's ``Process`` has ``pid`` and ``exitcode`` too: ``None``
    until it ends, then 0, 1 if ``run`` raised, or the code given to ``sys.exit``.
    ``threading.Thread`` is registered as one.
    """

    __slots__ = ()

    def __init__(self, group: None = None, target: Callable[..., object] | None = None,
                 name: str | None = None, args: Iterable[Any] = (),
                 kwargs: Mapping[str, Any] | None = None, *, daemon: bool | None = None) -> None:
        """The constructor every backend's ``Worker`` and ``Process`` have (``group`` must be
        ``None``)."""

    @abstractmethod
    def start(self) -> None:
        """Start the worker; raises ``RuntimeError`` if it was already started."""

    @abstractmethod
    def run(self) -> None:
        """The worker's activity; override it in a subclass, or pass ``target``."""

    @abstractmethod
    def join(self, timeout: float | None = None) -> None:
        """Wait until the worker ends or ``timeout`` seconds pass; check ``is_alive()`` after.

        Raises ``RuntimeError`` when joining a worker that was never started, or itself.
        """

    @abstractmethod
    def is_alive(self) -> bool:
        """True from just after ``start()`` until ``run()`` ends."""


Worker.register(threading.Thread)


publish("concurrent._shared", globals(), __all__)
