"""Carry a task's exception back to the caller with the worker's traceback as ``__cause__``.

Both pools re-raise a failed task's exception in the caller with the formatted worker traceback
attached as a ``RemoteTraceback``, the way ``concurrent.futures`` does.  A thread pool attaches
it in place (``attach_traceback``); a traceback object cannot cross a pipe, so a process worker
sends the text with the exception (``capture``) and unpickling attaches it.
"""

from __future__ import annotations

import pickle
import traceback

from concurrent._shared._errors import RemoteTraceback

__all__ = ["RemoteTraceback", "attach_traceback", "capture"]


def _format(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def attach_traceback(exc: BaseException, text: str | None = None) -> BaseException:
    """Set ``exc.__cause__`` to a ``RemoteTraceback`` of ``text`` (default: ``exc``'s own)."""
    exc.__cause__ = RemoteTraceback(f'\n"""\n{_format(exc) if text is None else text}"""')
    return exc


class _RaisedInWorker:
    """Picklable carrier of (exception, traceback text); unpickles to the exception itself."""

    __slots__ = ("exc", "tb")

    def __init__(self, exc: BaseException, tb: str) -> None:
        self.exc = exc
        self.tb = tb

    def __reduce__(self):
        return attach_traceback, (self.exc, self.tb)


def capture(exc: BaseException) -> _RaisedInWorker:
    """Wrap ``exc`` so that pickling it carries its traceback, and keep it picklable.

    An exception that cannot be pickled (it holds a lock, a socket, ...) is replaced by a
    ``RuntimeError`` that names its type and message, so the caller still learns what happened.
    """
    tb = _format(exc)
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception as why:
        exc = RuntimeError(f"{type(exc).__qualname__}: {exc} (the worker could not send the "
                           f"original exception: {type(why).__name__}: {why})")
    return _RaisedInWorker(exc, tb)
