"""The ``Forge`` facade: auto factories for any model, one object, batches, swarms, stats."""

from __future__ import annotations

import contextlib
import typing
from collections.abc import Sequence
from typing import Any

from forge_factories.auto import COMPUTED, SEMANTIC, STRUCTURAL, ModelInfo
from forge_factories.autofactory import factory_for, remember_models, reset_unique
from forge_factories.common.config import use_provider
from forge_factories.common.errors import ForgeConfigError
from forge_factories.common.ordering import parents_first
from forge_factories.core import registry as _registry
from forge_factories.core.scope import Scope
from forge_factories.governance.flags import flag_summary
from forge_factories.governance.gates import check_permissions
from forge_factories.governance.memory import Memory
from forge_factories.llm.providers.accounting import session_tokens, usage
from forge_factories.store import wrap_provider
from forge_factories.store.modes import StoreProvider


def _model_name(model: Any) -> str:
    return getattr(model, "__name__", repr(model))


def _field_value(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def memory_stats(memory: Memory) -> dict[str, Any]:
    """Size of the rule memory: topics, rules, kilobytes."""
    return dict(memory.stats())


class Forge:
    """Test data for any model, no factory written: ``Forge(use_ai=False, seed=42).create_batch(User, 500)``.

    ``use_ai=False`` writes semantic fields (bio, review...) with the deterministic offline
    provider; otherwise ``provider_name``/``model`` pick the LLM provider (``None``: automatic
    selection). ``seed`` makes everything reproducible across processes. ``locale`` is Faker's
    locale. ``verbose`` prints where each value came from. ``allow_pii``/``interactive`` feed
    the permission gates. ``none_ratio`` is how often Optional fields are ``None``;
    ``provider`` is a provider object to use instead of ``provider_name``;
    ``sqlalchemy_session`` is where SQLAlchemy models are persisted.
    """

    def __init__(
        self,
        use_ai: bool = True,
        seed: int | None = None,
        provider_name: str | None = None,
        model: str | None = None,
        locale: str | None = None,
        verbose: bool = False,
        use_cache: bool = True,
        allow_pii: bool | None = None,
        interactive: bool | None = None,
        *,
        none_ratio: float = 0.1,
        provider: Any = None,
        sqlalchemy_session: Any = None,
    ) -> None:
        self.use_ai = use_ai
        self.seed = seed
        self.provider_name = provider_name
        self.model = model
        self.locale = locale
        self.verbose = verbose
        self.use_cache = use_cache
        self.allow_pii = allow_pii
        self.interactive = interactive
        self.none_ratio = none_ratio
        self._given_provider = provider
        self._provider: Any = None
        self.sqlalchemy_session = sqlalchemy_session
        self._checked: set[Any] = set()
        self._memory: Memory | None = None
        # A seeded forge owns its scope (random streams, sequences, registry): building or using
        # another forge, or plain factories, never changes this one's output.
        self._scope = Scope(seed) if seed is not None else None
        if self._scope is None:
            reset_unique()

    def __repr__(self) -> str:
        mode = "offline" if not self.use_ai else (self.provider_name or "auto")
        return f"Forge(mode={mode!r}, seed={self.seed!r}, locale={self.locale!r})"

    # -- providers and gates ---------------------------------------------------------------

    @property
    def provider(self) -> Any:
        """The semantic provider of this forge (created on first use)."""
        if self._provider is None:
            from forge_factories.llm.providers import (
                get_provider,  # noqa: F401 - selection registers built-ins
                selection,  # noqa: F401 - selection registers built-ins
            )

            if self._given_provider is not None:
                inner = self._given_provider
            elif not self.use_ai:
                inner = get_provider("offline")
            else:
                options = {"model": self.model} if self.model else {}
                inner = get_provider(self.provider_name, **options)
            self._provider = self._cached(inner)
        return self._provider

    def _cached(self, inner: Any) -> Any:
        """``inner`` as the engine should see it: ``use_cache=False`` keeps the response cache out.

        With ``use_cache=True`` the engine applies the store (response cache, record/replay)
        itself; with ``False`` the provider is pre-wrapped by the store without a cache, so the
        engine does not add one.
        """
        if self.use_cache or getattr(inner, "name", "") == "offline":
            return inner
        wrapped = wrap_provider(inner, use_cache=False)
        if wrapped is inner:  # live mode without a cache: mark it as already seen by the store
            wrapped = StoreProvider(inner, mode="live")
        return wrapped

    @property
    def memory(self) -> Memory:
        """The business-rule memory (``.forge/`` of the project; nothing is created until a rule is added)."""
        if self._memory is None:
            self._memory = Memory()
        return self._memory

    def _gate(self, model: Any) -> None:
        if model in self._checked:
            return
        check_permissions(model, allow_pii=self.allow_pii, interactive=self.interactive)
        self._checked.add(model)

    def _using_provider(self) -> contextlib.AbstractContextManager[None]:
        """Every factory of the tree without its own provider uses this forge's (scoped, thread-safe)."""
        return use_provider(self.provider)

    # -- factories -------------------------------------------------------------------------

    def factory(self, model: Any, **options: Any) -> type[Any]:
        """The auto factory this forge uses for ``model`` (``options`` as for ``factory_for``)."""
        remember_models(model)
        if self.sqlalchemy_session is not None:
            options.setdefault("session", self.sqlalchemy_session)
        return factory_for(model, locale=self.locale, none_ratio=self.none_ratio, **options)

    def classify(self, model: Any) -> ModelInfo:
        """The tier and generator of each field of ``model``."""
        remember_models(model)
        return typing.cast(ModelInfo, self.factory(model)._forge_auto_info)

    def describe(self, model: Any) -> str:
        """The printable classification of ``model``."""
        return self.classify(model).describe()

    # -- generation ------------------------------------------------------------------------

    def create(self, model: Any, **overrides: Any) -> Any:
        """One instance of ``model`` (persisted for Django/SQLAlchemy factories)."""
        return self.create_batch(model, 1, **overrides)[0]

    def create_batch(self, model: Any, count: int, context: str | None = None, **overrides: Any) -> list[Any]:
        """``count`` instances of ``model`` (always a list); semantic fields resolved in one batch."""
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ForgeConfigError(f"Forge.create_batch(): count must be a non-negative int, got {count!r}")
        self._gate(model)
        factory_cls = self.factory(model)
        if context is not None:
            overrides["forge_context"] = context
        with self._scoped(), self._using_provider():
            objects = factory_cls.create_batch(count, **overrides)
        if self.verbose:
            for obj in objects:
                print(self.explain(obj, model, overrides))
        return list(objects)

    def swarm(
        self,
        models: Sequence[Any],
        counts: Sequence[int] | int = 10,
        contexts: Sequence[str | None] | None = None,
    ) -> dict[str, list[Any]]:
        """Generate several models, parents before children; returns ``{model name: objects}``.

        Foreign keys of later models resolve to the objects of earlier ones (one registry,
        one provider and cache for the whole swarm).
        """
        from forge_factories.governance.flags import is_enabled

        if not is_enabled("swarms"):
            raise ForgeConfigError("Forge.swarm() is switched off (FORGE_FLAG_SWARMS=0); "
                                   "generate the models one by one with create_batch()")
        models = list(models)
        count_list = [counts] * len(models) if isinstance(counts, int) else list(counts)
        context_list = list(contexts) if contexts is not None else [None] * len(models)
        if len(count_list) != len(models) or len(context_list) != len(models):
            raise ForgeConfigError("Forge.swarm(): models, counts and contexts must have the same length")
        remember_models(*models)
        plan = dict(zip(models, zip(count_list, context_list, strict=True), strict=True))
        result: dict[str, list[Any]] = {}
        with self._scoped():
            for model in self.dependency_order(models):
                count, context = plan[model]
                result[_model_name(model)] = self.create_batch(model, count, context=context)
        return {_model_name(m): result[_model_name(m)] for m in models}

    def create_stream(self, model: Any, count: int, filename: str | None = None, **options: Any) -> Any:
        """Produce ``count`` records lazily, written to ``filename`` (.json, .jsonl, .csv, .sql).

        Delegates to :func:`forge_factories.datasets.stream.create_stream` with this forge's auto factory
        and provider; iterate the returned stream (records are not kept).
        """
        from forge_factories.datasets.stream import create_stream

        self._gate(model)
        options.setdefault("provider", self.provider)
        if self.seed is not None:
            options.setdefault("seed", self.seed)  # the stream runs later, outside this forge's scope
        return create_stream(self.factory(model), count, filename, **options)

    def create_large(self, model: Any, count: int, seed_ratio: float = 0.01, **options: Any) -> list[Any]:
        """``count`` distinct records paying for about ``seed_ratio * count`` semantic values.

        Delegates to :func:`forge_factories.datasets.large.create_large` with this forge's auto factory and provider.
        """
        from forge_factories.datasets.large import create_large

        self._gate(model)
        options.setdefault("provider", self.provider)
        with self._scoped():
            return create_large(self.factory(model), count, seed_ratio, **options)

    def dependency_order(self, models: Sequence[Any]) -> list[Any]:
        """``models`` sorted so that every model comes after the models its foreign keys name.

        Level by level, given order inside a level (:func:`~forge_factories.common.ordering.parents_first`).
        Foreign keys in a cycle keep the given order on purpose: an auto factory's foreign key
        creates its parent when none exists yet, so such models can still be generated.
        """
        remember_models(*models)

        def parents(model: Any) -> list[Any]:
            return [f.foreign_key.target for f in self.classify(model).fields if f.foreign_key is not None]

        return parents_first(list(models), parents, keep_order_on_cycle=True)

    # -- provenance, stats -----------------------------------------------------------------

    def provenance_lines(self, obj: Any, model: Any | None = None, overrides: dict[str, Any] | None = None
                         ) -> list[str]:
        """``[faker] name = 'Allison Hill'`` lines: where each field of ``obj`` came from."""
        from forge_factories.core.provenance import provenance

        info = self.classify(model if model is not None else type(obj))
        sources = {name: p.source for name, p in provenance(obj).items()}
        lines = []
        for field in info.fields:
            if overrides and field.name in overrides:
                label = "override"
            elif field.tier == SEMANTIC:
                source = sources.get(field.name, "semantic")
                label = "offline" if "offline" in source else ("ai" if source.startswith("semantic") else source)
            elif field.tier == STRUCTURAL:
                label = "structural"
            elif field.tier == COMPUTED:
                label = "computed"
            elif field.generator_name.startswith("faker:"):
                label = "faker"
            else:
                label = "generated"
            lines.append(f"[{label}] {field.name} = {_field_value(obj, field.name)!r}")
        return lines

    def explain(self, obj: Any, model: Any | None = None, overrides: dict[str, Any] | None = None) -> str:
        """:meth:`provenance_lines` joined by newlines."""
        return "\n".join(self.provenance_lines(obj, model, overrides))

    def stats(self) -> dict[str, Any]:
        """``{"registry", "session_tokens", "cache_hits", "usage", "memory", "flags"}``.

        ``usage`` is per provider and model (requests, tokens, cache hits); ``cache_hits``
        counts requests answered from the response cache instead of the API.
        """
        per_model = usage()
        return {
            "registry": self._scope.registry.counts() if self._scope is not None else _registry.counts(),
            "session_tokens": session_tokens(),
            "cache_hits": sum(row["cache_hits"] for models in per_model.values() for row in models.values()),
            "usage": per_model,
            "memory": memory_stats(self.memory),
            "flags": flag_summary(),
        }

    def clear_registry(self) -> None:
        """Forget every generated parent and unique value (a new, independent scenario)."""
        with self._scoped():
            _registry.clear_registry()
            reset_unique()

    def _scoped(self) -> contextlib.AbstractContextManager[Any]:
        """This forge's scope while its calls run (nothing for an unseeded forge)."""
        return self._scope if self._scope is not None else contextlib.nullcontext()
