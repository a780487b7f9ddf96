"""pytest plugin (``-p fb_swap``): run factory_boy's own suite on forge_factories' classes.

Loaded before the suite's test modules are imported, it replaces factory_boy's public
factory classes by ours, so every factory the suite defines is a forge_factories factory.
"""

from __future__ import annotations

import factory
import factory.alchemy
import factory.base
import factory.django

import forge_factories.alchemy
import forge_factories.core.base as forge_base
import forge_factories.django

SWAPS = {
    "Factory": forge_base.AIFactory,
    "DictFactory": forge_base.AIDictFactory,
    "BaseDictFactory": forge_base.AIBaseDictFactory,
    "ListFactory": forge_base.AIListFactory,
    "BaseListFactory": forge_base.AIBaseListFactory,
    "StubFactory": forge_base.AIStubFactory,
}

for _name, _cls in SWAPS.items():
    setattr(factory, _name, _cls)
    setattr(factory.base, _name, _cls)
factory.django.DjangoModelFactory = forge_factories.django.AIDjangoModelFactory
factory.alchemy.SQLAlchemyModelFactory = forge_factories.alchemy.AISQLAlchemyModelFactory


def pytest_report_header(config: object) -> str:
    return "fb_swap: factory_boy's Factory/DictFactory/ListFactory/StubFactory/DjangoModelFactory/" \
           "SQLAlchemyModelFactory replaced by forge_factories classes"


def pytest_collection_finish(session: object) -> None:
    """Fail loudly if a test module still sees a stock class (the swap came too late)."""
    assert factory.Factory is forge_base.AIFactory
    assert factory.django.DjangoModelFactory is forge_factories.django.AIDjangoModelFactory
    assert factory.alchemy.SQLAlchemyModelFactory is forge_factories.alchemy.AISQLAlchemyModelFactory


if __import__("os").environ.get("FORGE_SWAP_FORCE_ENGINE") == "1":
    # Route every call through the batch engine, even for trees without semantic fields (and
    # those the compiled row plan would run), so the suite checks the engine's fidelity to
    # factory_boy's semantics too; the default run checks the row plan's.
    forge_base.AIFactory._forge_needs_engine = classmethod(lambda cls, strategy, params: True)  # type: ignore[method-assign]
    forge_base.compile_plan = lambda factory_cls, strategy, size, params: None  # type: ignore[assignment]
