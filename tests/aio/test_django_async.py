"""``await acreate_batch`` on Django (SQLite, PostgreSQL, MariaDB): the sync bulk path and its
``atomic`` block in Django's sync thread; parents, FK registry, errors and rollback as ``create_batch``."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async

import forge_factories as factory
from forge_factories.core import registry
from forge_factories.orm.persist import BulkPersistError

from .factories import DjMemberFactory, DjReusingMemberFactory, DjTagFactory, DjTeamFactory
from .models import AioDjMember, AioDjTag, AioDjTeam

pytestmark = pytest.mark.asyncio


async def _count(model: Any, alias: str) -> int:
    return int(await model.objects.using(alias).acount())


class _Inserts:
    """INSERT statements per table on ``alias``, seen by a wrapper installed in Django's sync thread."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.tables: dict[str, int] = {}
        self._wrapper: Any = None

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        words = sql.split()
        if words[:2] == ["INSERT", "INTO"]:
            table = words[2].strip('`"')
            self.tables[table] = self.tables.get(table, 0) + 1
        return execute(sql, params, many, context)

    def _enter(self) -> None:
        from django.db import connections

        self._wrapper = connections[self.alias].execute_wrapper(self)  # the sync thread's connection
        self._wrapper.__enter__()

    async def __aenter__(self) -> _Inserts:
        await sync_to_async(self._enter)()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await sync_to_async(self._wrapper.__exit__)(*exc)


async def test_acreate_batch_is_one_bulk_insert_per_table_parents_first(dj_alias: str) -> None:
    async with _Inserts(dj_alias) as inserts:
        members = await DjMemberFactory.acreate_batch(20, context="a rowing club")
    assert inserts.tables == {"aio_dj_team": 1, "aio_dj_member": 1}
    assert all(m.pk is not None and m.team_id == m.team.pk for m in members)
    assert len({m.team_id for m in members}) == 20
    assert await _count(AioDjMember, dj_alias) == 20 and await _count(AioDjTeam, dj_alias) == 20
    assert all(m.bio and len(m.bio) <= 300 for m in members)
    assert factory.provenance(members[0])["bio"].source == "offline"


async def test_acreate_saves_one_object_and_its_parent(dj_alias: str) -> None:
    member = await DjMemberFactory.acreate(name="Ada")
    stored = await AioDjMember.objects.using(dj_alias).select_related("team").aget(pk=member.pk)
    assert stored.name == "Ada" and stored.team.pk == member.team.pk


async def test_registry_subfactory_reuses_parents_created_earlier(dj_alias: str) -> None:
    teams = await DjTeamFactory.acreate_batch(3)
    members = await DjReusingMemberFactory.acreate_batch(12)
    assert await _count(AioDjTeam, dj_alias) == 3
    assert {m.team_id for m in members} <= {t.pk for t in teams}
    assert len({m.team_id for m in members}) > 1


def _bad_codes() -> dict[str, Any]:
    codes = [f"c{i}" for i in range(8)]
    codes[5] = "c1"
    return {"code": factory.Iterator(codes)}


def _sync_failure() -> BulkPersistError:
    with pytest.raises(BulkPersistError) as info:
        DjTagFactory.create_batch(8, **_bad_codes())
    return info.value


async def test_a_failing_batch_leaves_no_row_and_no_registry_entry_with_the_sync_error(dj_alias: str) -> None:
    sync_error = await sync_to_async(_sync_failure)()  # the same batch, the sync path, same connection
    await DjTeamFactory.acreate_batch(2)
    before = registry.counts()
    with pytest.raises(BulkPersistError) as info:
        await DjTagFactory.acreate_batch(8, **_bad_codes())
    assert str(info.value) == str(sync_error)
    err = info.value
    assert (err.factory, err.row, err.kind, err.column, err.value) == ("DjTagFactory", 5, "unique", "code", "c1")
    assert await _count(AioDjTag, dj_alias) == 0
    assert await _count(AioDjTeam, dj_alias) == 2  # the failing batch's parents went with its atomic block
    assert registry.counts() == before
