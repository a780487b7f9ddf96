"""Bulk persistence: stock factory_boy vs forge vs plain bulk inserts (SQLite and PostgreSQL).

    python bench/bench_orm.py [--sizes 10000,100000] [--stock-max 20000] [--backends sqlite,postgresql]
                              [--repeats 3]

For each backend and size, a 10-field User is created by
  * stock factory_boy ``create_batch`` (per-row ``save()`` / ``session.add`` + flush),
  * forge's ``create_batch`` (bulk),
  * the plain bulk insert of the same pre-built objects (Django ``bulk_create``;
    SQLAlchemy ``add_all`` + one ``flush``, and ORM bulk ``session.execute(insert(User), rows)``),
  * psycopg ``COPY`` of the same rows on PostgreSQL (the physical limit).
Persistence time excludes generation: for forge it is the time spent in
``_forge_persist_bulk``; for stock it is ``create_batch`` minus ``build_batch`` of the same
size; each figure is the best of ``--repeats`` interleaved runs (one run above 20,000
rows), as the machine may be shared. forge pauses the cyclic GC during its bulk insert; the
plain baselines run as user code would, GC on. Stock runs above ``--stock-max`` rows are measured at ``--stock-max`` and scaled
linearly (printed as such). PostgreSQL: 127.0.0.1:5432, user postgres, database test, a
private schema dropped at the end. Prints figures and the two target ratios (forge / plain
<= 1.5, stock / forge >= 8).
"""

from __future__ import annotations

import argparse
import gc
import os
import secrets
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

SCHEMA = f"bench_orm_{os.getpid()}_{secrets.token_hex(3)}"
SQLITE_DJ = os.path.join(tempfile.gettempdir(), f"{SCHEMA}_dj.sqlite3")
SQLITE_SA = os.path.join(tempfile.gettempdir(), f"{SCHEMA}_sa.sqlite3")
PG_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"

settings.configure(
    DATABASES={
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": SQLITE_DJ},
        "postgresql": {"ENGINE": "django.db.backends.postgresql", "NAME": "test", "USER": "postgres",
                       "HOST": "127.0.0.1", "PORT": 5432, "OPTIONS": {"options": f"-c search_path={SCHEMA}"}},
    },
    INSTALLED_APPS=[], USE_TZ=True, DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

import factory  # noqa: E402
import factory.alchemy  # noqa: E402
import factory.django  # noqa: E402
from django.db import connections, models, transaction  # noqa: E402
from sqlalchemy import Boolean, Float, Integer, String, Text, create_engine, insert, text  # noqa: E402
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column  # noqa: E402

import forge_factories  # noqa: E402
from forge_factories.alchemy import SQLAlchemyModelFactory  # noqa: E402
from forge_factories.core import registry  # noqa: E402
from forge_factories.django import DjangoModelFactory  # noqa: E402

FIELDS = ["username", "email", "first_name", "last_name", "city", "country", "bio", "age", "score", "is_active"]


class DjUser(models.Model):
    username = models.CharField(max_length=60)
    email = models.CharField(max_length=120)
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    city = models.CharField(max_length=80)
    country = models.CharField(max_length=80)
    bio = models.TextField()
    age = models.IntegerField()
    score = models.FloatField()
    is_active = models.BooleanField()

    class Meta:
        app_label = "bench_orm"
        db_table = "bench_user"


class Base(DeclarativeBase):
    pass


class SAUser(Base):
    __tablename__ = "bench_sa_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60))
    email: Mapped[str] = mapped_column(String(120))
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(60))
    city: Mapped[str] = mapped_column(String(80))
    country: Mapped[str] = mapped_column(String(80))
    bio: Mapped[str] = mapped_column(Text)
    age: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    is_active: Mapped[bool] = mapped_column(Boolean)


FIRST = ["Ada", "Grace", "Linus", "Guido", "Barbara", "Ken", "Margaret", "Dennis"]
LAST = ["Lovelace", "Hopper", "Torvalds", "van Rossum", "Liskov", "Thompson", "Hamilton", "Ritchie"]
CITY = ["Lyon", "Porto", "Graz", "Turku", "Leeds", "Gdansk", "Cork"]


