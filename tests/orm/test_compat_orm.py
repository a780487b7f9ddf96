"""The ORM entries of forge_factories._compat: each public fallback, forced, ends where the private route does.

SQLAlchemy: without ``Session._save_impl``/``_register_persistent`` the batch goes through the
unit of work and its objects and rows are those of the fast path. Django: without
``Model._prepare_related_fields_for_save`` the public check refuses the same unsaved related
objects with the same message and fills the same keys. On every backend.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from forge_factories._compat import django as compat_django
from forge_factories._compat import sqlalchemy as compat_sa
from forge_factories.orm.persist.alchemy_bulk import bulk_insert
from forge_factories.orm.persist.alchemy_core import core_insert
from forge_factories.orm.persist.counting import alchemy_statements

from . import sa_models as SA
from .test_alchemy_attach import snapshot


@pytest.fixture
def fallback(monkeypatch: pytest.MonkeyPatch) -> Any:
    def force(probe: Any) -> None:
        monkeypatch.setattr(probe, "result", False)

    return force


def _shelves(n: int, start: int) -> list[Any]:
    return [SA.SAShelf(label=f"c{start + i}", tags=["x"] if i % 2 else [], is_open=bool(i % 2),
                       stocked=datetime(2024, 2, 1 + i, 9, 30) if i % 3 else None) for i in range(n)]


def _persisted(session: Session, objs: list[Any]) -> list[tuple[Any, ...]]:
    rows = session.execute(select(SA.SAShelf.label, SA.SAShelf.tags, SA.SAShelf.is_open, SA.SAShelf.stocked,
                                  SA.SAShelf.colour, SA.SAShelf.note)
                           .where(SA.SAShelf.id.in_([o.id for o in objs])).order_by(SA.SAShelf.id)).all()
    return [tuple(row) for row in rows]


def test_sqlalchemy_attach_fallback_saves_through_the_unit_of_work_with_the_same_result(
        sa_session: Session, fallback: Any) -> None:
    assert compat_sa.attach_supported(sa_session)
    fast = _shelves(5, 0)
    with alchemy_statements(sa_session.connection()) as log:
        bulk_insert(sa_session, fast, factory_name="F")
    assert len(log.inserts) == 1  # one executemany, then attached as flushed
    fallback(compat_sa.ATTACH)
    assert not compat_sa.attach_supported(sa_session)
    slow = _shelves(5, 0)
    assert not core_insert(sa_session, list(slow))  # the Core fast path steps aside
    bulk_insert(sa_session, slow, factory_name="F")
    for a, b in zip(fast, slow, strict=True):
        assert snapshot(sa_session, a) == snapshot(sa_session, b)
        assert inspect(b).persistent and sa_session.get(SA.SAShelf, b.id) is b
    assert _persisted(sa_session, slow) == _persisted(sa_session, fast)
    assert [o.id for o in slow] == sorted({o.id for o in slow}) and set(slow).isdisjoint(fast)


def test_is_mapped_instance_fallback_agrees(fallback: Any) -> None:
    objs = [SA.SAShelf(label="m"), object(), {"a": 1}, SA.SAShelf]
    fast = [compat_sa.is_mapped_instance(o) for o in objs]
    fallback(compat_sa.INSTANCE_STATE)
    assert [compat_sa.is_mapped_instance(o) for o in objs] == fast == [True, False, False, False]


def _backslash_literal(dialect: Any) -> str:
    from sqlalchemy import literal

    return str(literal("a\\b").compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def test_postgresql_literals_keep_backslashes_as_written(fallback: Any) -> None:
    from sqlalchemy.dialects import postgresql

    from forge_factories.datasets.sql import load_dialect

    assert _backslash_literal(load_dialect("postgresql")) == "'a\\b'"
    assert _backslash_literal(load_dialect("mysql")) == "'a\\\\b'"  # MySQL reads backslashes as escapes
    as_on_20: Any = postgresql.dialect(paramstyle="named")
    as_on_20._backslash_escapes = True  # what SQLAlchemy 2.0 assumes before it connects
    assert _backslash_literal(as_on_20) == "'a\\\\b'"
    compat_sa.standard_conforming_strings(as_on_20)
    assert _backslash_literal(as_on_20) == "'a\\b'"
    fallback(compat_sa.BACKSLASH_ESCAPES)
    again: Any = postgresql.dialect(paramstyle="named")
    again._backslash_escapes = True
    with pytest.raises(RuntimeError, match="use SQLAlchemy 2.1"):
        compat_sa.standard_conforming_strings(again)


# -- Django ---------------------------------------------------------------------------------------

@pytest.fixture
def dj_models(dj_db: str) -> Iterator[Any]:
    from .djapp import models as M

    yield M


def _prepare_outcomes(M: Any, using: str) -> list[Any]:
    out: list[Any] = []
    unsaved = M.Member(name="m", team=M.Team(name="new"))
    try:
        compat_django.prepare_related_fields_for_save(unsaved, "bulk_create")
    except ValueError as exc:
        out.append(str(exc))
    team, member = M.Team(name="t"), M.Member(name="m")
    team._state.db = member._state.db = using  # both on the test's database (routers compare them)
    member.team = team
    team.save(using=using)  # saved after the assignment: the key is copied in
    compat_django.prepare_related_fields_for_save(member, "bulk_create")
    out.append(member.team_id == team.pk and member.team is team)
    no_team = M.Member(name="x")
    compat_django.prepare_related_fields_for_save(no_team, "bulk_create")  # nothing to check: no error
    out.append(no_team.team_id)
    return out


def test_django_prepare_fallback_refuses_and_fills_alike(dj_models: Any, dj_db: str, fallback: Any) -> None:
    fast = _prepare_outcomes(dj_models, dj_db)
    assert fast == ["bulk_create() prohibited to prevent data loss due to unsaved related object 'team'.", True, None]
    fallback(compat_django.PREPARE_RELATED)
    assert _prepare_outcomes(dj_models, dj_db) == fast


def test_django_bulk_through_the_fallback_writes_the_same_rows(
        dj_models: Any, dj_db: str, fallback: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from . import dj_factories as F

    for fac in (F.TeamFactory, F.MemberFactory):
        monkeypatch.setattr(fac._meta, "database", dj_db)
    M = dj_models
    fast = F.MemberFactory.create_batch(4, name="same", motto="m")
    fallback(compat_django.PREPARE_RELATED)
    slow = F.MemberFactory.create_batch(4, name="same", motto="m")
    for objs in (fast, slow):
        stored = M.Member.objects.using(dj_db).filter(pk__in=[o.pk for o in objs]).order_by("pk")
        assert [(m.name, m.motto, m.team_id) for m in stored] == [(o.name, o.motto, o.team.pk) for o in objs]
