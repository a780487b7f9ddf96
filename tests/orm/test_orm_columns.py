"""``Meta.forge_executor = "columns"``: ORM create_batch on the column-wise plan, on SQLite, PostgreSQL, MariaDB."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

import forge_factories
import forge_factories as factory
from forge_factories.alchemy import SQLAlchemyModelFactory
from forge_factories.common.errors import ForgeConfigError
from forge_factories.core import registry
from forge_factories.datasets.columns import NotColumnar
from forge_factories.django import DjangoModelFactory

from . import sa_models as SA
from .djapp import models as M


class Boom(Exception):
    pass


def _explode(obj: Any) -> str:
    raise Boom("lazy value failed")


def dj_tree(alias: str, *, executor: str = "columns", member_extra: dict[str, Any] | None = None) -> Any:
    """Badge -> Member -> Team factories on ``alias``; the badge factory runs on ``executor``."""
    def meta(model: Any, **more: Any) -> type:
        return type("Meta", (), {"model": model, "database": alias, **more})

    team = type("ColTeam", (DjangoModelFactory,), {"Meta": meta(M.Team), "name": factory.Faker("company")})
    member = type("ColMember", (DjangoModelFactory,), {
        "Meta": meta(M.Member), "team": factory.SubFactory(team), "name": factory.Faker("name"),
        "motto": factory.LazyAttribute(lambda o: f"{o.name} of {o.team.name}"), **(member_extra or {})})
    return type("ColBadge", (DjangoModelFactory,), {
        "Meta": meta(M.Badge, forge_executor=executor), "member": factory.SubFactory(member),
        "label": factory.Sequence(lambda n: f"badge {n}")})


def dj_saved(alias: str) -> list[tuple[Any, ...]]:
    rows = M.Badge.objects.using(alias).select_related("member__team").order_by("pk")
    return [(b.label, b.member.name, b.member.motto, b.member.team.name) for b in rows]


def dj_counts(alias: str) -> tuple[int, int, int]:
    return tuple(m.objects.using(alias).count() for m in (M.Badge, M.Member, M.Team))  # type: ignore[return-value]


def test_django_values_deterministic_for_a_seed(dj_db: str) -> None:
    runs = []
    for _ in range(2):
        badge = dj_tree(dj_db)
        forge_factories.seed(11)
        badge.create_batch(40)
        runs.append(dj_saved(dj_db))
        M.Team.objects.using(dj_db).all().delete()
    assert runs[0] == runs[1]
    assert len({row[1] for row in runs[0]}) > 30  # Faker names, not one value repeated
    assert all(motto == f"{name} of {team}" for _, name, motto, team in runs[0])
    forge_factories.seed(12)
    badge.create_batch(40)
    assert dj_saved(dj_db) != runs[0]


def test_django_fk_correct_and_objects_saved(dj_db: str) -> None:
    badge = dj_tree(dj_db)
    forge_factories.seed(3)
    before = registry.counts()
    objs = badge.create_batch(25)
    assert dj_counts(dj_db) == (25, 25, 25)
    assert all(o.pk and o.member.pk and o.member.team.pk for o in objs)
    assert len({o.member.pk for o in objs}) == 25 and len({o.member.team.pk for o in objs}) == 25
    stored = {b.pk: (b.member_id, b.member.team_id, b.label, b.member.name)
              for b in M.Badge.objects.using(dj_db).select_related("member")}
    assert stored == {o.pk: (o.member.pk, o.member.team.pk, o.label, o.member.name) for o in objs}
    after = registry.counts()
    assert sum(after.values()) - sum(before.values()) == 75  # badges, members and teams, by key


def test_django_provenance_says_columns(dj_db: str) -> None:
    badge = dj_tree(dj_db)
    obj = badge.create_batch(3)[0]
    prov = forge_factories.provenance(obj)
    assert prov["label"].executor == "columns" and prov["label"].source == "sequence"
    parent = forge_factories.provenance(obj.member)
    assert parent["name"].executor == "columns" and parent["name"].source == "faker"
    plain = dj_tree(dj_db, executor="objects").create_batch(2)[0]
    assert forge_factories.provenance(plain)["label"].executor == "objects"


def test_django_rollback_undoes_everything(dj_db: str) -> None:
    from django.db import transaction

    badge = dj_tree(dj_db)
    start = dj_counts(dj_db)
    with pytest.raises(Boom), transaction.atomic(using=dj_db):
        badge.create_batch(10)
        assert dj_counts(dj_db) == (start[0] + 10, start[1] + 10, start[2] + 10)
        raise Boom
    assert dj_counts(dj_db) == start
    failing = dj_tree(dj_db, member_extra={"motto": factory.LazyAttribute(_explode)})
    before = registry.counts()
    with pytest.raises(Boom):
        failing.create_batch(10)  # the teams were inserted before the members failed
    assert dj_counts(dj_db) == start
    assert registry.counts() == before


def test_django_rerun_on_non_empty_database(dj_db: str) -> None:
    badge = dj_tree(dj_db)
    forge_factories.seed(4)
    first = badge.create_batch(15)
    second = badge.create_batch(15)  # no reseed: the next values of the seed
    assert dj_counts(dj_db) == (30, 30, 30)
    assert len({o.pk for o in first + second}) == 30
    assert len({o.label for o in first + second}) == 30  # the sequence went on
    assert [o.member.name for o in first] != [o.member.name for o in second]
    again = dj_tree(dj_db)
    forge_factories.seed(4)
    third = again.create_batch(15)  # same seed, non-empty tables: new rows, same values as the first run
    assert dj_counts(dj_db) == (45, 45, 45)
    assert [o.member.name for o in third] == [o.member.name for o in first]


def test_django_overrides(dj_db: str) -> None:
    badge = dj_tree(dj_db)
    objs = badge.create_batch(6, label="fixed", member__name="Bob", member__team__name="Reds")
    assert {(o.label, o.member.name, o.member.motto, o.member.team.name) for o in objs} == {
        ("fixed", "Bob", "Bob of Reds", "Reds")}
    owner = objs[0].member
    more = badge.create_batch(4, member=owner)
    assert {o.member.pk for o in more} == {owner.pk}
    assert M.Member.objects.using(dj_db).count() == 6  # no new member for the override


def test_django_refusals_name_factory_and_declaration(dj_db: str) -> None:
    class Traited(DjangoModelFactory):
        class Meta:
            model = M.Team
            database = dj_db
            forge_executor = "columns"

        class Params:
            loud = factory.Trait(name="LOUD")

        name = factory.Faker("company")

    with pytest.raises(NotColumnar, match="Traited cannot run on the column-wise executor: Params/Traits"):
        Traited.create_batch(3)
    maybe_team = type("MaybeTeam", (DjangoModelFactory,), {
        "Meta": type("Meta", (), {"model": M.Team, "database": dj_db}),
        "name": factory.Maybe(factory.Faker("pybool"), "a", "b")})
    child = type("MaybeChild", (DjangoModelFactory,), {
        "Meta": type("Meta", (), {"model": M.Member, "database": dj_db, "forge_executor": "columns"}),
        "team": factory.SubFactory(maybe_team), "name": "x"})
    with pytest.raises(ForgeConfigError) as caught:
        child.create_batch(3)
    assert isinstance(caught.value, NotColumnar)
    assert "MaybeChild.team (MaybeTeam)" in str(caught.value) and "name: Maybe" in str(caught.value)
    badge = dj_tree(dj_db)
    with pytest.raises(NotColumnar, match="label: an override that is a declaration"):
        badge.create_batch(2, label=factory.Sequence(str))

    class Posted(DjangoModelFactory):
        class Meta:
            model = M.Team
            database = dj_db
            forge_executor = "columns"

        name = "t"

        @factory.post_generation
        def tag(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
            pass

    with pytest.raises(NotColumnar, match="Posted .*post-generation"):
        Posted.create_batch(2)
    with pytest.raises(NotColumnar, match="stub"):
        badge.stub_batch(2)
    assert dj_counts(dj_db) == (0, 0, 0)
    with pytest.raises(ForgeConfigError, match="forge_executor must be 'objects' or 'columns'"):
        type("Bad", (DjangoModelFactory,), {"Meta": type("Meta", (), {"model": M.Team, "forge_executor": "rows"})})


def test_django_build_batch_on_columns_saves_nothing(dj_db: str) -> None:
    badge = dj_tree(dj_db)
    objs = badge.build_batch(5)
    assert dj_counts(dj_db) == (0, 0, 0)
    assert all(o.pk is None and o.member.pk is None and o.member.name for o in objs)


# -- SQLAlchemy ---------------------------------------------------------------------------------------


def sa_tree(session: Any, *, executor: str = "columns") -> Any:
    def meta(model: Any, **more: Any) -> type:
        return type("Meta", (), {"model": model, "sqlalchemy_session": session,
                                 "sqlalchemy_session_persistence": "flush", **more})

    team = type("SAColTeam", (SQLAlchemyModelFactory,), {"Meta": meta(SA.SATeam), "name": factory.Faker("company")})
    member = type("SAColMember", (SQLAlchemyModelFactory,), {
        "Meta": meta(SA.SAMember), "team": factory.SubFactory(team), "name": factory.Faker("name")})
    return type("SAColBadge", (SQLAlchemyModelFactory,), {
        "Meta": meta(SA.SABadge, forge_executor=executor), "member": factory.SubFactory(member),
        "label": factory.Sequence(lambda n: f"badge {n}")})


def sa_counts(session: Any) -> tuple[int, ...]:
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in (SA.SABadge, SA.SAMember, SA.SATeam))


def test_sqlalchemy_columns_create_batch(sa_session: Any) -> None:
    start = sa_counts(sa_session)
    runs = []
    for _ in range(2):
        badge = sa_tree(sa_session)
        forge_factories.seed(21)
        objs = badge.create_batch(30)
        runs.append([(o.label, o.member.name, o.member.team.name) for o in objs])
    assert runs[0] == runs[1]
    assert sa_counts(sa_session) == tuple(s + 60 for s in start)
    assert all(o.id and o.member_id == o.member.id and o.member.team_id == o.member.team.id for o in objs)
    assert len({o.member.id for o in objs}) == 30 and len({o.member.team.id for o in objs}) == 30
    assert forge_factories.provenance(objs[0])["label"].executor == "columns"
    assert forge_factories.provenance(objs[0].member.team)["name"].executor == "columns"
    more = badge.create_batch(30)  # a re-run over the rows already there: new values, new rows
    assert [o.member.name for o in more] != [o.member.name for o in objs]
    assert sa_counts(sa_session) == tuple(s + 90 for s in start)


def test_sqlalchemy_failure_rolls_back_parents(sa_session: Any) -> None:
    badge = sa_tree(sa_session)
    start = sa_counts(sa_session)
    before = registry.counts()
    failing = type("SAFailBadge", (badge,), {"label": factory.LazyAttribute(_explode)})
    with pytest.raises(Boom):
        failing.create_batch(8)  # members and teams were flushed first
    assert sa_counts(sa_session) == start
    assert registry.counts() == before
    badge.create_batch(4)
    sa_session.rollback()  # the caller's rollback undoes the call
    assert sa_counts(sa_session) == start


def test_sqlalchemy_second_session(sa_session: Any) -> None:
    badge = sa_tree(sa_session)
    first = badge.create_batch(5)
    second_session = Session(bind=sa_session.bind, join_transaction_mode="create_savepoint")
    try:
        other = sa_tree(second_session)
        objs = other.create_batch(5)
        assert all(object_session(o) is second_session and object_session(o.member.team) is second_session
                   for o in objs)
        assert all(object_session(o) is sa_session for o in first)
        assert {o.member.id for o in objs}.isdisjoint({o.member.id for o in first})
        assert second_session.scalar(select(func.count()).select_from(SA.SABadge)) >= 10
    finally:
        second_session.close()


def test_django_seed_database_with_a_column_factory(dj_db: str) -> None:
    """Schema seeding hands the run's parents to a column-wise factory (a LazyFunction override per row)."""
    badge = dj_tree(dj_db)
    member = badge._meta.pre_declarations["member"].declaration.get_factory()
    team = member._meta.pre_declarations["team"].declaration.get_factory()
    columns_member = type("ColSeedMember", (member,), {"Meta": type("Meta", (), {"forge_executor": "columns"})})
    created = forge_factories.seed_database({team: 3, columns_member: 12}, using=dj_db)
    teams = {t.pk for t in created[team]}
    assert len(teams) == 3 and len(created[columns_member]) == 12
    assert {m.team_id for m in M.Member.objects.using(dj_db)} <= teams
    assert dj_counts(dj_db) == (0, 12, 3)
    assert forge_factories.provenance(created[columns_member][0])["name"].executor == "columns"


def test_django_semantic_field_one_request_per_chunk(dj_db: str) -> None:
    from forge_factories.llm.providers.recording import RecordingProvider

    recorder = RecordingProvider()
    factory.configure(provider=recorder)
    badge = dj_tree(dj_db, member_extra={
        "motto": factory.SemanticAttribute("the team motto {name} shouts", max_length=200)})
    objs = badge.create_batch(30, context="an ice hockey league")
    assert len(recorder.requests) == 1 and len(recorder.requests[0].items) == 30
    mottos = {m.motto for m in M.Member.objects.using(dj_db)}
    assert len(mottos) > 1 and all(0 < len(m) <= 200 for m in mottos)
    assert forge_factories.provenance(objs[0].member)["motto"].executor == "columns"