def declarations() -> dict[str, Any]:
    """Cheap declarations (generation is not what is measured here)."""
    return {
        "username": factory.Sequence(lambda n: f"user{n}"),
        "email": factory.LazyAttribute(lambda o: f"{o.username}@example.com"),
        "first_name": factory.Iterator(FIRST),
        "last_name": factory.Iterator(LAST),
        "city": factory.Iterator(CITY),
        "country": factory.Iterator(["FR", "PT", "AT", "FI", "GB", "PL", "IE"]),
        "bio": factory.Sequence(lambda n: f"Writes software and bakes bread, number {n}."),
        "age": factory.Sequence(lambda n: 18 + n % 60),
        "score": factory.Sequence(lambda n: (n % 1000) / 10),
        "is_active": True,
    }


def make_factories(database: str, session: Any) -> dict[str, Any]:
    dj_meta_stock = type("Meta", (), {"model": DjUser, "database": database})
    dj_meta_ours = type("Meta", (), {"model": DjUser, "database": database})
    sa_meta = {"model": SAUser, "sqlalchemy_session": session, "sqlalchemy_session_persistence": "flush"}
    return {
        "dj_stock": type("StockDj", (factory.django.DjangoModelFactory,), {"Meta": dj_meta_stock, **declarations()}),
        "dj_ours": type("ForgeDj", (DjangoModelFactory,), {"Meta": dj_meta_ours, **declarations()}),
        "sa_stock": type("StockSa", (factory.alchemy.SQLAlchemyModelFactory,),
                         {"Meta": type("Meta", (), dict(sa_meta)), **declarations()}),
        "sa_ours": type("ForgeSa", (SQLAlchemyModelFactory,), {"Meta": type("Meta", (), dict(sa_meta)), **declarations()}),
    }


class Timer:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> Timer:
        gc.collect()
        self._t = time.perf_counter()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.seconds += time.perf_counter() - self._t


def timed_persist(factory_cls: Any) -> Timer:
    """Accumulate the time spent in the factory's bulk persistence hook."""
    timer = Timer()
    original = factory_cls._forge_persist_bulk.__func__

    def wrapped(cls: Any, instances: list[Any]) -> None:
        start = time.perf_counter()
        try:
            original(cls, instances)
        finally:
            timer.seconds += time.perf_counter() - start

    factory_cls._forge_persist_bulk = classmethod(wrapped)
    return timer


# -- Django -------------------------------------------------------------------------------------------


def dj_reset(alias: str) -> None:
    with connections[alias].cursor() as cur:
        cur.execute("DELETE FROM bench_user")


def best_of(repeats: int, run: Any) -> dict[str, float]:
    """Run ``run()`` ``repeats`` times (interleaving its measurements); keep each figure's minimum."""
    best: dict[str, float] = {}
    for _ in range(repeats):
        for key, value in run().items():
            best[key] = min(value, best.get(key, value))
    return best


def bench_django(alias: str, n: int, stock_n: int) -> dict[str, float]:
    facs = make_factories(alias, None)
    out: dict[str, float] = {}
    # stock: create minus build, at stock_n rows, scaled to n
    with Timer() as t_build:
        facs["dj_stock"].build_batch(stock_n)
    dj_reset(alias)
    with transaction.atomic(using=alias), Timer() as t_create:
        facs["dj_stock"].create_batch(stock_n)
    out["stock"] = max(t_create.seconds - t_build.seconds, 0.0) * n / stock_n
    dj_reset(alias)
    # ours
    persist = timed_persist(facs["dj_ours"])
    with registry.paused(), transaction.atomic(using=alias), Timer() as t_ours:
        objs = facs["dj_ours"].create_batch(n)
    assert all(o.pk for o in objs)
    out["ours"] = persist.seconds
    out["ours_total"] = t_ours.seconds
    dj_reset(alias)
    # plain bulk_create of pre-built rows
    with registry.paused():
        rows = facs["dj_ours"].build_batch(n)
    with transaction.atomic(using=alias), Timer() as t_plain:
        DjUser.objects.using(alias).bulk_create(rows)
    out["plain"] = t_plain.seconds
    dj_reset(alias)
    if connections[alias].vendor == "postgresql":
        out["copy"] = pg_copy("bench_user", rows)
        dj_reset(alias)
    return out


