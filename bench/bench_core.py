"""Core engine overhead: AIFactory vs stock factory_boy, and the cost of offline semantic fields.

    python bench/bench_core.py [N] [REPEATS]

Builds N (default 10_000) objects of a 10-field Faker factory with stock ``factory.Factory``,
with ``AIFactory`` (same declarations), and with ``AIFactory`` plus two offline
``SemanticAttribute`` fields; best of REPEATS runs each, interleaved (order alternating), timed
in process CPU time so other processes on the machine disturb the figures less. Targets (issue 2):
AIFactory overhead at most 5 %; with two offline semantic fields at least 80 % of the plain
throughput.
"""

from __future__ import annotations

import gc
import sys
import time
from dataclasses import dataclass
from typing import Any

import factory

import forge_factories
from forge_factories import SemanticAttribute


@dataclass
class User:
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    city: str
    country: str
    company: str
    job: str
    joined: Any
    bio: str = ""
    headline: str = ""


def declarations() -> dict[str, Any]:
    return {
        "id": factory.Sequence(int),
        "first_name": factory.Faker("first_name"),
        "last_name": factory.Faker("last_name"),
        "email": factory.Faker("email"),
        "phone": factory.Faker("phone_number"),
        "city": factory.Faker("city"),
        "country": factory.Faker("country"),
        "company": factory.Faker("company"),
        "job": factory.Faker("job"),
        "joined": factory.Faker("date_between_dates", date_start=__import__("datetime").date(2020, 1, 1),
                                date_end=__import__("datetime").date(2024, 12, 31)),
    }


def make(base: type, extra: dict[str, Any] | None = None) -> Any:
    attrs = dict(declarations())
    attrs.update(extra or {})
    attrs["Meta"] = type("Meta", (), {"model": User})
    return type(base)(f"{base.__name__}User", (base,), attrs)


def timed(fac: Any, n: int) -> float:
    gc.collect()
    forge_factories.seed(1)
    start = time.process_time()
    objs = fac.build_batch(n)
    elapsed = time.process_time() - start
    assert len(objs) == n
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    stock_f = make(factory.Factory)
    ai_f = make(forge_factories.AIFactory)
    sem_f = make(forge_factories.AIFactory, {
        "bio": SemanticAttribute("a short professional bio of {first_name} {last_name}, a {job}", max_length=300),
        "headline": SemanticAttribute("a profile headline", max_length=80),
    })
    best = {"stock": float("inf"), "ai": float("inf"), "semantic": float("inf")}
    runs = [("stock", stock_f), ("ai", ai_f), ("semantic", sem_f)]
    for i in range(repeats):
        for name, fac in (runs if i % 2 == 0 else runs[::-1]):
            best[name] = min(best[name], timed(fac, n))
    rate = {k: n / v for k, v in best.items()}
    print(f"build_batch({n}) of a 10-field Faker User, best of {repeats} (CPU time)")
    print(f"  stock factory.Factory        {rate['stock']:>9,.0f} records/s")
    print(f"  AIFactory (no semantic)      {rate['ai']:>9,.0f} records/s   overhead {best['ai'] / best['stock'] - 1:+.1%}"
          "  (target <= +5%)")
    print(f"  AIFactory + 2 offline fields {rate['semantic']:>9,.0f} records/s   "
          f"{rate['semantic'] / rate['ai']:.0%} of plain AIFactory  (target >= 80%)")


if __name__ == "__main__":
    main()
