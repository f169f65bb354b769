"""``compat.migrate``'s rules for pprocess 0.5.1 code, run before the rename-table passes.

Two pprocess names have a ``concurrent.processing`` spelling, and ``compat.renames`` says which:
``get_number_of_cores`` becomes ``cpu_count`` wherever it appears, and a ``pmap`` call becomes
``pool.imap`` inside ``with Pool(limit) as pool:`` written around the statement that makes it.
A ``for`` loop over the results runs inside that block; anywhere else the results are taken
with ``list()`` before the block ends (pprocess's result could be indexed and sliced, which a
list can too).  Every other use keeps working through ``compat.pprocess``, whose import takes
the place of ``pprocess``'s, and is listed with its line for a person to rewrite.  Code that
imports ``compat.pprocess`` is treated alike, so a second run changes nothing and lists again
what is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, PositionProvider, QualifiedNameProvider

from compat._rewrite import Finding
from compat.renames import RENAMES, Kind

__all__ = ["migrate_pprocess"]

_LEGACY = ("pprocess", "compat.pprocess")
_ENTRIES = {entry.old: entry for entry in RENAMES if entry.module == "pprocess"}
_PMAP_PARAMETERS = ("callable", "sequence", "limit")
_EAGER = {"list", "sorted", "tuple", "set", "sum", "min", "max", "any", "all"}


def _legacy_name(qualified: str) -> str | None:
    """``"Map"`` for ``pprocess.Map`` or ``compat.pprocess.Map``; ``""`` for the module."""
    for module in _LEGACY:
        if qualified == module:
            return ""
        if qualified.startswith(module + "."):
            rest = qualified[len(module) + 1:]
            return rest if "." not in rest else None
    return None


def _root(node: cst.CSTNode) -> str:
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else ""


def _is_legacy_import(node: cst.Import | cst.ImportFrom) -> bool:
    if isinstance(node, cst.Import):
        return any(get_full_name_for_node(alias.name) in _LEGACY for alias in node.names)
    if node.module is None or node.relative:
        return False
    module = get_full_name_for_node(node.module)
    if module in _LEGACY:
        return True
    return module == "compat" and not isinstance(node.names, cst.ImportStar) and any(
        alias.name.value == "pprocess" for alias in node.names)


def _imports_legacy(module: cst.Module) -> bool:
    found: list[bool] = []

    class Finder(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            found.append(_is_legacy_import(node))

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            found.append(_is_legacy_import(node))

    module.visit(Finder())
    return any(found)


class _Identifiers(cst.CSTVisitor):
    """Every identifier the module uses, to pick new names that clash with none."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.concurrent_processing = False  # `from concurrent import processing` is there

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None and get_full_name_for_node(node.module) == "concurrent" \
                and not isinstance(node.names, cst.ImportStar):
            self.concurrent_processing |= any(
                alias.name.value == "processing" and alias.asname is None
                for alias in node.names)


@dataclass
class _Target:
    """How the rewritten code spells ``concurrent.processing``, and the import that binds it."""

    spelling: str
    import_line: str | None
    pool: str

    @classmethod
    def choose(cls, module: cst.Module) -> _Target:
        found = _Identifiers()
        module.visit(found)
        pool = next(name for name in ("pool", *(f"pool{n}" for n in range(2, 100)))
                    if name not in found.names)
        if found.concurrent_processing:
            return cls("processing", None, pool)
        legacy_processing = "processing" in found.names and _binds_legacy_processing(module)
        if "processing" not in found.names or legacy_processing:
            # a legacy `import processing` becomes `from concurrent import processing`
            return cls("processing", None if legacy_processing
                       else "from concurrent import processing", pool)
        return cls("concurrent.processing", "import concurrent.processing", pool)

    def expression(self, attribute: str) -> cst.BaseExpression:
        return cst.parse_expression(f"{self.spelling}.{attribute}")


def _binds_legacy_processing(module: cst.Module) -> bool:
    """Whether the module has a top-level ``import processing`` (pyprocessing's)."""
    return any(isinstance(small, cst.Import) and any(
        get_full_name_for_node(alias.name) == "processing" and alias.asname is None
        for alias in small.names)
        for statement in module.body if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body)


class _Pmap(NamedTuple):
    """A ``pmap(...)`` call that may be rewritten, once the statement around it allows."""

    function: cst.BaseExpression
    items: cst.BaseExpression
    limit: cst.BaseExpression | None
    references: tuple[int, ...]  # ids of the pprocess names it consumes when rewritten