def pg_copy(table: str, objs: list[Any]) -> float:
    import psycopg

    values = [tuple(getattr(o, f) for f in FIELDS) for o in objs]
    with psycopg.connect(PG_DSN, options=f"-c search_path={SCHEMA}") as conn, Timer() as t, conn.cursor() as cur:
        with cur.copy(f"COPY {table} ({', '.join(FIELDS)}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        conn.commit()
    return t.seconds


# -- SQLAlchemy -----------------------------------------------------------------------------------------


def bench_alchemy(engine: Any, n: int, stock_n: int) -> dict[str, float]:
    out: dict[str, float] = {}

    def reset() -> None:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM bench_sa_user"))

    with Session(engine) as session:
        facs = make_factories("default", session)
        with Timer() as t_build:
            facs["sa_stock"].build_batch(stock_n)
        with Timer() as t_create:
            facs["sa_stock"].create_batch(stock_n)
            session.commit()
        out["stock"] = max(t_create.seconds - t_build.seconds, 0.0) * n / stock_n
    reset()
    with Session(engine) as session:
        facs = make_factories("default", session)
        persist = timed_persist(facs["sa_ours"])
        with registry.paused(), Timer() as t_ours:
            objs = facs["sa_ours"].create_batch(n)
        assert all(o.id for o in objs)
        session.commit()
        out["ours"] = persist.seconds
        out["ours_total"] = t_ours.seconds
    reset()
    with Session(engine) as session:
        facs = make_factories("default", session)
        with registry.paused():
            rows = facs["sa_ours"].build_batch(n)
        with Timer() as t_plain:
            session.add_all(rows)
            session.flush()
        session.commit()
        out["plain"] = t_plain.seconds
        dicts = [{f: getattr(o, f) for f in FIELDS} for o in rows]
    reset()
    with Session(engine) as session:
        with Timer() as t_core:
            session.execute(insert(SAUser), dicts)
        session.commit()
        out["plain_dicts"] = t_core.seconds
    reset()
    if engine.dialect.name == "postgresql":
        out["copy"] = pg_copy("bench_sa_user", rows)
        reset()
    return out


def sa_engine(backend: str) -> Any:
    if backend == "sqlite":
        return create_engine(f"sqlite:///{SQLITE_SA}")
    return create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test",
                         connect_args={"options": f"-c search_path={SCHEMA}"})


def report(label: str, n: int, stock_n: int, r: dict[str, float]) -> None:
    rate = lambda s: f"{n / s:>10,.0f} rows/s" if s else "         - rows/s"  # noqa: E731
    scaled = f" (measured on {stock_n:,} rows, scaled)" if stock_n != n else ""
    print(f"  {label} n={n:,}")
    print(f"    stock factory_boy persistence {r['stock']:8.3f} s {rate(r['stock'])}{scaled}")
    print(f"    forge bulk persistence        {r['ours']:8.3f} s {rate(r['ours'])}"
          f"   (create_batch total {r['ours_total']:.3f} s)")
    print(f"    plain bulk of pre-built rows  {r['plain']:8.3f} s {rate(r['plain'])}")
    if "plain_dicts" in r:
        print(f"    ORM bulk insert(User), dicts  {r['plain_dicts']:8.3f} s {rate(r['plain_dicts'])}")
    if "copy" in r:
        print(f"    psycopg COPY                  {r['copy']:8.3f} s {rate(r['copy'])}")
    print(f"    ratio forge/plain = {r['ours'] / r['plain']:.2f} (target <= 1.5); "
          f"stock/forge = {r['stock'] / r['ours']:.1f}x (target >= 8)")
    if "plain_dicts" in r:
        print(f"    ratio forge/ORM bulk insert of dicts = {r['ours'] / r['plain_dicts']:.2f} "
              "(no objects made persistent, no keys back: a lower bound)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--stock-max", type=int, default=20000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure for sizes <= 20,000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    forge_factories.seed(1)
    import psycopg

    if "postgresql" in backends:
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{SCHEMA}"')
    engines = {}
    try:
        for backend in backends:
            alias = "default" if backend == "sqlite" else "postgresql"
            with connections[alias].schema_editor() as editor:
                editor.create_model(DjUser)
            engines[backend] = sa_engine(backend)
            Base.metadata.create_all(engines[backend])
        for backend in backends:
            alias = "default" if backend == "sqlite" else "postgresql"
            print(f"== {backend} ==")
            for n in sizes:
                stock_n = min(n, args.stock_max)
                repeats = args.repeats if n <= 20_000 else 1
                print(f"  (best of {repeats} interleaved runs)")
                report("Django", n, stock_n, best_of(repeats, partial(bench_django, alias, n, stock_n)))
                report("SQLAlchemy", n, stock_n,
                       best_of(repeats, partial(bench_alchemy, engines[backend], n, stock_n)))
    finally:
        for engine in engines.values():
            engine.dispose()
        for conn in connections.all():
            conn.close()
        if "postgresql" in backends:
            with psycopg.connect(PG_DSN, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')
        for path in (SQLITE_DJ, SQLITE_SA):
            if os.path.exists(path):
                os.remove(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
