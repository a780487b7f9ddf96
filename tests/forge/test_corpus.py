"""Every corpus model: 200 instances with each of two seeds, every one valid."""

from __future__ import annotations

from typing import Any

import pytest

from forge_factories import seed
from forge_factories.autofactory import factory_for
from forge_factories.core.registry import clear_registry

from .corpus import alchemy_models, plain_models, pydantic_models

SEEDS = (1, 2)
COUNT = 200


def _name(model: Any) -> str:
    return model.__name__


def _fresh(seed_value: int) -> None:
    seed(seed_value)
    clear_registry()
    from forge_factories.autofactory import reset_unique

    reset_unique()


def test_corpus_size_and_kinds() -> None:
    from .conftest import ensure_django

    django_models = ensure_django()
    kinds = {
        "pydantic": pydantic_models.MODELS,
        "dataclass": plain_models.DATACLASSES,
        "typeddict": plain_models.TYPEDDICTS,
        "attrs": plain_models.ATTRS,
        "django": django_models.MODELS,
        "sqlalchemy": alchemy_models.MODELS,
    }
    assert all(len(models) >= 4 for models in kinds.values()), {k: len(v) for k, v in kinds.items()}
    assert sum(len(models) for models in kinds.values()) >= 40


@pytest.mark.parametrize("seed_value", SEEDS)
@pytest.mark.parametrize("model", pydantic_models.MODELS, ids=_name)
def test_pydantic(model: Any, seed_value: int) -> None:
    _fresh(seed_value)
    objs = factory_for(model).build_batch(COUNT)
    assert len(objs) == COUNT
    for obj in objs:
        assert isinstance(obj, model)
        pydantic_models.validate(obj)


@pytest.mark.parametrize("seed_value", SEEDS)
@pytest.mark.parametrize("model", plain_models.DATACLASSES, ids=_name)
def test_dataclasses(model: Any, seed_value: int) -> None:
    _fresh(seed_value)
    for obj in factory_for(model).build_batch(COUNT):
        assert isinstance(obj, model)
        plain_models.validate_dataclass(obj)


@pytest.mark.parametrize("seed_value", SEEDS)
@pytest.mark.parametrize("model", plain_models.TYPEDDICTS, ids=_name)
def test_typeddicts(model: Any, seed_value: int) -> None:
    _fresh(seed_value)
    for obj in factory_for(model).build_batch(COUNT):
        plain_models.validate_typeddict(model, obj)


@pytest.mark.parametrize("seed_value", SEEDS)
@pytest.mark.parametrize("model", plain_models.ATTRS, ids=_name)
def test_attrs(model: Any, seed_value: int) -> None:
    _fresh(seed_value)
    for obj in factory_for(model).build_batch(COUNT):
        assert isinstance(obj, model)
        plain_models.validate_attrs(obj)


@pytest.mark.parametrize("seed_value", SEEDS)
def test_django(dj_corpus: Any, seed_value: int) -> None:
    _fresh(seed_value)
    for model in dj_corpus.MODELS:
        objs = factory_for(model).create_batch(COUNT)
        assert len(objs) == COUNT
        for obj in objs:
            assert obj.pk is not None, model
            obj.full_clean()
        assert model.objects.count() >= COUNT


@pytest.mark.parametrize("seed_value", SEEDS)
@pytest.mark.parametrize("model", alchemy_models.MODELS, ids=_name)
def test_sqlalchemy(sa_session: Any, model: Any, seed_value: int) -> None:
    _fresh(seed_value)
    objs = factory_for(model, session=sa_session).create_batch(COUNT)
    sa_session.flush()
    for obj in objs:
        alchemy_models.validate(obj)
    from sqlalchemy import func, select

    assert sa_session.scalar(select(func.count()).select_from(model)) >= COUNT
