"""Peak bytes per object of ``create_batch``/``build_batch``: AIFactory beside stock factory_boy.

    python bench/bench_memory.py [N]

Each measurement runs in its own subprocess (tracemalloc peak over the call, minus what was
allocated before it, divided by N; default N = 100_000). Cases, all offline:

* ``plain``: a dataclass with an int sequence, a name and an email (``Sequence`` and
  ``LazyAttribute``), built by stock ``factory.Factory`` and by ``AIFactory``;
* ``semantic``: the same plus two offline ``SemanticAttribute`` fields (``bio``, ``headline``).
  Its stock peer declares those two fields as ``Sequence`` strings of the mean lengths forge's
  texts had in the same run, so both sides hold the same amount of text.

After each call the bench also reports how many of the objects survive ``del`` +
``gc.collect()`` (nothing of a call should stay alive unless the caller keeps it). Issue 17's
target: forge within 1.5x of factory_boy's bytes per object.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tracemalloc
import weakref
from dataclasses import dataclass
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass
class Person:
    id: int
    name: str
    email: str
    bio: str = ""
    headline: str = ""


def make_factory(kind: str, lengths: tuple[int, int] = (0, 0)) -> Any:
    import factory

    import forge_factories
    from forge_factories import SemanticAttribute

    base = factory.Factory if kind.startswith("stock") else forge_factories.AIFactory
    attrs: dict[str, Any] = {
        "Meta": type("Meta", (), {"model": Person}),
        "id": factory.Sequence(int),
        "name": factory.Sequence(lambda n: f"Person {n}"),
        "email": factory.LazyAttribute(lambda o: f"{o.name.replace(' ', '.').lower()}@example.com"),
    }
    if kind == "ai_semantic":
        attrs["bio"] = SemanticAttribute("a short professional bio of {name}", max_length=160)
        attrs["headline"] = SemanticAttribute("a profile headline", max_length=60)
    elif kind == "stock_semantic":
        bio, headline = lengths
        attrs["bio"] = factory.Sequence(lambda n: (f"{n} bio " * bio)[:bio])
        attrs["headline"] = factory.Sequence(lambda n: (f"{n} hl " * headline)[:headline])
    return type(base)(f"{kind}Factory", (base,), attrs)


def child(kind: str, strategy: str, n: int, lengths: tuple[int, int]) -> None:
    """One measurement, printed as JSON."""
    import forge_factories

    fac = make_factory(kind, lengths)
    forge_factories.seed(1)
    getattr(fac, f"{strategy}_batch")(50)  # warm-up: imports, caches, the offline writer's tables
    forge_factories.seed(1)
    gc.collect()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    objs = getattr(fac, f"{strategy}_batch")(n)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    mean = (sum(len(o.bio) for o in objs) / n, sum(len(o.headline) for o in objs) / n)
    refs = [weakref.ref(o) for o in objs[:: max(1, n // 1000)]]
    del objs
    gc.collect()
    alive = sum(r() is not None for r in refs)
    print(json.dumps({"per_object": (peak - before) / n, "mean_lengths": mean,
                      "alive_after_del": alive / len(refs)}))


def run(kind: str, strategy: str, n: int, lengths: tuple[int, int] = (0, 0)) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH")) if p))
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", kind, strategy, str(n),
                          str(lengths[0]), str(lengths[1])], capture_output=True, text=True, check=True, env=env)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"peak bytes per object, {n:,} objects, tracemalloc (each figure in its own process)")
    for strategy in ("create", "build"):
        stock = run("stock_plain", strategy, n)
        ours = run("ai_plain", strategy, n)
        semantic = run("ai_semantic", strategy, n)
        lengths = tuple(round(x) for x in semantic["mean_lengths"])
        stock_semantic = run("stock_semantic", strategy, n, (lengths[0], lengths[1]))
        for label, peer, mine in (("plain", stock, ours), ("2 semantic fields", stock_semantic, semantic)):
            print(f"  {strategy}_batch {label:18} factory_boy {peer['per_object']:7,.0f} B   AIFactory "
                  f"{mine['per_object']:7,.0f} B   ratio {mine['per_object'] / peer['per_object']:.2f}x "
                  f"(target <= 1.5x)   alive after del: {mine['alive_after_del']:.0%}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]), (int(sys.argv[5]), int(sys.argv[6])))
    else:
        main()
