"""Models of the async tests: a team, its members (semantic bio), and tags with a unique code.

SQLAlchemy tables and Django tables are prefixed ``aio_`` so they never meet the ORM suite's.
"""

from __future__ import annotations

from django.db import models
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class AioBase(DeclarativeBase):
    pass


class SATeam(AioBase):
    __tablename__ = "aio_sa_team"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


class SAMember(AioBase):
    __tablename__ = "aio_sa_member"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("aio_sa_team.id"))
    name: Mapped[str] = mapped_column(String(80))
    bio: Mapped[str] = mapped_column(Text)
    team: Mapped[SATeam] = relationship()


class SATag(AioBase):
    __tablename__ = "aio_sa_tag"
    __table_args__ = (UniqueConstraint("code", name="uq_aio_sa_tag_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("aio_sa_team.id"))
    code: Mapped[str] = mapped_column(String(20))
    team: Mapped[SATeam] = relationship()


class AioDjTeam(models.Model):
    name = models.CharField(max_length=80)

    class Meta:
        app_label = "djapp"
        db_table = "aio_dj_team"


class AioDjMember(models.Model):
    team = models.ForeignKey(AioDjTeam, on_delete=models.CASCADE)
    name = models.CharField(max_length=80)
    bio = models.TextField()

    class Meta:
        app_label = "djapp"
        db_table = "aio_dj_member"


class AioDjTag(models.Model):
    team = models.ForeignKey(AioDjTeam, on_delete=models.CASCADE)
    code = models.CharField(max_length=20, unique=True)

    class Meta:
        app_label = "djapp"
        db_table = "aio_dj_tag"


DJANGO_MODELS = [AioDjTeam, AioDjMember, AioDjTag]
