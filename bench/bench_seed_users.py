"""The 10-field User of issue 17 (``user10_models.py``): ``forge seed`` into PostgreSQL beside a
mimesis loop + binary COPY and a COPY of pre-built rows, then stream speed and memory.

- ``forge seed``: the ``forge`` command in a subprocess, end to end (interpreter start, imports,
  generation, binary COPY, exit), offline, after one untimed warm-up run (bytecode cached);
- mimesis + COPY: a subprocess, end to end as well: imports mimesis and psycopg, fills the same
  eleven columns with mimesis in a loop and writes each row to a binary COPY as it is made;
- COPY of pre-built rows: the rows ``forge seed`` writes, built in memory first (not timed);
- streams, each size in its own subprocess (peak RSS from ``getrusage``), JSONL to a temporary
  file: ``Forge(use_ai=False, seed=42, allow_pii=True).create_stream(PydanticUser, n, path, executor="columns")`` (the facade, its
  auto factory; ``bio`` is semantic, written by the offline writer), the same auto factory with
  ``bio`` a standard field (``forge.factory(PydanticUser, tiers={"bio": "standard"})``: one to
  three words), and ``create_stream(UserFactory, n, path, seed=42, executor="columns")`` (the factory).

Usage: ``python bench/bench_seed_users.py [--n 100000] [--repeat 3] [--stream-sizes 10000,1000000]
[--stream-modes facade,facade-plain,factory] [--url postgresql://...] [--src DIR] [--no-seed] [--no-stream]``. ``--src`` (a tree with this package layout) runs the subprocesses
(and the in-process generation) on the forge_factories of another source tree, for before/after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


def env_for(src: Path | None) -> dict[str, str]:
    """The subprocesses' environment: ``src`` (or this tree) and ``bench/`` on the path, bytecode cached."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src or ROOT), str(BENCH)]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def forge_command() -> list[str]:
    script = Path(sys.executable).parent / "forge"
    if script.exists():
        return [str(script)]
    found = shutil.which("forge")
    return [found] if found else [sys.executable, "-m", "forge_factories.cli"]


def timed_run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds and stdout of one subprocess."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, env=env, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out.stdout


def fresh_table(conn: Any, prefix: str) -> str:
    from user10_models import DDL

    table = f"{prefix}_{uuid.uuid4().hex[:8]}"
    conn.execute(DDL.format(t=table))
    return table


def bench_forge_seed(conn: Any, url: str, n: int, env: dict[str, str]) -> tuple[float, float]:
    table = fresh_table(conn, "bench_u10_forge")
    try:
        wall, cpu, _ = timed_run([*forge_command(), "seed", url, f"user10_models:UserFactory={n}@{table}",
                                  "--seed", "42", "--mode", "offline", "--executor", "columns", "-q"], env)
        count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert count == n, count
    finally:
        conn.execute(f"DROP TABLE {table}")
    return wall, cpu


def bench_mimesis(conn: Any, url: str, n: int, env: dict[str, str]) -> tuple[float, float, float]:
    """End-to-end wall and CPU seconds of the mimesis subprocess, and its own loop+COPY time."""
    table = fresh_table(conn, "bench_u10_mimesis")
    try:
        wall, cpu, out = timed_run([sys.executable, os.path.abspath(__file__), "--child", "mimesis",
                                    "--n", str(n), "--url", url, "--table", table], env)
        count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert count == n, count
    finally:
        conn.execute(f"DROP TABLE {table}")
    return wall, cpu, float(out.split()[-1])


