"""SQLAlchemy fast path: batch objects end exactly as ``session.add`` + ``flush`` leaves them.

The fast path INSERTs with one executemany and makes the objects persistent through the
session's own flush steps (``forge_factories._compat.sqlalchemy``: semi-private
``Session._save_impl`` / ``Session._register_persistent``). Each test compares a batch with
objects saved the ordinary way, on SQLite, PostgreSQL and MariaDB, so a SQLAlchemy release
that changes what those steps do fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

import forge_factories as factory
from forge_factories.orm.persist.alchemy_bulk import bulk_insert
from forge_factories.orm.persist.alchemy_core import core_insert
from forge_factories.orm.persist.counting import alchemy_statements

from . import sa_factories as F
from . import sa_models as M


@pytest.fixture(autouse=True)
def _fixed_session(sa_session: Any) -> Iterator[None]:
    """The factories use the test's session directly (create_batch then runs in its own SAVEPOINT)."""
    saved = {}
    for fac in (F.SAShelfFactory, F.SABookFactory):
        saved[fac] = (fac._meta.sqlalchemy_session, fac._meta.sqlalchemy_session_factory)
        fac._meta.sqlalchemy_session, fac._meta.sqlalchemy_session_factory = sa_session, None
    yield
    for fac, (session, session_factory) in saved.items():
        fac._meta.sqlalchemy_session, fac._meta.sqlalchemy_session_factory = session, session_factory


def _shelves(n: int, start: int = 0) -> list[M.SAShelf]:
    return [M.SAShelf(label=f"s{start + i}", tags=["a", "b"] if i % 2 else [], is_open=bool(i % 2),
                      stocked=datetime(2024, 1, 1 + i % 28, 8, 15) if i % 3 else None) for i in range(n)]


def _ordinary(session: Session, objs: list[Any]) -> list[Any]:
    session.add_all(objs)
    session.flush()
    return objs


def _fast(session: Session, objs: list[Any]) -> list[Any]:
    with alchemy_statements(session.connection()) as log:
        bulk_insert(session, objs, factory_name="F")
    assert len(log.inserts) == 1, "the fast path was not taken"
    return objs


def snapshot(session: Session, obj: Any) -> dict[str, Any]:
    """What the session and the object's state say about ``obj`` (no SQL)."""
    state = inspect(obj)
    return {
        "states": (state.transient, state.pending, state.persistent, state.detached, state.deleted),
        "in_map": state.key is not None and session.identity_map.get(state.key) is obj,
        "new_dirty_deleted": (obj in session.new, obj in session.dirty, obj in session.deleted),
        "modified": state.modified,
        "committed_state": dict(state.committed_state),
        "expired": sorted(state.expired_attributes),
        "unloaded": sorted(state.unloaded),
        "has_identity": state.has_identity,
    }


def test_batch_objects_look_like_flushed_ones(sa_session: Session) -> None:
    ours, theirs = _fast(sa_session, _shelves(6)), _ordinary(sa_session, _shelves(6, 6))
    for a, b in zip(ours, theirs, strict=True):
        assert snapshot(sa_session, a) == snapshot(sa_session, b)
        assert a.colour == b.colour == "oak" and a.note is None and b.note is None
    with alchemy_statements(sa_session.connection()) as log:
        assert all(sa_session.get(M.SAShelf, s.id) is s for s in ours)
        assert [s.label for s in ours] == [f"s{i}" for i in range(6)]
    assert log.statements == []


def test_create_batch_objects_are_persistent_in_the_factory_session(sa_session: Session) -> None:
    with alchemy_statements(sa_session.connection()) as log:
        books = F.SABookFactory.create_batch(8)
    assert len(log.inserts_into("sa_shelf")) == 1 and len(log.inserts_into("sa_book")) == 1
    assert not sa_session.new and not sa_session.dirty
    for book in books:
        for obj in (book, book.shelf):
            state = inspect(obj)
            assert state.persistent and state.session is sa_session and not state.modified
            assert sa_session.identity_map.get(state.key) is obj
        assert book.shelf_id == book.shelf.id
    with alchemy_statements(sa_session.connection()) as log:
        assert sa_session.get(M.SABook, books[3].id) is books[3]
        assert sa_session.get(M.SAShelf, books[3].shelf.id) is books[3].shelf
    assert log.statements == []


