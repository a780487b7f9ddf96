"""``AIFactory``: factory_boy's ``Factory`` with batched semantic resolution."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any, TypeVar

import factory
from factory import base as fb_base
from factory import enums, errors

from forge_factories.common.config import check_policy
from forge_factories.common.errors import ForgeConfigError, SemanticDeclarationError
from forge_factories.common.ordering import parents_first
from forge_factories.core import registry as _registry
from forge_factories.core.declaration_tree import TreeQuery
from forge_factories.core.declarations import SemanticAttribute
from forge_factories.core.engine import BatchEngine
from forge_factories.core.fastfaker import faker_scope
from forge_factories.core.recording import Recording
from forge_factories.core.rowplan import compile_plan
from forge_factories.core.stock_build import RecordingStepBuilder, build_stock  # noqa: F401 - RecordingStepBuilder re-exported

T = TypeVar("T")

#: The keyword that always carries the generation context (``context=`` does too, unless the
#: factory declares a field called ``context``).
CONTEXT_KWARG = "forge_context"

_UNSET: Any = object()


def _meta_name(meta: Any) -> str:
    """``UserFactory.Meta`` for the ``Meta`` class of ``UserFactory``."""
    qualname = getattr(meta, "__qualname__", "Meta")
    return ".".join(qualname.split(".")[-2:])


def _check_context(meta: Any, value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise ForgeConfigError(f"{_meta_name(meta)}.forge_context must be a string or None, got {value!r}")


def _check_policy(meta: Any, value: Any) -> None:
    if value is not None:
        check_policy(value, where=f"{_meta_name(meta)}.forge_policy")


def _check_locale(meta: Any, value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise ForgeConfigError(
            f"{_meta_name(meta)}.forge_locale must be a locale string such as 'fr_FR', got {value!r}"
        )


def _check_sensitivity(meta: Any, value: Any) -> None:
    if value is not None:
        from forge_factories.governance.sensitivity import validate_sensitivity_mapping

        validate_sensitivity_mapping(value, where=f"{_meta_name(meta)}.forge_sensitivity")


class ForgeOptionsMixin:
    """Adds forge's ``Meta`` options to a factory_boy options class.

    ``forge_context``: default generation context; ``forge_provider``: provider name or
    object; ``forge_policy``: ``"fallback"`` or ``"strict"``; ``forge_locale``: locale of
    offline text; ``forge_verbose``: print each object's provenance; ``forge_sensitivity``:
    ``{field: "safe" | "sensitive" | "dangerous"}`` overrides of the governance classification.
    """

    def _build_default_options(self) -> list[fb_base.OptionDefault]:
        return super()._build_default_options() + [  # type: ignore[misc]
            fb_base.OptionDefault("forge_context", None, inherit=True, checker=_check_context),
            fb_base.OptionDefault("forge_provider", None, inherit=True),
            fb_base.OptionDefault("forge_policy", None, inherit=True, checker=_check_policy),
            fb_base.OptionDefault("forge_locale", None, inherit=True, checker=_check_locale),
            fb_base.OptionDefault("forge_verbose", None, inherit=True),
            fb_base.OptionDefault("forge_sensitivity", None, inherit=True, checker=_check_sensitivity),
        ]

    def _fill_from_meta(self, meta: Any, base_meta: Any) -> None:
        if meta is not None:
            known = {option.name for option in self._build_default_options()}
            unknown = sorted(k for k in vars(meta) if not k.startswith("_") and k not in known)
            if unknown:
                hints = []
                for name in unknown:
                    close = difflib.get_close_matches(name, sorted(known), n=1)
                    hints.append(f"{name} (did you mean {close[0]}?)" if close else name)
                raise ForgeConfigError(
                    f"'class Meta' for {self.factory!r} got unknown attribute(s) {', '.join(hints)}"  # type: ignore[attr-defined]
                )
        super()._fill_from_meta(meta, base_meta)  # type: ignore[misc]

    def contribute_to_class(self, factory: Any, meta: Any = None, base_meta: Any = None, base_factory: Any = None,
                            params: Any = None) -> None:
        super().contribute_to_class(  # type: ignore[misc]
            factory, meta=meta, base_meta=base_meta, base_factory=base_factory, params=params,
        )
        if not self.abstract:  # type: ignore[attr-defined]
            check_semantic_declarations(factory)


class ForgeOptions(ForgeOptionsMixin, fb_base.FactoryOptions):
    """Options of a plain ``AIFactory``."""


def semantic_declarations(factory_cls: Any) -> dict[str, SemanticAttribute]:
    """The factory's own ``SemanticAttribute`` fields, by name."""
    declarations = factory_cls._meta.pre_declarations.declarations
    return {name: decl for name, decl in declarations.items() if isinstance(decl, SemanticAttribute)}


