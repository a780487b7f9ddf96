"""Sharded Parquet on Dask: 10-field rows on a local cluster of 1 and of 2 worker processes.

The cluster starts before the clock does: the figures are the write itself (generation,
Arrow conversion, Parquet encoding, atomic renames), the same partitions for both runs.
The workers' CPU time is printed too: on a shared machine the wall-clock ratio says how
many free cores there were as much as how well the work splits. Checks that both runs wrote
the same table (up to 2M rows). Usage:
``python bench/bench_dask.py [--rows 10_000_000] [--partitions 8] [--workers 1,2]``
(default 1,000,000 rows: a few minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

import factory

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from forge_factories.datasets.sharded import ParentKey  # noqa: E402


class CustomerFactory(factory.DictFactory):
    id = factory.Sequence(lambda n: n + 1)


class OrderFactory(factory.DictFactory):
    """Ten fields: keys, names, places, numbers, a flag, a time, a status and a code."""

    id = factory.Sequence(lambda n: n + 1)
    customer_id = ParentKey(CustomerFactory)
    name = factory.Faker("name")
    email = factory.Faker("email")
    city = factory.Faker("city")
    quantity = factory.Faker("random_int", min=1, max=20)
    paid = factory.Faker("boolean")
    created = factory.Faker("date_time_between", start_date="-1y")
    status = factory.Iterator(["new", "paid", "shipped", "returned"])
    sku = factory.Faker("bothify", text="SKU-####-??")


def _cpu_seconds() -> float:
    """User + system CPU time of this process (run on each worker)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(rows: int, workers: int, partitions: int, out: Path) -> tuple[float, float]:
    """Wall seconds and the workers' CPU seconds to write ``rows`` rows on a fresh local cluster."""
    import bench_dask  # the module the workers import (not __main__)
    from distributed import Client, LocalCluster

    from forge_factories.datasets.sharded import write_dataset

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        client.wait_for_workers(workers)
        client.run(lambda: __import__("bench_dask"))  # factories imported before the clock starts
        cpu0 = sum(client.run(_cpu_seconds).values())
        t0 = time.perf_counter()
        write_dataset("bench_dask:OrderFactory", rows, out, format="parquet", seed=42, partitions=partitions,
                      parents={bench_dask.CustomerFactory: max(1, rows // 10)}, scheduler=client)
        wall = time.perf_counter() - t0
        return wall, sum(client.run(_cpu_seconds).values()) - cpu0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=lambda s: int(s.replace("_", "")), default=1_000_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    import pyarrow.parquet as pq

    tmp = Path(tempfile.mkdtemp(prefix="forge-bench-dask-"))
    seconds: dict[int, float] = {}
    tables = []
    try:
        for workers in (int(w) for w in args.workers.split(",")):
            out = tmp / f"w{workers}"
            seconds[workers], cpu = run(args.rows, workers, args.partitions, out)
            size = sum(p.stat().st_size for p in out.glob("part-*.parquet"))
            print(f"{workers} worker(s): {args.rows:,} rows in {seconds[workers]:.1f} s = "
                  f"{args.rows / seconds[workers]:,.0f} rows/s ({size / 1e6:,.0f} MB Parquet, "
                  f"{args.partitions} partitions; workers' CPU {cpu:.1f} s = {args.rows / cpu:,.0f} rows per "
                  f"CPU second)", flush=True)
            tables.append(pq.read_table(out, columns=["id", "sku"]) if args.rows <= 2_000_000 else None)
            shutil.rmtree(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if len(seconds) == 2:
        (a, ta), (b, tb) = sorted(seconds.items())
        print(f"speed-up {b} vs {a} worker(s): {ta / tb:.2f}x")
    if len(tables) == 2 and tables[0] is not None and tables[1] is not None:
        print("same rows on both:", tables[0].equals(tables[1]))


if __name__ == "__main__":
    main()