@dataclass
class _Use:
    """One use of a pprocess name (``name`` "" for the module), reached through ``root``."""

    node: cst.CSTNode  # held, so that the id keying this use is never reused
    name: str
    root: str
    line: int
    consumed: bool = False


class _Uses(cst.CSTTransformer):
    """Rewrite what has a 1:1 spelling; record every other use of a pprocess name."""

    METADATA_DEPENDENCIES = (QualifiedNameProvider, PositionProvider)

    def __init__(self, target: _Target) -> None:
        super().__init__()
        self.target = target
        self.uses: dict[int, _Use] = {}  # id of the (updated) node -> the use
        self.pmaps: dict[int, tuple[cst.Call, _Pmap]] = {}  # id of the call -> it, parsed
        self.findings: list[Finding] = []
        self.rewritten_roots: set[str] = set()  # import bindings some rewritten use came from
        self._lazy_depth = 0  # inside a lambda or a generator expression: evaluated later

    def _line(self, node: cst.CSTNode) -> int:
        return self.get_metadata(PositionProvider, node).start.line

    def _name_of(self, node: cst.CSTNode) -> str | None:
        for qualified in self.get_metadata(QualifiedNameProvider, node, set()):
            name = _legacy_name(qualified.name)
            if name is not None:
                return name
        return None

    # imports are the business of _Imports; lazy contexts keep pmap from being rewritten
    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._lazy_depth += 1

    def leave_Lambda(self, original: cst.Lambda, updated: cst.Lambda) -> cst.Lambda:
        self._lazy_depth -= 1
        return updated

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._lazy_depth += 1

    def leave_GeneratorExp(self, original: cst.GeneratorExp,
                           updated: cst.GeneratorExp) -> cst.GeneratorExp:
        self._lazy_depth -= 1
        return updated

    # references to pprocess names -------------------------------------------------------------

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return self._name_of(node) in (None, "")  # pprocess.X: X is not a name of its own

    def leave_Attribute(self, original: cst.Attribute,
                        updated: cst.Attribute) -> cst.BaseExpression:
        return self._reference(original, updated)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        return self._reference(original, updated)

    def _reference(self, original: cst.CSTNode, updated: cst.BaseExpression
                   ) -> cst.BaseExpression:
        name = self._name_of(original)
        if not name:  # not pprocess's, or the module itself inside pprocess.X
            if name == "" and not isinstance(original, cst.Attribute):
                self.uses[id(updated)] = _Use(updated, "", _root(original), self._line(original))
            return updated
        entry = _ENTRIES.get(name)
        if entry is not None and entry.kind is Kind.FUNCTION:
            self.rewritten_roots.add(_root(original))
            return self.target.expression(entry.new)  # get_number_of_cores -> cpu_count
        self.uses[id(updated)] = _Use(updated, name, _root(original), self._line(original))
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self._name_of(original.func) == "pmap" and id(updated.func) in self.uses:
            call = self._pmap(original, updated)
            if call is not None and not self._lazy_depth:
                self.pmaps[id(updated)] = (updated, call)
        return updated

    def _pmap(self, original: cst.Call, updated: cst.Call) -> _Pmap | None:
        bound: dict[str, cst.Arg] = {}
        for position, arg in enumerate(updated.args):
            if arg.star or position >= len(_PMAP_PARAMETERS):
                return None
            key = arg.keyword.value if arg.keyword else _PMAP_PARAMETERS[position]
            if key not in _PMAP_PARAMETERS or key in bound:
                return None
            bound[key] = arg
        if "callable" not in bound or "sequence" not in bound:
            return None
        consumed = [id(updated.func)]
        function = bound["callable"].value
        original_function = original.args[updated.args.index(bound["callable"])].value
        if isinstance(function, cst.Call) and len(function.args) == 1 \
                and not function.args[0].keyword and not function.args[0].star \
                and isinstance(original_function, cst.Call) \
                and self._name_of(original_function.func) == "MakeParallel":
            consumed.append(id(function.func))  # pool.imap takes the plain function
            function = function.args[0].value
        limit = bound["limit"].value if "limit" in bound else None
        if isinstance(limit, cst.Name) and limit.value == "None":
            limit = None
        return _Pmap(function, bound["sequence"].value, limit, tuple(consumed))

    # statements around pmap calls ---------------------------------------------------------------

    def _calls_in(self, node: cst.CSTNode) -> list[tuple[cst.Call, _Pmap]]:
        found: list[tuple[cst.Call, _Pmap]] = []
        pmaps = self.pmaps

        class Finder(cst.CSTVisitor):
            def visit_Call(self, call: cst.Call) -> None:
                if id(call) in pmaps:
                    found.append(pmaps[id(call)])

        node.visit(Finder())
        return found

    def _with_pool(self, call: _Pmap, body: cst.BaseStatement,
                   leading: list[cst.EmptyLine]) -> cst.With:
        for reference in call.references:
            use = self.uses[reference]
            use.consumed = True
            self.rewritten_roots.add(use.root)
        pool = cst.Call(self.target.expression("Pool"),
                        [cst.Arg(call.limit)] if call.limit is not None else [])
        return cst.With(items=[cst.WithItem(pool, asname=cst.AsName(cst.Name(self.target.pool)))],
                        body=cst.IndentedBlock([body]), leading_lines=leading)

    def _imap(self, call: _Pmap) -> cst.Call:
        return cst.Call(cst.Attribute(cst.Name(self.target.pool), cst.Name("imap")),
                        [cst.Arg(call.function), cst.Arg(call.items)])

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine,
                                  updated: cst.SimpleStatementLine) -> cst.BaseStatement:
        calls = self._calls_in(updated)
        if len(calls) != 1 or len(updated.body) != 1:
            return updated
        node, call = calls[0]
        line = updated.with_changes(leading_lines=[]).visit(_Replace(node, self._imap(call)))
        return self._with_pool(call, line, list(updated.leading_lines))

    def leave_For(self, original: cst.For, updated: cst.For) -> cst.BaseStatement:
        calls = self._calls_in(updated.iter)
        if len(calls) != 1 or updated.asynchronous is not None:
            return updated
        node, call = calls[0]
        loop = updated.with_changes(iter=updated.iter.visit(_Replace(node, self._imap(call),
                                                                     lazy=True)),
                                    leading_lines=[])
        return self._with_pool(call, loop, list(updated.leading_lines))

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        for use in self.uses.values():
            if use.consumed:
                continue
            entry = _ENTRIES.get(use.name)
            if entry is None:
                what = "the pprocess module itself" if not use.name else f"pprocess.{use.name}"
                message = f"{what} has no concurrent.processing spelling"
            elif entry.kind is Kind.RESHAPE:
                message = (f"{entry.message} (rewritten only where a statement, or the "
                           f"iterable of a for loop, calls it once with plain arguments)")
            else:
                message = entry.message
            self.findings.append(Finding(use.line, f"{message}; left to run through "
                                                   f"compat.pprocess"))
        return updated

    @property
    def kept_roots(self) -> set[str]:
        """Local names bound by pprocess imports that uses still need."""
        return {use.root for use in self.uses.values() if not use.consumed}


