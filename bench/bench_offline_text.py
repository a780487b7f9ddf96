"""Micro-benchmark of the offline text composer: microseconds per value, per kind of field.

Run: ``.venv/bin/python bench/bench_offline_text.py [values_per_case]``. Prints the best of
several repeats of the process's CPU time (the machine is shared: CPU time and the minimum are
the least noisy figures), the English mean as values per second, and, for reference, the cost
of a seeded stock Faker ``sentence()`` and of creating the per-value rng.
"""

from __future__ import annotations

import random
import sys
import time

from faker import Faker

from forge_factories.text.offline import offline_text
from forge_factories.text.spec import FieldSpec

CASES: list[tuple[str, FieldSpec, dict[str, object], str, str | None]] = [
    ("bio (name)", FieldSpec("bio"), {"name": "Ana Lopez"}, "app.User", None),
    ("review (rating, product)", FieldSpec("text", "a {rating}-star review of {product.name}"),
     {"rating": 2, "product.name": "Aurora Kettle"}, "app.Review", "angry holiday customers"),
    ("support message", FieldSpec("message"), {"customer.first_name": "Priya"}, "app.Ticket", None),
    ("product description", FieldSpec("description"), {}, "app.Product", None),
    ("title", FieldSpec("title"), {}, "app.Post", None),
    ("generic field", FieldSpec("remarks_text"), {}, "app.Thing", None),
    ("bio max_length=40", FieldSpec("bio", max_length=40), {}, "app.User", None),
    ("notes min_length=300", FieldSpec("notes", min_length=300), {}, "app.Order", None),
    ("bio language=fr", FieldSpec("bio", language="fr"), {"name": "Ana Lopez"}, "app.User", None),
    ("bio language=it (Faker)", FieldSpec("bio", language="it"), {}, "app.User", None),
]

#: Shapes added by issue 15 (kept out of the English mean, which compares with earlier releases).
SHAPE_CASES: list[tuple[str, FieldSpec, dict[str, object], str, str | None]] = [
    ("name of a {category} product", FieldSpec("name", "the name of a {category} product", max_length=120),
     {"category": "books"}, "shop.Product", None),
    ("message about {subject}", FieldSpec("message", "the customer's message about {subject}"),
     {"subject": "Refund for a blender that arrived broken", "customer.first_name": "Priya"}, "support.Ticket", None),
    ("three-paragraph body", FieldSpec("body", "a three-paragraph announcement of {event.name}"),
     {"event.name": "Spring Makers Fair"}, "events.Event", None),
    ("note left by {user.name}", FieldSpec("note", "a delivery note left by {user.name}"),
     {"user.name": "Maya Patel"}, "logistics.Delivery", None),
]


def best_us(fn: object, n: int, repeats: int = 5) -> float:
    """Best-of-``repeats`` microseconds per call of ``fn(i)`` over ``n`` calls."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for i in range(n):
            fn(i)  # type: ignore[operator]
        best = min(best, time.process_time() - start)
    return best / n * 1e6


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rngs = [random.Random(f"42|bench|{i}") for i in range(n)]
    print(f"offline_text, best of 5 x {n} values (us/value)")
    english: list[float] = []
    for label, spec, cond, model, context in CASES:
        def call(i: int, spec: FieldSpec = spec, cond: dict[str, object] = cond, model: str = model,
                 context: str | None = context) -> str:
            rngs[i].seed(i)
            return offline_text(spec, cond, context=context, locale=None, rng=rngs[i], model=model)

        us = best_us(call, n)
        if spec.language is None:
            english.append(us)
        print(f"  {label:28s} {us:7.1f}")
    mean = sum(english) / len(english)
    print(f"  {'English mean':28s} {mean:7.1f}   (target < 25)")
    print(f"  {'English values/s':28s} {1e6 / mean:7.0f}")
    for label, spec, cond, model, context in SHAPE_CASES:
        def shaped(i: int, spec: FieldSpec = spec, cond: dict[str, object] = cond, model: str = model,
                   context: str | None = context) -> str:
            rngs[i].seed(i)
            return offline_text(spec, cond, context=context, locale=None, rng=rngs[i], model=model)

        print(f"  {label:28s} {best_us(shaped, n):7.1f}   (issue 15 shape)")
    seed_only = best_us(lambda i: rngs[i].seed(i), n)
    print(f"  {'(rng.seed alone)':28s} {seed_only:7.1f}")
    fake = Faker("en_US")
    fake.seed_instance(1)
    print(f"  {'(stock Faker sentence())':28s} {best_us(lambda i: fake.sentence(), n):7.1f}")


if __name__ == "__main__":
    main()
