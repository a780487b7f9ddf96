"""Django adapter: bulk create_batch, per-row fallbacks, atomic failure, FK registry."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import IntegrityError, connections
from django.db.models import signals

import forge_factories as factory
from forge_factories import seed
from forge_factories.core import registry
from forge_factories.django import bulk_capable_reason, mute_signals
from forge_factories.llm.providers import OfflineProvider
from forge_factories.orm.persist import BulkPersistError
from forge_factories.orm.persist.counting import django_statements

from . import dj_factories as F
from .djapp import models as M


@pytest.fixture(autouse=True)
def _on_alias(dj_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for fac in F.ALL_FACTORIES:
        monkeypatch.setattr(fac._meta, "database", dj_db)
    previous = factory.settings.provider
    factory.configure(provider=OfflineProvider())  # never the network, whatever keys the environment holds
    seed(20261125)
    F.POST_SEEN.clear()
    M.SAVED.clear()
    yield dj_db
    factory.configure(provider=previous)


def _rows_per_insert(alias: str, model: Any, n: int) -> int:
    conn = connections[alias]
    if conn.vendor == "sqlite" and n > 1:
        return n  # forge's SQLite path: one executemany for the whole batch
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return min(n, conn.ops.bulk_batch_size(fields, [None] * n) or n)


def _table(model: Any) -> str:
    return model._meta.db_table


def test_create_batch_500_issues_a_constant_number_of_inserts(dj_db: str) -> None:
    with django_statements(dj_db) as log:
        accounts = F.AccountFactory.create_batch(500)
    inserts = log.inserts_into(_table(M.Account))
    expected = math.ceil(500 / _rows_per_insert(dj_db, M.Account, 500))
    assert len(inserts) == expected
    assert len(inserts) == 1  # SQLite: one executemany; PostgreSQL, MariaDB: one multi-row INSERT
    # + SAVEPOINT / RELEASE (the call's and the batch's), + SQLite's two key lookups
    assert len(log.statements) <= expected + 6
    pks = [a.pk for a in accounts]
    assert None not in pks and len(set(pks)) == 500
    stored = dict(M.Account.objects.using(dj_db).values_list("pk", "username"))
    assert stored == {a.pk: a.username for a in accounts}
    assert all(a._state.adding is False and a._state.db == dj_db for a in accounts)


def test_subfactory_parents_are_bulk_inserted_first(dj_db: str) -> None:
    with django_statements(dj_db) as log:
        members = F.MemberFactory.create_batch(300)
    assert len(log.inserts_into(_table(M.Team))) == math.ceil(300 / _rows_per_insert(dj_db, M.Team, 300))
    assert len(log.inserts_into(_table(M.Member))) == math.ceil(300 / _rows_per_insert(dj_db, M.Member, 300))
    first_member_insert = next(i for i, s in enumerate(log.statements) if s in log.inserts_into(_table(M.Member)))
    last_team_insert = max(i for i, s in enumerate(log.statements) if s in log.inserts_into(_table(M.Team)))
    assert last_team_insert < first_member_insert
    assert all(m.pk and m.team_id == m.team.pk for m in members)
    assert M.Team.objects.using(dj_db).count() == 300
    assert set(M.Member.objects.using(dj_db).values_list("team_id", flat=True)) == {m.team.pk for m in members}


def test_post_generation_and_related_factory_see_saved_primary_keys(dj_db: str) -> None:
    members = F.DecoratedMemberFactory.create_batch(40)
    assert len(F.POST_SEEN) == 40
    assert all(pk is not None and team_id is not None for pk, team_id in F.POST_SEEN)
    assert sorted(pk for pk, _ in F.POST_SEEN) == sorted(m.pk for m in members)
    badges = M.Badge.objects.using(dj_db).filter(member__in=[m.pk for m in members])
    assert badges.count() == 40
    assert set(badges.values_list("member_id", flat=True)) == {m.pk for m in members}


def test_semantic_fields_resolve_in_one_request_and_persist_in_bulk(dj_db: str) -> None:
    from forge_factories.llm.providers.recording import RecordingProvider

    recorder = RecordingProvider()
    factory.configure(provider=recorder)
    try:
        with django_statements(dj_db) as log:
            members = F.SemanticMemberFactory.create_batch(50, context="an ice hockey league")
    finally:
        factory.configure(provider=OfflineProvider())
    assert len(recorder.requests) == 1
    assert all(m.motto and len(m.motto) <= 200 for m in members)
    assert len(log.inserts_into(_table(M.Member))) == math.ceil(50 / _rows_per_insert(dj_db, M.Member, 50))
    stored = dict(M.Member.objects.using(dj_db).filter(pk__in=[m.pk for m in members]).values_list("pk", "motto"))
    assert stored == {m.pk: m.motto for m in members}


@pytest.mark.parametrize(
    ("fac", "reason"),
    [
        (F.NoisyFactory, "receivers are connected"),
        (F.CarefulFactory, "overrides save()"),
        (F.RestaurantFactory, "multi-table inheritance"),
        (F.GetOrCreateCodedFactory, "django_get_or_create"),
        (F.NoBulkAccountFactory, "forge_bulk is False"),
        (F.OverriddenCreateTeamFactory, "overrides _create"),
    ],
)
def test_per_row_paths_are_kept_where_bulk_would_change_behaviour(dj_db: str, fac: Any, reason: str) -> None:
    assert reason in (bulk_capable_reason(fac) or "")
    model = fac._meta.model
    with django_statements(dj_db) as log:
        objs = fac.create_batch(5)
    assert all(o.pk is not None for o in objs)
    assert len(log.inserts_into(_table(model))) == 5  # one INSERT per row, as factory_boy does
    if fac is F.NoisyFactory:
        assert [o.pk for o in objs] == M.SAVED
    if fac is F.CarefulFactory:
        assert all(o.saved_by_save for o in objs)
    if fac is F.OverriddenCreateTeamFactory:
        assert all(o.name.isupper() for o in objs)


def test_a_managers_create_runs_where_factory_boy_calls_it(dj_db: str) -> None:
    # factory_boy creates through the model's manager on the default alias (so an overridden
    # create() runs, per row) and through a plain queryset (.using(alias)) on any other alias.
    custom = dj_db == "default"
    assert ("overrides create()" in (bulk_capable_reason(F.StampedFactory) or "")) is custom
    with django_statements(dj_db) as log:
        objs = F.StampedFactory.create_batch(5)
    assert [o.stamped for o in objs] == [custom] * 5
    assert len(log.inserts_into(_table(M.Stamped))) == (5 if custom else 1)


def test_get_or_create_keeps_its_meaning(dj_db: str) -> None:
    first = F.GetOrCreateCodedFactory.create(code="same")
    again = F.GetOrCreateCodedFactory.create_batch(3, code="same")
    assert {o.pk for o in again} == {first.pk}
    assert M.Coded.objects.using(dj_db).count() == 1


def test_muted_or_opted_in_signals_allow_bulk(dj_db: str) -> None:
    with mute_signals(signals.post_save):
        assert bulk_capable_reason(F.NoisyFactory) is None
        with django_statements(dj_db) as log:
            objs = F.NoisyFactory.create_batch(30)
    assert len(log.inserts_into(_table(M.Noisy))) == 1 and M.SAVED == []
    with django_statements(dj_db) as log:
        F.OptedInNoisyFactory.create_batch(30)
    assert len(log.inserts_into(_table(M.Noisy))) == 1 and M.SAVED == []
    assert all(o.pk for o in objs)


def test_integrity_error_rolls_back_the_whole_batch_and_names_the_row(dj_db: str) -> None:
    F.CodedFactory.create(code="taken")
    codes = [f"ok{i}" for i in range(12)]
    codes[7] = "taken"
    with pytest.raises(BulkPersistError) as info:
        F.CodedFactory.create_batch(12, code=factory.Iterator(codes))
    err = info.value
    assert isinstance(err, IntegrityError)  # still what factory_boy users catch
    assert err.factory == "CodedFactory" and err.row == 7 and err.size == 12
    assert err.constraint and ("code" in err.constraint.lower() or "uniq" in err.constraint.lower())
    assert "CodedFactory" in str(err) and "row 7" in str(err)
    # nothing of the batch stayed, and the connection is still usable
    assert list(M.Coded.objects.using(dj_db).values_list("code", flat=True)) == ["taken"]


def test_duplicate_inside_the_batch_is_located(dj_db: str) -> None:
    codes = ["a", "b", "c", "d", "b", "e"]
    with pytest.raises(BulkPersistError) as info:
        F.CodedFactory.create_batch(6, code=factory.Iterator(codes))
    assert info.value.row == 4
    assert M.Coded.objects.using(dj_db).count() == 0


def test_registry_reuses_parents_created_by_earlier_calls(dj_db: str) -> None:
    teams = F.TeamFactory.create_batch(3)
    with django_statements(dj_db) as log:
        members = F.ReusingMemberFactory.create_batch(30)
    assert log.inserts_into(_table(M.Team)) == []
    assert M.Team.objects.using(dj_db).count() == 3
    assert {m.team.pk for m in members} <= {t.pk for t in teams}
    assert len({m.team.pk for m in members}) > 1  # spread over the parents, not always the first
    # explicit overrides win
    assert F.ReusingMemberFactory.create(team=teams[2]).team == teams[2]
    fresh = F.ReusingMemberFactory.create(team__name="brand new")
    assert fresh.team.pk not in {t.pk for t in teams} and fresh.team.name == "brand new"


def test_registry_choice_is_deterministic_under_the_seed(dj_db: str) -> None:
    def picks() -> list[int]:
        seed(7)
        teams = F.TeamFactory.create_batch(4)
        members = F.ReusingMemberFactory.create_batch(20)
        index = {t.pk: i for i, t in enumerate(teams)}
        return [index[m.team.pk] for m in members]

    assert picks() == picks()


def test_clear_registry_forgets_parents(dj_db: str) -> None:
    F.TeamFactory.create_batch(2)
    registry.clear_registry()
    F.ReusingMemberFactory.create_batch(5)
    assert M.Team.objects.using(dj_db).count() == 7


def test_build_batch_saves_nothing(dj_db: str) -> None:
    with django_statements(dj_db) as log:
        members = F.MemberFactory.build_batch(10)
    assert log.statements == [] and all(m.pk is None for m in members)


def test_unsaved_parents_are_flushed_before_a_per_row_create(dj_db: str) -> None:
    with django_statements(dj_db) as log:
        members = F.PerRowMemberFactory.create_batch(4)
    assert all(m.pk and m.team.pk for m in members)
    assert len(log.inserts_into(_table(M.Member))) == 4


def test_forge_batch_size_limits_rows_per_insert(dj_db: str) -> None:
    with django_statements(dj_db) as log:
        F.SmallBatchTeamFactory.create_batch(250)
    conn = connections[dj_db]
    fields = [f for f in M.Team._meta.concrete_fields if not f.primary_key]
    expected = math.ceil(250 / min(100, conn.ops.bulk_batch_size(fields, [None] * 250) or 250))
    assert len(log.inserts_into(_table(M.Team))) == expected >= 3


def test_a_failing_child_group_rolls_back_its_parents_too(dj_db: str) -> None:
    with pytest.raises(BulkPersistError) as info:
        F.MemberFactory.create_batch(5, name=factory.Iterator(["a", "b", None, "d", "e"]))
    assert info.value.factory == "MemberFactory" and info.value.row == 2
    assert M.Team.objects.using(dj_db).count() == 0
    assert M.Member.objects.using(dj_db).count() == 0


def test_keys_are_the_ones_the_database_would_assign(dj_db: str) -> None:
    first = F.TeamFactory.create_batch(3)
    M.Team.objects.using(dj_db).filter(pk__in=[t.pk for t in first]).delete()
    again = F.TeamFactory.create_batch(2)
    assert min(t.pk for t in again) > max(t.pk for t in first)  # deleted keys are not reused
    assert sorted(M.Team.objects.using(dj_db).values_list("pk", flat=True)) == sorted(t.pk for t in again)


def test_sqlite_fast_path_only_for_plain_rows(dj_db: str) -> None:
    from forge_factories.orm.persist.django_sqlite import sqlite_executemany

    with_keys = [M.Team(pk=900 + i, name=f"k{i}") for i in range(3)]
    assert not sqlite_executemany(M.Team, with_keys, dj_db)
    explicit = F.TeamFactory.create_batch(3, id=factory.Iterator([901, 902, 903]))
    assert [t.pk for t in explicit] == [901, 902, 903]


def test_a_call_over_the_window_saves_every_window_with_its_parents(dj_db: str) -> None:
    with factory.settings_scope(batch_window=4):
        members = F.SemanticMemberFactory.create_batch(10)
    stored = dict(M.Member.objects.using(dj_db).filter(pk__in=[m.pk for m in members]).values_list("pk", "team_id"))
    assert stored == {m.pk: m.team.pk for m in members}
    assert len({m.pk for m in members}) == 10 and all(m.motto for m in members)
    assert M.Team.objects.using(dj_db).count() == 10


def test_a_failure_in_a_later_window_leaves_nothing_of_the_call(dj_db: str) -> None:
    names = factory.Iterator(["a", "b", "c", "d", "e", None, "g"])
    with factory.settings_scope(batch_window=3), pytest.raises(BulkPersistError) as info:
        F.SemanticMemberFactory.create_batch(7, name=names)
    assert (info.value.factory, info.value.row) == ("SemanticMemberFactory", 2)  # row 2 of the second window
    # The first window was saved before the second failed: the call's atomic block undoes it.
    assert M.Team.objects.using(dj_db).count() == 0
    assert M.Member.objects.using(dj_db).count() == 0
