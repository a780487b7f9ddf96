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

A call of more than ``Settings.batch_window`` roots runs 1-4 window after window and drops a
finished window's states and answers, so the engine holds one window, not the whole call.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any

from factory import builder as fb_builder
from factory import enums

from forge_factories.common.budget import call_budget
from forge_factories.common.config import current_settings
from forge_factories.common.errors import ForgeConfigError, ForgeError
from forge_factories.common.gcpause import gc_paused
from forge_factories.core.answers import AnswerFilling
from forge_factories.core.declarations import SemanticAttribute, use_semantic_resolver
from forge_factories.core.pipeline import GroupPipeline
from forge_factories.core.provider_calls import PROVIDER_WAIT, _PendingItem, waited  # noqa: F401
from forge_factories.core.provider_wiring import govern, resolve_provider, wrap_provider  # noqa: F401 - engine API
from forge_factories.core.recording import Recording
from forge_factories.core.steps import (  # noqa: F401 - engine API
    ACTIVE,
    MISSING,
    BatchBuildStep,
    BatchStepBuilder,
    Pause,
    StepState,
    active_engine,
    conditioning_values,
    factory_path,
)
from forge_factories.core.unsaved import UnsavedTracking
from forge_factories.llm.providers.base import RequestPlan, SemanticProvider


class BatchEngine(AnswerFilling, UnsavedTracking):
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
        #: Provenance and FK registry of everything the call builds (finished by the caller).
        self.recording = Recording(factory_cls, strategy)

    # -- driving ---------------------------------------------------------------------------

    def run(self, size: int, params: dict[str, Any]) -> list[Any]:
        """Build ``size`` objects with ``params`` as overrides; returns them in order."""
        token = ACTIVE.set(self)
        budget = call_budget(current_settings().max_concurrent_requests)  # one for the whole call
        budget.__enter__()
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
            self._results = [MISSING] * size
            window = _window(self.factory)
            for start in range(0, size, window):
                self._queue = deque(range(start, min(size, start + window)))
                self._run_window()
                self._forget_window()
            return self._results
        finally:
            ACTIVE.reset(token)
            if self.ahead:  # an error stopped the call: drop what was not sent
                waited(self._close_ahead)
            self.release()
            paused_gc.__exit__(None, None, None)
            budget.__exit__(None, None, None)

    def _run_window(self) -> None:
        """Resolve the roots queued (one window of the call) to the end: rounds of building and
        filling, then bulk persistence and post-generation."""
        while True:
            while self._queue:
                self._build_root()
            self._queue, self._paused = deque(self._paused), []
            if self.pending:
                waited(self.fill_pending)
            elif self.unsaved:
                self.persist_unsaved()
            elif self.deferred:
                self.run_deferred()
            elif self._queue:
                raise ForgeError(f"{self.factory.__name__}: batch resolution stalled on items {list(self._queue)}")
            else:
                return

    def _forget_window(self) -> None:
        """Drop what the engine kept of a finished window's objects (their states and answers):
        the objects themselves are in the results, their provenance in the recording."""
        self._break_cycles()
        self.states.clear()
        self.answers.clear()

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
        self._break_cycles()

    def _break_cycles(self) -> None:
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
        self.recording.add(factory_cls, instance, state.overrides, state.sources,
                           register=strategy != enums.STUB_STRATEGY and not state.deferred)
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
            self.recording.register_saved(factory_cls, instances)
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


def _window(factory_cls: Any) -> int:
    """How many root objects of a call resolve together (``Settings.batch_window``)."""
    window = current_settings().batch_window
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ForgeConfigError(f"{factory_cls.__name__}: batch_window must be an int >= 1, got {window!r}")
    return window


def _bulk_capable(factory_cls: Any) -> bool:
    check = getattr(factory_cls, "_forge_bulk_capable", None)
    return bool(check()) if check is not None else False


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
    engine = ACTIVE.get()
    if isinstance(step, BatchBuildStep) and engine is step.builder.engine:
        name = resolver.current_field() or decl.name or "?"
        return engine.semantic_value(decl, name, resolver, step)
    return _resolve_alone(decl, resolver, step)


def _resolve_alone(decl: SemanticAttribute, resolver: Any, step: Any) -> Any:
    """A semantic value outside any batch (e.g. a stock builder): a request of one item."""
    from forge_factories.core.stock import warn_stock_factory

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


use_semantic_resolver(resolve_semantic)
