"""The compiled row plan: a factory call run as a tight loop when nothing needs per-object machinery.

When every declaration of a call's factory tree is a constant, a ``factory.Faker`` with
constant arguments, a ``Sequence``, a ``LazyFunction``, a ``LazyAttribute``, a
``LazyAttributeSequence``, a ``SelfAttribute`` or a ``SubFactory`` of a factory that compiles
too, and no factory of the tree customises how objects are built (no Params or traits,
post-generation, ``_adjust_kwargs``, rename, inline args, non-bulk ``create``...),
:func:`compile_plan` turns the call into a :class:`RowPlan`: per object, the sequence is
taken, each field evaluated in factory_boy's declaration order (a SubFactory parent built at
its position) and the object built, with no step or declaration-set objects. A tree without
lazy fields needs no resolver either; with them, each object gets a small one
(:class:`~forge_factories.core.rowplan_row.Row`) that computes a field when a lazy
declaration reads it first, as factory_boy's ``Resolver`` does. The values are those
factory_boy gives for the seed (the same Faker calls, in the same order).

In a bulk ``create``, parents are saved after every object is built, so a lazy declaration
must not be able to read one (the engine pauses such a read until the parent is saved): lazy
fields compile there only in a factory with no SubFactory whose every ancestor holds no other
SubFactory.

Everything else is what the object executor does: a bulk ``create`` builds the objects
unsaved and saves them per factory, parents first, then registers them; ``build``/``stub``
build as factory_boy does; provenance and the FK registry are recorded through
:class:`~forge_factories.core.recording.Recording` in the same order. Anything the plan is not
sure of makes :func:`compile_plan` return ``None`` and the call runs as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from factory import base as fb_base
from factory import builder as fb_builder
from factory import declarations as fb_declarations
from factory import enums
from factory.faker import Faker as FakerDeclaration
from faker import Faker
from faker.generator import Generator

from forge_factories._compat.factory_boy import declaration_arguments, faker_for_locale
from forge_factories.common.gcpause import gc_paused
from forge_factories.core.recording import Recording
from forge_factories.core.rowplan_row import (
    CALLED,
    CONST,
    FAKER,
    READS,
    SELF,
    SEQUENCE,
    SUB,
    Row,
)
from forge_factories.core.steps import _faker_call, _generator

#: SubFactory chains deeper than this are left to the engine (a cycle fails there as in factory_boy).
_MAX_DEPTH = 16

_STOCK_OPTIONS = {name: getattr(fb_base.FactoryOptions, name)
                  for name in ("prepare_arguments", "instantiate", "use_postgeneration_results")}
_STOCK_ADJUST = fb_base.BaseFactory._adjust_kwargs.__func__  # type: ignore[attr-defined]


def _noop_after_postgeneration() -> set[Any]:
    """``_after_postgeneration`` implementations that do nothing when no post declaration ran."""
    found = {fb_base.BaseFactory._after_postgeneration.__func__}  # type: ignore[attr-defined]
    try:
        from factory import django as fb_django

        found.add(fb_django.DjangoModelFactory._after_postgeneration.__func__)  # type: ignore[attr-defined]  # saves only when results is non-empty
    except ImportError:  # pragma: no cover - Django is optional
        pass
    return found


_NOOP_AFTER = _noop_after_postgeneration()


@dataclass(eq=False)
class _Node:
    """One factory of the tree, as called at one position (its overrides fixed)."""

    factory: Any
    meta: Any
    model: Any
    overrides: tuple[str, ...]
    depth: int
    fields: list[tuple[str, int, Any]]
    exclude: frozenset[str]
    filter_skip: bool
    after_post: Callable[..., Any] | None
    declarations: Any = None  # factory_boy's DeclarationSet (named in an unknown-attribute error)
    parent: _Node | None = None  # the node holding this one as a SubFactory
    by_name: dict[str, tuple[int, Any]] = field(default_factory=dict)  # field -> (kind, payload)
    add: Callable[[Any], None] | None = None
    saved: list[Any] = field(default_factory=list)  # a bulk create's unsaved objects of its (depth, factory)


class _Refused(Exception):
    """The call needs the engine (internal to :func:`compile_plan`)."""


def _constant(value: Any) -> bool:
    return not enums.get_builder_phase(value)


class _Compiler:
    """Compiles one call's factory tree into nodes (raises :class:`_Refused`)."""

    def __init__(self, strategy: str) -> None:
        self.strategy = strategy
        self.nodes: list[_Node] = []  # post-order: children before the parent that holds them
        self._bulk: dict[Any, bool] = {}

    def node(self, factory_cls: Any, extras: dict[str, Any], depth: int) -> _Node:
        if depth > _MAX_DEPTH or not isinstance(factory_cls, type) or not issubclass(factory_cls, fb_base.BaseFactory):
            raise _Refused
        meta: Any = factory_cls._meta
        if meta.abstract or meta.parameters or meta.rename or meta.inline_args or "__sequence" in extras:
            raise _Refused
        if any(getattr(type(meta), name) is not stock for name, stock in _STOCK_OPTIONS.items()):
            raise _Refused
        if getattr(factory_cls._adjust_kwargs, "__func__", None) is not _STOCK_ADJUST:
            raise _Refused
        if not all(_constant(v) or type(v) is fb_declarations.LazyFunction for v in extras.values()):
            raise _Refused  # a LazyFunction override (how seeding hands over parents) takes the field's place
        create = self.strategy == enums.CREATE_STRATEGY
        if create and not self._bulk_capable(factory_cls):
            raise _Refused
        pre, post = fb_builder.parse_declarations(extras, base_pre=meta.pre_declarations,
                                                  base_post=meta.post_declarations)
        if post.declarations:
            raise _Refused
        fields: list[tuple[str, int, Any]] = []
        filter_skip = False
        for name, decl in pre.declarations.items():
            context = pre.contexts.get(name)
            kind = type(decl)
            if kind is fb_declarations.SubFactory:
                arguments = declaration_arguments(decl)
                if arguments is None:
                    raise _Refused
                if context:
                    arguments.update(context)
                if create and name not in meta.exclude and self._needs_saved_parent(factory_cls, name):
                    raise _Refused  # the engine would pause until the parent is saved
                fields.append((name, SUB, self.node(decl.get_factory(), arguments, depth + 1)))
                continue
            if context:
                raise _Refused
            if kind is FakerDeclaration:
                fields.append((name, FAKER, self._faker(decl)))
            elif kind in CALLED:
                fields.append((name, CALLED[kind], decl.function))
                filter_skip = True
            elif kind is fb_declarations.SelfAttribute:
                fields.append((name, SELF, (decl.depth, decl.attribute_name, decl.default)))
                filter_skip = True
            elif _constant(decl):
                fields.append((name, CONST, decl))
                filter_skip = filter_skip or decl is fb_declarations.SKIP
            else:
                raise _Refused
        after = factory_cls._after_postgeneration
        node = _Node(
            factory=factory_cls, meta=meta, model=meta.get_model_class(), overrides=tuple(extras), depth=depth,
            fields=fields, exclude=frozenset(meta.exclude), filter_skip=filter_skip,
            after_post=None if getattr(after, "__func__", None) in _NOOP_AFTER else after, declarations=pre,
        )
        for field_name, field_kind, payload in fields:
            node.by_name[field_name] = (field_kind, payload)
            if field_kind == SUB:
                payload.parent = node
        self.nodes.append(node)
        return node

    def check_reads(self) -> None:
        """Refuse a bulk ``create`` in which a lazy declaration could read a parent not saved yet."""
        if self.strategy != enums.CREATE_STRATEGY:
            return
        for node in self.nodes:
            if not any(kind in READS for _, kind, _ in node.fields):
                continue
            holder: _Node | None = node
            while holder is not None:
                subs = sum(kind == SUB for _, kind, _ in holder.fields)
                if subs > (0 if holder is node else 1):
                    raise _Refused
                holder = holder.parent

    def _bulk_capable(self, factory_cls: Any) -> bool:
        known = self._bulk.get(factory_cls)
        if known is None:
            check = getattr(factory_cls, "_forge_bulk_capable", None)
            known = self._bulk[factory_cls] = bool(check()) if check is not None else False
        return known

    @staticmethod
    def _needs_saved_parent(factory_cls: Any, name: str) -> bool:
        """Whether the engine would wait for an unsaved parent given as ``name`` (``check_kwargs``)."""
        needs = getattr(factory_cls, "_forge_needs_saved_parent", None)
        return needs is None or bool(needs(name))

    @staticmethod
    def _faker(decl: Any) -> Callable[[], Any]:
        call = _faker_call(decl)
        if call is None:
            raise _Refused
        locale, arguments = call
        fake = faker_for_locale(locale)
        generator = _generator(fake) if isinstance(fake, Faker) else None
        if not isinstance(generator, Generator):
            raise _Refused  # a stand-in or a multi-locale proxy: the engine calls it as factory_boy does
        if (type(generator).format is not Generator.format or type(generator).get_formatter is not Generator.get_formatter
                or not vars(generator).keys().isdisjoint(("format", "get_formatter"))):
            raise _Refused  # formatting customised: call it
        formatter = getattr(generator, decl.provider, None)  # what Generator.format looks up
        if not callable(formatter):
            raise _Refused  # the engine raises Faker's own error at the right object
        return partial(formatter, **arguments) if arguments else formatter


