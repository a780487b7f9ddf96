"""``--semantic``: propose a ``SemanticAttribute`` for the free-text fields of forge factories.

A field is free text when it is ``Faker("text" | "paragraph" | "sentence" | "catch_phrase")``,
``fuzzy.FuzzyText(...)``, or a ``Sequence`` writing a label and a number ("Description {n}")
into a prose-named field (description, bio, title...). The proposal's instruction names
the field and the model and references up to two sibling fields that say what the object is
(``{name}``, ``{title}``, ``{category}``...); ``max_length`` comes from the model field
(:mod:`.models`). Only classes deriving from a forge_factories factory are touched, and the
replaced declaration is kept in a trailing comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst.helpers import get_full_name_for_node

from forge_factories.migrate.models import ModelRef, max_length

FAKER_TEXT = {"text": "a few sentences", "paragraph": "one paragraph", "sentence": "one sentence",
              "catch_phrase": "a catch phrase"}
#: Field-name words a labelled ``Sequence`` ("Description {n}") must carry to be prose.
PROSE_WORDS = {"description", "desc", "bio", "biography", "body", "content", "text", "summary", "comment",
               "comments", "note", "notes", "message", "review", "caption", "headline", "title", "subject",
               "about", "details", "excerpt", "tagline", "slogan", "abstract", "overview", "remarks",
               "feedback", "blurb", "story", "answer", "question", "reason", "label"}
#: Sibling fields worth referencing, best first (a name-like field tells what the object is).
REFERENCE_HINTS = ("name", "title", "full_name", "company_name", "product_name", "company", "brand", "product",
                   "category", "topic", "subject", "genre", "kind", "type", "city", "country", "username",
                   "first_name", "last_name", "author")
#: Sibling names that identify the object ("the post {title}"); other references are qualifiers.
IDENTIFIERS = {"name", "title", "full_name", "company_name", "product_name", "username"}
#: Declarations whose value is an object or a side effect, not text to reference.
NOT_TEXT = {"SubFactory", "RelatedFactory", "RelatedFactoryList", "RegistrySubFactory", "List", "Dict", "Maybe",
            "Trait", "PostGeneration", "PostGenerationMethodCall", "ContainerAttribute"}
FORGE_MODULES = ("forge_factories", "forge_factories.django", "forge_factories.alchemy")


@dataclass
class Proposal:
    """One field's proposed declaration."""

    factory: str
    field: str
    instruction: str
    max_length: int | None
    was: str