def check_semantic_declarations(factory_cls: Any) -> None:
    """Fail early on a reference to an undeclared field or a cycle through semantic fields."""
    meta = factory_cls._meta
    semantic = semantic_declarations(factory_cls)
    if not semantic:
        return
    known = set(meta.pre_declarations) | set(meta.parameters)
    for name, decl in semantic.items():
        decl.check_definition(factory_cls.__name__, name)
        for ref in decl.spec(name).references:
            root = ref.split(".", 1)[0]
            if root not in known:
                raise SemanticDeclarationError(
                    f"{factory_cls.__name__}.{name}: SemanticAttribute references {ref!r}, but "
                    f"{factory_cls.__name__} declares no field {root!r} (declared: {', '.join(sorted(known))})"
                )
    refs = {name: [r.split(".", 1)[0] for r in decl.spec(name).references] for name, decl in semantic.items()}
    parents_first(list(semantic), refs.__getitem__, error=SemanticDeclarationError,
                  cycle_error=f"{factory_cls.__name__}: semantic fields depend on each other in a cycle")


# -- does a factory tree need the batch engine? --------------------------------------------------

#: Whether a factory tree declares a ``SemanticAttribute`` (its cache: ``tree_has_semantic.cache``).
tree_has_semantic = TreeQuery(lambda value: isinstance(value, SemanticAttribute))
_TREE_CACHE = tree_has_semantic.cache


