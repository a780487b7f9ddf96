"""Rewrite the imports through which a module reaches factory_boy to forge_factories.

Every binding an import makes (``factory``, ``fb``, ``DjangoModelFactory``...) is followed
to its uses (libcst scope analysis, so a parameter named ``factory`` is not one of them).
The import moves to forge_factories only when every use is something forge_factories
provides as a drop-in (:func:`.compat.provides`); otherwise it is kept and a note says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import (
    Assignment,
    CodeRange,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    ScopeProvider,
)

from forge_factories.migrate.compat import MODULES, provides, same_object, top_level_same


@dataclass
class ImportResult:
    """The rewritten module and one note per import kept as it was."""

    module: cst.Module
    notes: list[str] = field(default_factory=list)


def _dotted(name: str) -> cst.Attribute | cst.Name:
    parts = name.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


class _Analysis:
    """Decides, per import node, what it becomes; collects notes on what stays."""

    def __init__(self, wrapper: MetadataWrapper) -> None:
        self.wrapper = wrapper
        self.scopes = wrapper.resolve(ScopeProvider)
        self.parents = wrapper.resolve(ParentNodeProvider)
        self._positions: Mapping[cst.CSTNode, CodeRange] | None = None
        #: ImportAlias (of ``import``) -> new dotted module name
        self.import_aliases: dict[cst.ImportAlias, str] = {}
        #: ImportFrom -> (new module name, names moved); all moved when equal to the names
        self.import_froms: dict[cst.ImportFrom, tuple[str, list[cst.ImportAlias]]] = {}
        self.notes: list[str] = []

    def line(self, node: cst.CSTNode) -> int:
        """``node``'s first line (positions are computed only when a note needs one)."""
        if self._positions is None:
            self._positions = self.wrapper.resolve(PositionProvider)
        return self._positions[node].start.line

    def ancestors(self) -> set[cst.CSTNode]:
        """The import nodes to rewrite and every node above them (the rewriter visits only those)."""
        out: set[cst.CSTNode] = set()
        for start in (*self.import_aliases, *self.import_froms):
            node: cst.CSTNode | None = start
            while node is not None and node not in out:
                out.add(node)
                node = self.parents.get(node)
        return out

    def chain(self, name: cst.Name) -> tuple[tuple[str, ...], bool]:
        """Attributes read after ``name`` (``factory.django.X`` -> (django, X)); False if assigned."""
        parts: list[str] = []
        node: cst.CSTNode = name
        parent = self.parents.get(node)
        while isinstance(parent, cst.Attribute) and parent.value is node:
            parts.append(parent.attr.value)
            node, parent = parent, self.parents.get(parent)
        stored = (
            (isinstance(parent, cst.AssignTarget | cst.AnnAssign | cst.AugAssign) and parent.target is node)
            or isinstance(parent, cst.Del)
        )
        return tuple(parts), not stored

    def uses(self, assignments: Sequence[Assignment]) -> list[tuple[tuple[str, ...], bool]] | None:
        """The attribute chains read from a binding; ``None`` when a use is not a plain name."""
        out: list[tuple[tuple[str, ...], bool]] = []
        seen: set[int] = set()
        for assignment in assignments:
            for access in assignment.references:
                node: cst.CSTNode = access.node
                while isinstance(node, cst.Attribute):
                    node = node.value
                if not isinstance(node, cst.Name):
                    return None
                if id(node) not in seen:
                    seen.add(id(node))
                    out.append(self.chain(node))
        return out

    def blocker(self, module: str, prefix: tuple[str, ...], assignments: Sequence[Assignment]) -> str | None:
        """Why uses of a binding of ``module``(+``prefix``) cannot move to forge_factories."""
        uses = self.uses(assignments)
        if uses is None:
            return "a use that is not a plain name (e.g. in a string annotation)"
        for chain, loaded in uses:
            full = ".".join((module, *prefix, *chain))
            if not loaded and not same_object(module, (prefix + chain)[:-1]):
                return f"assigns to {full}"
            if not provides(module, prefix + chain):
                return f"uses {full}, which forge_factories does not provide as a drop-in"
        return None

    def visit_scopes(self) -> None:
        for stmt in self.wrapper.module.body:  # star imports bind no name the scopes record
            for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
                if isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar):
                    self.plan_from(small, {})
        for scope in {s for s in self.scopes.values() if s is not None}:
            by_name: dict[str, list[Assignment]] = {}
            for assignment in scope.assignments:
                if isinstance(assignment, Assignment):
                    by_name.setdefault(assignment.name, []).append(assignment)
            plain: dict[str, list[tuple[cst.ImportAlias, Assignment]]] = {}
            for assignment in scope.assignments:
                if not isinstance(assignment, Assignment):
                    continue
                node = assignment.node
                if isinstance(node, cst.Import):
                    self.plan_import(node, assignment, by_name, plain)
                elif isinstance(node, cst.ImportFrom):
                    self.plan_from(node, by_name)
            for top, items in plain.items():
                self.plan_plain(top, items, by_name)

    def plan_import(self, node: cst.Import, assignment: Assignment,
                    by_name: dict[str, list[Assignment]], plain: dict[str, list]) -> None:
        for alias in node.names:
            dotted = get_full_name_for_node(alias.name) or ""
            if dotted.split(".")[0] != "factory":
                continue
            if alias.asname is not None:
                bound = get_full_name_for_node(alias.asname.name)
                if bound != assignment.name or alias in self.import_aliases:
                    continue
                if dotted not in MODULES:
                    continue  # factory.fuzzy & co: the very module forge_factories re-exports
                why = self.blocker(dotted, (), by_name[assignment.name])
                if why is None:
                    self.import_aliases[alias] = MODULES[dotted]
                else:
                    self.notes.append(f"{self.line(node)}: kept 'import {dotted} as {bound}': {why}")
            elif assignment.name == dotted:
                plain.setdefault("factory", []).append((alias, assignment))

    def plan_plain(self, top: str, items: list[tuple[cst.ImportAlias, Assignment]],
                   by_name: dict[str, list[Assignment]]) -> None:
        """``import factory``, ``import factory.django``...: all bind ``factory`` in this scope."""
        assignments = [a for name, group in by_name.items() if name.split(".")[0] == top for a in group]
        why = self.blocker("factory", (), assignments)
        for alias, assignment in items:
            if why is None:
                self.import_aliases[alias] = "forge_factories"
            else:
                self.notes.append(f"{self.line(assignment.node)}: kept 'import {assignment.name}': {why}")

    def plan_from(self, node: cst.ImportFrom, by_name: dict[str, list[Assignment]]) -> None:
        if node in self.import_froms or node.relative or node.module is None:
            return
        module = get_full_name_for_node(node.module) or ""
        if module.startswith("factory.") and module not in MODULES and not isinstance(node.names, cst.ImportStar):
            # factory.faker, factory.declarations...: names forge re-exports as the very same objects
            same = [a for a in node.names if top_level_same(module, get_full_name_for_node(a.name) or "")]
            if same:
                self.import_froms[node] = ("forge_factories", same)
            return
        if module not in MODULES or isinstance(node.names, cst.ImportStar):
            if module in MODULES:
                self.notes.append(f"{self.line(node)}: kept 'from {module} import *': names unknown")
            return
        moved: list[cst.ImportAlias] = []
        for alias in node.names:
            name = get_full_name_for_node(alias.name) or ""
            bound = get_full_name_for_node(alias.asname.name) if alias.asname else name
            assignments = by_name.get(bound or "", [])
            why = self.blocker(module, (name,), assignments)
            if why is None and not any(a.references for a in assignments) and not provides(module, (name,)):
                why = f"forge_factories does not provide {module}.{name} as a drop-in"
            if why is None:
                moved.append(alias)
            else:
                self.notes.append(f"{self.line(node)}: kept '{name}' from {module}: {why}")
        if moved:
            self.import_froms[node] = (MODULES[module], moved)


