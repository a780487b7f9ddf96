"""Async factories against their sync twins, measured in the same run.

    FORGE_MODE=live FORGE_CACHE=0 python bench/bench_async.py [ROWS] [BATCHES] [LATENCY]

1. Database-bound: ``create_batch(ROWS)`` (default 5,000) of a 6-column child with a SubFactory
   parent on SQLite through pysqlite and a ``Session``, against ``await acreate_batch(ROWS)``
   through aiosqlite and an ``AsyncSession`` (offline text; best of 3, wall time). Prints rows/s
   and the async/sync ratio: what the greenlet and the async driver cost.
2. API-bound: BATCHES (default 4) batches of 20 objects whose text comes from the fake API
   (tests/providers, in this process) answering after LATENCY seconds (default 0.3): one after
   the other with ``create_batch``, against ``asyncio.gather`` of ``acreate_batch``. Prints both
   wall times and the speed-up.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import ForeignKey, Integer, String, Text, create_engine, event  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine  # noqa: E402
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship  # noqa: E402

import forge_factories as factory  # noqa: E402
from forge_factories import SemanticAttribute  # noqa: E402
from forge_factories.alchemy import SQLAlchemyModelFactory  # noqa: E402
from forge_factories.llm.providers import OfflineProvider  # noqa: E402
from forge_factories.llm.providers.anthropic import AnthropicProvider  # noqa: E402
from tests.providers.fake_llm_server import FakeLLMServer  # noqa: E402
from tests.providers.helpers import user_factory  # noqa: E402


class Model(DeclarativeBase):
    pass


class Club(Model):
    __tablename__ = "club"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


class Rower(Model):
    __tablename__ = "rower"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("club.id"))
    club: Mapped[Club] = relationship()
    name: Mapped[str] = mapped_column(String(80))
    city: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(120))
    bio: Mapped[str] = mapped_column(Text)


class ClubFactory(SQLAlchemyModelFactory[Any]):
    class Meta:
        model = Club
        sqlalchemy_session_persistence = "flush"

    name = factory.Sequence(lambda n: f"club {n}")


class RowerFactory(SQLAlchemyModelFactory[Any]):
    class Meta:
        model = Rower
        sqlalchemy_session_persistence = "flush"

    club = factory.SubFactory(ClubFactory)
    name = factory.Faker("name")
    city = factory.Faker("city")
    email = factory.Sequence(lambda n: f"rower{n}@example.com")
    bio = SemanticAttribute("A one-line bio of {name} from {city}.", max_length=200)


def _recipe(engine: Any) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def _use(session: Any) -> None:
    ClubFactory._meta.sqlalchemy_session = RowerFactory._meta.sqlalchemy_session = session


def sync_rows(path: str, rows: int) -> float:
    engine = create_engine(f"sqlite:///{path}")
    _recipe(engine)
    Model.metadata.drop_all(engine)
    Model.metadata.create_all(engine)
    with Session(engine) as session:
        _use(session)
        started = time.perf_counter()
        RowerFactory.create_batch(rows)
        session.commit()
        took = time.perf_counter() - started
    engine.dispose()
    return took


async def async_rows(path: str, rows: int) -> float:
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    _recipe(engine.sync_engine)
    async with engine.begin() as conn:
        await conn.run_sync(Model.metadata.drop_all)
        await conn.run_sync(Model.metadata.create_all)
    async with AsyncSession(engine) as session:
        _use(session)
        started = time.perf_counter()
        await RowerFactory.acreate_batch(rows)
        await session.commit()
        took = time.perf_counter() - started
    await engine.dispose()
    return took


def database_bound(rows: int) -> None:
    factory.configure(provider=OfflineProvider())
    path = os.path.join(tempfile.mkdtemp(prefix="forge-bench-async-"), "bench.sqlite3")
    sync_best = async_best = float("inf")
    for _ in range(3):
        factory.seed(1)
        sync_best = min(sync_best, sync_rows(path, rows))
        factory.seed(1)
        async_best = min(async_best, asyncio.run(async_rows(path, rows)))
    total = rows * 2  # parents and children
    print(f"SQLite, {rows} children + {rows} parents, offline text (best of 3)")
    print(f"  sync  create_batch  (pysqlite, Session)      {total / sync_best:10,.0f} rows/s")
    print(f"  async acreate_batch (aiosqlite, AsyncSession) {total / async_best:10,.0f} rows/s")
    print(f"  async / sync: {sync_best / async_best:.2f}x")


def api_bound(batches: int, latency: float) -> None:
    with FakeLLMServer(latency=latency) as server:
        factories = [user_factory(AnthropicProvider(base_url=server.url, api_key="bench"), "strict")
                     for _ in range(batches)]
        for fac in factories:
            fac.build_batch(2)  # warm up: SDK import and connection
        started = time.perf_counter()
        for fac in factories:
            fac.create_batch(20)
        sequential = time.perf_counter() - started

        async def together() -> float:
            for fac in factories:
                await fac.acreate_batch(2)  # warm up the async clients
            begun = time.perf_counter()
            await asyncio.gather(*(fac.acreate_batch(20) for fac in factories))
            return time.perf_counter() - begun

        concurrent = asyncio.run(together())
        print(f"\n{batches} batches of 20, the fake API answering after {latency:.2f} s")
        print(f"  sync create_batch, one after the other  {sequential:6.2f} s")
        print(f"  asyncio.gather of acreate_batch         {concurrent:6.2f} s "
              f"(requests in flight at once: {server.max_in_flight})")
        print(f"  speed-up: {sequential / concurrent:.2f}x")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    batches = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    latency = float(sys.argv[3]) if len(sys.argv) > 3 else 0.3
    database_bound(rows)
    api_bound(batches, latency)


if __name__ == "__main__":
    main()
