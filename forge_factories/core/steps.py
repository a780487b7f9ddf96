"""factory_boy's builder, resumable: objects of one call resolve side by side and pause for text.

A :class:`BatchStepBuilder` builds one object as factory_boy's ``StepBuilder`` would, but its
resolved values, sequence and children are kept in a :class:`StepState` under a stable key, so
when a ``SemanticAttribute`` raises :class:`Pause` the object resumes later without drawing
anything twice. The engine (:mod:`forge_factories.core.engine`) drives the rounds.
"""

from __future__ import annotations

import contextvars
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from factory import builder as fb_builder
from factory import enums, errors
from factory.faker import Faker as FakerDeclaration
from faker import Faker

from forge_factories._compat.factory_boy import FAKER_REGISTRY, declaration_arguments, faker_for_locale
from forge_factories._compat.faker import generators
from forge_factories.common.errors import SemanticDeclarationError
from forge_factories.common.jsonable import KEY_RULES, to_jsonable
from forge_factories.core.declarations import SemanticAttribute
from forge_factories.core.unsaved import unwrap

#: The engine of the call being resolved in this context (set by ``BatchEngine.run``).
ACTIVE: contextvars.ContextVar[Any] = contextvars.ContextVar("forge_batch_engine", default=None)
MISSING: Any = object()


class Pause(BaseException):
    """Raised inside a resolution when a value waits for the batch fill."""


def active_engine() -> Any:
    """The engine of the call being resolved in this context, if any."""
    return ACTIVE.get()


def factory_path(factory_cls: type) -> str:
    """A stable dotted name of a factory class."""
    return f"{factory_cls.__module__}.{factory_cls.__qualname__}"


@dataclass(eq=False)
class StepState:
    """What is known of one object of the call; survives pauses."""

    key: str
    factory: Any
    depth: int
    overrides: tuple[str, ...]
    sequence: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    instance: Any = MISSING
    deferred: bool = False
    post_results: dict[str, Any] = field(default_factory=dict)
    finished: bool = False
    step: Any = None
    post: Any = None


def _plain(value: Any) -> Any:
    """The JSON form of a conditioning value (the one conversion, :mod:`forge_factories.common.jsonable`)."""
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return to_jsonable(value, KEY_RULES)


def _lookup(obj: Any, dotted: str) -> Any:
    head, _, rest = dotted.partition(".")
    value = obj[head] if isinstance(obj, Mapping) and not isinstance(obj, BatchResolver) else getattr(obj, head)
    return _lookup(value, rest) if rest else value


_STOCK_FAKER = (FakerDeclaration.evaluate_pre, FakerDeclaration.evaluate, FakerDeclaration.unroll_context)
#: ``factory.Faker`` declaration -> ``(locale, provider arguments)``, or ``None`` when an argument is lazy.
_FAKER_CALLS: weakref.WeakKeyDictionary[Any, tuple[Any, dict[str, Any]] | None] = weakref.WeakKeyDictionary()


def _faker_call(decl: Any) -> tuple[Any, dict[str, Any]] | None:
    """How stock factory_boy calls Faker for ``decl`` (a ``factory.Faker`` without nested context):
    ``(locale, arguments)``; ``None`` when an argument is a declaration or ``factory.Faker`` is patched."""
    if (FakerDeclaration.evaluate_pre, FakerDeclaration.evaluate, FakerDeclaration.unroll_context) != _STOCK_FAKER:
        return None  # patched (e.g. by a test suite): let it run
    try:
        return _FAKER_CALLS[decl]
    except KeyError:
        pass
    extra = declaration_arguments(decl) if FAKER_REGISTRY() else None
    found = None
    if extra is not None and not any(enums.get_builder_phase(v) for v in extra.values()):
        locale = extra.pop("locale", None)
        found = (locale, extra)
    _FAKER_CALLS[decl] = found
    return found


_GENERATORS: dict[int, tuple[Any, Any]] = {}


def _generator(fake: Any) -> Any:
    """What ``fake.format`` runs on: its one locale's generator (the proxy forwards to it), else the proxy."""
    found = _GENERATORS.get(id(fake))
    if found is None or found[0] is not fake:
        if not isinstance(fake, Faker):  # a stand-in (a test's mock): call it as factory_boy does
            found = _GENERATORS[id(fake)] = (fake, fake)
        else:
            per_locale = generators(fake)
            found = _GENERATORS[id(fake)] = (fake, per_locale[0] if len(per_locale) == 1 else fake)
    return found[1]


