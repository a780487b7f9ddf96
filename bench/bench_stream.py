"""Peak memory and speed of create_stream (10-field User, JSONL), beside the reference package.

Each size runs in its own subprocess (peak RSS from ``resource.getrusage``). The reference
package (fixtureforge 2.2.0, its own venv: ``python -m venv /tmp/ffref &&
/tmp/ffref/bin/pip install fixtureforge==2.2.0``) streams the 10-field pydantic User of
``forge_bench_models.py`` to a ``.json`` file in the same run, and so does
``Forge(use_ai=False, seed=42).create_stream`` for the same model; skipped (said so) when
that venv is missing.
Usage: ``python bench/bench_stream.py [--sizes 10000,1000000] [--ref-sizes 10000,200000]
[--ref-python /tmp/ffref/bin/python]``.
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

    from forge_factories.datasets.stream import create_stream

    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    written = create_stream(UserFactory, n, path, seed=42, as_dicts=as_dicts).drain()
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": written, "seconds": seconds, "rate": written / seconds, "peak_mb": peak,
                      "before_mb": start_rss, "bytes": os.path.getsize(path)}))


def child_pydantic(n: int, path: str, reference: bool) -> None:
    """Stream ``n`` pydantic Users through a ``Forge`` facade (ours or the reference package's)."""
    import contextlib
    import io

    sys.path.insert(0, str(ROOT / "bench"))
    from forge_bench_models import User

    if reference:
        from fixtureforge import Forge
    else:
        sys.path.insert(0, str(ROOT))
        from forge_factories import Forge  # type: ignore[assignment]

    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    written = 0
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # the reference prints a line per record
        for _ in Forge(use_ai=False, seed=42).create_stream(User, count=n, filename=path):
            written += 1
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the check loads the file
    with open(path, encoding="utf-8") as fh:
        assert len(json.load(fh)) == n, "the stream did not write a valid array of n records"
    print(json.dumps({"n": written, "seconds": seconds, "rate": written / seconds, "peak_mb": peak,
                      "before_mb": start_rss, "bytes": os.path.getsize(path)}))


def run(n: int, mode: str, python: str = sys.executable) -> dict[str, float]:
    """One child process: ``mode`` is "objects", "dicts", "pydantic" or "reference"."""
    suffix = ".json" if mode in ("pydantic", "reference") else ".jsonl"
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [python, os.path.abspath(__file__), "--child", str(n), os.path.join(tmp, "users" + suffix),
             "--mode", mode],
            capture_output=True, text=True, check=True, cwd=tmp if mode == "reference" else ROOT,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def show(label: str, r: dict[str, float]) -> None:
    print(f"  {label:22} n={r['n']:>9,}  {r['seconds']:6.2f} s  {r['rate']:>9,.0f} records/s  "
          f"peak RSS {r['peak_mb']:6.1f} MB (after imports {r['before_mb']:.1f} MB)  "
          f"file {r['bytes'] / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", type=int)
    parser.add_argument("path", nargs="?")
    parser.add_argument("--mode", default="objects", choices=["objects", "dicts", "pydantic", "reference"])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--ref-sizes", default="10000,200000")
    parser.add_argument("--ref-python", default="/tmp/ffref/bin/python")
    args = parser.parse_args()
    if args.child is not None:
        if args.mode in ("pydantic", "reference"):
            child_pydantic(args.child, args.path, args.mode == "reference")
        else:
            child(args.child, args.path, args.mode == "dicts")
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"create_stream, 10-field User, JSONL, column-wise path, 2 cores (load: {os.getloadavg()[0]:.1f})")
    ours_rate = 0.0
    for mode, label in (("objects", "dataclass objects"), ("dicts", "dict rows")):
        results = [run(n, mode) for n in sizes]
        for r in results:
            show(label, r)
        if len(results) >= 2:
            diff = results[-1]["peak_mb"] - results[0]["peak_mb"]
            print(f"  {label:22} peak RSS difference {sizes[-1]:,} vs {sizes[0]:,}: {diff:+.1f} MB "
                  f"(limit 30 MB: {'ok' if diff <= 30 else 'OVER'}); "
                  f"rate {results[-1]['rate']:,.0f}/s (target 50,000: "
                  f"{'ok' if results[-1]['rate'] >= 50_000 else 'UNDER'})")
        if mode == "objects":
            ours_rate = results[-1]["rate"]
    ref_sizes = [int(s) for s in args.ref_sizes.split(",")]
    print("Forge(use_ai=False, seed=42).create_stream(User, n, 'users.json'), the 10-field pydantic User:")
    ours = [run(n, "pydantic") for n in ref_sizes]
    for r in ours:
        show("forge_factories", r)
    if not os.path.exists(args.ref_python):
        print(f"  reference package: skipped, no venv at {args.ref_python} (see this script's docstring)")
        return
    refs = [run(n, "reference", args.ref_python) for n in ref_sizes]
    for r in refs:
        show("fixtureforge 2.2.0", r)
    print(f"  ratios at n={ref_sizes[-1]:,}: records/s forge_factories / fixtureforge = "
          f"{ours[-1]['rate'] / refs[-1]['rate']:.1f}x (JSONL column-wise path: "
          f"{ours_rate / refs[-1]['rate']:.1f}x); peak RSS {ours[-1]['peak_mb']:.1f} MB vs {refs[-1]['peak_mb']:.1f} MB")


if __name__ == "__main__":
    main()
