"""The builder of one auto factory: each field of the model gets its tier and its declaration."""

from __future__ import annotations

import sys
import typing
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import factory
from factory import declarations as fb

from forge_factories.auto import names
from forge_factories.auto.annotations import model_kind, split_optional, strip_annotated
from forge_factories.auto.columns import ColumnFunction, field_column
from forge_factories.auto.context import AutoFactoryError, BuildContext, shared_random, with_nulls
from forge_factories.auto.fields import (
    COMPUTED,
    SEMANTIC,
    STANDARD,
    STRUCTURAL,
    TIERS,
    Constraints,
    FieldInfo,
    ForeignKey,
)
from forge_factories.auto.generators import build_generator
from forge_factories.auto.introspect import model_info
from forge_factories.autofactory.unique import unique_values, value_of
from forge_factories.common.seeding import value_rng
from forge_factories.core import registry as _registry
from forge_factories.core.declarations import SemanticAttribute
from forge_factories.core.declarations_registry import any_existing, existing_value
from forge_factories.core.fastfaker import get_faker
from forge_factories.orm.persist import rows_django

M2M_COUNT = (1, 3)  # how many related objects a Django many-to-many field gets on create
_SEMANTIC_MIN_BOUND = 40  # bounded strings shorter than this are never sent to a writer

#: ``child_factory(model, *, _ancestors, none_ratio, max_depth, locale, known_models, session)``:
#: the auto factory of a parent or nested model (``factory_for``, with its cache).
ChildFactory = Callable[..., type[Any]]

#: The module auto factory classes say they come from: part of their path in lock-file keys.
FACTORY_MODULE = "forge_factories.autofactory.build"

_known: list[Any] = []  # models a Forge has seen: candidates for ``<name>_id`` references


def _target_attribute(target: Any) -> str:
    try:
        fields = {f.name for f in model_info(target).fields}
    except AutoFactoryError:
        return "id"
    return next((c for c in ("id", "pk", "uuid") if c in fields), "id")


def find_parent_model(model: Any, field_name: str, known: Iterable[Any] = ()) -> Any:
    """The model a ``<name>_id`` field refers to, among ``known`` models and ``model``'s module."""
    if not field_name.endswith("_id") or field_name == "_id":
        return None
    wanted = field_name[:-3].replace("_", "")
    candidates = list(known)
    module = sys.modules.get(getattr(model, "__module__", ""), None)
    if module is not None:  # the model's own module first, then the models a Forge has seen
        candidates += [v for v in vars(module).values() if isinstance(v, type)]
    candidates += list(_known)
    for cand in candidates:
        if cand is model or model_kind(cand) is None:
            continue
        if cand.__name__.lower() == wanted:
            return cand
    return None


