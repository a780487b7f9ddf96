"""``forge seed`` of 10-field Users into PostgreSQL, side by side with bare COPY and factory_boy.

- forge seed: the installed ``forge`` script (or ``python -m forge_factories.cli``) run end to
  end in a subprocess (interpreter start, imports, generation, binary COPY, exit), offline;
  one untimed warm-up run first, with bytecode caching on (``PYTHONDONTWRITEBYTECODE``
  removed), so the runs see what any run after the first sees on an installed package;
- phases: interpreter start-up plus the imports (``import bench_models`` pulls in
  factory_boy, which imports Django and SQLAlchemy; then psycopg) in a subprocess, and the
  generation of the rows in this process;
- bare COPY: rows pre-built in memory (not timed), then only psycopg's binary COPY is timed;
- factory_boy: stock ``factory.alchemy.SQLAlchemyModelFactory`` (commit per object) on a
  smaller n, extrapolated linearly to the full n (said so in the output).

Usage: ``python bench/bench_seed_pg.py [--n 100000] [--fb-n 2000] [--repeat 3] [--url postgresql://...]
[--src DIR] [--no-bytecode-cache]``. ``--src`` runs the subprocesses on the forge_factories of
another source tree (e.g. an exported older commit), for before/after comparisons.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

DDL = ("CREATE TABLE {t} (id bigint, first_name text, last_name text, email text, city text, country text, "
       "age bigint, is_active boolean, created_at timestamp, score bigint)")
COLUMNS = ["id", "first_name", "last_name", "email", "city", "country", "age", "is_active", "created_at", "score"]
#: One digest of a table's rows, ordered by id (the same text is built in Python by ``rows_digest``).
DIGEST_SQL = ("SELECT md5(string_agg(concat_ws('|', " + ", ".join(COLUMNS) + "), E'\\n' ORDER BY id)) FROM {t}")


def rows_digest(rows: list[list[object]]) -> str:
    """The md5 ``DIGEST_SQL`` gives for a table holding ``rows``."""
    def text(v: object) -> str:
        return ("t" if v else "f") if isinstance(v, bool) else str(v)

    joined = "\n".join("|".join(text(v) for v in row) for row in sorted(rows, key=lambda r: r[0]))  # type: ignore[arg-type, return-value]
    return hashlib.md5(joined.encode()).hexdigest()


def forge_command() -> list[str]:
    script = Path(sys.executable).parent / "forge"
    if script.exists():
        return [str(script)]
    found = shutil.which("forge")
    return [found] if found else [sys.executable, "-m", "forge_factories.cli"]


def subprocess_env(src: Path | None, bytecode_cache: bool) -> dict[str, str]:
    """The environment of the timed subprocesses: ``bench/`` (and ``src``) on the path."""
    paths = ([str(src)] if src else []) + [str(ROOT / "bench")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
    if bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def bench_imports(env: dict[str, str], repeat: int) -> tuple[float, float, float]:
    """Best wall time of a subprocess that only imports, and its (factory module, psycopg) import times."""
    code = ("import time; t0 = time.perf_counter(); import bench_models; t1 = time.perf_counter(); "
            "import psycopg; t2 = time.perf_counter(); print(t1 - t0, t2 - t1)")
    best: tuple[float, float, float] | None = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
        wall = time.perf_counter() - t0
        if best is None or wall < best[0]:
            best = (wall, float(out[0]), float(out[1]))
    assert best is not None
    return best


def bench_forge_seed(url: str, n: int, conn: object, env: dict[str, str]) -> tuple[float, float, str]:
    table = f"bench_forge_{uuid.uuid4().hex[:8]}"
    conn.execute(DDL.format(t=table))  # type: ignore[attr-defined]
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
        digest = conn.execute(DIGEST_SQL.format(t=table)).fetchone()[0]  # type: ignore[attr-defined]
    finally:
        conn.execute(f"DROP TABLE {table}")  # type: ignore[attr-defined]
    return seconds, cpu, digest


def bench_generation(n: int) -> tuple[float, list[list[object]]]:
    """Seconds to generate the rows as ``forge seed`` does (column-wise chunks, each dropped once
    used), and the rows (generated again, untimed, kept for the bare COPY)."""
    from bench_models import UserFactory

    from forge_factories.datasets.stream import iter_chunks

    t0 = time.perf_counter()
    for _chunk in iter_chunks(UserFactory, n, seed=42, as_dicts=True, ordered=False):
        pass
    seconds = time.perf_counter() - t0
    chunks: list[Any] = list(iter_chunks(UserFactory, n, seed=42, as_dicts=True, ordered=False))
    return seconds, [[row[c] for c in COLUMNS] for chunk in chunks for row in chunk]


def bench_bare_copy(rows: list[list[object]], conn: object) -> float:
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

    from forge_factories.datasets.dbseed import engine_url

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
    parser.add_argument("--src", type=Path, default=None,
                        help="source tree whose forge_factories the subprocesses import (default: the installed one)")
    parser.add_argument("--no-bytecode-cache", dest="bytecode_cache", action="store_false",
                        help="keep PYTHONDONTWRITEBYTECODE as inherited (modules without a cached .pyc compile every run)")
    args = parser.parse_args()
    if args.src:
        sys.path.insert(0, str(args.src))  # the in-process generation uses the same tree
    env = subprocess_env(args.src, args.bytecode_cache)
    conn = psycopg.connect(args.url, autocommit=True)
    print(f"{args.n:,} 10-field Users into PostgreSQL, 2 cores shared (load {os.getloadavg()[0]:.1f}); "
          f"forge_factories from {args.src or 'the installed package'}; bytecode cache "
          f"{'on (after an untimed warm-up run)' if args.bytecode_cache else 'as inherited'}")
    bench_forge_seed(args.url, min(args.n, 1000), conn, env)  # warm-up: caches, bytecode
    runs = [bench_forge_seed(args.url, args.n, conn, env) for _ in range(args.repeat)]
    forge_s, forge_cpu, _ = min(runs)
    import_wall, import_user, import_pg = bench_imports(env, args.repeat)
    gen_s, rows = bench_generation(args.n)
    digests = {d for _, _, d in runs}
    same = digests == {rows_digest(rows)}
    copy_s = bench_bare_copy(rows, conn)
    fb_s = bench_factory_boy(args.url, args.fb_n)
    fb_full = fb_s * args.n / args.fb_n
    print(f"  forge seed (subprocess, end to end): {forge_s:7.2f} s  {args.n / forge_s:>9,.0f} rows/s  "
          f"(target <= 1.5 s: {'ok' if forge_s <= 1.5 else 'OVER'}; CPU time of the process {forge_cpu:.2f} s; "
          f"best of {args.repeat}: {', '.join(f'{w:.2f}' for w, _, _ in runs)})")
    print(f"  phases: start-up + imports {import_wall:.2f} s (subprocess; import of the factories module "
          f"{import_user:.2f} s, psycopg {import_pg:.2f} s), generation {gen_s:.2f} s (in-process), "
          f"COPY below")
    print(f"  rows: every forge seed run wrote the rows generated in this process (md5 of the table ordered by "
          f"id): {'yes' if same else 'NO'}{'' if same else f' {sorted(digests)} vs {rows_digest(rows)}'}")
    print(f"  bare binary COPY of pre-built rows:  {copy_s:7.2f} s  {args.n / copy_s:>9,.0f} rows/s")
    print(f"  factory_boy create_batch, commit/row: {fb_full:7.2f} s  {args.fb_n / fb_s:>9,.0f} rows/s  "
          f"(measured {args.fb_n:,} rows in {fb_s:.2f} s, extrapolated linearly to {args.n:,})")
    print(f"  ratios: forge seed / bare COPY = {forge_s / copy_s:.1f}x; factory_boy / forge seed = {fb_full / forge_s:.0f}x")
    conn.close()


if __name__ == "__main__":
    main()
