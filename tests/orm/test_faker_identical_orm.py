"""ORM ``create_batch`` (bulk, cached-weight Faker) saves stock factory_boy's values under the same seed."""

from __future__ import annotations

from typing import Any

import factory
import factory.alchemy
import factory.django

import forge_factories
from forge_factories.alchemy import SQLAlchemyModelFactory
from forge_factories.core.fastfaker import shared_patch_active
from forge_factories.django import DjangoModelFactory

from . import sa_models as SA
from .djapp import models as M

ACCOUNT = ("username", "email", "first_name", "last_name", "city", "country", "bio", "age", "score", "is_active")


def account_declarations() -> dict[str, Any]:
    return {
        "username": factory.Sequence(lambda n: f"user{n:06d}"),
        "email": factory.Faker("email"),
        "first_name": factory.Faker("first_name"),
        "last_name": factory.Faker("last_name"),
        "city": factory.Faker("city"),
        "country": factory.Faker("country"),
        "bio": factory.Faker("sentence"),
        "age": factory.Faker("pyint", min_value=18, max_value=90),
        "score": factory.Faker("pyfloat", min_value=0, max_value=100, right_digits=2),
        "is_active": factory.Faker("pybool"),
    }


def dj_factories(alias: str) -> tuple[Any, Any, Any, Any]:
    def meta(model: Any) -> type:
        return type("Meta", (), {"model": model, "database": alias})

    stock_acc = type("StockAcc", (factory.django.DjangoModelFactory,), {"Meta": meta(M.Account), **account_declarations()})
    ours_acc = type("OursAcc", (DjangoModelFactory,), {"Meta": meta(M.Account), **account_declarations()})
    team = {"name": factory.Faker("company")}
    stock_team = type("StockTeam", (factory.django.DjangoModelFactory,), {"Meta": meta(M.Team), **team})
    ours_team = type("OursTeam", (DjangoModelFactory,), {"Meta": meta(M.Team), **team})
    stock_member = type("StockMember", (factory.django.DjangoModelFactory,), {
        "Meta": meta(M.Member), "team": factory.SubFactory(stock_team), "name": factory.Faker("name"),
        "motto": factory.Faker("catch_phrase")})
    ours_member = type("OursMember", (DjangoModelFactory,), {
        "Meta": meta(M.Member), "team": factory.SubFactory(ours_team), "name": factory.Faker("name"),
        "motto": factory.Faker("catch_phrase")})
    return stock_acc, ours_acc, stock_member, ours_member


def test_django_create_batch_same_values_as_stock(dj_db: str) -> None:
    stock_acc, ours_acc, stock_member, ours_member = dj_factories(dj_db)
    saved = []
    for fac in (stock_acc, ours_acc):
        forge_factories.seed(31)
        fac.reset_sequence()
        fac.create_batch(40)
        saved.append(list(M.Account.objects.using(dj_db).order_by("pk").values_list(*ACCOUNT)))
        M.Account.objects.using(dj_db).all().delete()
    assert saved[0] == saved[1]
    assert len({row[1] for row in saved[1]}) > 30
    members = []
    for fac in (stock_member, ours_member):
        forge_factories.seed(32)
        objs = fac.create_batch(30)
        assert all(o.pk and o.team.pk for o in objs)
        members.append([(m.name, m.motto, m.team.name) for m in
                        M.Member.objects.using(dj_db).select_related("team").order_by("pk")])
        M.Member.objects.using(dj_db).all().delete()
        M.Team.objects.using(dj_db).all().delete()
    assert members[0] == members[1]
    assert not shared_patch_active()


def test_sqlalchemy_create_batch_same_values_as_stock(sa_session: Any) -> None:
    saved = []
    for base in (factory.alchemy.SQLAlchemyModelFactory, SQLAlchemyModelFactory):
        meta = type("Meta", (), {"model": SA.SAAccount, "sqlalchemy_session": sa_session,
                                 "sqlalchemy_session_persistence": "flush"})
        fac = type(base)("Acc", (base,), {"Meta": meta, **account_declarations()})
        forge_factories.seed(33)
        fac.reset_sequence()
        fac.create_batch(40)
        sa_session.expire_all()
        rows = sa_session.query(SA.SAAccount).order_by(SA.SAAccount.id).all()
        saved.append([tuple(getattr(r, f) for f in ACCOUNT) for r in rows])
        sa_session.query(SA.SAAccount).delete()
        sa_session.flush()
    assert saved[0] == saved[1]
    assert len({row[1] for row in saved[1]}) > 30
    assert not shared_patch_active()


def test_seed_session_same_values_as_stock_create_batch(sa_session: Any) -> None:
    from forge_factories import seed_session

    seen: list[bool] = []
    stock_meta = type("Meta", (), {"model": SA.SAAccount, "sqlalchemy_session": sa_session,
                                   "sqlalchemy_session_persistence": "flush"})
    stock = type("StockAcc", (factory.alchemy.SQLAlchemyModelFactory,), {"Meta": stock_meta, **account_declarations()})
    ours = type("OursAcc", (SQLAlchemyModelFactory,), {
        "Meta": type("Meta", (), {"model": SA.SAAccount}), **account_declarations(),
        "username": factory.Sequence(lambda n: seen.append(shared_patch_active()) or f"user{n:06d}")})
    rows = []
    for run in (lambda: stock.create_batch(25), lambda: seed_session(sa_session, {ours: 25}, commit=False)):
        forge_factories.seed(34)
        run()
        sa_session.expire_all()
        rows.append([(r.email, r.first_name, r.city, r.bio, r.age, r.score, r.is_active)
                     for r in sa_session.query(SA.SAAccount).order_by(SA.SAAccount.id)])
        sa_session.query(SA.SAAccount).delete()
        sa_session.flush()
    assert rows[0] == rows[1]
    assert seen == [True] * 25 and not shared_patch_active()
