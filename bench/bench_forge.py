"""Records/s of ``Forge(use_ai=False, seed=42).create_batch(User, N)`` vs fixtureforge and polyfactory.

Usage: ``.venv/bin/python bench/bench_forge.py [N] [--ref-python /tmp/ffref/bin/python]``

The reference package (fixtureforge 2.2.0) pins an old Faker, so it lives in its own venv
(``python -m venv /tmp/ffref && /tmp/ffref/bin/pip install fixtureforge==2.2.0``); this script
runs it there as a subprocess in the same run. Prints records/s and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time


def _user(with_dates: bool = False) -> type:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from forge_bench_models import User, UserWithDates

    return UserWithDates if with_dates else User


def _rate(fn, count: int, repeat: int = 2) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn(count)
        elapsed = time.perf_counter() - start
        assert len(out) == count, (len(out), count)
        best = min(best, elapsed)
    return count / best


def bench_forge(count: int, with_dates: bool = False) -> float:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from forge_factories.forge import Forge

    user = _user(with_dates)

    def run(n: int) -> list[object]:
        forge = Forge(use_ai=False, seed=42)
        return forge.create_batch(user, n)

    run(50)
    return _rate(run, count)


def bench_polyfactory(count: int) -> float | None:
    try:
        from polyfactory.factories.pydantic_factory import ModelFactory
    except ImportError:
        return None
    user = _user()
    factory = type("UserFactory", (ModelFactory,), {"__model__": user})
    factory.seed_random(42)
    return _rate(lambda n: factory.batch(n), count)


def bench_reference(count: int, with_dates: bool = False) -> float:
    """Run inside the reference venv: fixtureforge's own deterministic mode."""
    import contextlib
    import io

    from fixtureforge import Forge

    user = _user(with_dates)

    def run(n: int) -> list[object]:
        with contextlib.redirect_stdout(io.StringIO()):  # it prints a progress line per record
            return Forge(use_ai=False, seed=42).create_batch(user, count=n)

    run(50)
    return _rate(run, count)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("--ref-python", default="/tmp/ffref/bin/python")
    parser.add_argument("--reference-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference_only:
        try:
            bench_reference(50, with_dates=True)
            dates = "ok"
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            dates = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        print(json.dumps({"reference": bench_reference(args.count), "with_dates": dates}))
        return
    figures: dict[str, float | None] = {"forge_factories": bench_forge(args.count)}
    with_dates = bench_forge(args.count, with_dates=True)
    reference_dates = None
    figures["polyfactory"] = bench_polyfactory(args.count)
    if os.path.exists(args.ref_python):
        proc = subprocess.run([args.ref_python, os.path.abspath(__file__), str(args.count), "--reference-only"],
                              capture_output=True, text=True, check=False, cwd="/tmp")
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if lines:
            answer = json.loads(lines[-1])
            figures["fixtureforge 2.2.0"] = answer["reference"]
            reference_dates = answer["with_dates"]
        else:
            print("reference run failed:", proc.stderr[-2000:], file=sys.stderr)
    print(f"create_batch(User, {args.count}) with a 10-field pydantic User, seed 42, no AI")
    for name, rate in figures.items():
        print(f"  {name:<20} {'n/a' if rate is None else f'{rate:,.0f} records/s'}")
    print(f"  forge_factories with created_at: datetime (11 fields): {with_dates:,.0f} records/s")
    if reference_dates is not None:
        print(f"  fixtureforge 2.2.0 with created_at: datetime: {reference_dates}")
    ours = figures["forge_factories"]
    for name, rate in figures.items():
        if name != "forge_factories" and rate:
            print(f"  ratio forge_factories / {name}: {ours / rate:.2f}x")  # type: ignore[operator]


if __name__ == "__main__":
    main()
