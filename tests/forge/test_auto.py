"""Auto factories: tiers, overrides, constraints, bad input, uniqueness, foreign keys, locale."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import factory
import pytest
from pydantic import BaseModel, Field

from forge_factories import seed
from forge_factories.auto import WINDOW_END, WINDOW_START, AutoFactoryError, register_type
from forge_factories.autofactory import classify, describe, factory_for, reset_unique
from forge_factories.core.declarations import SemanticAttribute
from forge_factories.core.registry import clear_registry, current, instances
from forge_factories.llm.providers.recording import RecordingProvider

from . import models as m
from .corpus import pydantic_models as pm


@pytest.fixture(autouse=True)
def _fresh() -> None:
    seed(7)
    clear_registry()
    reset_unique()


def test_tiers_of_the_brief_user() -> None:
    info = classify(m.User)
    tiers = {f.name: f.tier for f in info.fields}
    assert tiers == {"id": "structural", "name": "standard", "email": "standard", "bio": "semantic"}
    assert info.field("name").generator_name == "faker:name"
    assert isinstance(factory_for(m.User).bio, SemanticAttribute)


def test_classification_is_printable() -> None:
    text = describe(m.Account)
    lines = text.splitlines()
    assert lines[0] == "Account (pydantic)"
    by_name = {line.split()[0]: line for line in lines[1:]}
    assert "structural" in by_name["id"] and "sequence" in by_name["id"]
    assert "computed" in by_name["label"]
    assert "or None" in by_name["nickname"]
    assert "max_digits=9" in by_name["balance"]


def test_computed_fields_are_left_to_the_model() -> None:
    account = factory_for(m.Account).build()
    assert account.label == f"{account.username} ({account.id})"


def test_tier_overrides() -> None:
    info = classify(m.User, tiers={"bio": "standard", "name": "semantic"})
    assert info.field("bio").tier == "standard"
    assert info.field("name").tier == "semantic"
    user = factory_for(m.User, tiers={"bio": "standard"}).build()
    assert isinstance(user.bio, str) and user.bio


def test_generator_overrides_value_callable_and_declaration() -> None:
    f = factory_for(m.User, name="Ada Lovelace", email=lambda: "ada@example.org",
                    id=factory.Sequence(lambda n: 1000 + n))
    users = f.build_batch(3)
    assert [u.name for u in users] == ["Ada Lovelace"] * 3
    assert {u.email for u in users} == {"ada@example.org"}
    assert [u.id for u in users] == [1000, 1001, 1002]
    assert classify(m.User, name="x").field("name").generator_name == "override"


def test_unknown_override_or_tier_is_an_error() -> None:
    with pytest.raises(AutoFactoryError, match="no field"):
        factory_for(m.User, nmae="typo")
    with pytest.raises(AutoFactoryError, match="unknown tier"):
        factory_for(m.User, tiers={"bio": "magic"})


def test_unsupported_type_names_model_field_type_and_remedy() -> None:
    with pytest.raises(AutoFactoryError) as info:
        factory_for(m.Holder)
    message = str(info.value)
    for part in ("Holder.thing", "Strange", "factory_for(Holder, thing=", "register_type"):
        assert part in message


def test_register_type_supplies_a_generator() -> None:
    class Thing:
        pass

    class Box(BaseModel):
        model_config = {"arbitrary_types_allowed": True}
        thing: Thing

    register_type(Thing, Thing)
    assert isinstance(factory_for(Box).build().thing, Thing)


def test_impossible_pattern_and_length_is_a_clear_error() -> None:
    class Code(BaseModel):
        code: str = Field(pattern=r"^\d{6}$", max_length=4)

    with pytest.raises(AutoFactoryError, match=r"Code\.code: pattern .* max_length=4"):
        factory_for(Code)


def test_impossible_numeric_range_is_a_clear_error() -> None:
    class Odd(BaseModel):
        n: int = Field(gt=5, lt=6)

    with pytest.raises(AutoFactoryError, match=r"Odd\.n"):
        factory_for(Odd)


def test_patterns_lengths_and_multiples_hold() -> None:
    for s in factory_for(pm.Strings).build_batch(300):
        assert len(s.code) == 8 and int(s.code, 16) >= 0
        assert 2 <= len(s.short) <= 4
        assert 30 <= len(s.long_min) <= 60
    for n in factory_for(pm.Numbers).build_batch(300):
        assert -5 < n.a < 5 and n.b % 7 == 0 and 100 <= n.b <= 200 and 0 < n.c < 1
        assert (n.d * 4) == int(n.d * 4)


def test_optional_none_ratio() -> None:
    never = factory_for(m.Account, none_ratio=0.0).build_batch(100)
    always = factory_for(m.Account, none_ratio=1.0).build_batch(100)
    default = factory_for(m.Account).build_batch(300)
    assert all(a.nickname is not None for a in never)
    assert all(a.nickname is None for a in always)
    nones = sum(a.nickname is None for a in default)
    assert 0 < nones < 100


def test_datetimes_stay_in_the_fixed_window() -> None:
    orders = factory_for(m.Order).build_batch(500)
    assert all(WINDOW_START <= o.created_at <= WINDOW_END for o in orders)
    times = factory_for(pm.Times).build_batch(200)
    assert all(dt.datetime(2022, 1, 1) <= t.window_start <= dt.datetime(2022, 12, 31) for t in times)
    assert all(dt.date(1950, 1, 1) <= t.birthday <= dt.date(2005, 12, 31) for t in times)


def test_recursive_models_terminate() -> None:
    def depth(node: Any) -> int:
        below = [n for n in [node.parent, *node.children] if n is not None]
        return 1 + max((depth(n) for n in below), default=0)

    nodes = factory_for(pm.Node).build_batch(30)
    assert max(depth(n) for n in nodes) <= 3
    assert any(n.children for n in nodes)


def test_required_recursion_is_a_clear_error() -> None:
    @dataclasses.dataclass
    class Chain:
        next: Chain  # noqa: F821 - resolved from the local namespace below

    Chain.__annotations__["next"] = Chain
    with pytest.raises(AutoFactoryError, match=r"Chain\.next.*Optional"):
        factory_for(Chain).build()


def test_fk_by_name_reuses_existing_parents() -> None:
    customers = factory_for(m.Customer).build_batch(5)
    orders = factory_for(m.Order).build_batch(50)
    ids = {c.id for c in customers}
    assert {o.customer_id for o in orders} <= ids
    assert len({o.customer_id for o in orders}) > 1
    assert classify(m.Order).field("customer_id").tier == "structural"


def test_fk_by_name_creates_a_parent_when_none_exists() -> None:
    assert instances(m.Customer) == []
    order = factory_for(m.Order).build()
    # The parent was made for the order and dropped: the registry keeps its key (what orders
    # read), not the object, and the next order reuses that key.
    assert instances(m.Customer) == []
    assert current().pick_value(m.Customer, "id") == order.customer_id
    assert factory_for(m.Order).build().customer_id == order.customer_id


def test_unique_against_registry_and_stored_rows(dj_corpus: Any) -> None:
    first = factory_for(dj_corpus.DJCompany).create_batch(50)
    seed(7)  # same stream again: values must still differ from the 50 stored rows
    clear_registry()
    reset_unique()
    second = factory_for(dj_corpus.DJCompany).create_batch(50)
    names = [c.name for c in first + second]
    assert len(set(names)) == 100


def test_unique_in_a_batch_sqlalchemy(sa_session: Any) -> None:
    from .corpus.alchemy_models import SAToken

    tokens = factory_for(SAToken, session=sa_session).create_batch(400)
    sa_session.flush()
    assert len({t.value for t in tokens}) == 400


def test_locale_is_honoured() -> None:
    from faker.providers.person.en_US import Provider as English
    from faker.providers.person.fr_FR import Provider as French

    customers = factory_for(m.Customer, locale="fr_FR").build_batch(50)
    assert all(c.first_name in set(French.first_names) for c in customers)
    assert sum(c.first_name in set(English.first_names) for c in customers) < 25


def test_semantic_fields_of_a_batch_go_in_one_request() -> None:
    from forge_factories.common.config import settings

    recorder = RecordingProvider()
    settings.provider = recorder
    users = factory_for(m.User).create_batch(40)
    assert len(recorder.requests) == 1
    assert len(recorder.requests[0].items) == 40
    assert len({u.bio for u in users}) == 40


def test_declaration_overrides_take_the_engine_path() -> None:
    users = factory_for(m.User).build_batch(5, name=factory.Sequence(lambda n: f"user{n}"))
    assert all(u.name.startswith("user") for u in users) and len({u.name for u in users}) == 5
    assert all(u.bio for u in users)


def test_aifactory_for_model() -> None:
    from forge_factories import AIFactory

    user_factory = AIFactory.for_model(m.User)
    assert issubclass(user_factory, AIFactory)
    assert user_factory is factory_for(m.User)
    user = user_factory.build(name="Linus")
    assert isinstance(user, m.User) and user.name == "Linus" and user.bio


def test_locale_reaches_the_semantic_request() -> None:
    from forge_factories.common.config import settings

    recorder = RecordingProvider()
    settings.provider = recorder
    factory_for(m.User, locale="fr_FR").build_batch(3)
    assert [r.locale for r in recorder.requests] == ["fr_FR"]


def test_factories_are_cached_per_session(sa_session: Any) -> None:
    from .corpus.alchemy_models import SAAccount

    assert factory_for(SAAccount, session=sa_session) is factory_for(SAAccount, session=sa_session)
    assert factory_for(SAAccount, session=sa_session)._meta.sqlalchemy_session is sa_session
    assert factory_for(m.User, known_models=[m.Customer]) is factory_for(m.User, known_models=[m.Customer])



class Leaf(BaseModel):
    word: str = Field(max_length=10)


class Branch(BaseModel):
    leaf: Leaf


class Trunk(BaseModel):
    branch: Branch


class Root(BaseModel):
    trunk: Trunk
    spare: Trunk | None = None


def test_deep_nesting_that_does_not_recurse_is_not_cut() -> None:
    roots = factory_for(Root, max_depth=1).build_batch(5)
    assert all(len(r.trunk.branch.leaf.word) <= 10 for r in roots)


class Listing(BaseModel):
    id: int
    product: m.Product
    note: str = Field(max_length=20, pattern=r"^[a-z]+$")


def test_nested_semantic_fields_are_batched_with_the_parents() -> None:
    from forge_factories.common.config import settings

    recorder = RecordingProvider()
    settings.provider = recorder
    listings = factory_for(Listing).create_batch(20)
    assert len(recorder.requests) == 1
    assert len(recorder.requests[0].items) == 20
    assert len({x.product.description for x in listings}) == 20
    assert classify(Listing).field("product").generator_name == "nested Product"


def test_unique_values_do_not_depend_on_earlier_scopes() -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from .corpus.alchemy_models import Base, SAToken

    def values() -> list[str]:
        engine = create_engine("sqlite://")
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            seed(3)  # a new scope: the registry is emptied, the unique memory follows
            tokens = factory_for(SAToken, session=session).create_batch(30)
            out = [t.value for t in tokens]
        engine.dispose()
        return out

    assert values() == values()