class _Replace(cst.CSTTransformer):
    """Put ``pool.imap(...)`` in place of one ``pmap(...)`` call, in ``list()`` unless lazy."""

    def __init__(self, call: cst.Call, imap: cst.Call, lazy: bool = False) -> None:
        super().__init__()
        self.call, self.imap, self.lazy = call, imap, lazy

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if original is self.call:
            return self.imap if self.lazy else cst.Call(cst.Name("list"), [cst.Arg(self.imap)])
        if isinstance(updated.func, cst.Name) and updated.func.value in _EAGER \
                and len(original.args) >= 1 and original.args[0].value is self.call:
            return updated.with_changes(args=[updated.args[0].with_changes(value=self.imap),
                                              *updated.args[1:]])  # consumed on the spot
        return updated


_Statement = cst.BaseStatement | cst.FlattenSentinel | cst.RemovalSentinel


class _Imports(cst.CSTTransformer):
    """Point pprocess imports at ``compat.pprocess`` where uses remain; import the target."""

    def __init__(self, kept: set[str], rewritten: set[str], import_line: str | None) -> None:
        super().__init__()
        self.kept, self.rewritten = kept, rewritten
        self.new_import = None if import_line is None else cst.parse_statement(import_line)
        self._added = [False]  # per block: the target's import is in it already

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._added.append(False)

    def leave_IndentedBlock(self, original: cst.IndentedBlock,
                            updated: cst.IndentedBlock) -> cst.IndentedBlock:
        self._added.pop()
        return updated

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine,
                                  updated: cst.SimpleStatementLine) -> _Statement:
        if not any(isinstance(small, (cst.Import, cst.ImportFrom)) and _is_legacy_import(small)
                   for small in updated.body):
            return updated
        body: list[cst.BaseSmallStatement] = []
        needed = False
        for small in updated.body:
            if isinstance(small, (cst.Import, cst.ImportFrom)) and _is_legacy_import(small):
                replacement, uses_target = self._rewrite(small)
                body += replacement
                needed |= uses_target
            else:
                body.append(small)
        body = [small.with_changes(semicolon=cst.MaybeSentinel.DEFAULT) for small in body]
        if len(updated.body) == 1:  # one import became several: one line each
            lines: list[cst.BaseStatement] = [cst.SimpleStatementLine([small]) for small in body]
        else:  # statements that shared a line keep sharing it
            lines = [updated.with_changes(body=body)] if body else []
        if needed and self.new_import is not None and not self._added[-1]:
            self._added[-1] = True
            lines.append(self.new_import)
        if not lines:
            if len(self._added) == 1:  # at module level an import can just go
                return cst.RemoveFromParent()
            return updated.with_changes(body=[cst.Pass()])
        lines[0] = lines[0].with_changes(leading_lines=updated.leading_lines)
        if len(updated.body) == 1 and body:  # its trailing comment stays with it
            lines[0] = lines[0].with_changes(trailing_whitespace=updated.trailing_whitespace)
        return cst.FlattenSentinel(lines) if len(lines) > 1 else lines[0]

    def _rewrite(self, node: cst.Import | cst.ImportFrom
                 ) -> tuple[list[cst.BaseSmallStatement], bool]:
        """The statements that replace one import, and whether its uses need the target."""
        if isinstance(node, cst.ImportFrom) and isinstance(node.names, cst.ImportStar):
            return [node], False  # compat.migrate's other pass reports it
        aliases = list(node.names)
        kept, others, needed = [], [], False
        for alias in aliases:
            full = get_full_name_for_node(alias.name)
            local = alias.asname.name.value if alias.asname else full.partition(".")[0]
            legacy = full in _LEGACY if isinstance(node, cst.Import) else (
                get_full_name_for_node(node.module) != "compat" or full == "pprocess")
            if not legacy:
                others.append(alias)
                continue
            needed |= local in self.rewritten
            if local in self.kept:
                kept.append(alias)
        result: list[cst.BaseSmallStatement] = []
        if others:
            result.append(node.with_changes(names=_commas(others)))
        if isinstance(node, cst.Import):
            for alias in kept:
                if get_full_name_for_node(alias.name) == "compat.pprocess":
                    alone = alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)
                    result.append(cst.Import(names=[alone]))  # import compat.pprocess [as x]
                else:  # import pprocess [as x] -> from compat import pprocess [as x]
                    asname = alias.asname if alias.asname and \
                        alias.asname.name.value != "pprocess" else None
                    result.append(cst.ImportFrom(module=cst.Name("compat"), names=[
                        cst.ImportAlias(cst.Name("pprocess"), asname)]))
        elif kept:
            module = node.module if get_full_name_for_node(node.module) == "compat" \
                else cst.parse_expression("compat.pprocess")
            result.append(node.with_changes(module=module, names=_commas(kept)))
        return result, needed


def _commas(aliases: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """The aliases with a comma after each but the last."""
    last = len(aliases) - 1
    return [alias.with_changes(comma=cst.MaybeSentinel.DEFAULT) if index == last else
            alias.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            for index, alias in enumerate(aliases)]


def migrate_pprocess(module: cst.Module) -> tuple[cst.Module, list[Finding]]:
    """Rewrite the pprocess uses of ``module`` that have a ``concurrent.processing`` spelling.

    Returns the module and the uses left for a person (each kept working through
    ``compat.pprocess``).  A module that imports neither pprocess nor compat.pprocess is
    returned as it is.
    """
    if not _imports_legacy(module):
        return module, []
    target = _Target.choose(module)
    uses = _Uses(target)
    module = MetadataWrapper(module).visit(uses)
    module = module.visit(_Imports(uses.kept_roots, uses.rewritten_roots, target.import_line))
    return module, uses.findings
