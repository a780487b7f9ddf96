"""Schema seeding: FK order, parent reuse, one transaction, progress bar."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

import forge_factories as factory
from forge_factories import seed
from forge_factories.common.errors import ForgeError
from forge_factories.llm.providers import OfflineProvider
from forge_factories.orm.seed_schema import Progress, order_plan, seed_database, seed_session

from . import dj_factories as DF
from . import sa_factories as SF
from . import sa_models as SM
from .djapp import models as DM


@pytest.fixture(autouse=True)
def _offline() -> Iterator[None]:
    previous = factory.settings.provider
    factory.configure(provider=OfflineProvider())
    seed(11)
    yield
    factory.configure(provider=previous)


def test_order_follows_foreign_keys() -> None:
    plan = {DF.BadgeFactory: 1, DF.AccountFactory: 1, DF.MemberFactory: 1, DF.TeamFactory: 1}
    order = order_plan(plan)
    assert order.index(DF.TeamFactory) < order.index(DF.MemberFactory) < order.index(DF.BadgeFactory)
    sa_order = order_plan({SF.SABadgeFactory: 1, SF.SAMemberFactory: 1, SF.SATeamFactory: 1})
    assert sa_order == [SF.SATeamFactory, SF.SAMemberFactory, SF.SABadgeFactory]


def test_seed_database_reuses_seeded_parents(dj_db: str) -> None:
    created = seed_database(
        {DF.BadgeFactory: 120, DF.MemberFactory: 40, DF.TeamFactory: 5},
        using=dj_db, context="a chess club", chunk_size=50,
    )
    assert list(created) == [DF.BadgeFactory, DF.MemberFactory, DF.TeamFactory]
    assert [len(v) for v in created.values()] == [120, 40, 5]
    assert DM.Team.objects.using(dj_db).count() == 5
    assert DM.Member.objects.using(dj_db).count() == 40
    member_ids = {m.pk for m in created[DF.MemberFactory]}
    assert set(DM.Badge.objects.using(dj_db).values_list("member_id", flat=True)) <= member_ids
    assert DF.TeamFactory._meta.database == "default"  # restored afterwards


def test_seed_database_is_all_or_nothing(dj_db: str) -> None:
    DF.CodedFactory._meta.database = dj_db
    try:
        stored = DF.CodedFactory.create(code="tmp")
    finally:
        DF.CodedFactory._meta.database = "default"
    # The sequence continues after the stored row (at its key): its third value clashes, which
    # is found before that batch is written; the teams written before it are rolled back.
    stored.code = f"c{stored.pk + 2}"
    stored.save(using=dj_db)
    seed(11)
    with pytest.raises(ForgeError, match=rf"CodedFactory\.code gave 'c{stored.pk + 2}' again"):
        seed_database({DF.TeamFactory: 10, DF.CodedFactory: 5}, using=dj_db)
    assert DM.Team.objects.using(dj_db).count() == 0
    assert list(DM.Coded.objects.using(dj_db).values_list("code", flat=True)) == [stored.code]


def _count(session: Any, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)))


def test_seed_session_reuses_seeded_parents(sa_session: Any) -> None:
    before = SF.SATeamFactory._meta.sqlalchemy_session, SF.SATeamFactory._meta.sqlalchemy_session_factory
    created = seed_session(
        sa_session, {SF.SABadgeFactory: 100, SF.SATeamFactory: 4, SF.SAMemberFactory: 30},
        context="a chess club", commit=False,
    )
    assert [len(v) for v in created.values()] == [100, 4, 30]
    assert _count(sa_session, SM.SATeam) == 4 and _count(sa_session, SM.SAMember) == 30
    assert {b.member.id for b in created[SF.SABadgeFactory]} <= {m.id for m in created[SF.SAMemberFactory]}
    after = SF.SATeamFactory._meta.sqlalchemy_session, SF.SATeamFactory._meta.sqlalchemy_session_factory
    assert after == before  # restored afterwards


def test_seed_session_is_all_or_nothing(sa_session: Any) -> None:
    stored = SF.SACodedFactory.create(code="tmp")
    stored.code = f"c{stored.id + 2}"  # the sequence continues at the stored key: its third value clashes
    sa_session.flush()
    seed(11)
    with pytest.raises(ForgeError, match=rf"SACodedFactory\.code gave 'c{stored.id + 2}' again"):
        seed_session(sa_session, {SF.SATeamFactory: 10, SF.SACodedFactory: 5}, commit=False)
    assert _count(sa_session, SM.SATeam) == 0
    assert sa_session.scalars(select(SM.SACoded.code)).all() == [stored.code]


def test_progress_bar_only_when_asked_or_on_a_terminal() -> None:
    quiet = io.StringIO()
    bar = Progress(5000, stream=quiet)
    bar.advance("UserFactory", 2500)
    bar.close()
    assert quiet.getvalue() == ""  # not a TTY
    loud = io.StringIO()
    bar = Progress(4, stream=loud, enabled=True)
    bar.advance("UserFactory", 2)
    bar.close()
    assert "2/4" in loud.getvalue() and "UserFactory" in loud.getvalue()
