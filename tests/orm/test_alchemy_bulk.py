"""SQLAlchemy adapter: one flush per batch, parents first, fallbacks, atomic failure, FK registry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import forge_factories as factory
from forge_factories import seed
from forge_factories.alchemy import bulk_capable_reason
from forge_factories.llm.providers import OfflineProvider
from forge_factories.orm.persist import BulkPersistError
from forge_factories.orm.persist.counting import alchemy_statements

from . import sa_factories as F
from . import sa_models as M


@pytest.fixture(autouse=True)
def _isolated(sa_session: Any) -> Iterator[None]:
    previous = factory.settings.provider
    factory.configure(provider=OfflineProvider())
    seed(20261125)
    F.POST_SEEN.clear()
    yield
    factory.configure(provider=previous)


def _count(session: Any, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)))


def test_create_batch_500_issues_one_insert(sa_session: Any) -> None:
    with alchemy_statements(sa_session.connection()) as log:
        accounts = F.SAAccountFactory.create_batch(500)
    assert len(log.inserts_into("sa_account")) == 1
    assert len(log.statements) <= 7  # + SAVEPOINT, RELEASE and the key lookup (SQLite max(id), PG nextval)
    ids = [a.id for a in accounts]
    assert None not in ids and len(set(ids)) == 500
    sa_session.expire_all()
    stored = dict(sa_session.execute(select(M.SAAccount.id, M.SAAccount.username)).all())
    assert stored == {a.id: a.username for a in accounts}


def test_subfactory_parents_are_inserted_in_bulk_first(sa_session: Any) -> None:
    with alchemy_statements(sa_session.connection()) as log:
        members = F.SAMemberFactory.create_batch(300)
    team_inserts, member_inserts = log.inserts_into("sa_team"), log.inserts_into("sa_member")
    assert len(team_inserts) == 1 and len(member_inserts) == 1
    assert log.statements.index(team_inserts[0]) < log.statements.index(member_inserts[0])
    assert all(m.id and m.team_id == m.team.id for m in members)
    assert _count(sa_session, M.SATeam) == 300


def test_post_generation_and_related_factory_see_saved_primary_keys(sa_session: Any) -> None:
    members = F.SADecoratedMemberFactory.create_batch(40)
    assert len(F.POST_SEEN) == 40 and all(pk and team_id for pk, team_id in F.POST_SEEN)
    badge_members = sa_session.scalars(select(M.SABadge.member_id)).all()
    assert sorted(badge_members) == sorted(m.id for m in members)


def test_semantic_fields_one_request_one_flush(sa_session: Any) -> None:
    from forge_factories.llm.providers.recording import RecordingProvider

    recorder = RecordingProvider()
    factory.configure(provider=recorder)
    with alchemy_statements(sa_session.connection()) as log:
        members = F.SASemanticMemberFactory.create_batch(50, context="an ice hockey league")
    assert len(recorder.requests) == 1
    assert len(log.inserts_into("sa_member")) == 1
    assert all(m.motto and len(m.motto) <= 200 for m in members)


@pytest.mark.parametrize(
    ("fac", "reason"),
    [
        (F.SAGetOrCreateCodedFactory, "sqlalchemy_get_or_create"),
        (F.SANoBulkAccountFactory, "forge_bulk is False"),
        (F.SAOverriddenCreateTeamFactory, "overrides _create"),
    ],
)
def test_per_row_paths(sa_session: Any, fac: Any, reason: str) -> None:
    assert reason in (bulk_capable_reason(fac) or "")
    table = fac._meta.model.__tablename__
    with alchemy_statements(sa_session.connection()) as log:
        objs = fac.create_batch(5)
    assert all(o.id for o in objs)
    assert len(log.inserts_into(table)) == 5
    if fac is F.SAOverriddenCreateTeamFactory:
        assert all(o.name.isupper() for o in objs)


def test_session_persistence_none_only_adds(sa_session: Any) -> None:
    with alchemy_statements(sa_session.connection()) as log:
        teams = F.SAAddOnlyTeamFactory.create_batch(10)
    assert log.inserts == [] and all(t in sa_session.new for t in teams)
    sa_session.flush()
    assert all(t.id for t in teams)


def test_session_persistence_commit_commits_once(sa_session: Any) -> None:
    with alchemy_statements(sa_session.connection()) as log:
        teams = F.SACommitTeamFactory.create_batch(10)
    assert len(log.inserts_into("sa_team")) == 1 and all(t.id for t in teams)
    assert not sa_session.new and not sa_session.dirty


def test_integrity_error_rolls_back_the_batch_and_names_the_row(sa_session: Any) -> None:
    F.SACodedFactory.create(code="taken")
    codes = [f"ok{i}" for i in range(12)]
    codes[7] = "taken"
    with pytest.raises(BulkPersistError) as info:
        F.SACodedFactory.create_batch(12, code=factory.Iterator(codes))
    err = info.value
    assert isinstance(err, IntegrityError)
    assert err.factory == "SACodedFactory" and err.row == 7 and err.size == 12
    assert err.constraint
    assert sa_session.scalars(select(M.SACoded.code)).all() == ["taken"]


def test_registry_reuses_parents_created_by_earlier_calls(sa_session: Any) -> None:
    teams = F.SATeamFactory.create_batch(3)
    with alchemy_statements(sa_session.connection()) as log:
        members = F.SAReusingMemberFactory.create_batch(30)
    assert log.inserts_into("sa_team") == []
    assert {m.team.id for m in members} <= {t.id for t in teams}
    assert len({m.team.id for m in members}) > 1
    assert F.SAReusingMemberFactory.create(team=teams[1]).team is teams[1]
    assert _count(sa_session, M.SATeam) == 3


def test_registry_choice_is_deterministic_under_the_seed(sa_session: Any) -> None:
    def picks() -> list[int]:
        seed(3)
        teams = F.SATeamFactory.create_batch(4)
        index = {id(t): i for i, t in enumerate(teams)}
        return [index[id(m.team)] for m in F.SAReusingMemberFactory.create_batch(20)]

    assert picks() == picks()


def test_a_failing_child_group_rolls_back_its_parents_too(sa_session: Any) -> None:
    F.SAMemberFactory._meta.sqlalchemy_session = sa_session
    F.SAMemberFactory._meta.sqlalchemy_session_factory = None
    try:
        with pytest.raises(BulkPersistError) as info:
            F.SAMemberFactory.create_batch(5, name=factory.Iterator(["a", "b", None, "d", "e"]))
    finally:
        F.SAMemberFactory._meta.sqlalchemy_session_factory = M.current_session
    assert info.value.factory == "SAMemberFactory" and info.value.row == 2
    assert _count(sa_session, M.SATeam) == 0 and _count(sa_session, M.SAMember) == 0