def test_later_changes_are_flushed_as_updates(sa_session: Session) -> None:
    shelves = F.SAShelfFactory.create_batch(5)
    shelves[2].label = "renamed"
    shelves[4].tags = ["x", "y"]
    assert set(sa_session.dirty) == {shelves[2], shelves[4]}
    with alchemy_statements(sa_session.connection()) as log:
        sa_session.flush()
    assert len(log.of_kind("UPDATE")) == 2 and log.inserts == []
    sa_session.expire_all()
    assert shelves[2].label == "renamed" and shelves[4].tags == ["x", "y"]
    sa_session.delete(shelves[0])
    sa_session.flush()
    assert inspect(shelves[0]).deleted
    assert sa_session.scalar(select(func.count()).select_from(M.SAShelf)) == 4


def test_stored_values_match_the_unit_of_work(sa_session: Session) -> None:
    """Raw stored values: bind processors (a TypeDecorator, Boolean, DateTime) and defaults as the unit of work's."""
    ours, theirs = _fast(sa_session, _shelves(6)), _ordinary(sa_session, _shelves(6))
    raw = {row[0]: tuple(row[1:]) for row in sa_session.connection().exec_driver_sql(
        "SELECT id, colour, note, tags, is_open, stocked FROM sa_shelf")}
    assert [raw[s.id] for s in ours] == [raw[s.id] for s in theirs]
    assert raw[ours[1].id][2] == "a,b" and raw[ours[0].id][2] == ""
    sa_session.expire_all()
    assert [(s.tags, s.is_open, s.stocked, s.colour) for s in ours] == [
        (s.tags, s.is_open, s.stocked, s.colour) for s in theirs]
    assert ours[1].tags == ["a", "b"] and ours[1].is_open is True


def test_relationships_load_and_backrefs_match(sa_session: Session) -> None:
    shelves = _fast(sa_session, _shelves(3))
    books = _fast(sa_session, [M.SABook(title=f"b{i}", shelf=shelves[i % 3]) for i in range(9)])
    assert all(b.shelf_id == b.shelf.id for b in books)
    with alchemy_statements(sa_session.connection()) as log:
        sa_session.flush()
    assert log.statements == []  # nothing left over for the next flush
    assert sorted(b.title for b in shelves[0].books) == ["b0", "b3", "b6"]
    sa_session.expire_all()
    assert books[4].shelf is shelves[1]  # lazy load through the identity map
    assert sorted(b.id for b in shelves[2].books) == sorted(b.id for b in books[2::3])


def test_rollback_of_the_session_transaction_makes_them_transient(sa_session: Session) -> None:
    ours, theirs = _fast(sa_session, _shelves(4)), _ordinary(sa_session, _shelves(4, 4))
    ids = [s.id for s in ours]
    sa_session.rollback()
    for a, b in zip(ours, theirs, strict=True):
        assert inspect(a).transient and snapshot(sa_session, a) == snapshot(sa_session, b)
    assert all(sa_session.get(M.SAShelf, pk) is None for pk in ids)


def test_rollback_of_an_enclosing_savepoint_makes_them_transient(sa_session: Session) -> None:
    kept = F.SAShelfFactory.create_batch(2)
    savepoint = sa_session.begin_nested()
    ours = F.SAShelfFactory.create_batch(4)
    theirs = _ordinary(sa_session, _shelves(4))
    savepoint.rollback()
    for a, b in zip(ours, theirs, strict=True):
        assert inspect(a).transient and snapshot(sa_session, a) == snapshot(sa_session, b)
    assert all(inspect(s).persistent for s in kept)
    assert sa_session.scalar(select(func.count()).select_from(M.SAShelf)) == 2


def test_session_events_are_those_of_add_and_flush(sa_session: Session) -> None:
    seen: list[tuple[str, str]] = []
    names = ("before_attach", "after_attach", "transient_to_pending", "pending_to_persistent",
             "detached_to_persistent")

    def listener(name: str) -> Any:
        def record(session: Any, state_or_obj: Any) -> None:
            obj = getattr(state_or_obj, "obj", lambda: state_or_obj)()
            seen.append((name, obj.label))
        return record

    listeners = [(name, listener(name)) for name in names]
    for name, fn in listeners:
        event.listen(sa_session, name, fn)
    try:
        _fast(sa_session, _shelves(3))
        ours = sorted(seen)
        seen.clear()
        _ordinary(sa_session, _shelves(3))
    finally:
        for name, fn in listeners:
            event.remove(sa_session, name, fn)
    assert ours == sorted(seen)
    assert sorted({name for name, _ in ours}) == ["after_attach", "before_attach", "pending_to_persistent",
                                                  "transient_to_pending"]


