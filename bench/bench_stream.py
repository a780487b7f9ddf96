"""Peak memory and speed of create_stream (10-field User, JSONL).

Each size runs in its own subprocess (peak RSS from ``resource.getrusage``).
Usage: ``python bench/bench_stream.py [--sizes 10000,1000000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(n: int, path: str, as_dicts: bool) -> None:
    """Stream ``n`` users to ``path`` and print the figures as JSON."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_models import UserFactory

    from forge_factories.stream import create_stream

    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    written = create_stream(UserFactory, n, path, seed=42, as_dicts=as_dicts).drain()
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": written, "seconds": seconds, "rate": written / seconds, "peak_mb": peak,
                      "before_mb": start_rss, "bytes": os.path.getsize(path)}))


def run(n: int, as_dicts: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n), os.path.join(tmp, "users.jsonl")]
            + (["--dicts"] if as_dicts else []),
            capture_output=True, text=True, check=True, cwd=ROOT,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", type=int)
    parser.add_argument("path", nargs="?")
    parser.add_argument("--dicts", action="store_true")
    parser.add_argument("--sizes", default="10000,1000000")
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.path, args.dicts)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"create_stream, 10-field User, JSONL, column-wise path, 2 cores (load: {os.getloadavg()[0]:.1f})")
    for as_dicts in (False, True):
        label = "dict rows" if as_dicts else "dataclass objects"
        results = [run(n, as_dicts) for n in sizes]
        for r in results:
            print(f"  {label:18} n={r['n']:>9,}  {r['seconds']:6.2f} s  {r['rate']:>9,.0f} records/s  "
                  f"peak RSS {r['peak_mb']:6.1f} MB (after imports {r['before_mb']:.1f} MB)  "
                  f"file {r['bytes'] / 1e6:.1f} MB")
        if len(results) >= 2:
            diff = results[-1]["peak_mb"] - results[0]["peak_mb"]
            print(f"  {label:18} peak RSS difference {sizes[-1]:,} vs {sizes[0]:,}: {diff:+.1f} MB "
                  f"(limit 30 MB: {'ok' if diff <= 30 else 'OVER'}); "
                  f"rate {results[-1]['rate']:,.0f}/s (target 50,000: "
                  f"{'ok' if results[-1]['rate'] >= 50_000 else 'UNDER'})")


if __name__ == "__main__":
    main()
