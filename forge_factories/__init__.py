"""forge_factories: realistic, context-aware test fixtures on top of factory_boy.

``import forge_factories as factory`` is a drop-in for factory_boy: every public name of
``factory`` is here, with ``Factory`` = :class:`AIFactory` (and ``DictFactory``,
``ListFactory``, ``StubFactory`` on the same base), plus :class:`SemanticAttribute`,
:func:`seed`, :func:`provenance` and the ``Forge`` facade.
"""

from __future__ import annotations

import importlib
from typing import Any

from factory import (  # noqa: F401 - factory_boy's submodules, re-exported for drop-in use
    builder,
    enums,
    faker,
    fuzzy,
    random,
    utils,
)
from factory.declarations import (
    ContainerAttribute,
    Dict,
    Iterator,
    LazyAttribute,
    LazyAttributeSequence,
    LazyFunction,
    List,
    Maybe,
    PostGeneration,
    PostGenerationMethodCall,
    RelatedFactory,
    RelatedFactoryList,
    SelfAttribute,
    Sequence,
    SubFactory,
    Trait,
    Transformer,
)
from factory.enums import BUILD_STRATEGY, CREATE_STRATEGY, STUB_STRATEGY
from factory.faker import Faker
from factory.helpers import (
    container_attribute,
    debug,
    iterator,
    lazy_attribute,
    lazy_attribute_sequence,
    post_generation,
    sequence,
)

from forge_factories.common import errors
from forge_factories.common.config import configure, current_settings, settings, settings_scope
from forge_factories.common.errors import FactoryError
from forge_factories.common.importing import resolve as _resolve
from forge_factories.common.seeding import seed
from forge_factories.core import base as _core_base
from forge_factories.core.base import (
    AIBaseDictFactory,
    AIBaseListFactory,
    AIDictFactory,
    AIFactory,
    AIListFactory,
    AIStubFactory,
)
from forge_factories.core.base import AIBaseDictFactory as BaseDictFactory
from forge_factories.core.base import AIBaseListFactory as BaseListFactory
from forge_factories.core.base import AIDictFactory as DictFactory
from forge_factories.core.base import AIFactory as Factory
from forge_factories.core.base import AIListFactory as ListFactory
from forge_factories.core.base import AIStubFactory as StubFactory
from forge_factories.core.declarations import SemanticAttribute
from forge_factories.core.helpers import (
    build,
    build_batch,
    create,
    create_batch,
    generate,
    generate_batch,
    make_factory,
    simple_generate,
    simple_generate_batch,
    stub,
    stub_batch,
)
from forge_factories.core.provenance import explain, provenance
from forge_factories.core.registry import clear_registry
from forge_factories.orm import executors as _orm_executors

__version__ = "0.1.0"


def _model_factory(model: Any, **overrides: Any) -> Any:
    """``AIFactory.for_model``: the auto factories sit above the core, so the root wires them in."""
    return _resolve("forge_factories.autofactory:factory_for")(model, **overrides)


_core_base.use_model_factory_builder(_model_factory)


def _column_batch(factory_cls: Any, strategy: str, size: int, params: dict[str, Any], context: str | None) -> Any:
    """``Meta.forge_executor = "columns"``: the column-wise executor sits above the ORM factories."""
    return _resolve("forge_factories.datasets.orm_batch:run")(factory_cls, strategy, size, params, context)


_orm_executors.use_column_batch(_column_batch)

_LAZY_MODULES = {"django", "alchemy", "mogo", "mongoengine"}
_LAZY_ATTRS = {
    "Forge": "forge_factories.forge",
    "DataExporter": "forge_factories.datasets.export",
    "create_stream": "forge_factories.datasets.stream",
    "create_large": "forge_factories.datasets.large",
    "RegistrySubFactory": "forge_factories.core.declarations_registry",
    "seed_session": "forge_factories.orm.seed_schema",
    "seed_database": "forge_factories.orm.seed_schema",
    "aseed_session": "forge_factories.orm.seed_async",
}


def __getattr__(name: str) -> Any:
    """Import ORM adapters and the Forge facade on first use (no import-time cost)."""
    if name in _LAZY_MODULES:
        module_name = f"forge_factories.{name}" if name in ("django", "alchemy") else f"factory.{name}"
        return importlib.import_module(module_name)
    if name in _LAZY_ATTRS:
        return _resolve(f"{_LAZY_ATTRS[name]}:{name}")
    raise AttributeError(f"module 'forge_factories' has no attribute {name!r}")


def use_strategy(new_strategy: str) -> Any:
    """Force the default strategy of a factory (decorator), as ``factory.use_strategy``."""
    from factory.base import use_strategy as _use_strategy

    return _use_strategy(new_strategy)


__all__ = [
    "AIBaseDictFactory", "AIBaseListFactory", "AIDictFactory", "AIFactory", "AIListFactory", "AIStubFactory",
    "aseed_session", "BUILD_STRATEGY", "BaseDictFactory", "BaseListFactory", "CREATE_STRATEGY", "ContainerAttribute", "Dict",
    "DataExporter", "DictFactory", "Factory", "builder", "enums", "faker", "utils", "FactoryError", "Faker", "Forge", "Iterator", "LazyAttribute", "LazyAttributeSequence",
    "LazyFunction", "List", "ListFactory", "Maybe", "PostGeneration", "PostGenerationMethodCall", "RelatedFactory",
    "RegistrySubFactory", "RelatedFactoryList", "STUB_STRATEGY", "SelfAttribute", "SemanticAttribute", "Sequence", "StubFactory",
    "SubFactory", "Trait", "Transformer", "build", "build_batch", "clear_registry", "configure", "current_settings",
    "container_attribute", "create", "create_batch", "create_large", "create_stream", "debug", "errors", "explain", "fuzzy", "generate",
    "generate_batch", "iterator", "lazy_attribute", "lazy_attribute_sequence", "make_factory", "post_generation",
    "provenance", "random", "seed", "seed_database", "seed_session", "sequence", "settings", "settings_scope", "simple_generate", "simple_generate_batch", "stub",
    "stub_batch", "use_strategy",
]
