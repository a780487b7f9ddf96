"""``await acreate_batch`` on SQLAlchemy ``AsyncSession`` (aiosqlite, asyncpg, asyncmy): bulk INSERTs,
SubFactory parents and the FK registry, all-or-nothing batches with the sync path's errors,
``aseed_session``."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

import forge_factories as factory
from forge_factories.common.errors import ForgeConfigError
from forge_factories.core import registry
from forge_factories.orm.persist import BulkPersistError

from .conftest import sync_engine
from .factories import SAMemberFactory, SAReusingMemberFactory, SATagFactory, SATeamFactory
from .models import SAMember, SATag, SATeam

pytestmark = pytest.mark.asyncio


async def _count(session: Any, model: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)))


def _inserts(session: Any) -> tuple[Counter[str], Any]:
    """INSERT statements per table sent through ``session``'s connection (and the listener, to remove)."""
    seen: Counter[str] = Counter()

    def listen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        words = statement.split()
        if words[:2] == ["INSERT", "INTO"]:
            seen[words[2].strip('`"')] += 1

    engine = session.bind.sync_engine
    event.listen(engine, "before_cursor_execute", listen)
    return seen, lambda: event.remove(engine, "before_cursor_execute", listen)


async def test_acreate_batch_is_one_bulk_insert_per_table_parents_first(asession: Any) -> None:
    seen, stop = _inserts(asession)
    try:
        members = await SAMemberFactory.acreate_batch(20, context="a rowing club")
    finally:
        stop()
    assert seen["aio_sa_team"] <= 2 and seen["aio_sa_member"] <= 2  # not 20 each: bulk, as create_batch
    assert all(m.id is not None and m.team.id == m.team_id for m in members)
    assert len({m.team_id for m in members}) == 20
    assert await _count(asession, SAMember) == 20 and await _count(asession, SATeam) == 20
    for member in members:
        assert member.bio and len(member.bio) <= 300
    assert factory.provenance(members[0])["bio"].source == "offline"


async def test_acreate_saves_one_object_and_its_parent(asession: Any) -> None:
    member = await SAMemberFactory.acreate(name="Ada")
    assert member.id is not None and member.name == "Ada"
    stored = await asession.get(SAMember, member.id)
    assert stored is member and stored.team_id == member.team.id


async def test_registry_subfactory_reuses_parents_created_earlier(asession: Any) -> None:
    teams = await SATeamFactory.acreate_batch(3)
    members = await SAReusingMemberFactory.acreate_batch(12)
    assert await _count(asession, SATeam) == 3  # no new team: every member joined a saved one
    assert {m.team_id for m in members} <= {t.id for t in teams}
    assert len({m.team_id for m in members}) > 1


def _bad_codes() -> dict[str, Any]:
    codes = [f"c{i}" for i in range(8)]
    codes[5] = "c1"  # row 5 repeats row 1's unique code
    return {"code": factory.Iterator(codes)}


def _sync_error(backend: str, async_session: Any) -> BulkPersistError:
    """The error of the same failing batch through the synchronous path (a Session on the same
    tables, rolled back and closed before the async batch runs)."""
    engine = sync_engine(backend)
    conn = engine.connect()
    outer = conn.begin()
    session = Session(bind=conn, join_transaction_mode="create_savepoint")
    for fac in (SATeamFactory, SATagFactory):
        fac._meta.sqlalchemy_session = session
    try:
        with pytest.raises(BulkPersistError) as info:
            SATagFactory.create_batch(8, **_bad_codes())
        return info.value
    finally:
        for fac in (SATeamFactory, SATagFactory):
            fac._meta.sqlalchemy_session = async_session
        session.close()
        outer.rollback()
        conn.close()
        engine.dispose()


