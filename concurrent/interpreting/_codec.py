"""How an object crosses to another interpreter: pickled once by the sender, with the objects
that cross natively carried beside the pickle.

::

    sender:   dumps(obj) -> bytes, or (bytes, handles, main)    a shareable object
    receiver: loads(that) -> obj

- *handles*: the interpreter queues and memoryviews met while pickling (the queues behind a
  ``Lock`` or a ``Queue`` of this backend, the buffer of a ``Value``) leave the pickle and
  travel as they are: a queue stays alive while in flight, a memoryview reaches the same memory.
  Pickle cannot carry either.
- *main*: set when the pickle names a function or class of the sender's ``__main__``.  The
  receiver runs the main script first, under the name ``__mp_main__`` as a spawn child does (so
  its ``if __name__ == "__main__":`` block does not run), and makes it its ``__main__``; the
  main interpreter keeps ``__mp_main__`` as another name of its ``__main__``, so what a worker
  pickles from there comes back to the original.

Plain ``bytes`` when neither is needed: the common case crosses as one bytes object.
"""

from __future__ import annotations

import collections
import io
import pickle
import sys
import threading
import types

from concurrent import interpreters

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MainScript", "adopt_main", "dumps", "loads", "main_description"]

_PROTOCOL = pickle.HIGHEST_PROTOCOL
_MAIN_NAMES = frozenset({"__main__", "__mp_main__"})
# What holds no handle and names no function or class: pickled by the plain C pickler, without
# the one of ours (whose Python-level reducer costs a microsecond per message).
_ATOMS = frozenset({type(None), bool, int, float, complex, str, bytes})


class MainScript(collections.namedtuple("MainScript", ["name", "path"])):
    """The program's main script, as spawn describes it to a child: the module ``name`` to run
    (``python -m package.module``), else the file at ``path`` (``python script.py``).  A named
    tuple rather than an enum tag: importing ``enum`` costs a new interpreter about 4 ms.
    """

    __slots__ = ()
    name: str | None
    path: str | None


# What this interpreter says about the program's main script, or None when there is none to
# run again (an interactive session, ``python -c``).
_main: MainScript | None = None
_main_known = False
_main_prepared = False
_main_lock = threading.Lock()


def _describe_main() -> MainScript | None:
    """The main interpreter's ``__main__``, as spawn describes it to its children."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    name = getattr(spec, "name", None)
    if name is not None:
        return MainScript(name, None)
    path = getattr(main, "__file__", None)
    if path is None:
        return None
    import os

    return MainScript(None, os.path.abspath(path))


def _in_main_interpreter() -> bool:
    return interpreters.get_current().id == interpreters.get_main().id


def main_description() -> MainScript | None:
    """This program's main script, to hand to an interpreter that starts."""
    global _main, _main_known
    if not _main_known:
        _main = _describe_main() if _in_main_interpreter() else None
        _main_known = True
    return _main


def adopt_main(description: MainScript | None) -> None:
    """Remember the program's main script (in an interpreter that starts); run it on demand."""
    global _main, _main_known
    _main, _main_known = description, True


def _prepare_main(description: MainScript | None) -> None:
    """Run the main script here as ``__mp_main__`` once, and make it ``__main__`` (never in the
    main interpreter, whose ``__main__`` is the script)."""
    global _main_prepared
    if _main_prepared:
        return
    with _main_lock:
        if _main_prepared:
            return
        _main_prepared = True
        if description is None or _in_main_interpreter():
            return
        import runpy

        name = description.name
        if name is not None:
            if name == "__main__" or name.endswith(".__main__"):
                return  # a package's __main__ has no guard: spawn does not run it either
            found = runpy.run_module(name, run_name="__mp_main__", alter_sys=True)
        else:
            found = runpy.run_path(description.path, run_name="__mp_main__")
        module = types.ModuleType("__mp_main__")
        module.__dict__.update(found)
        sys.modules["__main__"] = sys.modules["__mp_main__"] = module


class _Pickler(pickle.Pickler):
    """The C pickler; takes queues and memoryviews out, and notes references to ``__main__``."""

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, _PROTOCOL)
        self.handles: list[Any] = []
        self.needs_main = False

    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        if kind is memoryview or kind is interpreters.Queue:
            self.handles.append(obj)
            return _handle, (len(self.handles) - 1,)
        if (kind is types.FunctionType or isinstance(obj, type)) and getattr(
                obj, "__module__", None) in _MAIN_NAMES:
            self.needs_main = True
        return NotImplemented


def _handle(index: int) -> Any:
    """Handle ``index`` of the message: ``_Unpickler`` puts the handle in its place."""
    raise pickle.UnpicklingError("a message of concurrent.interpreting with handles must be "
                                 "read with its loads(), which puts them back")


class _Unpickler(pickle.Unpickler):
    """The C unpickler; puts the handles back."""

    def __init__(self, file: io.BytesIO, handles: tuple) -> None:
        super().__init__(file)
        self._handles = handles

    def find_class(self, module: str, name: str) -> Any:
        if name == "_handle" and module == __name__:
            return self._handles.__getitem__
        return super().find_class(module, name)


def dumps(obj: Any) -> bytes | tuple:
    """``obj`` as a shareable object: a pickle, with its handles and main script if needed.

    Pickling errors propagate as pickle raises them (``PicklingError``, ``TypeError``,
    ``AttributeError``), with a note that says what cannot cross.
    """
    kind = type(obj)
    if kind in _ATOMS or (kind is tuple and all(type(item) in _ATOMS for item in obj)):
        return pickle.dumps(obj, _PROTOCOL)
    buffer = io.BytesIO()
    pickler = _Pickler(buffer)
    try:
        pickler.dump(obj)
    except Exception as exc:
        exc.add_note(f"{obj!r:.200} cannot be sent to another interpreter: objects cross "
                     "pickled, so functions and classes must be defined at the top level of a "
                     "module and their arguments picklable")
        raise
    main = None
    if pickler.needs_main:
        main = main_description()
        if main is None:
            raise pickle.PicklingError(
                f"{obj!r:.200} refers to a function or class defined in __main__ of an "
                "interactive session or of python -c, which another interpreter cannot run "
                "again: define it in a module (or a script run as python script.py)")
    if not pickler.handles and main is None:
        return buffer.getvalue()
    return buffer.getvalue(), tuple(pickler.handles), main


def loads(message: bytes | tuple) -> Any:
    """The object that ``dumps`` made ``message`` of (running the main script first if it names
    something of ``__main__``)."""
    if type(message) is bytes:
        return pickle.loads(message)
    data, handles, main = message
    if main is not None:
        _prepare_main(main)
    if not handles:
        return pickle.loads(data)
    return _Unpickler(io.BytesIO(data), handles).load()


if _in_main_interpreter():  # what a worker pickles from its __mp_main__ comes back to __main__
    sys.modules.setdefault("__mp_main__", sys.modules["__main__"])
