"""The ``module-api`` directive: a module's reference, driven by its ``__all__``.

``.. module-api:: concurrent.threading`` reads the module's ``__all__`` when the docs are built
and writes one entry per public name, so a page stays right as the module grows:

* a summary table (name and the first line of its docstring);
* our own classes, exceptions, functions and data through autodoc (``autoclass`` ...), from
  their docstrings;
* a name bound to the same object as another public name (``Worker`` = ``Thread``) as an alias
  of that name;
* an object the module re-exports unchanged from the standard library (``Empty`` is
  ``queue.Empty``) as a short entry that links to Python's documentation through intersphinx;
* submodules as a list of links to their own pages.

A name in ``__all__`` that cannot be fetched (a module still being written) is left out and
logged; ``-D apidoc_strict=1`` turns that into a warning, so ``-W`` fails on it.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.ext.intersphinx import InventoryAdapter
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

OURS = ("concurrent", "compat")

# Our module -> the stdlib module whose names it mirrors, to find a re-export's documented name.
MIRRORS = {
    "concurrent.threading": "threading",
    "concurrent.threading.connection": "multiprocessing.connection",
    "concurrent.processing": "multiprocessing",
    "concurrent.processing.connection": "multiprocessing.connection",
    "concurrent.processing.managers": "multiprocessing.managers",
    "concurrent.processing.pool": "multiprocessing.pool",
    "concurrent.processing.sharedctypes": "multiprocessing.sharedctypes",
    "concurrent.processing.shared_memory": "multiprocessing.shared_memory",
    "concurrent._shared": "multiprocessing",
    "compat.threading": "threading",
    "compat.processing": "multiprocessing",
    "compat.processing.dummy": "multiprocessing.dummy",
}

GROUPS = (
    ("classes", "Classes"),
    ("functions", "Functions"),
    ("exceptions", "Exceptions"),
    ("data", "Data"),
)


def _is_ours(obj) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module.split(".")[0] in OURS


def _first_line(obj) -> str:
    doc = inspect.getdoc(obj) or ""
    return doc.strip().split("\n\n")[0].replace("\n", " ").strip()


def _kind(obj) -> str:
    if isinstance(obj, type):
        return "exceptions" if issubclass(obj, BaseException) else "classes"
    if callable(obj):
        return "functions"
    return "data"


_HOMES: dict[tuple[str, ...], dict[int, tuple[str, str]]] = {}


def _homes(modules) -> dict[int, tuple[str, str]]:
    """Where each of our objects is documented in full: ``id(obj) -> (module, name)``.

    The first module of ``apidoc_modules`` that exports the object wins, under the object's own
    name where that module has it; every other place that exports it links there, so an object
    is described (and indexed) once.
    """
    key = tuple(modules)
    if key in _HOMES:
        return _HOMES[key]
    homes: dict[int, tuple[str, str]] = {}
    keep: list[object] = []  # ids stay valid while the objects live
    for modname in modules:
        try:
            module = importlib.import_module(modname)
        except Exception:
            continue
        exported = {}
        for name in getattr(module, "__all__", ()):
            try:
                exported[name] = getattr(module, name)
            except Exception:
                continue
        for name, obj in exported.items():
            if isinstance(obj, types.ModuleType) or not _is_ours(obj) or id(obj) in homes:
                continue
            own = getattr(obj, "__name__", None)
            if own in exported and exported[own] is obj:
                name = own
            homes[id(obj)] = (modname, name)
            keep.append(obj)
    _HOMES[key] = homes
    return homes


class ModuleApi(SphinxDirective):
    """Document every name of a module's ``__all__`` (see the module docstring)."""

    required_arguments = 1
    option_spec = {
        "skip": directives.unchanged,  # space-separated names documented elsewhere
        "no-summary": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        modname = self.arguments[0]
        strict = self.config.apidoc_strict
        try:
            module = importlib.import_module(modname)
        except Exception as exc:  # a module still being written must not break the build
            self._report(f"module-api: cannot import {modname}: {exc!r}", strict)
            return []
        skip = set((self.options.get("skip") or "").split())
        public = [name for name in getattr(module, "__all__", ()) if name not in skip]
        found: dict[str, object] = {}
        for name in public:
            try:
                found[name] = getattr(module, name)
            except Exception as exc:
                self._report(f"module-api: {modname}.{name} left out: {exc!r}", strict)
        inventory = InventoryAdapter(self.env).named_inventory

        homes = _homes(self.config.apidoc_modules)
        groups: dict[str, list[str]] = {key: [] for key, _ in GROUPS}
        submodules: list[str] = []
        entries: dict[str, list[str]] = {}
        summaries: dict[str, str] = {}
        for name, obj in found.items():
            if isinstance(obj, types.ModuleType):
                submodules.append(name)
                continue
            kind = _kind(obj)
            groups[kind].append(name)
            alias = self._alias_of(name, obj, found)
            if alias is not None:
                entries[name] = self._alias(kind, name, alias)
                summaries[name] = f"Another name for :py:obj:`{alias}`."
            elif _is_ours(obj) and homes.get(id(obj), (modname, name)) != (modname, name):
                home = ".".join(homes[id(obj)])
                entries[name] = self._same_as(kind, name, home)
                summaries[name] = f"The same object as :py:obj:`{home}`."
            elif kind == "data" and not self._stdlib_target(modname, name, obj, inventory):
                entries[name] = self._autodoc(kind, modname, name)  # a value has no __module__
                summaries[name] = ""
            elif not _is_ours(obj):
                target = self._stdlib_target(modname, name, obj, inventory)
                entries[name] = self._reexport(kind, name, obj, target)
                summaries[name] = (f"The standard library's :py:obj:`{target}`, re-exported."
                                   if target else "Re-exported from the standard library.")
            else:
                entries[name] = self._autodoc(kind, modname, name)
                summaries[name] = _first_line(obj)

        lines = [f".. py:currentmodule:: {modname}", ""]
        if "no-summary" not in self.options and entries:
            lines += [".. list-table::", "   :widths: 30 70", "   :class: api-summary", ""]
            for name in sorted(entries, key=str.lower):
                summary = summaries[name] or " "
                lines += [f"   * - :py:obj:`{name} <{modname}.{name}>`", f"     - {summary}"]
            lines.append("")
        for key, title in GROUPS:
            names = groups[key]
            if not names:
                continue
            lines += [f".. rubric:: {title}", ""]
            for name in names:
                lines += entries[name] + [""]
        if submodules:
            lines += [".. rubric:: Submodules", ""]
            documented = set(self.config.apidoc_modules)
            python = inventory.get("python", {}).get("py:module", {})
            for name in submodules:
                real = found[name].__name__
                if f"{modname}.{name}" in documented:
                    lines.append(f"* :py:mod:`{modname}.{name}`")
                elif real in documented or real in python:
                    lines.append(f"* ``{name}``: the module :py:mod:`{real}`")
                else:
                    lines.append(f"* ``{name}``: the module ``{real}``")
            lines.append("")
        return self._parse(lines)

    # --- entries -----------------------------------------------------------------------------

    @staticmethod
    def _alias_of(name: str, obj, found: dict) -> str | None:
        """The public name this one merely aliases (same object, the object's own name)."""
        own = getattr(obj, "__name__", None)
        if own and own != name and own in found and found[own] is obj:
            return own
        return None

    @staticmethod
    def _directive(kind: str) -> str:
        return {"classes": "class", "exceptions": "exception", "functions": "function",
                "data": "data"}[kind]

    def _alias(self, kind: str, name: str, alias: str) -> list[str]:
        return [f".. py:{self._directive(kind)}:: {name}", "",
                f"   Another name for :py:obj:`{alias}`: the same object."]

    def _same_as(self, kind: str, name: str, home: str) -> list[str]:
        return [f".. py:{self._directive(kind)}:: {name}", "",
                f"   The same object as :py:obj:`{home}`, documented there."]

    def _reexport(self, kind: str, name: str, obj, target: str | None) -> list[str]:
        directive = self._directive(kind)
        head = [f".. py:{directive}:: {name}"]
        if kind == "data":
            head.append(f"   :value: {obj!r}")
        text = (f"The standard library's :py:obj:`{target}`, re-exported unchanged."
                if target else
                f"Re-exported unchanged from the standard library "
                f"(``{getattr(obj, '__module__', '?')}``).")
        return head + ["", f"   {text}"]

    @staticmethod
    def _autodoc(kind: str, modname: str, name: str) -> list[str]:
        full = f"{modname}.{name}"
        if kind in ("classes", "exceptions"):
            return [f".. auto{'exception' if kind == 'exceptions' else 'class'}:: {full}",
                    "   :members:", "   :inherited-members: ABC"]
        if kind == "functions":
            return [f".. autofunction:: {full}"]
        return [f".. autodata:: {full}"]

    def _stdlib_target(self, modname: str, name: str, obj, inventory) -> str | None:
        """The name under which Python's docs describe ``obj``, if the inventory has it."""
        candidates = []
        mirror = MIRRORS.get(modname)
        if mirror:
            candidates.append(f"{mirror}.{name}")
        qualname = getattr(obj, "__qualname__", getattr(obj, "__name__", name))
        module = getattr(obj, "__module__", None) or ""
        if module:
            candidates += [f"{module}.{qualname}", f"{module.lstrip('_')}.{qualname}"]
            parts = module.split(".")
            candidates += [f"{'.'.join(parts[:i])}.{qualname}"
                           for i in range(len(parts) - 1, 0, -1)]
            if module == "builtins":
                candidates.append(qualname)
        python = (inventory or {}).get("python", {})
        for candidate in candidates:
            for objtype, objects in python.items():
                if objtype.startswith("py:") and candidate in objects:
                    return candidate
        return None

    # --- helpers -----------------------------------------------------------------------------

    def _report(self, message: str, strict: bool) -> None:
        if strict:
            logger.warning(message, location=self.get_location())
        else:
            logger.info(message, location=self.get_location())

    def _parse(self, lines: list[str]) -> list[nodes.Node]:
        source = self.get_source_info()[0]
        content = StringList()
        for number, line in enumerate(lines):
            content.append(line, f"{source} <module-api>", number)
        container = nodes.section()
        container.document = self.state.document
        self.state.nested_parse(content, 0, container, match_titles=False)
        return container.children


class StdlibReferences(SphinxPostTransform):
    """Send a reference such as ``threading.Thread`` in an annotation to Python's docs.

    Sphinx resolves annotation references "fuzzily" (any documented name ending in
    ``.threading.Thread``), which finds our ``concurrent.threading.Thread`` and
    ``compat.threading.Thread`` instead of the standard library's class.  A target that names a
    standard-library module (not ours) and that Python's inventory has is made exact, so only
    intersphinx answers it.
    """

    default_priority = 5  # before sphinx's ReferencesResolver (10)

    def run(self, **kwargs) -> None:
        python = InventoryAdapter(self.env).named_inventory.get("python", {})
        if not python:
            return
        for node in self.document.findall(addnodes.pending_xref):
            if node.get("refdomain") != "py" or not node.hasattr("refspecific"):
                continue
            target = node.get("reftarget", "")
            top = target.split(".")[0]
            if top not in sys.stdlib_module_names or "." not in target:
                continue
            if top == "concurrent" and not target.startswith("concurrent.futures"):
                continue
            if any(target in objects for objtype, objects in python.items()
                   if objtype.startswith("py:")):
                del node["refspecific"]  # the domain searches fuzzily while it is present
                node.attributes.pop("py:module", None)
                node.attributes.pop("py:class", None)


def _skip_class_aliases(app, what, name, obj, skip, options):
    """Leave out class attributes that merely point at a module-level class.

    ``multiprocessing``'s context classes carry ``TimeoutError``, ``ProcessError`` ... as class
    attributes; documenting them there would describe those exceptions a second time.
    """
    if what in ("class", "exception") and isinstance(obj, type) and "." not in obj.__qualname__:
        return True
    return None


def _drop_type_docstrings(app, what, name, obj, options, lines):
    """Keep a value's entry free of its *type's* docstring (``dict()`` -> new empty ...).

    A module-level value has no docstring of its own; autodoc would show the one of its type.
    A ``#:`` comment above the assignment still documents it.
    """
    if what in ("data", "attribute") and not isinstance(obj, type) and not callable(obj):
        type_doc = inspect.getdoc(type(obj)) or ""
        if type_doc and "\n".join(lines).strip() == type_doc.strip():
            lines.clear()


def setup(app):
    app.add_config_value("apidoc_strict", False, "env", types=(bool, int, str))
    app.add_config_value("apidoc_modules", [], "env", types=(list, tuple))
    app.add_post_transform(StdlibReferences)
    app.connect("autodoc-skip-member", _skip_class_aliases)
    app.connect("autodoc-process-docstring", _drop_type_docstrings)
    app.add_directive("module-api", ModuleApi)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":  # pragma: no cover
    sys.exit("a sphinx extension: list it in docs/conf.py")