class BatchResolver:
    """factory_boy's ``Resolver`` with memoised values that survive a :class:`Pause`."""

    __slots__ = ("__declarations", "__step", "__state", "__pending")

    def __init__(self, declarations: Any, step: BatchBuildStep, state: StepState) -> None:
        object.__setattr__(self, "_BatchResolver__declarations", declarations)
        object.__setattr__(self, "_BatchResolver__step", step)
        object.__setattr__(self, "_BatchResolver__state", state)
        object.__setattr__(self, "_BatchResolver__pending", [])

    @property
    def factory_parent(self) -> Any:
        """The resolver of the object this one is a SubFactory of."""
        parent = self.__step.parent_step
        return parent.stub if parent else None

    def current_field(self) -> str | None:
        """The field being evaluated right now (innermost)."""
        return self.__pending[-1] if self.__pending else None

    def __repr__(self) -> str:
        return f"<Resolver for {self.__step!r}>"

    def __getattr__(self, name: str) -> Any:
        pending = self.__pending
        values = self.__state.values
        if name in pending:
            raise errors.CyclicDefinitionError(
                f"Cyclic lazy attribute definition for {name!r}; cycle found in {pending!r}."
            )
        if name in values:
            return self.__step.builder.engine.view(values[name]) if pending else values[name]
        declarations = self.__declarations
        if name not in declarations:
            raise AttributeError(
                f"The parameter {name!r} is unknown. Evaluated attributes are {values!r}, "
                f"definitions are {declarations!r}."
            )
        entry = declarations[name]
        value = entry.declaration
        step = self.__step
        if (type(value) is SemanticAttribute and not entry.context
                and (engine := ACTIVE.get()) is not None and engine is step.builder.engine):
            # What SemanticAttribute.evaluate would do, without factory_boy's per-call context unrolling.
            pending.append(name)
            try:
                value = engine.semantic_value(value, name, self, step)
            finally:
                pending.pop()
        elif type(value) is FakerDeclaration and not entry.context and (call := _faker_call(value)) is not None:
            # What Faker.evaluate_pre does for plain arguments, without the context unrolling
            # around it: the same Faker call, so the same value.
            value = _generator(faker_for_locale(call[0])).format(value.provider, **call[1])
        elif enums.get_builder_phase(value) == enums.BuilderPhase.ATTRIBUTE_RESOLUTION:
            pending.append(name)
            self.__step.recursions[name] = 0
            try:
                value = value.evaluate_pre(instance=self, step=self.__step, overrides=entry.context)
            finally:
                pending.pop()
        values[name] = value = unwrap(value)
        return step.builder.engine.view(value) if pending else value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Setting of object attributes is not allowed")


class BatchBuildStep(fb_builder.BuildStep):
    """A ``BuildStep`` whose children are keyed by their path, so they can be resumed."""

    def __init__(self, builder: BatchStepBuilder, sequence: int, parent_step: Any, state: StepState) -> None:
        super().__init__(builder, sequence, parent_step)
        self.state = state
        self.recursions: dict[str, int] = {}
        self.post_field: str | None = None
        self.post_paused = False

    def resolve(self, declarations: Any) -> None:
        """Resolve every declaration; paused ones are retried after the next fill."""
        self.stub = stub = BatchResolver(declarations, self, self.state)
        values = self.state.values
        attributes = self.attributes
        paused = False
        for field_name in declarations:
            if field_name in values:  # resolved in an earlier round
                attributes[field_name] = values[field_name]
                continue
            try:
                attributes[field_name] = getattr(stub, field_name)
            except Pause:
                paused = True
        if paused:
            raise Pause

    def _current_field(self) -> str:
        if self.post_field is not None:
            return self.post_field
        current = self.stub.current_field() if isinstance(self.stub, BatchResolver) else None
        return current or "?"

    def recurse(self, factory: Any, declarations: Any, force_sequence: int | None = None) -> Any:
        """Build a child (SubFactory, RelatedFactory...) under a stable key."""
        from factory import base as fb_base

        if not isinstance(factory, type) or not issubclass(factory, fb_base.BaseFactory):
            raise errors.AssociatedClassError(
                f"{self!r}: Attempting to recursing into a non-factory object {factory!r}"
            )
        name = self._current_field()
        n = self.recursions.get(name, 0)
        self.recursions[name] = n + 1
        key = f"{self.state.key}/{name}" + (f"#{n}" if n else "")
        child = BatchStepBuilder(factory._meta, declarations, self.builder.strategy, engine=self.builder.engine,
                                 key=key, depth=self.state.depth + 1)
        if self.post_field is None:
            return child.build(parent_step=self, force_sequence=force_sequence)
        try:
            return child.build(parent_step=self, force_sequence=force_sequence)
        except Pause:
            # A RelatedFactory child waits for text: keep building its siblings this round.
            self.post_paused = True
            return None


