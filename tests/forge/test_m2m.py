"""Django many-to-many fields in auto factories: a post_generation that links a few related objects on create."""

from __future__ import annotations

import warnings
from typing import Any

import factory

from forge_factories import Forge, seed
from forge_factories.autofactory import classify, factory_for, reset_unique
from forge_factories.core.registry import clear_registry
from forge_factories.governance import describe_model


def _fresh(value: int = 3) -> None:
    seed(value)
    clear_registry()
    reset_unique()


def _labels(article: Any) -> list[str]:
    return sorted(t.label for t in article.tags.all())


def test_create_links_registered_related_objects(dj_corpus: Any) -> None:
    _fresh()
    tags = factory_for(dj_corpus.DJTag).create_batch(6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no factory_boy "second save after post_generation" warning
        articles = factory_for(dj_corpus.DJArticle).create_batch(30)
    counts = [a.tags.count() for a in articles]
    assert min(counts) >= 1 and max(counts) <= 3 and len(set(counts)) > 1
    assert {t.pk for a in articles for t in a.tags.all()} <= {t.pk for t in tags}
    assert dj_corpus.DJTag.objects.count() == 6  # nothing new: the registry had tags
    assert all(a not in a.related.all() for a in articles)
    assert any(a.related.exists() for a in articles[1:])  # self-reference: earlier articles only


def test_related_objects_are_created_when_none_exist(dj_corpus: Any) -> None:
    _fresh()
    article = factory_for(dj_corpus.DJArticle).create()
    assert 1 <= article.tags.count() == dj_corpus.DJTag.objects.count() <= 3
    assert not article.related.exists()  # a self-reference never creates rows


def test_build_sets_nothing(dj_corpus: Any) -> None:
    _fresh()
    article = factory_for(dj_corpus.DJArticle).build()
    assert article.pk is None and dj_corpus.DJTag.objects.count() == 0


def test_overrides_and_switching_off(dj_corpus: Any) -> None:
    _fresh()
    Article = dj_corpus.DJArticle
    first, second = factory_for(dj_corpus.DJTag).create_batch(2)
    assert list(factory_for(Article).create(tags=[second]).tags.all()) == [second]  # call time
    assert not factory_for(Article).create(tags=[]).tags.exists()
    assert not factory_for(Article, tags=None).create().tags.exists()  # factory-wide: off
    assert list(factory_for(Article, tags=lambda: [first]).create().tags.all()) == [first]
    assert not factory_for(Article, tiers={"tags": "computed"}).create().tags.exists()
    calls: list[bool] = []
    hook = factory.PostGeneration(lambda obj, create, extracted, **kw: calls.append(create))
    own = factory_for(Article, tags=hook)
    assert not own.create().tags.exists() and calls == [True]  # a declaration is used as is


def test_deterministic_under_the_seed(dj_corpus: Any) -> None:
    runs = []
    for _ in range(2):
        _fresh(11)
        factory_for(dj_corpus.DJTag).create_batch(8)
        runs.append([_labels(a) for a in factory_for(dj_corpus.DJArticle).create_batch(10)])
    assert runs[0] == runs[1]
    assert len({tuple(r) for r in runs[0]}) > 1


def test_forge_bulk_create_and_classification(dj_corpus: Any) -> None:
    forge = Forge(use_ai=False, seed=5)
    forge.clear_registry()
    tags = forge.create_batch(dj_corpus.DJTag, 4)
    articles = forge.create_batch(dj_corpus.DJArticle, 12)
    assert all(1 <= a.tags.count() <= 3 for a in articles)
    assert {t.pk for a in articles for t in a.tags.all()} <= {t.pk for t in tags}
    field = classify(dj_corpus.DJArticle).field("tags")
    assert (field.tier, field.generator_name) == ("structural", "registry DJTag x1-3 on create (created if none)")
    assert classify(dj_corpus.DJArticle).field("related").generator_name == "registry DJArticle x1-3 on create"
    assert [d.name for d in describe_model(dj_corpus.DJArticle)] == ["id", "title"]  # governance: columns only
