"""Filling a call's pending semantic values: requests per (factory, context) group, answers
validated and failures asked again by the group's loop (:mod:`forge_factories.core.reask`),
then the failure policy.

:class:`AnswerFilling` is the half of the batch engine that talks to providers; the other half
(:mod:`forge_factories.core.engine`) builds the objects and persists them.
"""

from __future__ import annotations

import contextvars
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from itertools import chain
from typing import Any

from forge_factories.common.config import current_settings, default_provider_choice, forced_provider
from forge_factories.common.errors import (
    ForgeWarning,
    SemanticFailure,
    SemanticResolutionError,
)
from forge_factories.common.seeding import current_seed
from forge_factories.core.declarations import SemanticAttribute
from forge_factories.core.pipeline import GroupPipeline
from forge_factories.core.provider_calls import (  # noqa: F401
    PROVIDER_WAIT,
    _call_provider,
    _GroupCall,
    _PendingItem,
    waited,
)
from forge_factories.core.provider_wiring import resolve_provider
from forge_factories.core.reask import AnswerLoop
from forge_factories.core.steps import (
    MISSING,
    BatchBuildStep,
    Pause,
    StepState,
    conditioning_values,
    factory_path,
)
from forge_factories.llm.failures import describe_failures
from forge_factories.llm.providers.base import (
    FillResult,
    RequestPlan,
    SemanticProvider,
    request_plan,
)
from forge_factories.llm.providers.offline import OfflineProvider
from forge_factories.llm.request import SemanticItem, SemanticRequest


class AnswerFilling:
    """Provider requests and answers of one call (mixed into :class:`~forge_factories.core.engine.BatchEngine`)."""

    # State (set by the engine's ``__init__``): pending, answers, ahead, _plans, _grown, _seen,
    # _providers, preset_provider, _outstanding, states.
    pending: dict[tuple[Any, str | None], dict[str, _PendingItem]]
    answers: dict[tuple[str, str], tuple[Any, str]]
    ahead: dict[tuple[Any, str | None], GroupPipeline[_PendingItem]]
    states: dict[str, StepState]
    context: str | None
    preset_provider: SemanticProvider | None
    _plans: dict[tuple[Any, str | None], RequestPlan | None]
    _grown: set[tuple[Any, str | None]]
    _seen: dict[tuple[Any, str | None], dict[str, set[str]]]
    _providers: dict[tuple[Any, Any], SemanticProvider]
    _outstanding: dict[str, int]
    _references: dict[tuple[int, str], tuple[str, ...]]

    def _resume_ready(self) -> None:  # the engine resumes roots whose answers are in
        raise NotImplementedError

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
        choice = forced_provider()
        if choice is None:
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
            plan = self._plans.get(group, MISSING)
            if plan is MISSING:
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
            loops = {id(c): self._loop(c) for c in calls}
            live = [c for c in calls if getattr(c.provider, "name", None) != "offline"]
            if len(live) > 1:  # each group's asks and re-asks, groups side by side (each validates alone)
                with ThreadPoolExecutor(max_workers=min(len(live), current_settings().max_concurrent_groups)) as pool:
                    contexts = [contextvars.copy_context() for _ in live]  # the async call's loop, the scope
                    list(pool.map(lambda ctx, c: ctx.run(self._run_loop, c, loops[id(c)]), contexts, live))
            by_group = {(c.factory, c.context): c for c in calls}
            for group in groups:
                sent = ahead.get(group)
                if sent is not None:
                    self._accept_ahead(group, sent)
                    continue
                call = by_group[group]
                loop = loops[id(call)]
                if call.result is None:
                    self._run_loop(call, loop)
                self._keep(call.items, self._settle(call, loop))
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
        would (the loop's ``seen`` carries the values of the earlier requests). After each
        request, the objects whose answers are all in resume. What failed in any of them
        (a value repeating another request's too) is asked again together, then the failure
        policy applies.
        """
        items = [item for flight in pipeline.flights for item in flight.items]
        call = self._prepare(group[0], group[1], items)
        loop = self._loop(call)
        offset = 0
        for part_items, result in pipeline.answers():
            part = call.request.items[offset:offset + len(part_items)]
            self._keep(part_items, loop.take(result, part, offset))
            offset += len(part_items)
            self._resume_ready()
        if loop.failures:
            failed = sorted({failure.index for failure in loop.failures})
            loop.finish()
            out = self._settle(call, loop)
            self._keep([items[index] for index in failed], [out[index] for index in failed])

    def fill_group(self, factory_cls: Any, context: str | None,
                   items: list[_PendingItem]) -> list[dict[str, tuple[Any, str]]]:
        """One provider request for ``items``; returns (value, source) per item and field."""
        call = self._prepare(factory_cls, context, items)
        call.result = waited(partial(_call_provider, call))
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

    def _loop(self, call: _GroupCall) -> AnswerLoop:
        """The validation and re-ask loop of a group's request (re-asks through the call's provider)."""
        seen = self._seen.setdefault((call.factory, call.context), {})
        return AnswerLoop(call.provider, call.request, seen=seen, send=partial(_send, call))

    def _run_loop(self, call: _GroupCall, loop: AnswerLoop) -> None:
        """Ask for the call's request (unless answered already), validate, ask failed items again."""
        if call.result is None:
            call.result = _call_provider(call)
        loop.take(call.result)
        loop.finish()

    def _accept(self, call: _GroupCall) -> list[dict[str, tuple[Any, str]]]:
        """Validate a group's answer, ask failed items again, apply the failure policy."""
        loop = self._loop(call)
        self._run_loop(call, loop)
        return self._settle(call, loop)

    def _settle(self, call: _GroupCall, loop: AnswerLoop) -> list[dict[str, tuple[Any, str]]]:
        """The loop's values in item order, with the failure policy applied to what still fails."""
        out = loop.labelled()
        if loop.failures:
            self._apply_policy(call.factory, call.request, call.decls, loop.failures, out)
        return out

    def _apply_policy(self, factory_cls: Any, request: SemanticRequest, decls: dict[str, SemanticAttribute],
                      failures: list[SemanticFailure], out: list[dict[str, tuple[Any, str]]]) -> None:
        policy = getattr(factory_cls._meta, "forge_policy", None) or current_settings().policy
        described = describe_failures(request, failures)
        if policy == "strict":
            raise SemanticResolutionError(
                f"{factory_cls.__name__}: the provider did not produce valid values for {described}",
                failures=tuple(failures),
            )
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


def _send(call: _GroupCall, request: SemanticRequest) -> FillResult:
    """A re-ask of ``call``'s group: its provider's answer to ``request``, waited as the engine waits."""
    return waited(partial(_call_provider, call, request))
