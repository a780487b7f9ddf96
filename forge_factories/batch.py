"""The batch engine: one resolution for a whole call's object tree.

factory_boy builds objects one at a time. Here every object of a ``create_batch(n)`` call
(and every SubFactory / RelatedFactory child) resolves its declarations side by side:

1. *resolve*: each object resolves what it can. A ``SemanticAttribute`` whose value is not
   known yet records a request and raises :class:`Pause` (a ``BaseException``, so a user's
   ``except Exception`` cannot swallow it); whatever depends on it pauses too, everything
   else goes on. Resolved values, sequences and built children are memoised per object,
   keyed by their stable path in the call, so resuming never draws twice.
2. *fill*: all pending requests go to the providers at once, one ``fill`` per
   (factory, context) group; answers are validated and kept. With a provider that plans
   network requests, each full chunk of a group is sent ahead as soon as its objects have
   paused, so the API works while later objects still resolve (:mod:`.pipeline`).
3. repeat 1-2 while anything is pending (one round per level of semantic dependency);
4. *persist*: objects of bulk-capable factories were built unsaved; they are saved in bulk,
   deepest level (parents) first; then their post-generation declarations run.
"""

from __future__ import annotations

import contextvars
import warnings
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain
from typing import Any, TypeVar

from factory import builder as fb_builder
from factory import enums, errors

from . import registry as _registry
from .config import default_provider_choice, settings
from .declarations import SemanticAttribute
from .errors import (
    ForgeError,
    ForgeWarning,
    ProviderError,
    SemanticDeclarationError,
    SemanticFailure,
    SemanticResolutionError,
)
from .persist.gcpause import gc_paused
from .pipeline import GroupPipeline
from .provenance import record as record_provenance
from .providers.base import (
    FillResult,
    RequestPlan,
    SemanticProvider,
    as_fill_result,
    get_provider,
    request_plan,
)
from .seeding import current_seed
from .semantic.failures import describe_failures, transport_failure, with_reasons
from .semantic.request import SemanticItem, SemanticRequest
from .semantic.validate import DUPLICATE, validate_answers
from .unsaved import UnsavedTracking, unwrap

_ACTIVE: contextvars.ContextVar[BatchEngine | None] = contextvars.ContextVar("forge_batch_engine", default=None)
_MISSING: Any = object()
_T = TypeVar("_T")

#: How the engine waits for provider calls (``None``: it makes them inline). An async factory
#: call whose engine runs on the event loop's own thread (a SQLAlchemy greenlet, see
#: :mod:`forge_factories.aio`) sets a runner that makes them in a worker thread and awaits it.
PROVIDER_WAIT: contextvars.ContextVar[Callable[[Callable[[], Any]], Any] | None] = contextvars.ContextVar(
    "forge_provider_wait", default=None)


def _waited(call: Callable[[], _T]) -> _T:
    """``call()``, through the :data:`PROVIDER_WAIT` runner when one is set."""
    wait = PROVIDER_WAIT.get()
    return call() if wait is None else wait(call)


class Pause(BaseException):
    """Raised inside a resolution when a value waits for the batch fill."""


def active_engine() -> BatchEngine | None:
    """The engine of the call being resolved in this context, if any."""
    return _ACTIVE.get()


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
    instance: Any = _MISSING
    deferred: bool = False
    post_results: dict[str, Any] = field(default_factory=dict)
    finished: bool = False
    step: Any = None
    post: Any = None


@dataclass(eq=False)
class _PendingItem:
    state: StepState
    fields: dict[str, SemanticAttribute]
    conditioning: dict[str, Any]


@dataclass(eq=False)
class _GroupCall:
    """One (factory, context) group's request, its provider and (once called) its result."""

    factory: Any
    context: str | None
    items: list[_PendingItem]
    decls: dict[str, SemanticAttribute]
    request: SemanticRequest
    provider: SemanticProvider
    result: FillResult | None = None


