"""The pickler every channel uses, and what to say when an object cannot be pickled.

``Pickler`` is the C pickler with multiprocessing's reducers.  When pickling fails, ``explain``
walks the object to the innermost part that fails on its own and builds an
``UnpicklableError`` with its path (``args[1]['callback']``) and a hint on how to fix it: the
stdlib only says ``Can't pickle <function <lambda>>`` (or, for ``Queue.put``, prints it in a
feeder thread and loses the item, gh-84376).  The walk only runs on failure.  Channels reach this
through their codec (``codec.BufferCodec``), the one place where objects become bytes.
"""

from __future__ import annotations

import copyreg
import functools
import io
import pickle
import threading
import types
from collections.abc import Iterator
from multiprocessing.reduction import ForkingPickler

from concurrent._shared._machinery.exports import publish

__all__ = ["PICKLING_ERRORS", "Pickler", "UnpicklableError", "explain", "first_failure",
           "restate"]

# What pickling raises for an object it cannot handle.  RuntimeError: multiprocessing's locks and
# queues refuse to be pickled outside of process creation.
PICKLING_ERRORS = (pickle.PicklingError, TypeError, AttributeError, RuntimeError)
_MAX_DEPTH = 50
_REPR_LIMIT = 120


class Pickler(pickle.Pickler):
    """The C pickler with multiprocessing's reducers in a shared, class-level dispatch table.

    ``ForkingPickler()`` copies copyreg's table and its own reducers on every construction
    (about 2.5 µs, ten times the pickling of a small message); this table is rebuilt only when
    a reducer is registered with either.
    """

    dispatch_table: dict = {}
    _sizes = (-1, -1)

    @classmethod
    def refresh(cls) -> None:
        """Rebuild the table if a reducer was registered since (call before pickling)."""
        sizes = (len(copyreg.dispatch_table), len(ForkingPickler._extra_reducers))
        if sizes != cls._sizes:
            table = dict(copyreg.dispatch_table)
            table.update(ForkingPickler._extra_reducers)
            cls.dispatch_table, cls._sizes = table, sizes


