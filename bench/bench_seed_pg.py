"""``forge seed`` of 10-field Users into PostgreSQL, side by side with bare COPY and factory_boy.

- forge seed: the installed ``forge`` script (or ``python -m forge_factories.cli``) run end to
  end in a subprocess (interpreter start, imports, generation, binary COPY), offline;
- bare COPY: rows pre-built in memory (not timed), then only psycopg's binary COPY is timed;
- factory_boy: stock ``factory.alchemy.SQLAlchemyModelFactory`` (commit per object) on a
  smaller n, extrapolated linearly to the full n (said so in the output).

Usage: ``python bench/bench_seed_pg.py [--n 100000] [--fb-n 2000] [--url postgresql://...]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

DDL = ("CREATE TABLE {t} (id bigint, first_name text, last_name text, email text, city text, country text, "
       "age bigint, is_active boolean, created_at timestamp, score bigint)")
COLUMNS = ["id", "first_name", "last_name", "email", "city", "country", "age", "is_active", "created_at", "score"]


def forge_command() -> list[str]:
    script = Path(sys.executable).parent / "forge"
    if script.exists():
        return [str(script)]
    found = shutil.which("forge")
    return [found] if found else [sys.executable, "-m", "forge_factories.cli"]


def bench_forge_seed(url: str, n: int, conn: object) -> tuple[float, float]:
    table = f"bench_forge_{uuid.uuid4().hex[:8]}"
    conn.execute(DDL.format(t=table))  # type: ignore[attr-defined]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "bench"))
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([*forge_command(), "seed", url, f"bench_models:UserFactory={n}@{table}", "--seed", "42",
                        "--mode", "offline", "-q"], check=True, env=env, cwd=ROOT)
        seconds = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[attr-defined]
        assert count == n, count
    finally:
        conn.execute(f"DROP TABLE {table}")  # type: ignore[attr-defined]
    return seconds, cpu


def bench_bare_copy(n: int, conn: object) -> float:
    from bench_models import UserFactory

    from forge_factories.stream import iter_rows

    rows = [[row[c] for c in COLUMNS] for _, row in iter_rows(UserFactory, n, seed=42, as_dicts=True)]
    table = f"bench_copy_{uuid.uuid4().hex[:8]}"
    conn.execute(DDL.format(t=table))  # type: ignore[attr-defined]
    try:
        t0 = time.perf_counter()
        with conn.cursor() as cur, cur.copy(  # type: ignore[attr-defined]
                f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "text", "text", "text", "text", "text", "int8", "bool", "timestamp", "int8"])
            for row in rows:
                copy.write_row(row)
        seconds = time.perf_counter() - t0
    finally:
        conn.execute(f"DROP TABLE {table}")  # type: ignore[attr-defined]
    return seconds


def bench_factory_boy(url: str, n: int) -> float:
    import factory
    import sqlalchemy as sa
    from sqlalchemy.orm import DeclarativeBase, Session

    from forge_factories.dbseed import engine_url

    table = f"bench_fb_{uuid.uuid4().hex[:8]}"

    class Base(DeclarativeBase):
        pass

    class User(Base):
        __table__ = sa.Table(
            table, Base.metadata,
            sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
            *(sa.Column(c, sa.Text) for c in ("first_name", "last_name", "email", "city", "country")),
            sa.Column("age", sa.BigInteger), sa.Column("is_active", sa.Boolean),
            sa.Column("created_at", sa.DateTime), sa.Column("score", sa.BigInteger),
        )

    engine = sa.create_engine(engine_url(url))
    Base.metadata.create_all(engine)
    session = Session(engine)

    from bench_models import user_declarations

    meta = type("Meta", (), {"model": User, "sqlalchemy_session": session, "sqlalchemy_session_persistence": "commit"})
    UserFactory = type(factory.alchemy.SQLAlchemyModelFactory)(
        "UserFactory", (factory.alchemy.SQLAlchemyModelFactory,), {"Meta": meta, **user_declarations()},
    )

    try:
        t0 = time.perf_counter()
        UserFactory.create_batch(n)
        seconds = time.perf_counter() - t0
    finally:
        session.close()
        Base.metadata.drop_all(engine)
        engine.dispose()
    return seconds


def main() -> None:
    import psycopg

    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--fb-n", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3, help="forge seed runs (best is shown)")
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    conn = psycopg.connect(args.url, autocommit=True)
    print(f"{args.n:,} 10-field Users into PostgreSQL, 2 cores shared (load {os.getloadavg()[0]:.1f})")
    runs = [bench_forge_seed(args.url, args.n, conn) for _ in range(args.repeat)]
    forge_s, forge_cpu = min(runs)
    copy_s = bench_bare_copy(args.n, conn)
    fb_s = bench_factory_boy(args.url, args.fb_n)
    fb_full = fb_s * args.n / args.fb_n
    print(f"  forge seed (subprocess, end to end): {forge_s:7.2f} s  {args.n / forge_s:>9,.0f} rows/s  "
          f"(target <= 1.5 s: {'ok' if forge_s <= 1.5 else 'OVER'}; CPU time of the process {forge_cpu:.2f} s; "
          f"best of {args.repeat}: {', '.join(f'{w:.2f}' for w, _ in runs)})")
    print(f"  bare binary COPY of pre-built rows:  {copy_s:7.2f} s  {args.n / copy_s:>9,.0f} rows/s")
    print(f"  factory_boy create_batch, commit/row: {fb_full:7.2f} s  {args.fb_n / fb_s:>9,.0f} rows/s  "
          f"(measured {args.fb_n:,} rows in {fb_s:.2f} s, extrapolated linearly to {args.n:,})")
    print(f"  ratios: forge seed / bare COPY = {forge_s / copy_s:.1f}x; factory_boy / forge seed = {fb_full / forge_s:.0f}x")
    conn.close()


if __name__ == "__main__":
    main()