class Builder:
    """Builds one auto factory; holds the options while it walks the fields.

    ``child_factory`` makes the auto factories of parent and nested models (``factory_for``).
    """

    def __init__(self, model: Any, *, ancestors: tuple[Any, ...], none_ratio: float, max_depth: int,
                 locale: str | None,
                 tiers: Mapping[str, str], overrides: Mapping[str, Any], known: tuple[Any, ...],
                 session: Any, child_factory: ChildFactory) -> None:
        self.model = model
        self.child_factory = child_factory
        self.info = model_info(model)
        self.ancestors = ancestors  # the models this one is nested in, outermost first
        self.depth = len(ancestors)
        self.none_ratio = none_ratio
        self.max_depth = max_depth
        self.locale = locale
        self.tiers = dict(tiers)
        self.overrides = dict(overrides)
        self.known = known
        self.session = session
        self.fake = get_faker(locale)
        names_ = {f.name for f in self.info.fields}
        unknown = (set(self.tiers) | set(self.overrides)) - names_
        if unknown:
            raise AutoFactoryError(f"{self.info.name} has no field(s) {', '.join(sorted(unknown))}; "
                                   f"fields: {', '.join(sorted(names_))}")
        bad = {t for t in self.tiers.values() if t not in TIERS}
        if bad:
            raise AutoFactoryError(f"unknown tier(s) {', '.join(sorted(bad))}; tiers: {', '.join(TIERS)}")

    def recursion_cut(self, model: Any) -> bool:
        """Whether nesting ``model`` here would recurse more than ``max_depth`` times."""
        return (*self.ancestors, self.model).count(model) >= self.max_depth

    def child(self, model: Any, nested: bool = True) -> type[Any]:
        ancestors = (*self.ancestors, self.model) if nested else ()
        return self.child_factory(model, _ancestors=ancestors, none_ratio=self.none_ratio, max_depth=self.max_depth,
                                  locale=self.locale, known_models=self.known, session=self.session)

    def ctx(self, field: FieldInfo) -> BuildContext:
        def nested(tp: Any) -> Callable[[], Any] | None:
            if self.recursion_cut(tp):
                return None
            return lambda: self.child(tp).build()

        return BuildContext(self.info.name, field.name, self.fake, self.none_ratio, self.max_depth, nested)

    # -- classification ---------------------------------------------------------------------

    def declarations(self) -> dict[str, Any]:
        decls: dict[str, Any] = {}
        for field in self.info.fields:
            decl = self.declare(field)
            if decl is not _SKIP:
                decls[field.name] = decl
        return decls

    def declare(self, field: FieldInfo) -> Any:
        forced = self.tiers.get(field.name)
        if field.name in self.overrides:
            value = self.overrides[field.name]
            field.tier, field.generator_name = forced or STANDARD, "override"
            if isinstance(value, fb.BaseDeclaration):
                return value
            if field.foreign_key is not None and field.foreign_key.assign == "many":
                return _SKIP if value is None else self.many_to_many(field, value)
            if callable(value) and not isinstance(value, type):
                return factory.LazyFunction(value)
            return value
        if forced == COMPUTED or (forced is None and field.computed):
            field.tier, field.generator_name = COMPUTED, "left to the model"
            return _SKIP
        if field.db_generated and forced is None:
            field.tier, field.generator_name = STRUCTURAL, "database"
            return _SKIP
        if field.foreign_key is None and forced in (None, STRUCTURAL):
            target = find_parent_model(self.model, field.name, self.known)
            base, _ = split_optional(strip_annotated(field.annotation, Constraints())[0])
            if target is not None and base in (int, str, uuid.UUID):
                field.foreign_key = ForeignKey(target, attribute=_target_attribute(target), assign="value")
        if field.foreign_key is not None and forced in (None, STRUCTURAL):
            field.tier = STRUCTURAL
            return self.foreign_key(field)
        if field.primary_key or (field.name in ("id", "pk") and forced in (None, STRUCTURAL)):
            base, _ = split_optional(strip_annotated(field.annotation, Constraints())[0])
            if base is int and forced in (None, STRUCTURAL):
                field.tier, field.generator_name = STRUCTURAL, "sequence"
                return factory.Sequence(lambda n: n + 1)
            if base is uuid.UUID and forced in (None, STRUCTURAL):
                field.tier, field.generator_name = STRUCTURAL, "uuid"
                return factory.LazyFunction(build_generator(field.annotation, field.constraints, self.ctx(field)))
        nested = self.nested_model(field)
        if nested is not None and forced in (None, STANDARD):
            field.tier, field.generator_name = STANDARD, f"nested {nested.__name__}"
            return factory.SubFactory(self.child(nested))
        if forced == SEMANTIC or (forced is None and self.is_semantic(field)):
            field.tier, field.generator_name = SEMANTIC, "SemanticAttribute"
            cons = strip_annotated(field.annotation, field.constraints)[1]
            return SemanticAttribute(max_length=cons.max_length, min_length=cons.min_length)
        field.tier = forced or STANDARD
        column = field_column(field, locale=self.locale, none_ratio=self.none_ratio)
        return ColumnFunction(self.standard(field), column)  # per value, and column-wise in streams

    def nested_model(self, field: FieldInfo) -> Any:
        """The model of a required nested-model field that is built by a SubFactory (batched), if any."""
        base, optional = split_optional(strip_annotated(field.annotation, Constraints())[0])
        base = strip_annotated(base, Constraints())[0]
        if optional or model_kind(base) is None or self.recursion_cut(base):
            return None
        return base

    def is_semantic(self, field: FieldInfo) -> bool:
        tp, cons = strip_annotated(field.annotation, field.constraints)
        base, _ = split_optional(tp)
        base, cons = strip_annotated(base, cons)
        if base is not str or cons.pattern is not None or field.choices or field.unique:
            return False
        if cons.max_length is not None and cons.max_length < _SEMANTIC_MIN_BOUND:
            return False
        if names.is_semantic_name(field.name):
            return True
        return cons.max_length is None and names.string_method(field.name) is None

    def standard(self, field: FieldInfo) -> Callable[[], Any]:
        ctx = self.ctx(field)
        if field.choices:
            choices = list(field.choices)
            gen: Callable[[], Any] = lambda: shared_random.choice(choices)  # noqa: E731
            field.generator_name = f"choice of {len(choices)}"
        else:
            gen = build_generator(field.annotation, field.constraints, ctx)
            field.generator_name = self.describe_generator(field)
        if field.unique:
            gen = unique_values(gen, self.model, field, self.info.kind, self.session)
        if field.nullable:
            gen = with_nulls(gen, self.none_ratio if not field.unique else 0.0)
        return gen

    def describe_generator(self, field: FieldInfo) -> str:
        tp, cons = strip_annotated(field.annotation, field.constraints)
        base, optional = split_optional(tp)
        base, cons = strip_annotated(base, cons)
        label = getattr(base, "__name__", None) or repr(base)
        if base is str or label in ("EmailStr", "EmailText", "UrlText", "IPText"):
            if cons.pattern is not None:
                label = f"pattern {cons.pattern!r}"
            else:
                method = names.string_method(field.name)
                kind = {"EmailStr": "email", "EmailText": "email", "UrlText": "url", "IPText": "ipv4"}.get(label)
                label = f"faker:{kind or method}" if (kind or method) else "words"
        elif base in (int, float):
            hint = names.number_range(field.name)
            label = f"{label} {hint[0]:g}..{hint[1]:g}" if hint else label
        if optional:
            label += " or None"
        return label

    def foreign_key(self, field: FieldInfo) -> Any:
        fk = field.foreign_key
        assert fk is not None
        target = fk.target
        name = getattr(target, "__name__", repr(target))
        if fk.assign == "many":
            field.generator_name = f"registry {name} x{M2M_COUNT[0]}-{M2M_COUNT[1]} on create" + (
                " (created if none)" if target is not self.model else "")
            return self.many_to_many(field)
        builder = self
        if target is self.model:
            field.generator_name = f"existing {name} or None"

            def existing_or_none() -> Any:
                if fk.assign != "object":
                    return existing_value(builder.child(target, nested=False), fk.attribute)
                return any_existing(builder.child(target, nested=False))

            if not field.nullable:
                raise AutoFactoryError(f"{self.info.name}.{field.name}: a required reference to its own model "
                                       "cannot terminate; make it nullable or supply a generator")
            return factory.LazyFunction(existing_or_none)
        if fk.assign == "object":
            parent_factory = self.child(target, nested=False)
            if field.unique:
                field.generator_name = f"new {name} (one-to-one)"
                return factory.SubFactory(parent_factory)
            from forge_factories.core.declarations_registry import RegistrySubFactory

            field.generator_name = f"registry {name} (created if none)"
            return RegistrySubFactory(parent_factory)
        field.generator_name = f"registry {name}.{fk.attribute} (created if none)"

        def parent_key() -> Any:
            # The registry keeps the key of parents the caller dropped: children read only it.
            key = existing_value(builder.child(target, nested=False), fk.attribute)
            if key is None:
                key = value_of(builder.child(target, nested=False).create(), fk.attribute)
            return key

        return factory.LazyFunction(parent_key)

    def many_to_many(self, field: FieldInfo, given: Any = None) -> Any:
        """A ``post_generation`` that, on create, sets ``given`` (a list or a callable returning one) or
        a few related objects: registered ones when there are, else new ones from the related auto factory."""
        target = typing.cast(ForeignKey, field.foreign_key).target
        builder, scope = self, f"{self.model.__module__}.{self.model.__qualname__}.{field.name}"

        def related(obj: Any) -> list[Any]:
            if given is not None:
                return list(given() if callable(given) else given)
            rng = value_rng("m2m", scope)
            count = rng.randint(*M2M_COUNT)
            keys = [k for k in _registry.current().row_keys(target, rows_django.location(obj._state.db))
                    if not (target is builder.model and k == obj.pk)]
            if keys:
                chosen = rng.sample(keys, min(count, len(keys)))
                loaded = rows_django.DjangoRows(target, obj._state.db).load(chosen)
                return [loaded[k] for k in chosen if k in loaded]
            if target is builder.model:  # a self-reference only links existing rows
                return []
            return builder.child(target, nested=False).create_batch(count)

        def fill(obj: Any, create: bool, extracted: Any, **_: Any) -> None:
            if create:
                getattr(obj, field.name).set(related(obj) if extracted is None else extracted)

        return factory.PostGeneration(fill)

    # -- the factory class ------------------------------------------------------------------

    def base_and_meta(self) -> tuple[type, dict[str, Any]]:
        kind = self.info.kind
        if kind == "django":
            from forge_factories.orm.django_factory import AIDjangoModelFactory

            return AIDjangoModelFactory, {"skip_postgeneration_save": True}  # M2M hooks need no second save
        if kind == "sqlalchemy":
            from forge_factories.orm.alchemy_factory import AISQLAlchemyModelFactory

            meta: dict[str, Any] = {}
            if self.session is not None:
                meta = {"sqlalchemy_session": self.session, "sqlalchemy_session_persistence": "flush"}
            return AISQLAlchemyModelFactory, meta
        from forge_factories.autofactory.fast import AutoFactory

        return AutoFactory, {}

    def forge_meta(self) -> dict[str, Any]:
        return {"forge_locale": self.locale} if self.locale else {}

    def sources(self) -> dict[str, str]:
        labels = {}
        for f in self.info.fields:
            if f.tier == STRUCTURAL:
                labels[f.name] = "structural"
            elif f.tier == SEMANTIC:
                labels[f.name] = "semantic"
            elif f.generator_name == "override":
                labels[f.name] = "override"
            elif f.generator_name.startswith("faker:"):
                labels[f.name] = "faker"
            else:
                labels[f.name] = "generated"
        return labels

    def build(self) -> type[Any]:
        decls = self.declarations()
        base, meta_attrs = self.base_and_meta()
        meta = type("Meta", (), {"model": self.model, **meta_attrs, **self.forge_meta()})
        cls_name = f"{self.info.name}AutoFactory" + (f"_in_{self.ancestors[-1].__name__}" if self.ancestors else "")
        attrs = {"Meta": meta, "__module__": FACTORY_MODULE, **decls}
        cls = type(cls_name, (base,), attrs)
        cls._forge_auto_info = self.info  # type: ignore[attr-defined]
        names_here = {f.name for f in self.info.fields}
        # What children of this model read by value (``Order.customer_id``): kept by the FK registry.
        cls._forge_key_attribute = next((c for c in ("id", "pk", "uuid") if c in names_here), None)  # type: ignore[attr-defined]
        if self.info.kind not in ("django", "sqlalchemy"):
            from forge_factories.autofactory.fast import make_plan

            cls._forge_fast_plan = make_plan(cls_name, FACTORY_MODULE, decls, self.sources(), self.forge_meta())  # type: ignore[attr-defined]
        return cls


_SKIP: Any = object()
