"""SQLAlchemy 2 models used by the ORM adapter tests."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class Base(DeclarativeBase):
    pass


class _Current(threading.local):
    session: Any = None


CURRENT = _Current()


def current_session() -> Any:
    """``sqlalchemy_session_factory`` of the test factories: the running test's session."""
    return CURRENT.session


class SAAccount(Base):
    __tablename__ = "sa_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    email: Mapped[str] = mapped_column(String(120))
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(60))
    city: Mapped[str] = mapped_column(String(80))
    country: Mapped[str] = mapped_column(String(80))
    bio: Mapped[str] = mapped_column(Text)
    age: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class SATeam(Base):
    __tablename__ = "sa_team"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


class SAMember(Base):
    __tablename__ = "sa_member"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("sa_team.id"))
    name: Mapped[str] = mapped_column(String(80))
    motto: Mapped[str] = mapped_column(Text, default="")
    team: Mapped[SATeam] = relationship()


class SABadge(Base):
    __tablename__ = "sa_badge"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("sa_member.id"))
    label: Mapped[str] = mapped_column(String(80))
    member: Mapped[SAMember] = relationship()


class SACoded(Base):
    __tablename__ = "sa_coded"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)


class CommaList(TypeDecorator[list[str]]):
    """A list of words stored as one comma-separated string (a bind processor of our own)."""

    impl = String(200)
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect: Any) -> str | None:
        return None if value is None else ",".join(value)

    def process_result_value(self, value: str | None, dialect: Any) -> list[str] | None:
        return None if value is None else [w for w in value.split(",") if w]


class SAShelf(Base):
    __tablename__ = "sa_shelf"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(40))
    colour: Mapped[str] = mapped_column(String(20), default="oak")
    note: Mapped[str | None] = mapped_column(String(40))
    tags: Mapped[list[str] | None] = mapped_column(CommaList)
    is_open: Mapped[bool] = mapped_column(Boolean)
    stocked: Mapped[datetime | None] = mapped_column(DateTime)
    books: Mapped[list[SABook]] = relationship(back_populates="shelf")
    notes: Mapped[list[SANote]] = relationship()  # one-to-many without a backref


class SABook(Base):
    __tablename__ = "sa_book"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(40))
    shelf_id: Mapped[int] = mapped_column(ForeignKey("sa_shelf.id"))
    shelf: Mapped[SAShelf] = relationship(back_populates="books")


class SANote(Base):
    __tablename__ = "sa_note"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(40))
    shelf_id: Mapped[int] = mapped_column(ForeignKey("sa_shelf.id"))