def mimesis_child(n: int, url: str, table: str) -> None:
    """A mimesis loop writing each row to a binary COPY as it is made; prints the loop's seconds."""
    t0 = time.perf_counter()
    import psycopg
    from mimesis import Address, Datetime, Finance, Person, Text
    from mimesis.locales import Locale
    from user10_models import COLUMNS, COPY_TYPES

    person, address, text = Person(Locale.EN, seed=42), Address(Locale.EN, seed=42), Text(Locale.EN, seed=42)
    finance, when = Finance(Locale.EN, seed=42), Datetime(Locale.EN, seed=42)
    with psycopg.connect(url) as conn, conn.cursor() as cur, cur.copy(
            f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(COPY_TYPES)
        for i in range(1, n + 1):
            copy.write_row((
                i, person.full_name(), person.email(), person.username(), text.text(quantity=3)[:200],
                f"{address.address()}\n{address.city()}, {address.state(abbr=True)} {address.postal_code()}",
                person.phone_number(), finance.company(), person.occupation(),
                person.birthdate(min_year=1935, max_year=2007), when.datetime(start=2023, end=2025),
            ))
    print(time.perf_counter() - t0)


def generate_rows(n: int) -> tuple[float, list[list[object]]]:
    """Seconds to generate the rows as ``forge seed`` does, and the rows (made again, untimed)."""
    from user10_models import COLUMNS, UserFactory

    from forge_factories.datasets.stream import iter_chunks

    t0 = time.perf_counter()
    for _chunk in iter_chunks(UserFactory, n, seed=42, as_dicts=True, ordered=False, executor="columns"):
        pass
    seconds = time.perf_counter() - t0
    chunks = list(iter_chunks(UserFactory, n, seed=42, as_dicts=True, ordered=False, executor="columns"))
    return seconds, [[row[c] for c in COLUMNS] for chunk in chunks for row in chunk]


def bench_bare_copy(conn: Any, rows: list[list[object]]) -> float:
    from user10_models import COLUMNS, COPY_TYPES

    table = fresh_table(conn, "bench_u10_copy")
    try:
        t0 = time.perf_counter()
        with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(COPY_TYPES)
            for row in rows:
                copy.write_row(row)
        seconds = time.perf_counter() - t0
    finally:
        conn.execute(f"DROP TABLE {table}")
    return seconds


def peak_rss_mb() -> float:
    """This process's peak resident set (``VmHWM``; ``ru_maxrss`` would include the parent's
    size at fork time)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream_child(mode: str, n: int, path: str) -> None:
    """Stream ``n`` users to ``path`` (JSONL) and print seconds, rate and peak RSS as JSON."""
    if mode == "facade":
        from user10_models import PydanticUser

        from forge_factories import Forge

        def make() -> Any:
            return Forge(use_ai=False, seed=42, allow_pii=True).create_stream(PydanticUser, n, path, executor="columns")
    elif mode == "facade-plain":
        from user10_models import PydanticUser

        from forge_factories import Forge
        from forge_factories.datasets.stream import create_stream

        def make() -> Any:
            forge = Forge(use_ai=False, seed=42, allow_pii=True)
            plain = forge.factory(PydanticUser, tiers={"bio": "standard"})  # no semantic field
            return create_stream(plain, n, path, seed=42, provider=forge.provider, executor="columns")
    else:
        from user10_models import UserFactory

        from forge_factories.datasets.stream import create_stream

        def make() -> Any:
            return create_stream(UserFactory, n, path, seed=42, executor="columns")
    before = peak_rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    written = 0
    for _ in make():
        written += 1
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = peak_rss_mb()
    import forge_factories

    print(json.dumps({"n": written, "seconds": seconds, "rate": written / seconds, "cpu_rate": written / cpu,
                      "peak_mb": peak, "before_mb": before, "bytes": os.path.getsize(path),
                      "tree": str(Path(forge_factories.__file__).parents[1])}))


def run_stream(mode: str, n: int, env: dict[str, str], src: Path | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        _, _, out = timed_run([sys.executable, os.path.abspath(__file__), "--child", f"stream-{mode}",
                               "--n", str(n), "--path", os.path.join(tmp, "users.jsonl"),
                               *(["--src", str(src)] if src else [])], env)
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def seed_section(args: argparse.Namespace, env: dict[str, str]) -> None:
    import psycopg

    conn = psycopg.connect(args.url, autocommit=True)
    n = args.n
    bench_forge_seed(conn, args.url, min(n, 1000), env)  # warm-up: bytecode, caches
    bench_mimesis(conn, args.url, min(n, 1000), env)
    forge_runs, mimesis_runs = [], []
    for _ in range(args.repeat):  # interleaved, so both see the same load
        forge_runs.append(bench_forge_seed(conn, args.url, n, env))
        mimesis_runs.append(bench_mimesis(conn, args.url, n, env))
    forge_s, forge_cpu = min(forge_runs)
    mim_s, mim_cpu, mim_loop = min(mimesis_runs)
    gen_s, rows = generate_rows(n)
    copy_s = bench_bare_copy(conn, rows)
    del rows
    conn.close()
    print(f"forge seed of {n:,} 10-field Users into PostgreSQL (load {os.getloadavg()[0]:.1f}), best of {args.repeat}:")
    print(f"  forge seed (subprocess, end to end): {forge_s:6.2f} s  {n / forge_s:>9,.0f} rows/s  CPU {forge_cpu:.2f} s  "
          f"(runs {', '.join(f'{w:.2f}' for w, _ in forge_runs)})")
    print(f"  mimesis loop + binary COPY (subprocess, end to end): {mim_s:6.2f} s  {n / mim_s:>9,.0f} rows/s  "
          f"CPU {mim_cpu:.2f} s  (loop+COPY alone {mim_loop:.2f} s; runs {', '.join(f'{w:.2f}' for w, _, _ in mimesis_runs)})")
    print(f"  binary COPY of pre-built rows (in-process):          {copy_s:6.2f} s  {n / copy_s:>9,.0f} rows/s")
    print(f"  forge generation alone (in-process, column-wise chunks): {gen_s:.2f} s  {n / gen_s:,.0f} rows/s")
    print(f"  ratios: forge seed / mimesis+COPY = {forge_s / mim_s:.2f} (target <= 1: "
          f"{'ok' if forge_s <= mim_s else 'OVER'}); forge seed {forge_s:.2f} s (target <= 1.5 s: "
          f"{'ok' if forge_s <= 1.5 else 'OVER'}); forge seed / COPY of pre-built rows = {forge_s / copy_s:.1f}x")


def stream_section(args: argparse.Namespace, env: dict[str, str]) -> None:
    sizes = [int(s) for s in args.stream_sizes.split(",")]
    modes = args.stream_modes.split(",")
    for mode, label in (("facade", "Forge(use_ai=False).create_stream(PydanticUser), bio by the offline writer"),
                        ("facade-plain", "the same auto factory with bio a standard field (tiers=), streamed"),
                        ("factory", "create_stream(UserFactory)")):
        if mode not in modes:
            continue
        print(f"{label}, JSONL, each size in its own process (load {os.getloadavg()[0]:.1f}):")
        results = [run_stream(mode, n, env, args.src) for n in sizes]
        for r in results:
            print(f"  n={r['n']:>9,}  {r['seconds']:6.2f} s  {r['rate']:>9,.0f} records/s "
                  f"({r['cpu_rate']:,.0f} per CPU second)  peak RSS "
                  f"{r['peak_mb']:6.1f} MB (after imports {r['before_mb']:.1f} MB)  file {r['bytes'] / 1e6:.1f} MB"
                  f"  [{r['tree']}]")
        if len(results) >= 2:
            diff = results[-1]["peak_mb"] - results[0]["peak_mb"]
            print(f"  peak RSS {sizes[-1]:,} vs {sizes[0]:,}: {diff:+.1f} MB (limit 30 MB: "
                  f"{'ok' if diff <= 30 else 'OVER'}); {results[-1]['rate']:,.0f} records/s at {sizes[-1]:,} "
                  f"(target 50,000: {'ok' if results[-1]['rate'] >= 50_000 else 'UNDER'})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--path")
    parser.add_argument("--table")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stream-sizes", default="10000,1000000")
    parser.add_argument("--stream-modes", default="facade,facade-plain,factory")
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--src", type=Path, default=None)
    parser.add_argument("--no-seed", dest="seed", action="store_false")
    parser.add_argument("--no-stream", dest="stream", action="store_false")
    args = parser.parse_args()
    sys.path[:0] = [str(args.src or ROOT), str(BENCH)]
    if args.child == "mimesis":
        mimesis_child(args.n, args.url, args.table)
        return
    if args.child and args.child.startswith("stream-"):
        stream_child(args.child.removeprefix("stream-"), args.n, args.path)
        return
    env = env_for(args.src)
    print(f"forge_factories from {args.src or ROOT}; 2 cores shared")
    if args.seed:
        seed_section(args, env)
    if args.stream:
        stream_section(args, env)


if __name__ == "__main__":
    main()