def compile_plan(factory_cls: Any, strategy: str, size: int, params: dict[str, Any]) -> RowPlan | None:
    """The row plan of one call, or ``None`` when the call needs the batch engine or factory_boy's builder."""
    if size < 1:
        return None
    compiler = _Compiler(strategy)
    try:
        root = compiler.node(factory_cls, dict(params), 0)
        compiler.check_reads()
    except _Refused:
        return None
    except Exception:  # noqa: BLE001 - e.g. a bad deep override: the path the call falls back to raises it
        return None
    return RowPlan(factory_cls, strategy, root, compiler.nodes)


class RowPlan:
    """A compiled call: :meth:`run` builds its objects and records them as the engine does."""

    def __init__(self, factory_cls: Any, strategy: str, root: _Node, nodes: list[_Node]) -> None:
        self.factory = factory_cls
        self.strategy = strategy
        self.root = root
        self.nodes = nodes
        self._levels: dict[tuple[int, Any], list[Any]] = {}
        self._built: list[tuple[int, _Node, Any]] | None = None  # (depth, node, object) when a hook runs after
        #: Whether a field of the tree reads others: then every object is resolved through a ``Row``.
        self.reads = any(kind in READS for node in nodes for _, kind, _ in node.fields)

    def run(self, size: int) -> tuple[list[Any], Recording]:
        """Build (or create) ``size`` objects; returns them and the call's (unfinished) recording."""
        strategy = self.strategy
        recording = Recording(self.factory, strategy)
        create = strategy == enums.CREATE_STRATEGY
        # ``nodes`` is in the order the call's first object builds them (children first), so
        # provenance groups and save batches keep the engine's order. The objects of one factory
        # at one depth are saved together in build order (as the engine does).
        self._levels = {}
        for node in self.nodes:
            node.add = recording.adder(node.factory, node.overrides,
                                       register=not create and strategy != enums.STUB_STRATEGY)
            node.saved = self._levels.setdefault((-node.depth, node.factory), [])
        with gc_paused():
            try:
                if create:
                    self._built = [] if any(n.after_post is not None for n in self.nodes) else None
                    make = self._make_unsaved
                    objects = [make(self.root) for _ in range(size)]
                    self._persist(recording)
                    if self._built is not None:  # the engine's post-generation pass: parents first
                        for _, node, instance in sorted(self._built, key=lambda entry: -entry[0]):
                            if node.after_post is not None:
                                node.after_post(instance, create=True, results={})
                else:
                    make = self._make_stub if strategy == enums.STUB_STRATEGY else self._make_built
                    objects = [make(self.root) for _ in range(size)]
            finally:
                for node in self.nodes:
                    node.add, node.saved = None, []
                self._levels, self._built = {}, None
        return objects, recording

    # -- one object -------------------------------------------------------------------------

    def _attributes(self, node: _Node, make: Callable[..., Any], parent: Row | None) -> dict[str, Any]:
        """The keyword arguments of one object of ``node``, fields evaluated in declaration order."""
        sequence = node.meta.next_sequence()
        if self.reads:
            row = Row(node, sequence, parent, make)
            value = row._Row__value  # no AttributeError round trip per field
            attributes = {name: value(name) for name, _, _ in node.fields}
            if node.exclude or node.filter_skip:
                skip, exclude = fb_declarations.SKIP, node.exclude
                attributes = {k: v for k, v in attributes.items() if k not in exclude and v is not skip}
            return attributes
        attributes = {}
        for name, kind, payload in node.fields:
            if kind == FAKER:
                attributes[name] = payload()
            elif kind == CONST:
                attributes[name] = payload
            elif kind == SUB:
                attributes[name] = make(payload)
            elif kind == SEQUENCE:
                attributes[name] = payload(int(sequence))
            else:
                attributes[name] = payload()
        if node.exclude or node.filter_skip:
            skip, exclude = fb_declarations.SKIP, node.exclude
            attributes = {k: v for k, v in attributes.items() if k not in exclude and v is not skip}
        return attributes

    def _make_unsaved(self, node: _Node, parent: Row | None = None) -> Any:
        """A bulk ``create``: the object built unsaved (saved by :meth:`_persist`), as the engine builds it."""
        instance = node.factory._forge_build_unsaved(node.model, (), self._attributes(node, self._make_unsaved, parent))
        node.saved.append(instance)
        node.add(instance)  # type: ignore[misc]
        if self._built is not None:
            self._built.append((node.depth, node, instance))
        return instance

    def _make_built(self, node: _Node, parent: Row | None = None) -> Any:
        """``build``: ``Factory._build``, then post-generation, then recorded (factory_boy's builder)."""
        instance = node.factory._build(node.model, **self._attributes(node, self._make_built, parent))
        if node.after_post is not None:
            node.after_post(instance, create=False, results={})
        node.add(instance)  # type: ignore[misc]
        return instance

    def _make_stub(self, node: _Node, parent: Row | None = None) -> Any:
        instance = fb_base.StubObject(**self._attributes(node, self._make_stub, parent))
        if node.after_post is not None:
            node.after_post(instance, create=False, results={})
        node.add(instance)  # type: ignore[misc]
        return instance

    # -- saving -----------------------------------------------------------------------------

    def _persist(self, recording: Recording) -> None:
        """Save every factory's objects in bulk, deepest level (parents) first, then register them."""
        levels = sorted(self._levels.items(), key=lambda kv: kv[0][0])  # stable: first built first
        for (_, factory_cls), instances in levels:
            factory_cls._forge_persist_bulk(instances)
            recording.register_saved(factory_cls, instances)