class AIFactory(factory.Factory[T]):
    """A factory_boy ``Factory`` whose ``SemanticAttribute`` fields resolve in one batch.

    Drop-in: every factory_boy declaration, ``Meta`` option and call works unchanged.
    ``create_batch(50, context="angry holiday customers")`` resolves all 50 objects' text
    (and their SubFactory / RelatedFactory children's) in one provider request per
    (factory, context) group. A factory tree without semantic fields is built exactly as
    factory_boy builds it.
    """

    _options_class = ForgeOptions

    class Meta:
        abstract = True

    # -- context ---------------------------------------------------------------------------

    @classmethod
    def _forge_pop_context(cls, params: dict[str, Any]) -> str | None:
        context = params.pop(CONTEXT_KWARG, _UNSET)
        if "context" in params and not cls._forge_declares("context") and tree_has_semantic(cls):
            if context is not _UNSET:
                raise ForgeConfigError(f"{cls.__name__}: pass either context= or {CONTEXT_KWARG}=, not both")
            context = params.pop("context")
        if context is _UNSET:
            return None
        if context is not None and not isinstance(context, str):
            raise ForgeConfigError(f"{cls.__name__}: context must be a string or None, got {context!r}")
        return context

    @classmethod
    def _forge_declares(cls, name: str) -> bool:
        meta = cls._meta
        return name in meta.pre_declarations or name in meta.post_declarations or name in meta.parameters

    # -- engine selection ------------------------------------------------------------------

    @classmethod
    def _forge_bulk_capable(cls) -> bool:
        """Whether ``create`` may build unsaved objects and save them in bulk (ORM factories)."""
        return cls._forge_bulk_reason() is None

    @classmethod
    def _forge_bulk_reason(cls) -> str | None:
        """Why ``create`` cannot save this factory's objects in bulk (``None``: it can)."""
        return "not a Django or SQLAlchemy factory"

    @classmethod
    def _forge_build_unsaved(cls, model_class: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Build an object that :meth:`_forge_persist_bulk` will save."""
        return cls._build(model_class, *args, **kwargs)

    @classmethod
    def _forge_persist_bulk(cls, instances: list[Any]) -> None:
        """Save objects built by :meth:`_forge_build_unsaved` (ORM factories override)."""
        raise NotImplementedError(f"{cls.__name__} has no bulk persistence")

    @classmethod
    def _forge_needs_engine(cls, strategy: str, params: dict[str, Any]) -> bool:
        if strategy == enums.CREATE_STRATEGY and cls._forge_bulk_capable():
            return True
        if tree_has_semantic(cls):
            return True
        seen: set[Any] = set()
        return any(tree_has_semantic.declaration(v, seen) for v in params.values())

    @classmethod
    def _generate(cls, strategy: str, params: dict[str, Any]) -> Any:
        context = cls._forge_pop_context(params)
        return cls._forge_generate_many(strategy, 1, params, context)[0]

    @classmethod
    def _forge_generate_many(cls, strategy: str, size: int, params: dict[str, Any], context: str | None) -> list[Any]:
        if cls._meta.abstract:
            raise errors.FactoryError(
                f"Cannot generate instances of abstract factory {cls.__name__}; "
                f"Ensure {cls.__name__}.Meta.model is set and {cls.__name__}.Meta.abstract "
                "is either not set or False."
            )
        with _registry.factory_call(), faker_scope(cls, params):
            plan = compile_plan(cls, strategy, size, params)
            if plan is not None:  # nothing needs per-object machinery: the compiled row loop
                objects, recording = plan.run(size)
            elif cls._forge_needs_engine(strategy, params):
                engine = BatchEngine(cls, strategy, context)
                objects = engine.run(size, params)
                recording = engine.recording
            else:
                recording = Recording(cls, strategy)
                objects = build_stock(cls, strategy, size, params, recording)
        recording.finish(objects)  # provenance per batch, verbose lines
        return objects

    # -- batches ---------------------------------------------------------------------------

    @classmethod
    def _forge_batch(cls, strategy: str, size: int, kwargs: dict[str, Any]) -> list[Any]:
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ForgeConfigError(f"{cls.__name__}.{strategy}_batch(): size must be a non-negative int, got {size!r}")
        context = cls._forge_pop_context(kwargs)
        single = getattr(cls, strategy)
        if getattr(single, "__func__", None) is not getattr(AIFactory, strategy).__func__:
            # build/create/stub overridden: honour the override, one object at a time.
            if context is not None:
                kwargs[CONTEXT_KWARG] = context
            return [single(**kwargs) for _ in range(size)]
        return cls._forge_generate_many(strategy, size, kwargs, context)

    @classmethod
    def build_batch(cls, size: int, **kwargs: Any) -> list[T]:
        """Build ``size`` objects; semantic values of all of them are resolved together."""
        return cls._forge_batch(enums.BUILD_STRATEGY, size, kwargs)

    @classmethod
    def create_batch(cls, size: int, **kwargs: Any) -> list[T]:
        """Create ``size`` objects (``context=`` sets the generation context of the whole tree)."""
        return cls._forge_batch(enums.CREATE_STRATEGY, size, kwargs)

    @classmethod
    def stub_batch(cls, size: int, **kwargs: Any) -> list[Any]:
        """Stub ``size`` objects."""
        return cls._forge_batch(enums.STUB_STRATEGY, size, kwargs)

    # -- async (docs/async.md): the same calls, awaited ------------------------------------------

    @classmethod
    async def acreate(cls, **kwargs: Any) -> T:
        """``create`` awaited: API requests run on this event loop through the SDKs' async clients
        (see :meth:`_forge_await` for where the engine runs)."""
        return await cls._forge_await(cls.create, **kwargs)

    @classmethod
    async def acreate_batch(cls, size: int, **kwargs: Any) -> list[T]:
        """``create_batch`` awaited (``context=`` as for ``create_batch``); never blocks the event loop."""
        return await cls._forge_await(cls.create_batch, size, **kwargs)

    @classmethod
    async def _forge_await(cls, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run the synchronous ``call`` off the event loop: here in a worker thread; the ORM
        factories write through their async paths instead."""
        from forge_factories.core.async_threads import in_thread

        return await in_thread(call, *args, **kwargs)

    @classmethod
    def for_model(cls, model: Any, **overrides: Any) -> type[AIFactory[Any]]:
        """An auto factory for ``model`` from its type hints (see docs/forge.md)."""
        if _model_factory_builder is None:
            raise ForgeConfigError("AIFactory.for_model needs forge_factories.autofactory (import forge_factories)")
        return _model_factory_builder(model, **overrides)


_model_factory_builder: Callable[..., type[AIFactory[Any]]] | None = None


def use_model_factory_builder(builder: Callable[..., type[AIFactory[Any]]]) -> None:
    """Set what :meth:`AIFactory.for_model` calls (the package root wires in the auto factories)."""
    global _model_factory_builder
    _model_factory_builder = builder


class AIStubFactory(AIFactory[Any]):
    """``factory.StubFactory`` on the forge base: ``build`` stubs, ``create`` is unsupported."""

    class Meta:
        strategy = enums.STUB_STRATEGY
        model = fb_base.StubObject

    @classmethod
    def build(cls, **kwargs: Any) -> Any:
        """For stubs, ``build()`` is an alias of ``stub()`` (as in factory_boy)."""
        return cls.stub(**kwargs)

    @classmethod
    def create(cls, **kwargs: Any) -> Any:
        raise errors.UnsupportedStrategy()


class AIBaseDictFactory(fb_base.BaseDictFactory, AIFactory[dict[str, Any]]):
    """``factory.BaseDictFactory`` on the forge base."""

    class Meta:
        abstract = True


class AIDictFactory(AIBaseDictFactory):
    """``factory.DictFactory`` on the forge base."""

    class Meta:
        model = dict


class AIBaseListFactory(fb_base.BaseListFactory, AIFactory[list[Any]]):
    """``factory.BaseListFactory`` on the forge base."""

    class Meta:
        abstract = True


class AIListFactory(AIBaseListFactory):
    """``factory.ListFactory`` on the forge base."""

    class Meta:
        model = list
