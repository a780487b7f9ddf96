"""Models of the bulk-error tests: one row type with a unique, a foreign key, a NOT NULL, a CHECK
and a length limit (Django and SQLAlchemy), and a lock table for the deadlock tests."""

from __future__ import annotations

from django.db import models
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

LABEL_MAX = 10


class ErrBase(DeclarativeBase):
    pass


class SAErrParent(ErrBase):
    __tablename__ = "sa_err_parent"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


class SAErrRow(ErrBase):
    __tablename__ = "sa_err_row"
    __table_args__ = (UniqueConstraint("code", name="uq_sa_err_code"),
                      CheckConstraint("qty >= 0", name="ck_sa_err_qty"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(LABEL_MAX), nullable=False)
    qty: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("sa_err_parent.id", name="fk_sa_err_parent"))
    parent: Mapped[SAErrParent | None] = relationship()


class SAErrLock(ErrBase):
    __tablename__ = "sa_err_lock"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    v: Mapped[int] = mapped_column(Integer)


class ErrParent(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "djapp"


class ErrRow(models.Model):
    code = models.CharField(max_length=20)
    label = models.CharField(max_length=LABEL_MAX)
    qty = models.IntegerField()
    parent = models.ForeignKey(ErrParent, null=True, on_delete=models.CASCADE)

    class Meta:
        app_label = "djapp"
        constraints = [
            models.UniqueConstraint(fields=["code"], name="uq_dj_err_code"),
            models.CheckConstraint(condition=models.Q(qty__gte=0), name="ck_dj_err_qty"),
        ]


class ErrLock(models.Model):
    id = models.IntegerField(primary_key=True)
    v = models.IntegerField()

    class Meta:
        app_label = "djapp"


DJANGO_MODELS = [ErrParent, ErrRow, ErrLock]
