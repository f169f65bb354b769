"""Write the reference pages of ``concurrent.interpreting`` (run with Python 3.14 or newer).

The other reference pages are built from their modules by the ``module-api`` directive when the
docs are built.  ``concurrent.interpreting`` imports only on Python 3.14+, and the docs are built
with any supported Python, so its pages are written ahead, from the same ``__all__`` and
docstrings, by this script; ``tests/interpreting/test_reference_pages.py`` fails when they are
stale.

    python docs/tools/make_interpreting_reference.py           # rewrite the pages
    python docs/tools/make_interpreting_reference.py --check   # list stale pages, exit 1
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import types

DOCS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(DOCS)

# module -> (page, title, what the page says before the generated part)
PAGES = {
    "concurrent.interpreting": (
        "interpreting.rst", "the subinterpreter backend",
        "The backend contract on isolated interpreters of one process (Python 3.14+), plus the "
        "backend object's class and ``LostItemError``. The :doc:`../guides/backends` guide says "
        "when to choose it; :doc:`../guides/differences` lists what differs from processes."),
    "concurrent.interpreting.connection": (
        "interpreting-connection.rst", None,
        "Pipes and listeners between the interpreters of this process."),
    "concurrent.interpreting.managers": (
        "interpreting-managers.rst", None,
        "The manager whose objects live in the interpreter that made it, and its proxies."),
    "concurrent.interpreting.pool": (
        "interpreting-pool.rst", None,
        "The interpreter pool and the result objects its ``*_async`` methods return."),
    "concurrent.interpreting.sharedctypes": (
        "interpreting-sharedctypes.rst", None,
        "``Value`` and ``Array`` in a buffer every interpreter maps."),
}
NOTE = ("(This page is written by ``docs/tools/make_interpreting_reference.py`` from the "
        "module's ``__all__`` and docstrings: the module imports only on Python 3.14+.)")


def _indent(text: str, prefix: str = "   ") -> list[str]:
    return [prefix + line if line.strip() else "" for line in text.splitlines()]


def _doc(obj: object) -> str:
    return inspect.cleandoc(obj.__doc__) if getattr(obj, "__doc__", None) else ""


NO_SIGNATURE = {"Connection"}  # made by Pipe(), Client() and Listener.accept(), not by users


def _signature(obj: object, drop_first: bool = False) -> str:
    """The call signature without annotations (they are strings here: PEP 563)."""
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return "(...)"
    parameters = [parameter.replace(annotation=inspect.Parameter.empty)
                  for parameter in signature.parameters.values()]
    if drop_first and parameters:
        parameters = parameters[1:]
    return str(signature.replace(parameters=parameters,
                                 return_annotation=inspect.Signature.empty))


def _kind(obj: object) -> str:
    if isinstance(obj, types.ModuleType):
        return "module"
    if isinstance(obj, type):
        return "exception" if issubclass(obj, BaseException) else "class"
    if callable(obj):
        return "function"
    return "data"


def _own(obj: object) -> bool:
    return (getattr(obj, "__module__", "") or "").startswith("concurrent.interpreting")


def _members(cls: type) -> list[tuple[str, object]]:
    """The public methods and properties a class of ours defines or inherits from its ABCs."""
    found = []
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        member = inspect.getattr_static(cls, name)
        owner = next((base for base in cls.__mro__ if name in vars(base)), None)
        if owner is None or owner is object or not (_own(owner) or owner.__module__.startswith(
                "concurrent._shared")):
            continue
        if isinstance(member, (property, types.FunctionType, classmethod, staticmethod)):
            found.append((name, member))
    return found


def _class_entry(directive: str, name: str, cls: type) -> list[str]:
    signature = _signature(cls) if directive == "class" and name not in NO_SIGNATURE else ""
    lines = [f".. py:{directive}:: {name}{signature}", ""]
    lines += _indent(_doc(cls)) + [""]
    for member_name, member in _members(cls):
        if isinstance(member, property):
            lines += [f"   .. py:property:: {member_name}", ""]
            lines += _indent(inspect.getdoc(member) or "", "      ") + [""]
        else:
            function = member.__func__ if isinstance(member, (classmethod, staticmethod)) \
                else member
            lines += [f"   .. py:method:: {member_name}"
                      f"{_signature(function, not isinstance(member, staticmethod))}"]
            if isinstance(member, classmethod):
                lines.append("      :classmethod:")
            lines.append("")
            lines += _indent(inspect.getdoc(getattr(cls, member_name)) or "", "      ") + [""]
    return lines


def _homes() -> dict[int, str]:
    """Where each of our objects is described in full: the first module (in PAGES order)
    exporting it under its own name."""
    homes: dict[int, str] = {}
    for modname in PAGES:
        module = importlib.import_module(modname)
        for name in module.__all__:
            obj = getattr(module, name)
            if _own(obj) and getattr(obj, "__name__", name) == name and id(obj) not in homes:
                homes[id(obj)] = f"{modname}.{name}"
    return homes


def render(modname: str, homes: dict[int, str]) -> str:
    """The reference page of ``modname``."""
    page, title, intro = PAGES[modname]
    module = importlib.import_module(modname)
    heading = f"``{modname}``" + (f": {title}" if title else "")
    lines = [heading, "=" * len(heading), "", f".. py:module:: {modname}", "",
             intro, "", NOTE, ""]
    lines += _doc(module).split("\n", 1)[1].strip().splitlines() + [""]
    groups: dict[str, list[str]] = {"class": [], "function": [], "exception": [], "data": []}
    submodules = []
    for name in module.__all__:
        obj = getattr(module, name)
        kind = _kind(obj)
        if kind == "module":
            submodules.append(obj.__name__)
            continue
        full = f"{modname}.{name}"
        directive = "exception" if kind == "exception" else (
            "class" if kind == "class" else kind)
        own_name = getattr(obj, "__name__", name)
        if own_name != name and own_name in module.__all__ and getattr(module, own_name) is obj:
            entry = [f".. py:{directive}:: {name}", "",
                     f"   Another name for :py:obj:`{own_name}`: the same object."]
        elif _own(obj) and homes.get(id(obj), full) != full:
            entry = [f".. py:{directive}:: {name}", "",
                     f"   The same object as :py:obj:`{homes[id(obj)]}`, documented there."]
        elif not _own(obj):
            origin = f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', name)}"
            origin = origin.replace("concurrent._shared._errors", "concurrent._shared")
            entry = [f".. py:{directive}:: {name}", "",
                     f"   :py:obj:`{origin}`, re-exported unchanged."]
        elif kind in ("class", "exception"):
            entry = _class_entry(directive, name, obj)
        elif kind == "function":
            entry = [f".. py:function:: {name}{_signature(obj)}", ""] + _indent(_doc(obj))
        else:
            entry = [f".. py:data:: {name}", f"   :value: {obj!r}", ""]
        groups[kind].append("\n".join(entry).rstrip() + "\n")
    for kind, rubric in (("class", "Classes"), ("function", "Functions"),
                         ("exception", "Exceptions"), ("data", "Data")):
        if groups[kind]:
            lines += [f".. rubric:: {rubric}", ""] + groups[kind]
    if submodules:
        lines += [".. rubric:: Submodules", ""]
        lines += [f"* :py:mod:`{name}`" for name in submodules] + [""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    homes = _homes()
    stale = []
    for modname, (page, _, _) in PAGES.items():
        path = os.path.join(DOCS, "reference", page)
        text = render(modname, homes)
        try:
            with open(path, encoding="utf-8") as file:
                current = file.read()
        except FileNotFoundError:
            current = None
        if current != text:
            stale.append(path)
            if not check:
                with open(path, "w", encoding="utf-8") as file:
                    file.write(text)
    for path in stale:
        print(("stale: " if check else "wrote: ") + path)
    return 1 if check and stale else 0


if __name__ == "__main__":
    if sys.version_info < (3, 14):
        sys.exit("make_interpreting_reference.py needs Python 3.14+: it imports "
                 "concurrent.interpreting")
    sys.path.insert(0, ROOT)
    sys.exit(main(sys.argv[1:]))
