"""factory_boy's module-level helpers (``make_factory``, ``build``...) on the forge base."""

from __future__ import annotations

from typing import Any

from factory import enums

from forge_factories.core.base import AIFactory


def make_factory(klass: Any, **kwargs: Any) -> type[AIFactory[Any]]:
    """Create a factory for ``klass`` (an ``AIFactory`` unless ``FACTORY_CLASS`` says otherwise)."""
    factory_name = f"{klass.__name__}Factory"
    factory_class = kwargs.pop("FACTORY_CLASS", AIFactory)

    class Meta:
        model = klass

    kwargs["Meta"] = Meta
    base_class = factory_class
    made: type[AIFactory[Any]] = type(base_class).__new__(type(base_class), factory_name, (base_class,), kwargs)
    return made


def build(klass: Any, **kwargs: Any) -> Any:
    """Build an instance of ``klass`` from the given declarations."""
    return make_factory(klass, **kwargs).build()


def build_batch(klass: Any, size: int, **kwargs: Any) -> list[Any]:
    """Build ``size`` instances of ``klass``."""
    return make_factory(klass, **kwargs).build_batch(size)


def create(klass: Any, **kwargs: Any) -> Any:
    """Create an instance of ``klass``."""
    return make_factory(klass, **kwargs).create()


def create_batch(klass: Any, size: int, **kwargs: Any) -> list[Any]:
    """Create ``size`` instances of ``klass``."""
    return make_factory(klass, **kwargs).create_batch(size)


def stub(klass: Any, **kwargs: Any) -> Any:
    """Stub an instance of ``klass``."""
    return make_factory(klass, **kwargs).stub()


def stub_batch(klass: Any, size: int, **kwargs: Any) -> list[Any]:
    """Stub ``size`` instances of ``klass``."""
    return make_factory(klass, **kwargs).stub_batch(size)


def generate(klass: Any, strategy: str, **kwargs: Any) -> Any:
    """Generate an instance of ``klass`` with ``strategy``."""
    return make_factory(klass, **kwargs).generate(strategy)


def generate_batch(klass: Any, strategy: str, size: int, **kwargs: Any) -> list[Any]:
    """Generate ``size`` instances of ``klass`` with ``strategy``."""
    return make_factory(klass, **kwargs).generate_batch(strategy, size)


def simple_generate(klass: Any, create: bool, **kwargs: Any) -> Any:
    """Build or create an instance of ``klass``."""
    return make_factory(klass, **kwargs).simple_generate(create)


def simple_generate_batch(klass: Any, create: bool, size: int, **kwargs: Any) -> list[Any]:
    """Build or create ``size`` instances of ``klass``."""
    return make_factory(klass, **kwargs).simple_generate_batch(create, size)


__all__ = [
    "build", "build_batch", "create", "create_batch", "enums", "generate", "generate_batch", "make_factory",
    "simple_generate", "simple_generate_batch", "stub", "stub_batch",
]