class UnpicklableError(pickle.PicklingError):
    """An object (or a part of it, named by ``path``) cannot be pickled to reach another process.

    What ``explain`` raises is also of the original error's type (``TypeError`` for a lock,
    ``AttributeError`` for a local function, whatever a failing ``__reduce__`` raised), so an
    ``except`` clause written for the stdlib's error still catches it.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


_combined: dict[type, type | None] = {}


def _with_original_type(error_type: type) -> type | None:
    """A subclass of ``error_type`` and ``UnpicklableError`` (``None`` if there cannot be one)."""
    if issubclass(UnpicklableError, error_type):  # a PicklingError: ours is one already
        return UnpicklableError
    if error_type not in _combined:
        try:
            _combined[error_type] = type(error_type.__name__, (error_type, UnpicklableError),
                                         {"__module__": error_type.__module__,
                                          "__qualname__": error_type.__qualname__,
                                          "__reduce__": _reduce_as_original})
        except TypeError:  # its instance layout cannot be combined with ours
            _combined[error_type] = None
    return _combined[error_type]


def _reduce_as_original(error: BaseException):
    # Elsewhere it is the plain original error, its message and path kept in args and state.
    original = type(error).__mro__[1]
    return original, error.args, dict(vars(error))


def restate(error: BaseException, message: str, path: str | None) -> BaseException:
    """The error to raise for ``error``, whose message becomes ``message``: of the same type
    and an ``UnpicklableError`` with ``path`` where the type allows; otherwise ``error`` itself
    with ``message`` as a note (PEP 678)."""
    combined = _with_original_type(type(error))
    try:
        restated = combined(message, path) if combined is UnpicklableError else (
            combined(message) if combined is not None else None)
    except TypeError:  # a constructor that needs other arguments
        restated = None
    if restated is None:
        error.add_note(message)
        restated = error
    restated.path = path
    return restated


def explain(obj: object, *, what: str, error: BaseException,
            protocol: int | None = None) -> BaseException:
    """The error to raise for ``obj``, which failed to pickle with ``error``: of ``error``'s type,
    its message naming the innermost part that fails (``args[1].conn``) and what to do."""
    path, culprit, reason = _find_culprit(obj, what, error, protocol)
    message = (f"cannot pickle {path}: {_short_repr(culprit)} ({_one_line(reason)}); "
               f"{_hint(culprit, reason)}")
    return restate(error, message, path)


def first_failure(obj: object, protocol: int | None) -> BaseException | None:
    """The error pickling ``obj`` raises, or ``None`` if it pickles.

    It comes without its traceback: that holds this frame, whose caller keeps the error in a
    local, a reference cycle that would keep the caller's objects (a pool and its locks) alive
    until the garbage collector runs.
    """
    Pickler.refresh()
    try:
        Pickler(io.BytesIO(), protocol).dump(obj)
    except (*PICKLING_ERRORS, RecursionError) as exc:
        return exc.with_traceback(None)
    return None


def _find_culprit(obj, path, error, protocol):
    """Descend from ``obj`` into the first child that fails on its own, as deep as it goes."""
    seen = set()
    for _ in range(_MAX_DEPTH):
        seen.add(id(obj))
        for suffix, child in _children(obj, protocol):
            if id(child) in seen:
                continue
            child_error = first_failure(child, protocol)
            if child_error is not None:
                obj, path, error = child, path + suffix, child_error
                break
        else:
            return path, obj, error
    return path, obj, error


def _children(obj, protocol) -> Iterator[tuple[str, object]]:
    """The parts of ``obj`` that pickle would visit, each with its path suffix."""
    if isinstance(obj, (str, bytes, bytearray, int, float, complex, bool, type(None))):
        return
    if isinstance(obj, dict):
        for key, value in list(obj.items()):
            yield f"[{key!r}]", value
            yield f" key {key!r}", key
        return
    if isinstance(obj, (list, tuple)):
        for index, item in enumerate(obj):
            yield f"[{index}]", item
        return
    if isinstance(obj, (set, frozenset)):
        for item in list(obj):
            yield f" item {_short_repr(item)}", item
        return
    if isinstance(obj, types.MethodType):
        yield ".__self__", obj.__self__
        return
    if isinstance(obj, functools.partial):
        yield ".func", obj.func
        yield ".args", obj.args
        yield ".keywords", obj.keywords
        return
    if isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType)):
        return  # pickled by reference: the object itself is the culprit
    try:
        reduced = obj.__reduce_ex__(2 if protocol is None else protocol)
    except Exception:
        return
    if isinstance(reduced, str) or not isinstance(reduced, tuple):
        return
    if len(reduced) > 1 and isinstance(reduced[1], tuple):
        func, args = reduced[0], reduced[1]
        if getattr(func, "__name__", None) != "__newobj__":
            for index, arg in enumerate(args):
                yield f".__reduce__()[1][{index}]", arg
    state = reduced[2] if len(reduced) > 2 else None
    if isinstance(state, tuple) and len(state) == 2 and isinstance(state[1], dict):
        dict_state, slot_state = state  # (__dict__, __slots__ values)
        yield from _attributes(slot_state)
        state = dict_state
    if isinstance(state, dict):
        yield from _attributes(state)
    elif state is not None:
        yield ".__getstate__()", state
    for index, item in enumerate(reduced[3] if len(reduced) > 3 and reduced[3] else ()):
        yield f"[{index}]", item
    for key, value in (reduced[4] if len(reduced) > 4 and reduced[4] else ()):
        yield f"[{key!r}]", value


def _attributes(state: dict) -> Iterator[tuple[str, object]]:
    for name, value in state.items():
        plain = isinstance(name, str) and name.isidentifier()
        yield (f".{name}" if plain else f"[{name!r}]"), value


def _hint(culprit: object, reason: BaseException) -> str:
    """What to do, by the kind of object that failed."""
    if "context" in str(reason) and "SemLock" in str(reason):
        return ("create it from the same context as the process: "
                "get_context(method).Lock() (Queue(), ...) for get_context(method).Process")
    qualname = getattr(culprit, "__qualname__", "")
    if isinstance(culprit, (types.FunctionType, type)) and (
            "<lambda>" in qualname or "<locals>" in qualname):
        return ("define it with def at the top level of an importable module (not a lambda or a "
                "nested function), so the other process can import it by name")
    if isinstance(culprit, (types.FunctionType, type)) and getattr(
            culprit, "__module__", None) == "__main__":
        return ("define it in an importable module rather than in __main__ "
                "(an interactive session or a script run with -c cannot be re-imported)")
    if isinstance(culprit, (types.GeneratorType, types.CoroutineType, types.FrameType)):
        return "send the values it produces (for example a list), not the generator itself"
    type_name = type(culprit).__name__
    if type(culprit).__module__ == "_thread" or isinstance(culprit, type(threading.Lock())):
        return ("a thread primitive works only inside one process: use the concurrent.processing "
                "one (Lock(), Event(), ...) and pass it when creating the process")
    if "Lock" in type_name or "Semaphore" in type_name or "Condition" in type_name \
            or "Queue" in type_name or "Event" in type_name or "Barrier" in type_name:
        return ("pass it to the process when creating it (Process(args=...) or a Pool "
                "initializer), or use a Manager() proxy, instead of sending it later")
    if isinstance(culprit, io.IOBase) or type_name in {"socket", "SSLSocket"}:
        return ("send what is needed to reopen it (a path or an address) and open it in the "
                "other process")
    return ("make it picklable (a class defined at module level, or __reduce__/__getstate__), "
            "or send plain data instead")


def _short_repr(obj: object) -> str:
    try:
        text = repr(obj)
    except Exception:
        text = f"<{type(obj).__qualname__} object>"
    return text if len(text) <= _REPR_LIMIT else text[:_REPR_LIMIT - 3] + "..."


def _one_line(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return " ".join(text.split())


publish("concurrent.processing", globals(), ["UnpicklableError"])