def _call_provider(call: _GroupCall, request: SemanticRequest | None = None) -> FillResult:
    """The provider's answer to ``request`` (default: the call's); a failed request names its group."""
    request = call.request if request is None else request
    try:
        return as_fill_result(call.provider, call.provider.fill(request))
    except ProviderError as exc:
        raise transport_failure(request, exc) from exc


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a conditioning value."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _lookup(obj: Any, dotted: str) -> Any:
    head, _, rest = dotted.partition(".")
    value = obj[head] if isinstance(obj, Mapping) and not isinstance(obj, BatchResolver) else getattr(obj, head)
    return _lookup(value, rest) if rest else value


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
                and (engine := _ACTIVE.get()) is not None and engine is step.builder.engine):
            # What SemanticAttribute.evaluate would do, without factory_boy's per-call context unrolling.
            pending.append(name)
            try:
                value = engine.semantic_value(value, name, self, step)
            finally:
                pending.pop()
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

    def __init__(self, factory_meta: Any, extras: dict[str, Any], strategy: str, *, engine: BatchEngine,
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
        if state.finished or (state.deferred and state.instance is not _MISSING):
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
        if state.instance is _MISSING:
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


class BatchEngine(UnsavedTracking):
    """Resolves one factory call (a batch of ``size`` objects and their whole trees)."""

    pause = Pause

    def __init__(self, factory_cls: Any, strategy: str, context: str | None) -> None:
        super().__init__()
        self.factory = factory_cls
        self.strategy = strategy
        self.context = context
        self.states: dict[str, StepState] = {}
        self.pending: dict[tuple[Any, str | None], dict[str, _PendingItem]] = {}
        self.answers: dict[tuple[str, str], tuple[Any, str]] = {}
        self.unsaved: list[StepState] = []
        self.deferred: list[StepState] = []
        self._providers: dict[tuple[Any, Any], SemanticProvider] = {}
        self.preset_provider: SemanticProvider | None = None
        self._bulk: dict[Any, bool] = {}
        self._seen: dict[tuple[Any, str | None], dict[str, set[str]]] = {}
        self.ahead: dict[tuple[Any, str | None], GroupPipeline[_PendingItem]] = {}
        self._plans: dict[tuple[Any, str | None], RequestPlan | None] = {}
        self._grown: set[tuple[Any, str | None]] = set()
        self._references: dict[tuple[int, str], tuple[str, ...]] = {}  # (id(declaration), field) -> references
        self._root: tuple[Any, dict[str, Any], Any] = (None, {}, None)  # meta, params, parsed declarations
        self._results: list[Any] = []
        self._queue: deque[int] = deque()  # roots still to build (or resume) this round, in order
        self._paused: list[int] = []  # roots of this round that paused: the next round's queue
        self._outstanding: dict[str, int] = {}  # per root key: its items of the fill not answered yet

    # -- driving ---------------------------------------------------------------------------

    def run(self, size: int, params: dict[str, Any]) -> list[Any]:
        """Build ``size`` objects with ``params`` as overrides; returns them in order."""
        token = _ACTIVE.set(self)
        paused_gc = gc_paused()
        paused_gc.__enter__()
        try:
            meta = self.factory._meta
            root_extras = dict(params)
            root_extras.pop("__sequence", None)
            # Every root shares the call's parameters: parse them once, not per object and round.
            self._root = (meta, params, fb_builder.parse_declarations(
                root_extras, base_pre=meta.pre_declarations, base_post=meta.post_declarations,
            ))
            self._results = [_MISSING] * size
            self._queue = deque(range(size))
            while True:
                while self._queue:
                    self._build_root()
                self._queue, self._paused = deque(self._paused), []
                if self.pending:
                    _waited(self.fill_pending)
                elif self.unsaved:
                    self.persist_unsaved()
                elif self.deferred:
                    self.run_deferred()
                elif self._queue:
                    raise ForgeError(f"{self.factory.__name__}: batch resolution stalled on items {list(self._queue)}")
                else:
                    return self._results
        finally:
            _ACTIVE.reset(token)
            if self.ahead:  # an error stopped the call: drop what was not sent
                _waited(self._close_ahead)
            self.release()
            paused_gc.__exit__(None, None, None)

    def _build_root(self) -> None:
        """Build (or resume) the next root object of the round; it joins the next round if it pauses."""
        i = self._queue.popleft()
        meta, params, parsed = self._root
        root = BatchStepBuilder(meta, dict(params), self.strategy, engine=self, key=str(i), depth=0, parsed=parsed)
        try:
            self._results[i] = root.build()
        except Pause:
            self._paused.append(i)
        if self._grown:
            self.send_ready()

    def _resume_ready(self) -> None:
        """Resume the roots at the head of the next round whose answers are all in.

        Called while later requests of the fill are still out. Only a prefix of the round
        resumes, in round order, so objects resolve in the same order as they would after
        the whole fill: the result does not depend on which request lands first. A ``create``
        does not resume early: no object is saved before the whole fill has succeeded.
        """
        if self.strategy == enums.CREATE_STRATEGY:
            return
        while self._queue and self._outstanding.get(str(self._queue[0])) == 0:
            self._build_root()

    def _close_ahead(self) -> None:
        for pipeline in self.ahead.values():
            pipeline.close(cancel=True)

    def release(self) -> None:
        """Break the call's step <-> resolver <-> state cycles, so reference counting frees them."""
        self._results, self._queue, self._paused, self._outstanding = [], deque(), [], {}
        for state in self.states.values():
            if state.step is not None:
                state.step.stub = None
            state.step = state.post = None

    # -- instantiation and persistence -------------------------------------------------------

    def instantiate(self, state: StepState, step: BatchBuildStep, args: tuple[Any, ...],
                    kwargs: dict[str, Any]) -> Any:
        """Build the model object; bulk-capable creates are built unsaved and saved later."""
        meta = step.builder.factory_meta
        factory_cls = meta.factory
        strategy = step.builder.strategy
        if strategy == enums.CREATE_STRATEGY and self.bulk_capable(factory_cls):
            self.check_kwargs(factory_cls, kwargs)
            instance = factory_cls._forge_build_unsaved(meta.get_model_class(), args, kwargs)
            state.deferred = True
            self.unsaved.append(state)
            self.unsaved_ids.add(id(instance))
        else:
            if strategy == enums.CREATE_STRATEGY and self.unsaved:
                self.persist_unsaved()  # a per-row create may reference unsaved parents
            instance = meta.instantiate(step=step, args=args, kwargs=kwargs)
        record_provenance(instance, factory_cls, state.overrides, state.sources)
        if strategy != enums.STUB_STRATEGY and not state.deferred:
            _registry.record(factory_cls, instance)
        return instance

    def bulk_capable(self, factory_cls: Any) -> bool:
        """Whether the factory saves in bulk (asked once per call: signals, options and the
        backend's features do not change while a call runs)."""
        known = self._bulk.get(factory_cls)
        if known is None:
            known = self._bulk[factory_cls] = _bulk_capable(factory_cls)
        return known

    def persist_unsaved(self) -> None:
        """Save every unsaved object, deepest level (parents) first, in bulk per factory."""
        batch, self.unsaved = self.unsaved, []
        self.unsaved_ids.clear()
        by_level: dict[tuple[int, Any], list[StepState]] = {}
        for state in batch:
            by_level.setdefault((-state.depth, state.factory), []).append(state)
        for (_, factory_cls), states in sorted(by_level.items(), key=lambda kv: kv[0][0]):
            instances = [s.instance for s in states]
            factory_cls._forge_persist_bulk(instances)
            _registry.record_many(factory_cls, instances)
        self.deferred.extend(batch)

    def run_deferred(self) -> None:
        """Run post-generation of saved bulk objects (children first)."""
        batch, self.deferred = sorted(self.deferred, key=lambda s: -s.depth), []
        for state in batch:
            try:
                self.run_post(state)
            except Pause:
                self.deferred.append(state)

    def run_post(self, state: StepState) -> None:
        """Evaluate the post-generation declarations of one built object (resumable)."""
        step: BatchBuildStep = state.step
        post = state.post
        paused = False
        for name in post.sorted():
            if name in state.post_results:
                continue
            entry = post[name]
            step.post_field, step.post_paused = name, False
            step.recursions[name] = 0
            try:
                result = entry.declaration.evaluate_post(instance=state.instance, step=step, overrides=entry.context)
            except Pause:
                paused = True
                continue
            finally:
                step.post_field = None
            if step.post_paused:
                paused = True
                continue
            state.post_results[name] = result
        if paused:
            raise Pause
        results = {name: state.post_results[name] for name in post.sorted()}
        step.builder.factory_meta.use_postgeneration_results(instance=state.instance, step=step, results=results)
        state.finished = True

    # -- semantic values ---------------------------------------------------------------------

    def semantic_value(self, decl: SemanticAttribute, name: str, resolver: Any, step: BatchBuildStep) -> Any:
        """The value of ``decl`` for this object, or :class:`Pause` after requesting it."""
        state = step.state
        answer = self.answers.get((state.key, name))
        if answer is not None:
            value, source = answer
            state.sources[name] = source
            return value
        references = self._references.get((id(decl), name))
        if references is None:
            references = self._references[(id(decl), name)] = decl.spec(name).references
        conditioning = conditioning_values(decl, name, resolver, state.factory, peek=self._peek(state),
                                           references=references)
        group = (state.factory, self.context_for(state.factory))
        items = self.pending.setdefault(group, {})
        item = items.get(state.key)
        if item is None:
            items[state.key] = _PendingItem(state, {name: decl}, dict(conditioning))
            if self._plans.get(group, True) is not None:
                self._grown.add(group)
        else:
            item.fields[name] = decl
            item.conditioning.update(conditioning)
        raise Pause

    def _peek(self, state: StepState) -> Any:
        """Read ``child.field`` from a SubFactory child that is itself still paused."""

        def peek(dotted: str) -> Any:
            key = state.key
            head, _, rest = dotted.partition(".")
            while rest:
                child = self.states.get(f"{key}/{head}")
                if child is None:
                    raise Pause
                key = child.key
                head, _, rest = rest.partition(".")
                if not rest:
                    if head not in child.values:
                        raise Pause
                    return child.values[head]
            raise Pause

        return peek

    def context_for(self, factory_cls: Any) -> str | None:
        """The call's context, else the factory's ``Meta.forge_context``."""
        if self.context is not None:
            return self.context
        return getattr(factory_cls._meta, "forge_context", None)

    def provider_for(self, factory_cls: Any) -> SemanticProvider:
        """The provider for a factory (see :func:`resolve_provider`), cached for this call."""
        if self.preset_provider is not None:
            return self.preset_provider
        choice = getattr(factory_cls._meta, "forge_provider", None)
        if choice is None:
            choice = default_provider_choice()
        choice_key = id(choice) if choice is not None and not isinstance(choice, str) else choice
        cache_key = (choice_key, factory_cls)
        provider = self._providers.get(cache_key)
        if provider is None:
            provider = resolve_provider(factory_cls, choice)
            self._providers[cache_key] = provider
        return provider

    # -- requests sent ahead -----------------------------------------------------------------

    def send_ready(self) -> None:
        """Send every full planned chunk of the groups that grew (called between root objects,
        when the objects built so far have paused with all their fields)."""
        grown, self._grown = self._grown, set()
        for group in grown:
            items = self.pending.get(group)
            if not items:
                continue
            plan = self._plans.get(group, _MISSING)
            if plan is _MISSING:
                plan = self._plans[group] = self._plan(group, next(iter(items.values())))
            if plan is None or len(items) < plan.items:
                continue
            queue = list(items.values())
            while plan is not None and len(queue) >= plan.items:
                call = self._prepare(group[0], group[1], queue[:plan.items])
                fits = request_plan(call.provider, call.request)  # these items may need a smaller chunk
                if fits is not None and fits.items < plan.items:
                    plan = self._plans[group] = fits
                    continue
                pipeline = self.ahead.get(group)
                if pipeline is None:
                    pipeline = self.ahead[group] = GroupPipeline(plan, group[0].__name__)
                pipeline.submit(call.items, partial(_call_provider, call))
                queue = queue[plan.items:]
            self.pending[group] = {item.state.key: item for item in queue}

    def _plan(self, group: tuple[Any, str | None], item: _PendingItem) -> RequestPlan | None:
        call = self._prepare(group[0], group[1], [item])
        return request_plan(call.provider, call.request)

    # -- the round's fill ---------------------------------------------------------------------

    def fill_pending(self) -> None:
        """Send every pending group to its provider (one ``fill`` per group) and keep the answers.

        Live providers of different groups are called concurrently; a group's last partial
        chunk joins the chunks it sent ahead. Answers are validated in group order and, within
        a group sent ahead, request by request in the order sent, so seeded output does not
        depend on thread timing. While later requests are still out, the objects whose answers
        are all in resume (see :meth:`_resume_ready`).
        """
        groups, self.pending = self.pending, {}
        ahead, self.ahead = self.ahead, {}
        self._grown.clear()
        outstanding: dict[str, int] = {}
        sent_keys = [item.state.key for pipeline in ahead.values() for flight in pipeline.flights
                     for item in flight.items]
        for key in chain(sent_keys, *groups.values()):
            root = key.partition("/")[0]
            outstanding[root] = outstanding.get(root, 0) + 1
        self._outstanding = outstanding
        try:
            for group, pipeline in ahead.items():
                rest = list(groups.get(group, {}).values())
                if rest:
                    call = self._prepare(group[0], group[1], rest)
                    pipeline.submit(rest, partial(_call_provider, call))
            calls = [self._prepare(factory_cls, context, list(items.values()))
                     for (factory_cls, context), items in groups.items() if (factory_cls, context) not in ahead]
            live = [c for c in calls if getattr(c.provider, "name", None) != "offline"]
            if len(live) > 1:
                with ThreadPoolExecutor(max_workers=min(len(live), settings.max_concurrent_groups)) as pool:
                    contexts = [contextvars.copy_context() for _ in live]  # the async call's loop, the scope
                    answers = pool.map(lambda ctx, c: ctx.run(_call_provider, c), contexts, live)
                    for call, result in zip(live, answers, strict=True):
                        call.result = result
            by_group = {(c.factory, c.context): c for c in calls}
            for group in groups:
                sent = ahead.get(group)
                if sent is not None:
                    self._accept_ahead(group, sent)
                    continue
                call = by_group[group]
                if call.result is None:
                    call.result = _call_provider(call)
                self._keep(call.items, self._accept(call))
        finally:
            self._outstanding = {}
            for pipeline in ahead.values():
                pipeline.close(cancel=True)

    def _keep(self, items: Sequence[_PendingItem], answers: Sequence[dict[str, tuple[Any, str]]]) -> None:
        """Record accepted answers; a root all of whose items are answered becomes ready to resume."""
        for pending_item, values in zip(items, answers, strict=True):
            key = pending_item.state.key
            for name, pair in values.items():
                self.answers[(key, name)] = pair
            if len(values) == len(pending_item.fields):
                root = key.partition("/")[0]
                if root in self._outstanding:
                    self._outstanding[root] -= 1

    def _accept_ahead(self, group: tuple[Any, str | None], pipeline: GroupPipeline[_PendingItem]) -> None:
        """Validate a group's requests sent ahead one by one, in the order sent, as they land.

        Validation in that order accepts and rejects exactly what validating the merged answers
        would (``seen`` carries the values of the earlier requests). After each request, the
        objects whose answers are all in resume. Values repeating another request's are asked
        again together at the end (each request already asked its own failures max_rounds
        times), then the failure policy applies.
        """
        items = [item for flight in pipeline.flights for item in flight.items]
        call = self._prepare(group[0], group[1], items)
        request = call.request
        seen = self._seen.setdefault(group, {})
        out: list[dict[str, tuple[Any, str]]] = []
        failures: list[SemanticFailure] = []
        dedupe: bool | None = None
        for part_items, result in pipeline.answers():
            offset = len(out)
            if dedupe is None:
                dedupe = _dedupes(result)  # as for the first request, for all of them
            part = replace(request, items=request.items[offset:offset + len(part_items)])
            values = {offset + int(index): fields for index, fields in result.values.items()}
            accepted, rejected = validate_answers(part, values, seen=seen, dedupe=dedupe)
            failures.extend(with_reasons(rejected, result.reasons, offset))
            out.extend(_labelled(part.items, accepted, result, offset))
            self._keep(part_items, out[offset:])
            self._resume_ready()
        if failures:
            failed = sorted({failure.index for failure in failures})
            repeats = [failure for failure in failures if failure.reason == DUPLICATE]  # across requests
            failures = [failure for failure in failures if failure.reason != DUPLICATE]  # asked max_rounds times
            if repeats:
                failures += self._ask_again(call, repeats, seen, out)
            if failures:
                self._apply_policy(call.factory, request, call.decls, failures, out)
            self._keep([items[index] for index in failed], [out[index] for index in failed])

    def fill_group(self, factory_cls: Any, context: str | None,
                   items: list[_PendingItem]) -> list[dict[str, tuple[Any, str]]]:
        """One provider request for ``items``; returns (value, source) per item and field."""
        call = self._prepare(factory_cls, context, items)
        call.result = _waited(partial(_call_provider, call))
        return self._accept(call)

    def _prepare(self, factory_cls: Any, context: str | None, items: list[_PendingItem]) -> _GroupCall:
        specs: dict[str, Any] = {}
        decls: dict[str, SemanticAttribute] = {}
        for item in items:
            for name, decl in item.fields.items():
                if name not in specs:
                    specs[name] = decl.spec(name)
                    decls[name] = decl
        semantic_items = tuple(
            SemanticItem(index=i, key=item.state.key, fields=tuple(item.fields), conditioning=item.conditioning,
                         sequence=item.state.sequence or 0)
            for i, item in enumerate(items)
        )
        meta = factory_cls._meta
        model = meta.get_model_class()
        request = SemanticRequest(
            factory=factory_path(factory_cls),
            model=getattr(model, "__name__", str(model)),
            context=context,
            specs=tuple(specs.values()),
            items=semantic_items,
            seed=current_seed(),
            locale=getattr(meta, "forge_locale", None),
        )
        return _GroupCall(factory_cls, context, items, decls, request, self.provider_for(factory_cls))

    def _accept(self, call: _GroupCall) -> list[dict[str, tuple[Any, str]]]:
        """Validate a group's answers and apply the failure policy."""
        result = call.result
        assert result is not None
        request = call.request
        seen = self._seen.setdefault((call.factory, call.context), {})
        accepted, failures = validate_answers(request, result.values, seen=seen, dedupe=_dedupes(result))
        failures = with_reasons(failures, result.reasons)
        out = _labelled(request.items, accepted, result)
        if failures:
            self._apply_policy(call.factory, request, call.decls, failures, out)
        return out

    def _ask_again(self, call: _GroupCall, failures: list[SemanticFailure], seen: dict[str, set[str]],
                   out: list[dict[str, tuple[Any, str]]]) -> list[SemanticFailure]:
        """Re-ask, in one request, the items that failed across requests sent ahead.

        Each request repairs its own items; only what no single request could see (a value
        repeating one of another request) reaches here. Returns what still fails.
        """
        wanted: dict[int, list[str]] = {}
        for failure in failures:
            wanted.setdefault(failure.index, []).append(failure.field)
        request = call.request
        retry = replace(request, items=tuple(replace(item, fields=tuple(wanted[item.index]))
                                             for item in request.items if item.index in wanted))
        result = _call_provider(call, retry)
        accepted, still = validate_answers(retry, result.values, seen=seen)
        still = with_reasons(still, result.reasons)
        for index, values in accepted.items():
            label = _source_label(result.item_sources.get(index, result.source))
            out[index].update({name: (value, label) for name, value in values.items()})
        return still

    def _apply_policy(self, factory_cls: Any, request: SemanticRequest, decls: dict[str, SemanticAttribute],
                      failures: list[SemanticFailure], out: list[dict[str, tuple[Any, str]]]) -> None:
        policy = getattr(factory_cls._meta, "forge_policy", None) or settings.policy
        described = describe_failures(request, failures)
        if policy == "strict":
            raise SemanticResolutionError(
                f"{factory_cls.__name__}: the provider did not produce valid values for {described}",
                failures=tuple(failures),
            )
        from .providers.offline import OfflineProvider

        offline = OfflineProvider()
        used: dict[str, set[str]] = {}
        for failure in failures:
            item = request.items[failure.index]
            decl = decls[failure.field]
            value = decl.fallback_value(item.conditioning)
            source = "fallback"
            if value is None:
                value = offline.write(request, item, request.spec(failure.field), used.setdefault(failure.field, set()))
                source = "offline"
            out[failure.index][failure.field] = (value, source)
        warnings.warn(
            f"{factory_cls.__name__}: replaced invalid or missing provider values with offline text for {described}",
            ForgeWarning,
            stacklevel=2,
        )


def _dedupes(result: FillResult) -> bool:
    """Whether a provider's answers are checked for duplicates: offline text is local and
    trusted; LLM replies are not."""
    return result.source != "offline"


def _labelled(items: Sequence[SemanticItem], accepted: Mapping[int, Mapping[str, Any]], result: FillResult,
              offset: int = 0) -> list[dict[str, tuple[Any, str]]]:
    """``(value, source label)`` per accepted field of each item, in item order; ``offset`` is
    what was added to ``result``'s indices to make the items' indices."""
    out = []
    for item in items:
        label = _source_label(result.item_sources.get(item.index - offset, result.source))
        out.append({name: (value, label) for name, value in accepted.get(item.index, {}).items()})
    return out


def _source_label(source: str) -> str:
    if source in ("offline", "replayed", "cached", "fallback"):
        return source
    return f"semantic:{source}"


def _bulk_capable(factory_cls: Any) -> bool:
    check = getattr(factory_cls, "_forge_bulk_capable", None)
    return bool(check()) if check is not None else False


def wrap_provider(provider: SemanticProvider) -> SemanticProvider:
    """Apply the cache / record-replay layer when it is available."""
    try:
        from .store import wrap_provider as store_wrap
    except ImportError:
        return provider
    return store_wrap(provider)


def resolve_provider(factory_cls: Any, choice: Any = None) -> SemanticProvider:
    """The provider a factory's semantic values come from, ready to call.

    ``choice`` (a name, object or ``None``) defaults to ``Meta.forge_provider``, then a
    :func:`~forge_factories.config.use_provider` override, then ``settings.provider``, then
    automatic selection. A live provider is wrapped by the store (cache, record/replay) and,
    outermost, by governance (memory rules into the request, PII withheld unless allowed),
    so neither the cache nor the lock file ever sees what was withheld. Explicitly chosen
    offline text is never replayed from a lock file; an automatic choice that fell back to
    offline (no key in CI) is, so CI serves recorded values.
    """
    if choice is None:
        choice = getattr(factory_cls._meta, "forge_provider", None)
    explicit = choice is not None
    if choice is None:
        choice = default_provider_choice()
        explicit = choice is not None
    chosen = get_provider(choice)
    if explicit and getattr(chosen, "name", None) == "offline":
        return chosen
    provider = wrap_provider(chosen)
    if _is_governed(chosen):  # a user's own GovernedProvider keeps its settings
        return provider
    return govern(provider, factory_cls)


def _is_governed(provider: SemanticProvider) -> bool:
    from .governance.provider import GovernedProvider

    return isinstance(provider, GovernedProvider)


def govern(provider: SemanticProvider, factory_cls: Any) -> SemanticProvider:
    """Wrap a live provider in the governance layer (offline text never leaves the process).

    With the permission gates off (``FORGE_FLAG_PERMISSIONS=0``) personal data is allowed
    through, but secrets are still masked: they never leave the process.
    """
    if getattr(provider, "name", None) == "offline":
        return provider
    from .governance.flags import is_enabled
    from .governance.memory import Memory
    from .governance.provider import GovernedProvider

    permissions, memory = is_enabled("permissions"), is_enabled("memory")
    ungated: dict[str, Any] = {} if permissions else {"allow_pii": True, "allow_dangerous": True}
    return GovernedProvider(provider, model=factory_cls, memory=Memory() if memory else None, **ungated)


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


def fill_rows(factory_cls: Any, names: list[str], size: int, *, context: str | None = None,
              conditioning: Sequence[Mapping[str, Any]] | None = None,
              start_sequence: int = 0, provider: SemanticProvider | None = None,
              keys: Sequence[str] | None = None, sequences: Sequence[int] | None = None,
              seen: dict[str, set[str]] | None = None) -> list[dict[str, tuple[Any, str]]]:
    """Semantic values of ``size`` rows built outside the engine (e.g. column-wise generation).

    ``names`` are ``SemanticAttribute`` fields of ``factory_cls``; ``conditioning`` gives each
    row's conditioning values. One provider request per call (chunked by the provider),
    validated, with the factory's failure policy applied. ``provider`` (ready to call, e.g.
    from :func:`resolve_provider`) defaults to the factory's; ``keys``/``sequences`` name the
    rows (default ``"0"``.. and ``start_sequence``..); ``seen`` carries values already used
    across calls, for the duplicate check. Returns ``(value, source)`` per row and field.
    """
    decls = {name: getattr(factory_cls, name) for name in names}
    bad = [n for n, d in decls.items() if not isinstance(d, SemanticAttribute)]
    if bad:
        raise ForgeError(f"{factory_cls.__name__}: {', '.join(bad)} are not SemanticAttribute fields")
    rows = conditioning if conditioning is not None else [{} for _ in range(size)]
    if len(rows) != size:
        raise ForgeError(f"{factory_cls.__name__}: {len(rows)} conditioning rows for {size} rows")
    engine = BatchEngine(factory_cls, enums.BUILD_STRATEGY, context)
    engine.preset_provider = provider
    group_context = engine.context_for(factory_cls)
    if seen is not None:
        engine._seen[(factory_cls, group_context)] = seen
    items = [
        _PendingItem(StepState(key=keys[i] if keys is not None else str(i), factory=factory_cls, depth=0,
                               overrides=(), sequence=sequences[i] if sequences is not None else start_sequence + i),
                     dict(decls), dict(row))
        for i, row in enumerate(rows)
    ]
    if not items:
        return []
    return engine.fill_group(factory_cls, group_context, items)


def resolve_semantic(decl: SemanticAttribute, resolver: Any, step: Any) -> Any:
    """Entry point of ``SemanticAttribute.evaluate``."""
    engine = _ACTIVE.get()
    if isinstance(step, BatchBuildStep) and engine is step.builder.engine:
        name = resolver.current_field() or decl.name or "?"
        return engine.semantic_value(decl, name, resolver, step)
    return _resolve_alone(decl, resolver, step)


def _resolve_alone(decl: SemanticAttribute, resolver: Any, step: Any) -> Any:
    """A semantic value outside any batch (e.g. a stock builder): a request of one item."""
    from .stock import warn_stock_factory

    factory_cls = step.builder.factory_meta.factory
    warn_stock_factory(factory_cls, step)
    pending = getattr(resolver, "_Resolver__pending", None)
    name = pending[-1] if pending else (decl.name or "?")
    conditioning = conditioning_values(decl, name, resolver, factory_cls)
    engine = BatchEngine(factory_cls, step.builder.strategy, None)
    state = StepState(key="0", factory=factory_cls, depth=0, overrides=(), sequence=step.sequence)
    answers = engine.fill_group(factory_cls, engine.context_for(factory_cls),
                                [_PendingItem(state, {name: decl}, conditioning)])
    return answers[0][name][0]