@dataclass
class SemanticResult:
    module: cst.Module
    proposals: list[Proposal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _words(name: str) -> str:
    """``short_description`` -> "short description"; ``BlogPost`` -> "blog post"."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ")
    return " ".join(spaced.split()).lower()


def _call_name(node: cst.BaseExpression) -> str:
    return (get_full_name_for_node(node.func) or "") if isinstance(node, cst.Call) else ""


def _sequence_label(call: cst.Call) -> str | None:
    """The literal text of ``Sequence(lambda n: "Label %d" % n)``-like calls, else ``None``."""
    if not call.args or not isinstance(call.args[0].value, cst.Lambda):
        return None
    body = call.args[0].value.body
    if isinstance(body, cst.BinaryOperation):  # "Label %d" % n, "Label " + str(n)
        body = body.left
    elif isinstance(body, cst.Call) and isinstance(body.func, cst.Attribute) and body.func.attr.value == "format":
        body = body.func.value
    if isinstance(body, cst.SimpleString):
        text = body.evaluated_value
        return text if isinstance(text, str) else None
    if isinstance(body, cst.FormattedString):
        return " ".join(p.value for p in body.parts if isinstance(p, cst.FormattedStringText))
    return None


def free_text_kind(name: str, value: cst.BaseExpression) -> str | None:
    """How long a value the declaration ``value`` of field ``name`` writes, when it is free text."""
    if not isinstance(value, cst.Call):
        return None
    callee = _call_name(value).rpartition(".")[2]
    if callee == "Faker" and value.args and isinstance(value.args[0].value, cst.SimpleString):
        provider = value.args[0].value.evaluated_value
        return FAKER_TEXT.get(provider) if isinstance(provider, str) else None
    if callee == "FuzzyText":
        return "a short phrase"
    if callee == "Sequence":
        label = _sequence_label(value)
        if label is None or not set(_words(name).split()) & PROSE_WORDS:
            return None
        text = re.sub(r"%[-+ #0-9.]*[dsi]|\{[^}]*\}", " ", label)
        if re.search(r"[A-Za-z]{3}", text) and not re.search(r"[@/:]", text):
            return "a short phrase"
    return None


def instruction(field_name: str, model: str, kind: str, references: list[str]) -> str:
    """E.g. "Description of the product {name} (category: {category}), one sentence"."""
    what = _words(field_name).capitalize()
    rest = list(references)
    subject = f"a {model}"
    if rest and rest[0] in IDENTIFIERS:
        subject = f"the {model} {{{rest.pop(0)}}}"
    extra = "".join(f" ({_words(r)}: {{{r}}})" for r in rest)
    return f"{what} of {subject}{extra}, {kind}"


def _forge_bindings(module: cst.Module) -> tuple[str | None, set[str], cst.SimpleStatementLine | None]:
    """The module-level alias of forge_factories, names imported from it, its ``from`` line."""
    alias: str | None = None
    names: set[str] = set()
    from_line: cst.SimpleStatementLine | None = None
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Import):
                for a in small.names:
                    dotted = get_full_name_for_node(a.name) or ""
                    if dotted in FORGE_MODULES:
                        bound = get_full_name_for_node(a.asname.name) if a.asname else dotted.split(".")[0]
                        names.add(bound or "")
                        if dotted == "forge_factories":
                            alias = bound
            elif (isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative
                  and (get_full_name_for_node(small.module) or "") in FORGE_MODULES
                  and not isinstance(small.names, cst.ImportStar)):
                for a in small.names:
                    names.add(get_full_name_for_node(a.asname.name if a.asname else a.name) or "")
                if get_full_name_for_node(small.module) == "forge_factories" and len(stmt.body) == 1:
                    from_line = stmt
    return alias, names, from_line


class _Proposer(cst.CSTTransformer):
    def __init__(self, forge_names: set[str], attribute: str, path: Path | None, imports: dict[str, ModelRef],
                 import_models: bool) -> None:
        self.forge_names = forge_names
        self.attribute = attribute  # "factory.SemanticAttribute" or "SemanticAttribute"
        self.path = path
        self.imports = imports
        self.import_models = import_models
        self.factories: dict[str, tuple[str | None, list[str]]] = {}  # class -> (model expr, fields)
        self.stack: list[str | None] = []
        self.proposals: list[Proposal] = []

    def _is_factory(self, node: cst.ClassDef) -> tuple[bool, str | None, list[str]]:
        model: str | None = None
        inherited: list[str] = []
        ok = False
        for base in node.bases:
            dotted = get_full_name_for_node(base.value) or ""
            if dotted.split(".")[0] in self.forge_names:
                ok = True
            elif dotted in self.factories:
                ok = True
                model, fields = self.factories[dotted]
                inherited += fields
        return ok, model, inherited

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        ok, model, inherited = self._is_factory(node)
        fields = list(inherited)
        for stmt in node.body.body:
            if isinstance(stmt, cst.ClassDef) and stmt.name.value == "Meta":
                for inner in stmt.body.body:
                    if isinstance(inner, cst.SimpleStatementLine):
                        for small in inner.body:
                            if isinstance(small, cst.Assign) and any(
                                    get_full_name_for_node(t.target) == "model" for t in small.targets):
                                model = cst.Module([]).code_for_node(small.value)
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign | cst.AnnAssign):
                        targets = small.targets if isinstance(small, cst.Assign) else [small]
                        if _call_name(small.value or cst.Name("x")).rpartition(".")[2] not in NOT_TEXT:
                            fields += [t.target.value for t in targets if isinstance(t.target, cst.Name)]
        if ok:
            self.factories[node.name.value] = (model, fields)
        self.stack.append(node.name.value if ok else None)

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self.stack.pop()
        return updated

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine,
                                  updated: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
        factory = self.stack[-1] if self.stack else None
        if factory is None or len(updated.body) != 1 or not isinstance(updated.body[0], cst.Assign):
            return updated
        assign = updated.body[0]
        if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
            return updated
        name = assign.targets[0].target.value
        kind = free_text_kind(name, assign.value)
        if kind is None or name.startswith("_"):
            return updated
        model_expr, fields = self.factories[factory]
        siblings = [f for f in fields if f != name and not f.startswith("_")]
        references = [h for h in REFERENCE_HINTS if h in siblings][:2]
        model_name = (model_expr or "").rpartition(".")[2].strip("'\"")
        if not model_name[:1].isupper():  # dict, list, a call: the factory's name says more
            model_name = factory.removesuffix("Factory") or factory
        model_words = _words(model_name)
        length = self._length(model_expr, name)
        if length is None:  # no model field says: the bound the Faker call had, if any
            length = _faker_bound(assign.value)
        text = instruction(name, model_words, kind, references)
        args = [cst.Arg(cst.SimpleString(_quote(text)))]
        if length is not None:
            args.append(cst.Arg(cst.Integer(str(length)), keyword=cst.Name("max_length"),
                                equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))))
        was = cst.Module([]).code_for_node(assign.value)
        self.proposals.append(Proposal(factory, name, text, length, was))
        new = assign.with_changes(value=cst.Call(func=cst.parse_expression(self.attribute), args=args))
        result = updated.with_changes(body=[new])
        if updated.trailing_whitespace.comment is None and "\n" not in was:
            result = result.with_changes(trailing_whitespace=updated.trailing_whitespace.with_changes(
                whitespace=cst.SimpleWhitespace("  "), comment=cst.Comment(f"# forge migrate: was {was}")))
        return result

    def _length(self, model_expr: str | None, field_name: str) -> int | None:
        if not model_expr or not re.fullmatch(r"[A-Za-z_][\w.]*", model_expr):
            return None
        root, *rest = model_expr.split(".")
        ref = self.imports.get(root)
        if ref is None:
            ref = ModelRef(None, (root, *rest))
        else:
            ref = ModelRef(ref.module, (*ref.attrs, *rest), ref.level)
            if not ref.attrs:
                return None
        return max_length(ref, field_name, path=self.path, import_models=self.import_models)


def _faker_bound(value: cst.BaseExpression) -> int | None:
    """``max_nb_chars=N`` of a ``Faker("text", max_nb_chars=N)`` declaration."""
    if isinstance(value, cst.Call) and _call_name(value).rpartition(".")[2] == "Faker":
        for arg in value.args:
            if arg.keyword is not None and arg.keyword.value == "max_nb_chars" and isinstance(arg.value, cst.Integer):
                return int(arg.value.value.replace("_", ""), 0)
    return None


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _model_imports(module: cst.Module) -> dict[str, ModelRef]:
    """Module-level bindings that may name models: ``from app.models import X``, ``from app import models``."""
    out: dict[str, ModelRef] = {}
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                base = get_full_name_for_node(small.module) if small.module is not None else None
                for a in small.names:
                    name = get_full_name_for_node(a.name) or ""
                    bound = get_full_name_for_node(a.asname.name) if a.asname else name
                    out[bound or name] = ModelRef(base, (name,), len(small.relative))
            elif isinstance(small, cst.Import):
                for a in small.names:
                    dotted = get_full_name_for_node(a.name) or ""
                    if a.asname:
                        out[get_full_name_for_node(a.asname.name) or dotted] = ModelRef(dotted, ())
    return out


def propose(module: cst.Module, *, path: Path | None = None, import_models: bool = True) -> SemanticResult:
    """``module`` with free-text fields of its forge factories turned into ``SemanticAttribute``."""
    alias, names, _ = _forge_bindings(module)
    if not names:
        return SemanticResult(module)
    attribute = f"{alias}.SemanticAttribute" if alias else "SemanticAttribute"
    proposer = _Proposer(names, attribute, path, _model_imports(module), import_models)
    new = module.visit(proposer)
    if not proposer.proposals:
        return SemanticResult(module)
    if alias is None and "SemanticAttribute" not in names:
        new = _add_import(new, _forge_bindings(new)[2])
    notes = [f" proposed SemanticAttribute for {p.factory}.{p.field} (was {p.was})" for p in proposer.proposals]
    return SemanticResult(new, proposer.proposals, notes)


def _add_import(module: cst.Module, from_line: cst.SimpleStatementLine | None) -> cst.Module:
    """Import ``SemanticAttribute`` (added to ``from forge_factories import ...`` when there is one)."""
    body = list(module.body)
    if from_line is not None and from_line in body:
        stmt = from_line.body[0]
        assert isinstance(stmt, cst.ImportFrom) and not isinstance(stmt.names, cst.ImportStar)
        names = list(stmt.names)
        if isinstance(names[-1].comma, cst.Comma):  # a trailing comma (parenthesized list): same style
            names.append(cst.ImportAlias(name=cst.Name("SemanticAttribute"), comma=names[-1].comma))
        else:
            names[-1] = names[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            names.append(cst.ImportAlias(name=cst.Name("SemanticAttribute")))
        body[body.index(from_line)] = from_line.with_changes(body=[stmt.with_changes(names=names)])
        return module.with_changes(body=body)
    last = max((i for i, s in enumerate(body) if isinstance(s, cst.SimpleStatementLine)
                and isinstance(s.body[0], cst.Import | cst.ImportFrom)), default=-1)
    body.insert(last + 1, cst.parse_statement("from forge_factories import SemanticAttribute\n"))
    return module.with_changes(body=body)