def test_without_the_flush_steps_the_unit_of_work_saves_them(sa_session: Session,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(Session, "_register_persistent", raising=True)
    shelves = _shelves(3)
    assert not core_insert(sa_session, shelves)
    monkeypatch.undo()
    bulk_insert(sa_session, shelves, factory_name="F")
    assert all(inspect(s).persistent and s.id for s in shelves)


def test_parents_outside_the_session_take_the_unit_of_work(sa_session: Session) -> None:
    parent = _ordinary(sa_session, _shelves(1))[0]
    sa_session.expunge(parent)  # detached: add() would cascade it back into the session
    books = [M.SABook(title=f"b{i}", shelf=parent) for i in range(3)]
    assert not core_insert(sa_session, books)
    bulk_insert(sa_session, books, factory_name="F")
    assert inspect(parent).persistent and all(b.shelf_id == parent.id for b in books)


def test_explicit_and_generated_keys(sa_session: Session) -> None:
    shelves = _fast(sa_session, [M.SAShelf(id=900 + i, label=f"k{i}", is_open=True) for i in range(3)])
    assert [s.id for s in shelves] == [900, 901, 902]
    more = F.SAShelfFactory.create_batch(3, label=factory.Sequence(lambda n: f"g{n}"))
    assert len({s.id for s in more}) == 3 and not {s.id for s in more} & {900, 901, 902}
    assert all(sa_session.get(M.SAShelf, s.id) is s for s in shelves + more)


def _stocked_shelves(note_text: Any = "n") -> list[M.SAShelf]:
    shelves = _shelves(3)
    for i, shelf in enumerate(shelves):
        shelf.books = [M.SABook(title=f"b{i}{j}") for j in range(2)]  # the backref sets book.shelf
        shelf.notes = [M.SANote(text=note_text if (i, j) == (1, 1) else "n") for j in range(2)]
    return shelves


def test_new_objects_in_a_parents_collections_are_saved_with_it(sa_session: Session) -> None:
    shelves = _stocked_shelves()
    with alchemy_statements(sa_session.connection()) as log:
        bulk_insert(sa_session, shelves, factory_name="F")
    assert [len(log.inserts_into(t)) for t in ("sa_shelf", "sa_book", "sa_note")] == [1, 1, 1]
    reference = _ordinary(sa_session, _stocked_shelves())
    for ours, theirs in zip(shelves, reference, strict=True):
        assert snapshot(sa_session, ours) == snapshot(sa_session, theirs)
        for a, b in zip(ours.books + ours.notes, theirs.books + theirs.notes, strict=True):
            assert snapshot(sa_session, a) == snapshot(sa_session, b)
        assert all(b.shelf_id == ours.id and b.shelf is ours for b in ours.books)
        assert all(n.shelf_id == ours.id for n in ours.notes)
    with alchemy_statements(sa_session.connection()) as log:
        sa_session.flush()
    assert log.statements == []
    sa_session.expire_all()
    assert sorted(n.id for n in shelves[2].notes) == sorted(n.id for n in _stored_notes(sa_session, shelves[2].id))


def _stored_notes(session: Session, shelf_id: int) -> list[M.SANote]:
    return list(session.scalars(select(M.SANote).where(M.SANote.shelf_id == shelf_id)))


def test_a_failing_child_rolls_back_its_parents_and_names_the_parent_row(sa_session: Session) -> None:
    from forge_factories.orm.persist import BulkPersistError

    shelves = _stocked_shelves(note_text=None)
    with pytest.raises(BulkPersistError) as info:
        bulk_insert(sa_session, shelves, factory_name="ShelfFactory")
    assert info.value.factory == "ShelfFactory" and info.value.row == 1
    assert all(inspect(o).transient for s in shelves for o in [s, *s.books, *s.notes])
    for model in (M.SAShelf, M.SABook, M.SANote):
        assert sa_session.scalar(select(func.count()).select_from(model)) == 0
