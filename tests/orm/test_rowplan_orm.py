"""ORM ``create_batch`` on the compiled row plan: stock factory_boy's values, the engine's saving and recording.

Each run is compared three ways under the same seed: stock factory_boy, forge (the row plan,
chosen by itself) and forge with the plan switched off (the batch engine it stands in for).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import factory
import factory.alchemy
import factory.django
import pytest

import forge_factories
from forge_factories import provenance
from forge_factories.alchemy import SQLAlchemyModelFactory
from forge_factories.core import base as forge_base
from forge_factories.core import registry, rowplan
from forge_factories.django import DjangoModelFactory

from . import sa_models as SA
from .djapp import models as M


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    yield
    registry.clear_registry()


def badge_tree(base: type, meta: dict[str, Any], models: tuple[Any, Any, Any],
               **extra: dict[str, Any]) -> tuple[Any, Any, Any]:
    """Badge -> Member -> Team, with Faker, Sequence, LazyFunction, constants and SubFactory
    overrides; ``team=``, ``member=``, ``badge=`` add declarations to that factory."""
    team_model, member_model, badge_model = models

    def m(model: Any, **more: Any) -> type:
        return type("Meta", (), {"model": model, **meta, **more})

    team = type(base)(f"{base.__module__}Team", (base,), {
        "Meta": m(team_model), "name": factory.Faker("company"), **extra.get("team", {})})
    member = type(base)(f"{base.__module__}Member", (base,), {
        "Meta": m(member_model), "name": factory.Faker("name"), "team": factory.SubFactory(team),
        "motto": factory.Faker("paragraph", nb_sentences=1), **extra.get("member", {})})
    badge = type(base)(f"{base.__module__}Badge", (base,), {
        "Meta": m(badge_model, exclude=("extra",)), "label": factory.Sequence(lambda n: f"B{n:05d}"),
        "member": factory.SubFactory(member, motto="first"),
        "extra": factory.LazyFunction(lambda: "unused"),  # excluded: evaluated in order, not passed on
        **extra.get("badge", {}),
    })
    return team, member, badge


DJ_MODELS = (M.Team, M.Member, M.Badge)
SA_MODELS = (SA.SATeam, SA.SAMember, SA.SABadge)


def _reset(*facs: Any) -> None:
    for fac in facs:
        fac.reset_sequence()


def _dj_rows(alias: str) -> tuple[list[Any], list[Any], list[Any]]:
    badges = [(b.label, b.member.name, b.member.motto, b.member.team.name)
              for b in M.Badge.objects.using(alias).select_related("member__team").order_by("pk")]
    members = list(M.Member.objects.using(alias).order_by("pk").values_list("name", "motto"))
    teams = list(M.Team.objects.using(alias).order_by("pk").values_list("name", flat=True))
    return badges, members, teams


def _dj_clear(alias: str) -> None:
    for model in (M.Badge, M.Member, M.Team):
        model.objects.using(alias).all().delete()


def _without_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forge_base, "compile_plan", lambda *args: None)


def test_django_same_values_as_stock_and_as_the_engine(dj_db: str, runs: list[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    meta = {"database": dj_db}
    stock = badge_tree(factory.django.DjangoModelFactory, meta, DJ_MODELS)
    ours = badge_tree(DjangoModelFactory, meta, DJ_MODELS)
    outcomes = []
    for label, facs in (("stock", stock), ("plan", ours), ("engine", ours)):
        if label == "engine":
            _without_plan(monkeypatch)
        registry.clear_registry()
        forge_factories.seed(21)
        _reset(*facs)
        badges = facs[2].create_batch(30)
        facs[2].create_batch(1, label="single")  # one object: not in an atomic block, same path
        assert all(b.pk and b.member.pk and b.member.team.pk for b in badges)
        rows = _dj_rows(dj_db)
        recorded: Any = None
        if label != "stock":
            location = facs[1]._forge_row_source()[0]
            by_pk = {pk: name for pk, name in M.Member.objects.using(dj_db).values_list("pk", "name")}
            recorded = (
                [by_pk[k] for k in registry.current().row_keys(M.Member, location)],
                [{n: (p.source, p.executor) for n, p in provenance(b).items()} for b in badges],
                [{n: p.source for n, p in provenance(b.member).items()} for b in badges],
            )
        outcomes.append((rows, [f._meta.next_sequence() for f in facs], recorded))
        _dj_clear(dj_db)
    assert outcomes[0][:2] == outcomes[1][:2] == outcomes[2][:2]
    assert outcomes[1][2] == outcomes[2][2]
    badges, members, teams = outcomes[1][0]
    assert len(badges) == len(members) == len(teams) == 31 and len({t for t in teams}) > 20
    assert badges[0][2] == "first" and badges[-1][0] == "single"
    names, badge_sources, member_sources = outcomes[1][2]
    assert names == [name for name, _ in members]  # parents registered in save order
    assert badge_sources[0] == {"label": ("sequence", "objects"), "member": ("subfactory", "objects")}
    assert member_sources[0]["motto"] == "override" and member_sources[0]["name"] == "faker"
    assert runs == [ours[2].__name__] * 2


def test_django_two_parents_of_one_factory_saved_in_build_order(dj_db: str, runs: list[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes = []
    for base in (factory.django.DjangoModelFactory, DjangoModelFactory, DjangoModelFactory):
        if len(outcomes) == 2:
            _without_plan(monkeypatch)
        team, _, _ = badge_tree(base, {"database": dj_db}, DJ_MODELS)
        match = type(base)("MatchF", (base,), {
            "Meta": type("Meta", (), {"model": M.Match, "database": dj_db}),
            "home": factory.SubFactory(team), "day": factory.Faker("date_this_decade"),
            "away": factory.SubFactory(team, name="Visitors")})
        forge_factories.seed(24)
        match.create_batch(12)
        outcomes.append((
            [(m.home.name, m.away.name, m.day) for m in M.Match.objects.using(dj_db).select_related("home", "away")
             .order_by("pk")],
            list(M.Team.objects.using(dj_db).order_by("pk").values_list("name", flat=True))))
        M.Match.objects.using(dj_db).all().delete()
        M.Team.objects.using(dj_db).all().delete()
    assert outcomes[0] == outcomes[1] == outcomes[2]
    assert outcomes[1][1][1] == "Visitors" and outcomes[1][1][3] == "Visitors"  # home, away, home, away...
    assert runs == ["MatchF"]


def test_django_failed_batch_leaves_nothing(dj_db: str, runs: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    class TeamF(DjangoModelFactory):
        class Meta:
            model = M.Coded
            database = dj_db

        code = factory.Faker("random_element", elements=["A", "B", "C"])  # unique: a duplicate fails

    errors = []
    for plan in (True, False):
        if not plan:
            _without_plan(monkeypatch)
        registry.clear_registry()
        forge_factories.seed(2)
        with pytest.raises(Exception) as info:
            TeamF.create_batch(10)
        errors.append(type(info.value))
        assert M.Coded.objects.using(dj_db).count() == 0
        assert registry.current().row_keys(M.Coded, TeamF._forge_row_source()[0]) == []
    assert errors[0] is errors[1]
    assert runs == ["TeamF"]


def test_django_bad_keyword_same_error_nothing_saved(dj_db: str, runs: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _, member, badge = badge_tree(DjangoModelFactory, {"database": dj_db}, DJ_MODELS)
    caught = []
    for plan in (True, False):
        if not plan:
            _without_plan(monkeypatch)
        _reset(member, badge)
        with pytest.raises(TypeError) as info:
            badge.create_batch(4, colour="red")
        caught.append((str(info.value), member._meta.next_sequence(), badge._meta.next_sequence()))
        assert M.Team.objects.using(dj_db).count() == M.Member.objects.using(dj_db).count() == 0
    assert caught[0] == caught[1] and "colour" in caught[0][0]
    assert runs == [badge.__name__]


def test_sqlalchemy_same_values_as_stock_and_as_the_engine(sa_session: Any, runs: list[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    meta = {"sqlalchemy_session": sa_session, "sqlalchemy_session_persistence": "flush"}
    stock = badge_tree(factory.alchemy.SQLAlchemyModelFactory, meta, SA_MODELS)
    ours = badge_tree(SQLAlchemyModelFactory, meta, SA_MODELS)
    outcomes = []
    for label, facs in (("stock", stock), ("plan", ours), ("engine", ours)):
        if label == "engine":
            _without_plan(monkeypatch)
        registry.clear_registry()
        forge_factories.seed(22)
        _reset(*facs)
        badges = facs[2].create_batch(20)
        assert all(b.id and b.member.id and b.member.team.id for b in badges)
        sa_session.expire_all()
        rows = [(b.label, b.member.name, b.member.motto, b.member.team.name)
                for b in sa_session.query(SA.SABadge).order_by(SA.SABadge.id)]
        members = [m.name for m in sa_session.query(SA.SAMember).order_by(SA.SAMember.id)]
        recorded: Any = None
        if label != "stock":
            by_id = {m.id: m.name for m in sa_session.query(SA.SAMember)}
            recorded = [by_id[k] for k in registry.current().row_keys(SA.SAMember, facs[1]._forge_row_source()[0])]
        outcomes.append((rows, members, recorded))
        for model in (SA.SABadge, SA.SAMember, SA.SATeam):
            sa_session.query(model).delete()
        sa_session.flush()
    assert outcomes[0][:2] == outcomes[1][:2] == outcomes[2][:2]
    assert outcomes[1][2] == outcomes[2][2] == outcomes[1][1]
    assert len({row[3] for row in outcomes[1][0]}) > 12
    assert runs == [ours[2].__name__]


def test_refused_orm_tree_runs_on_the_engine_with_stock_values(dj_db: str, runs: list[str]) -> None:
    extra = {"motto": factory.LazyAttribute(lambda o: f"I am {o.name}")}
    stock = badge_tree(factory.django.DjangoModelFactory, {"database": dj_db}, DJ_MODELS)
    ours = badge_tree(DjangoModelFactory, {"database": dj_db}, DJ_MODELS)
    outcomes = []
    for facs in (stock, ours):
        forge_factories.seed(23)
        _reset(*facs)
        facs[2].create_batch(8, member__motto=extra["motto"])
        outcomes.append(_dj_rows(dj_db))
        _dj_clear(dj_db)
    assert outcomes[0] == outcomes[1]
    assert outcomes[1][0][0][2].startswith("I am ")
    assert runs == []


#: Lazy declarations of the team, the leaf of the tree: they can read the member being built
#: (``factory_parent``), never an unsaved parent, so a bulk create compiles them.
LEAF_LAZY = {"team": {
    "name": factory.LazyAttribute(lambda o: f"{o.factory_parent.name}'s {o.word}"),
    "word": factory.Faker("word"),
    "Meta": None,  # replaced below: the word is excluded from the model
}}


def _leaf_lazy(meta: dict[str, Any], models: tuple[Any, Any, Any], base: type) -> tuple[Any, Any, Any]:
    team_meta = type("Meta", (), {"model": models[0], **meta, "exclude": ("word",)})
    return badge_tree(base, meta, models, team={**LEAF_LAZY["team"], "Meta": team_meta})


def test_django_lazy_fields_of_the_leaf_run_on_the_plan(dj_db: str, runs: list[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    meta = {"database": dj_db}
    outcomes = []
    for label, base in (("stock", factory.django.DjangoModelFactory), ("plan", DjangoModelFactory),
                        ("engine", DjangoModelFactory)):
        if label == "engine":
            _without_plan(monkeypatch)
        facs = _leaf_lazy(meta, DJ_MODELS, base)
        forge_factories.seed(25)
        _reset(*facs)
        facs[2].create_batch(15)
        outcomes.append((_dj_rows(dj_db), [f._meta.next_sequence() for f in facs]))
        _dj_clear(dj_db)
    assert outcomes[0] == outcomes[1] == outcomes[2]
    badges, _, teams = outcomes[1][0]
    assert all(team.startswith(f"{member}'s ") for (_, member, _, team) in badges)
    assert len(teams) == 15
    assert runs == [f"{DjangoModelFactory.__module__}Badge"]  # the plan ran once; the engine run had it off


def test_lazy_fields_beside_a_subfactory_are_left_to_the_engine_in_a_bulk_create(dj_db: str) -> None:
    """A lazy field that can read an unsaved parent: the engine pauses it until the parent is
    saved, the plan could not, so a bulk create does not compile it (build does)."""
    reads_parent = {"member": {"name": factory.LazyAttribute(lambda o: f"team {o.team.pk}")}}
    _, _, badge = badge_tree(DjangoModelFactory, {"database": dj_db}, DJ_MODELS, **reads_parent)
    assert rowplan.compile_plan(badge, "create", 3, {}) is None
    assert rowplan.compile_plan(badge, "build", 3, {}) is not None
    beside = {"badge": {"note": factory.SelfAttribute("label")}}  # a SubFactory in the same factory
    _, _, badge = badge_tree(DjangoModelFactory, {"database": dj_db}, DJ_MODELS, **beside)
    assert rowplan.compile_plan(badge, "create", 3, {}) is None
    _, _, badge = _leaf_lazy({"database": dj_db}, DJ_MODELS, DjangoModelFactory)
    assert rowplan.compile_plan(badge, "create", 3, {}) is not None


def test_django_lazy_read_of_an_unsaved_parent_gets_its_key(dj_db: str, runs: list[str]) -> None:
    """The refused case runs on the engine, which saves the team before the motto reads its key."""
    reads_parent = {"member": {"name": factory.LazyAttribute(lambda o: f"team {o.team.pk}")}}
    _, _, badge = badge_tree(DjangoModelFactory, {"database": dj_db}, DJ_MODELS, **reads_parent)
    made = badge.create_batch(5)
    assert all(b.member.name == f"team {b.member.team.pk}" and b.member.team.pk for b in made)
    assert runs == []
    _dj_clear(dj_db)


def test_sqlalchemy_lazy_fields_of_the_leaf_run_on_the_plan(sa_session: Any, runs: list[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    meta = {"sqlalchemy_session": sa_session, "sqlalchemy_session_persistence": "flush"}
    outcomes = []
    for label, base in (("stock", factory.alchemy.SQLAlchemyModelFactory), ("plan", SQLAlchemyModelFactory),
                        ("engine", SQLAlchemyModelFactory)):
        if label == "engine":
            _without_plan(monkeypatch)
        facs = _leaf_lazy(meta, SA_MODELS, base)
        forge_factories.seed(26)
        _reset(*facs)
        facs[2].create_batch(12)
        sa_session.expire_all()
        outcomes.append([(b.label, b.member.name, b.member.team.name)
                         for b in sa_session.query(SA.SABadge).order_by(SA.SABadge.id)])
        for model in (SA.SABadge, SA.SAMember, SA.SATeam):
            sa_session.query(model).delete()
        sa_session.flush()
    assert outcomes[0] == outcomes[1] == outcomes[2]
    assert all(team.startswith(f"{member}'s ") for _, member, team in outcomes[1])
    assert runs == [f"{SQLAlchemyModelFactory.__module__}Badge"]