class BatchStepBuilder(fb_builder.StepBuilder):
    """A ``StepBuilder`` whose objects survive pauses (memoised in the engine by key)."""

    def __init__(self, factory_meta: Any, extras: dict[str, Any], strategy: str, *, engine: Any,
                 key: str, depth: int, parsed: tuple[Any, Any] | None = None) -> None:
        super().__init__(factory_meta, extras, strategy)
        self.engine = engine
        self.key = key
        self.depth = depth
        self.parsed = parsed  # (pre, post) declarations, when already parsed for these extras

    def recurse(self, factory_meta: Any, extras: dict[str, Any]) -> BatchStepBuilder:
        """Builder for a child (used by code calling ``builder.recurse`` directly)."""
        return BatchStepBuilder(factory_meta, extras, self.strategy, engine=self.engine, key=self.key + "/?",
                                depth=self.depth + 1)

    def build(self, parent_step: Any = None, force_sequence: int | None = None) -> Any:
        """Build (or resume building) this object; raises :class:`Pause` while text is pending."""
        engine = self.engine
        meta = self.factory_meta
        state = engine.states.get(self.key)
        if state is None:
            state = StepState(key=self.key, factory=meta.factory, depth=self.depth, overrides=tuple(self.extras))
            engine.states[self.key] = state
        if state.finished or (state.deferred and state.instance is not MISSING):
            return state.instance
        pre, post = self.parsed or fb_builder.parse_declarations(
            self.extras, base_pre=meta.pre_declarations, base_post=meta.post_declarations,
        )
        if state.sequence is None:
            if force_sequence is not None:
                state.sequence = force_sequence
            elif self.force_init_sequence is not None:
                state.sequence = self.force_init_sequence
            else:
                state.sequence = meta.next_sequence()
        step = BatchBuildStep(self, state.sequence, parent_step, state)
        if state.step is not None:
            state.step.stub = None  # the last round's step and resolver: no cycle left behind
        state.step, state.post = step, post
        if state.instance is MISSING:
            step.resolve(pre)
            args, kwargs = meta.prepare_arguments(step.attributes)
            state.instance = engine.instantiate(state, step, args, kwargs)
        else:
            step.stub = BatchResolver(pre, step, state)
            step.attributes = {name: state.values[name] for name in pre if name in state.values}
        if state.deferred:
            return state.instance
        engine.run_post(state)
        return state.instance


def conditioning_values(decl: SemanticAttribute, name: str, resolver: Any, factory_cls: Any,
                        peek: Any = None, references: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Resolve the fields ``decl`` is conditioned on (may raise :class:`Pause`).

    ``peek`` reads a nested reference (``product.name``) from a child that is still waiting
    for its own text, so a parent's request need not wait a round for it. ``references``:
    the spec's references, when the caller has them already.
    """
    values: dict[str, Any] = {}
    for ref in decl.spec(name).references if references is None else references:
        try:
            values[ref] = _plain(_lookup(resolver, ref))
        except Pause:
            if peek is None or "." not in ref:
                raise
            values[ref] = _plain(peek(ref))
        except (AttributeError, KeyError, TypeError) as exc:
            raise SemanticDeclarationError(
                f"{factory_cls.__name__}.{name}: SemanticAttribute references {ref!r}, which cannot be "
                f"resolved on {factory_cls.__name__} ({exc})"
            ) from None
    return values