async def test_a_failing_batch_leaves_no_row_and_no_registry_entry_with_the_sync_error(
        asession: Any, sa_backend: str) -> None:
    async_session = asession
    sync_error = _sync_error(sa_backend, async_session)

    await SATeamFactory.acreate_batch(2)  # rows and registry entries from before the failing batch stay
    before = registry.counts()
    with pytest.raises(BulkPersistError) as async_error:
        await SATagFactory.acreate_batch(8, **_bad_codes())
    assert str(async_error.value) == str(sync_error)
    err = async_error.value
    assert (err.factory, err.row, err.kind, err.column, err.value) == ("SATagFactory", 5, "unique", "code", "c1")
    assert await _count(async_session, SATag) == 0
    assert await _count(async_session, SATeam) == 2  # the failing batch's 8 parents are gone too
    assert registry.counts() == before


async def test_sync_create_on_an_async_session_says_to_await(asession: Any) -> None:
    with pytest.raises(ForgeConfigError, match=r"AsyncSession.*await SATeamFactory\.acreate"):
        SATeamFactory.create_batch(2)
    assert await _count(asession, SATeam) == 0


async def test_aseed_session_seeds_parents_then_children_in_one_savepoint(asession: Any) -> None:
    created = await factory.aseed_session(asession, {SATeamFactory: 2, SAMemberFactory: 6})
    teams, members = created[SATeamFactory], created[SAMemberFactory]
    assert len(teams) == 2 and len(members) == 6
    assert {m.team_id for m in members} <= {t.id for t in teams}  # children drawn over the seeded parents
    assert await _count(asession, SATeam) == 2 and await _count(asession, SAMember) == 6


def _refuse_code() -> str:
    raise RuntimeError("no code for this tag")


class SABrokenTagFactory(SATagFactory):
    code = factory.LazyFunction(_refuse_code)


async def test_aseed_session_failure_rolls_everything_back(asession: Any) -> None:
    before = registry.counts()
    with pytest.raises(RuntimeError, match="no code for this tag"):
        await factory.aseed_session(asession, {SATeamFactory: 3, SABrokenTagFactory: 4})
    assert await _count(asession, SATeam) == 0 and await _count(asession, SATag) == 0  # the teams were written
    assert registry.counts() == before


async def test_async_scoped_session_writes_through_the_callers_session(asession: Any) -> None:
    import asyncio

    from sqlalchemy.ext.asyncio import async_scoped_session, async_sessionmaker

    scoped = async_scoped_session(async_sessionmaker(bind=asession.bind, join_transaction_mode="create_savepoint"),
                                  scopefunc=asyncio.current_task)
    SATeamFactory._meta.sqlalchemy_session = scoped
    try:
        teams = await SATeamFactory.acreate_batch(3)
        mine = scoped()
        assert all(team in mine for team in teams)  # the session of the awaiting task, not another one
        assert await mine.get(SATeam, teams[0].id) is teams[0]
    finally:
        await scoped.remove()


async def test_async_sessionmaker_as_session_factory(sa_backend: str) -> None:
    from sqlalchemy import delete
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from .conftest import async_engine

    engine = async_engine(sa_backend)
    maker = async_sessionmaker(engine, expire_on_commit=False)

    class CommittedTeams(SATeamFactory):
        class Meta:
            sqlalchemy_session_factory = maker
            sqlalchemy_session_persistence = "commit"

    try:
        teams = await CommittedTeams.acreate_batch(4, name=factory.Sequence(lambda n: f"committed {n}"))
        async with maker() as reader:  # another session sees them: committed, as factory_boy's "commit"
            names = (await reader.scalars(select(SATeam.name).where(SATeam.name.like("committed %")))).all()
        assert sorted(names) == sorted(t.name for t in teams) and len(names) == 4
    finally:
        async with maker() as cleaner:
            await cleaner.execute(delete(SATeam).where(SATeam.name.like("committed %")))
            await cleaner.commit()
        await CommittedTeams._meta.sqlalchemy_session.close()
        await engine.dispose()