class _Rewriter(cst.CSTTransformer):
    def __init__(self, analysis: _Analysis) -> None:
        self.analysis = analysis
        self.unsplit: list[str] = []
        self.wanted = analysis.ancestors()

    def on_visit(self, node: cst.CSTNode) -> bool:
        return node in self.wanted

    def leave_ImportAlias(self, original: cst.ImportAlias, updated: cst.ImportAlias) -> cst.ImportAlias:
        target = self.analysis.import_aliases.get(original)
        if target is None:
            return updated
        asname = updated.asname or cst.AsName(name=cst.Name("factory"))
        if target == "forge_factories" and updated.asname is None:
            return updated.with_changes(name=cst.Name("forge_factories"), asname=asname)
        return updated.with_changes(name=_dotted(target))

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        extra: list[cst.SimpleStatementLine] = []
        body: list[cst.BaseSmallStatement] = []
        for old, new in zip(original.body, updated.body, strict=True):
            plan = self.analysis.import_froms.get(old) if isinstance(old, cst.ImportFrom) else None
            if plan is None or not isinstance(new, cst.ImportFrom) or isinstance(new.names, cst.ImportStar):
                body.append(new)
                continue
            target, moved = plan
            if len(moved) == len(new.names):
                body.append(new.with_changes(module=_dotted(target)))
                continue
            if len(original.body) != 1:
                self.unsplit.append(f"{self.analysis.line(old)}: kept a partly movable import sharing its line")
                body.append(new)
                continue
            assert isinstance(old, cst.ImportFrom) and not isinstance(old.names, cst.ImportStar)
            moved_ids = {id(a) for a in moved}
            kept = [n for o, n in zip(old.names, new.names, strict=True) if id(o) not in moved_ids]
            if new.lpar is None:
                kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            body.append(new.with_changes(names=kept))
            names = ", ".join(cst.Module([]).code_for_node(a.with_changes(comma=cst.MaybeSentinel.DEFAULT))
                              for a in moved)
            extra.append(cst.parse_statement(f"from {target} import {names}\n"))  # type: ignore[arg-type]
        result = updated.with_changes(body=body)
        return cst.FlattenSentinel([result, *extra]) if extra else result

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated.with_changes(body=_dedupe(updated.body))

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated.with_changes(body=_dedupe(updated.body))


_FORGE_LINE = "import forge_factories as factory"


def _dedupe(body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """Drop a bare ``import forge_factories as factory`` line repeating an earlier one."""
    out: list[cst.BaseStatement] = []
    seen = False
    for stmt in body:
        code = cst.Module([]).code_for_node(stmt).strip() if isinstance(stmt, cst.SimpleStatementLine) else ""
        if code == _FORGE_LINE:
            if seen:
                continue
            seen = True
        out.append(stmt)
    return out


def rewrite_imports(module: cst.Module) -> ImportResult:
    """``module`` with its factory_boy imports moved to forge_factories where safe."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    analysis = _Analysis(wrapper)
    analysis.visit_scopes()
    if not analysis.import_aliases and not analysis.import_froms:
        return ImportResult(module, sorted(set(analysis.notes), key=_line_key))
    rewriter = _Rewriter(analysis)
    new = wrapper.module.visit(rewriter)
    return ImportResult(new, sorted(set(analysis.notes + rewriter.unsplit), key=_line_key))


def _line_key(note: str) -> tuple[int, str]:
    head, _, _ = note.partition(":")
    return (int(head) if head.isdigit() else 0, note)
