"""Carry a task's exception back to the caller with the worker's traceback as ``__cause__``.

Both pools re-raise a failed task's exception in the caller with the formatted worker traceback
attached as a ``RemoteTraceback``, the way ``concurrent.futures`` does.  A thread pool attaches
it in place (``attach_traceback``); a traceback object cannot cross a pipe, so a process worker
sends the text with the exception (``capture``) and unpickling attaches it.
"""

from __future__ import annotations

import linecache
import pickle
import traceback

from concurrent._shared._errors import RemoteTraceback

__all__ = ["RemoteTraceback", "attach_traceback", "capture"]


def _format(exc: BaseException) -> str:
    _cache_sources(exc)
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def _cache_sources(exc: BaseException) -> None:
    """Read the source files of the frames ``_format`` shows into ``linecache`` by name.

    Formatting then finds them there.  Otherwise it hands ``linecache`` each frame's module
    globals, and Python 3.15 warns (``DeprecationWarning``: missing ``__spec__.loader``) for a
    module run from a path, such as multiprocessing's ``__mp_main__`` under spawn and
    forkserver: under ``-W error`` that warning would replace the task's own error.
    """
    seen: set[int] = set()
    pending = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        tb = current.__traceback__
        while tb is not None:
            linecache.getlines(tb.tb_frame.f_code.co_filename)
            tb = tb.tb_next
        pending += [current.__cause__, current.__context__,
                    *getattr(current, "exceptions", ())]


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
