"""The libcst transformations behind ``compat.migrate``, driven by ``compat.renames``.

Two passes over one module.  ``UsageRewriter`` renames legacy uses (functions reached through
any import alias, legacy methods, ``CreatorMethod`` class attributes) while the legacy imports
are still in place to resolve names against; ``ImportRewriter`` then points the imports at the
``concurrent.*`` modules.  Anything without a safe mechanical rewrite is listed as a ``Finding``
and left working through ``compat``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import PositionProvider, QualifiedNameProvider

from compat.renames import MODULES, PY3_METHOD_NAMES, RENAMES, Kind, Rename

__all__ = ["Finding", "ImportRewriter", "UsageRewriter"]

_FUNCTIONS = {f"{entry.module}.{entry.old}": entry for entry in RENAMES if entry.owner is None}
_LEGACY_TOPS = {name.partition(".")[0] for name in MODULES}
# Left for a person, still working through compat: no call to rewrite, or no new module to name.
_BY_HAND = (Kind.MANUAL, Kind.CONSTANT)


@dataclass(frozen=True)
class Finding:
    """A legacy use that was not rewritten: where, and what a person should do."""

    line: int
    message: str


def _new_module_has(module: str, name: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:  # a backend not installed here: do not guess
        return True


def _dotted(name: str) -> cst.BaseExpression:
    return cst.parse_expression(name)


def _legacy_module_of(name: str) -> str | None:
    """The longest legacy module that ``name`` (a qualified name) lives in."""
    parts = name.split(".")
    for size in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:size])
        if candidate in MODULES:
            return candidate
    return None


class UsageRewriter(cst.CSTTransformer):
    """Rename legacy uses in place; record what could not be renamed safely."""

    METADATA_DEPENDENCIES = (QualifiedNameProvider, PositionProvider)

    def __init__(self, imported: set[str]) -> None:
        super().__init__()
        self.imported = imported  # legacy modules this file imports from
        self.findings: list[Finding] = []
        self.kept: set[tuple[str, str]] = set()  # (legacy module, name) still needed from compat
        self.renamed: dict[tuple[str, str], int] = {}  # (legacy module, name) -> uses renamed
        self._statement_calls: set[int] = set()
        self._manual_uses: dict[int, tuple[cst.CSTNode, Rename]] = {}
        self._dotted_imports: set[str] = set()
        self._exposing: set[str] = set()  # classes here that name their __exposed__ methods
        self._methods = self._method_table()

    # helpers -----------------------------------------------------------------------------

    def _method_table(self) -> dict[str, list[Rename]]:
        # Objects from a submodule (processing.sharedctypes.Value) are its package's classes.
        modules = self.imported | {name.rpartition(".")[0] for name in self.imported}
        table: dict[str, list[Rename]] = {}
        for entry in RENAMES:
            if entry.owner is not None and entry.module in modules:
                table.setdefault(entry.name, []).append(entry)
        return table

    def _line(self, node: cst.CSTNode) -> int:
        return self.get_metadata(PositionProvider, node).start.line

    def _report(self, node: cst.CSTNode, message: str) -> None:
        self.findings.append(Finding(self._line(node), message))

    def _qualified(self, node: cst.CSTNode) -> set[str]:
        return {q.name for q in self.get_metadata(QualifiedNameProvider, node, set())}

    def _function_entry(self, node: cst.CSTNode) -> Rename | None:
        for name in self._qualified(node):
            if name in _FUNCTIONS:
                return _FUNCTIONS[name]
        return None

    def _method_entry(self, node: cst.Attribute) -> Rename | None:
        entries = self._methods.get(node.attr.value)
        if not entries or self._qualified(node.value) & set(MODULES):
            return None  # not a legacy method, or an attribute of a module
        spellings = {(entry.kind, entry.new) for entry in entries}
        if len(spellings) > 1:
            self._report(node, f"{node.attr.value}() means different things on different "
                               f"legacy classes; rename it by hand")
            return None
        return entries[0]

    # module-level functions ---------------------------------------------------------------

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        entry = self._function_entry(original)
        if entry is None or entry.name != original.value:  # bound under an alias: keep it
            return updated
        if entry.kind in _BY_HAND:
            self._manual_uses[id(original)] = (original, entry)
            return updated
        key = (entry.module, entry.old)
        self.renamed[key] = self.renamed.get(key, 0) + 1
        return updated.with_changes(value=entry.new)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar) and node.module is not None \
                and get_full_name_for_node(node.module) in MODULES:
            self._report(node, f"`from {get_full_name_for_node(node.module)} import *` hides "
                               f"which legacy names are used; import them by name, then rerun")

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        # 0.52's CreatorMethod(Foo) read Foo.__exposed__; register() does not.
        for statement in getattr(node.body, "body", ()):
            if isinstance(statement, cst.SimpleStatementLine) and any(
                    isinstance(small, cst.Assign) and any(
                        isinstance(target.target, cst.Name)
                        and target.target.value == "__exposed__" for target in small.targets)
                    for small in statement.body):
                self._exposing.add(node.name.value)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = get_full_name_for_node(alias.name)
            if alias.asname is None and "." in name and name in MODULES:
                self._dotted_imports.add(name)

    def leave_Attribute(self, original: cst.Attribute,
                        updated: cst.Attribute) -> cst.BaseExpression:
        full = get_full_name_for_node(original)
        if full in self._dotted_imports and full in self._qualified(original):
            return _dotted(MODULES[full])  # `import a.b` became `import concurrent.x`
        entry = self._function_entry(original)
        if entry is not None and entry.name == original.attr.value:
            if entry.kind in _BY_HAND:
                self._manual_uses[id(original)] = (original, entry)
                return updated
            return updated.with_changes(attr=cst.Name(entry.new))
        for name in self._qualified(original):
            module = _legacy_module_of(name)
            if module and name.count(".") == module.count(".") + 1:
                attr = name.rpartition(".")[2]
                if attr in _LEGACY_TOPS or f"{module}.{attr}" in MODULES:
                    continue
                if not _new_module_has(MODULES[module], attr):
                    self._report(original, f"{name} has no equivalent in {MODULES[module]}; "
                                           f"rewrite this use by hand")
        return updated

    # calls: function arguments, methods, setters --------------------------------------------

    def visit_Expr(self, node: cst.Expr) -> None:
        self._statement_calls.add(id(node.value))

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        entry = self._function_entry(original.func)
        if entry is not None and entry.note and entry.kind is Kind.FUNCTION \
                and len(original.args) > 1:
            by_name = isinstance(original.func, cst.Name)
            self._report(original, f"{entry.module}.{entry.old}() with these arguments: "
                                   f"{entry.note}; " + ("left to run through compat" if by_name
                                                        else "rewrite this use by hand"))
            if by_name:
                self.kept.add((entry.module, entry.old))
                self.renamed[(entry.module, entry.old)] -= 1
            return updated.with_changes(func=original.func)
        if not isinstance(original.func, cst.Attribute):
            return updated
        entry = self._method_entry(original.func)
        if entry is None:
            return updated
        func = updated.func
        assert isinstance(func, cst.Attribute)
        if entry.kind is Kind.METHOD:
            *calls, last = entry.new.split("().")
            receiver = func.value
            for name in calls:
                receiver = cst.Call(func=cst.Attribute(receiver, cst.Name(name)))
            if entry.new == "_callmethod":
                updated = self._py3_method_name(original, updated, entry)
            return updated.with_changes(func=cst.Attribute(receiver, cst.Name(last)))
        if entry.kind is Kind.GETTER and not original.args:
            value = cst.Attribute(value=func.value, attr=cst.Name(entry.new))
            if entry.wrap:
                return cst.Call(func=cst.Name(entry.wrap), args=[cst.Arg(value)])
            return value
        if entry.kind is Kind.SETTER and len(original.args) == 1 \
                and id(original) in self._statement_calls:
            return updated  # leave_Expr turns the statement into an assignment
        if entry.kind is Kind.MANUAL:
            self._report(original, entry.message)
        else:
            self._report(original, f"{entry.message} (rewritten only where the call is a "
                                   f"statement of its own)")
        return updated

    def _py3_method_name(self, original: cst.Call, call: cst.Call, entry: Rename) -> cst.Call:
        """``_callMethod('next', ...)``: the method's Python 3 name, and what else to change."""
        if not call.args or not isinstance(call.args[0].value, cst.SimpleString):
            return call
        literal = call.args[0].value
        old = literal.evaluated_value
        if old not in PY3_METHOD_NAMES:
            return call
        new = PY3_METHOD_NAMES[old]
        self._report(original, f"{entry.module}.{entry.old}({old!r}) now calls {new!r}: "
                               f"expose {new!r} (in the proxy type's _exposed_ or register()'s "
                               f"exposed=), as a manager exposes only public methods unless told")
        quoted = literal.with_changes(value=f"{literal.prefix}{literal.quote}{new}{literal.quote}")
        return call.with_changes(args=[call.args[0].with_changes(value=quoted), *call.args[1:]])

    def leave_Expr(self, original: cst.Expr, updated: cst.Expr) -> cst.BaseSmallStatement:
        call = updated.value
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
                and isinstance(original.value, cst.Call)
                and isinstance(original.value.func, cst.Attribute)):
            return updated
        entries = self._methods.get(call.func.attr.value) or []
        if len(call.args) != 1 or not entries or entries[0].kind is not Kind.SETTER:
            return updated
        if self._qualified(original.value.func.value) & set(MODULES):
            return updated
        target = cst.Attribute(value=call.func.value, attr=cst.Name(entries[0].new))
        return cst.Assign(targets=[cst.AssignTarget(target=target)],
                          value=call.args[0].value.deep_clone())

    # 0.52 custom managers: Foo = CreatorMethod(FooClass) -> Manager.register("Foo", FooClass)

    def leave_ClassDef(self, original: cst.ClassDef,
                       updated: cst.ClassDef) -> cst.ClassDef | cst.FlattenSentinel:
        if not isinstance(updated.body, cst.IndentedBlock):
            return updated
        originals = original.body.body if isinstance(original.body, cst.IndentedBlock) else ()
        if len(originals) != len(updated.body.body):
            return updated
        kept, registrations = [], []
        for before, statement in zip(originals, updated.body.body):
            call = _creator_call(statement)
            before_call = _creator_call(before)
            if call is None or before_call is None or \
                    "processing.managers.CreatorMethod" not in self._qualified(before_call.func):
                kept.append(statement)
                continue
            self._manual_uses.pop(id(before_call.func), None)
            typeid = statement.body[0].targets[0].target.value
            explicit = [arg for arg in call.args if arg.keyword and arg.keyword.value == "typeid"]
            args = [arg for arg in call.args if arg not in explicit]
            if args and not args[0].keyword and isinstance(args[0].value, cst.Name) \
                    and args[0].value.value in self._exposing \
                    and not any(arg.keyword and arg.keyword.value == "exposed" for arg in args):
                tight = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                        whitespace_after=cst.SimpleWhitespace(""))
                args.append(cst.Arg(cst.parse_expression(f"{args[0].value.value}.__exposed__"),
                                    keyword=cst.Name("exposed"), equal=tight))
            first = explicit[0].value if explicit else cst.SimpleString(repr(typeid))
            args = [cst.Arg(first)] + [arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)
                                       for arg in args]
            registrations.append(cst.SimpleStatementLine([cst.Expr(cst.Call(
                func=cst.Attribute(cst.Name(updated.name.value), cst.Name("register")),
                args=args))], leading_lines=[] if registrations else [cst.EmptyLine()]))
        if not registrations:
            return updated
        if not kept:
            kept = [cst.SimpleStatementLine([cst.Pass()])]
        body = updated.body.with_changes(body=kept)
        return cst.FlattenSentinel([updated.with_changes(body=body), *registrations])

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        for node, entry in self._manual_uses.values():
            if isinstance(node, cst.Name):  # imported by name: keep importing it from compat
                self._report(node, f"{entry.message}; left to run through compat")
                self.kept.add((entry.module, entry.old))
            else:
                self._report(node, f"{entry.message}; rewrite this use by hand")
        return updated


