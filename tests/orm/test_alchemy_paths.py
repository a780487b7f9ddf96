"""SQLAlchemy: which objects take the Core fast path, which the unit of work (SQLite, in memory)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import ForeignKey, Integer, String, create_engine, event, inspect, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from forge_factories.orm.persist.alchemy_bulk import bulk_insert, ensure_sqlite_transaction
from forge_factories.orm.persist.alchemy_core import core_insert
from forge_factories.orm.persist.counting import alchemy_statements


class Base(DeclarativeBase):
    pass


class Shelf(Base):
    __tablename__ = "p_shelf"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(40))
    colour: Mapped[str] = mapped_column(String(20), default="oak")
    note: Mapped[str | None] = mapped_column(String(40))
    books: Mapped[list[Book]] = relationship(back_populates="shelf")


class Book(Base):
    __tablename__ = "p_book"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(40))
    shelf_id: Mapped[int] = mapped_column(ForeignKey("p_shelf.id"))
    shelf: Mapped[Shelf] = relationship(back_populates="books")


class Stamped(Base):
    __tablename__ = "p_stamped"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(40))
    created: Mapped[str] = mapped_column(String(40), server_default=text("'now'"))


class Audited(Base):
    __tablename__ = "p_audited"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(40))


AUDIT: list[str] = []


@event.listens_for(Audited, "after_insert")
def _audit(mapper: Any, connection: Any, target: Audited) -> None:
    AUDIT.append(target.label)


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_plain_objects_take_one_executemany_and_become_persistent(session: Session) -> None:
    shelves = [Shelf(label=f"s{i}") for i in range(50)]
    with alchemy_statements(session.get_bind()) as log:
        bulk_insert(session, shelves, factory_name="ShelfFactory")
    assert len(log.inserts) == 1
    assert all(inspect(s).persistent for s in shelves) and not session.new
    assert [s.id for s in shelves] == list(range(1, 51))
    assert all(s.colour == "oak" and s.note is None for s in shelves)  # scalar default, NULL
    books = [Book(title=f"b{i}", shelf=shelves[i % 5]) for i in range(100)]
    bulk_insert(session, books, factory_name="BookFactory")
    assert all(b.shelf_id == b.shelf.id for b in books)
    session.expire_all()
    stored = session.execute(select(Book.id, Book.shelf_id)).all()
    assert sorted(stored) == sorted((b.id, b.shelf_id) for b in books)


def test_ids_continue_after_existing_rows(session: Session) -> None:
    session.add(Shelf(id=41, label="existing"))
    session.flush()
    shelves = [Shelf(label=f"s{i}") for i in range(3)]
    ensure_sqlite_transaction(session)
    assert core_insert(session, shelves)
    assert [s.id for s in shelves] == [42, 43, 44]


def test_server_defaults_events_and_unsaved_parents_take_the_unit_of_work(session: Session) -> None:
    stamped = [Stamped(label=f"x{i}") for i in range(3)]
    assert not core_insert(session, stamped)
    bulk_insert(session, stamped, factory_name="StampedFactory")
    assert all(s.created == "now" for s in stamped)
    AUDIT.clear()
    audited = [Audited(label=f"a{i}") for i in range(3)]
    assert not core_insert(session, audited)
    bulk_insert(session, audited, factory_name="AuditedFactory")
    assert AUDIT == ["a0", "a1", "a2"]
    pending_parent = Shelf(label="new")
    books = [Book(title="t1", shelf=pending_parent), Book(title="t2", shelf=pending_parent)]
    assert not core_insert(session, books)
    bulk_insert(session, books, factory_name="BookFactory")
    assert pending_parent.id is not None and all(b.shelf_id == pending_parent.id for b in books)


def test_nothing_is_left_for_the_next_flush(session: Session) -> None:
    shelves = [Shelf(label=f"s{i}") for i in range(3)]
    bulk_insert(session, shelves, factory_name="ShelfFactory")
    books = [Book(title=f"b{i}", shelf=shelves[i % 3]) for i in range(9)]
    bulk_insert(session, books, factory_name="BookFactory")
    with alchemy_statements(session.get_bind()) as log:
        session.flush()
    assert log.statements == []
    assert sorted(b.title for b in shelves[0].books) == ["b0", "b3", "b6"]


def test_forge_batch_size_is_refused_on_sqlalchemy_factories() -> None:
    """It would do nothing there (SQLAlchemy sizes its own batches): said when the class is defined."""
    from forge_factories.alchemy import SQLAlchemyModelFactory
    from forge_factories.common.errors import ForgeConfigError

    from .sa_models import SATeam

    with pytest.raises(ForgeConfigError, match=r"TeamBatches: Meta.forge_batch_size=100 does nothing"):
        type("TeamBatches", (SQLAlchemyModelFactory,), {
            "Meta": type("Meta", (), {"model": SATeam, "forge_batch_size": 100}),
        })