def _creator_call(statement: cst.CSTNode) -> cst.Call | None:
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return None
    assign = statement.body[0]
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name)
            and isinstance(assign.value, cst.Call)):
        return None
    return assign.value


class ImportRewriter(cst.CSTTransformer):
    """Point legacy imports at ``concurrent.*``; names still needed come from ``compat``."""

    def __init__(self, kept: set[tuple[str, str]], renamed: dict[tuple[str, str], int]) -> None:
        super().__init__()
        self.kept = kept
        self.renamed = renamed

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine,
                                  updated: cst.SimpleStatementLine
                                  ) -> cst.SimpleStatementLine | cst.FlattenSentinel:
        if len(updated.body) != 1:
            return updated
        statement = updated.body[0]
        if isinstance(statement, cst.Import):
            lines = self._import(statement)
        elif isinstance(statement, cst.ImportFrom):
            lines = self._import_from(statement)
        else:
            return updated
        if lines is None:
            return updated
        first = updated.with_changes(body=[lines[0]])
        rest = [cst.SimpleStatementLine([small]) for small in lines[1:]]
        return cst.FlattenSentinel([first, *rest]) if rest else first

    def _import(self, node: cst.Import) -> list[cst.BaseSmallStatement] | None:
        plain, moved = [], []
        for alias in node.names:
            name = get_full_name_for_node(alias.name)
            if name not in MODULES:
                plain.append(alias)
                continue
            new = MODULES[name]
            if alias.asname is None and "." in name:  # `import a.b`: uses spell a.b.x
                moved.append(cst.Import([cst.ImportAlias(_dotted(new))]))
                continue
            local = alias.asname.name.value if alias.asname else name
            moved.append(_from_import(new, local))
        if not moved:
            return None
        if plain:
            plain[-1] = plain[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return [node.with_changes(names=plain), *moved]
        return moved

    def _import_from(self, node: cst.ImportFrom) -> list[cst.BaseSmallStatement] | None:
        if node.relative or node.module is None:
            return None
        module = get_full_name_for_node(node.module)
        if module not in MODULES:
            return None
        new = MODULES[module]
        if isinstance(node.names, cst.ImportStar):
            return None  # reported: the names it brings in cannot be traced
        names, submodules, kept = [], [], []
        for alias in node.names:
            name = alias.name.value
            local = alias.asname.name.value if alias.asname else name
            if f"{module}.{name}" in MODULES:
                submodules.append(_from_import(MODULES[f"{module}.{name}"], local))
            elif (module, name) in self.kept:
                kept.append(alias.with_changes(comma=cst.MaybeSentinel.DEFAULT))
                if self.renamed.get((module, name)):  # other uses did move to the new name
                    new_name = _FUNCTIONS[f"{module}.{name}"].new
                    names.append(alias.with_changes(name=cst.Name(new_name)))
            else:
                entry = _FUNCTIONS.get(f"{module}.{name}")
                renamed = entry.new if entry is not None and entry.kind not in _BY_HAND \
                    else name
                if entry is not None and entry.kind in _BY_HAND:
                    continue  # every use was rewritten (e.g. CreatorMethod -> register)
                names.append(alias.with_changes(name=cst.Name(renamed)))
        lines: list[cst.BaseSmallStatement] = []
        if names:
            names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            lines.append(node.with_changes(module=_dotted(new), names=names))
        lines += submodules
        if kept:
            lines.append(cst.ImportFrom(module=_dotted(f"compat.{module}"), names=kept))
        if not lines:
            return [cst.Pass()]
        return lines


def _from_import(new: str, local: str) -> cst.ImportFrom:
    parent, _, last = new.rpartition(".")
    asname = None if local == last else cst.AsName(cst.Name(local))
    return cst.ImportFrom(module=_dotted(parent), names=[cst.ImportAlias(cst.Name(last), asname)])
