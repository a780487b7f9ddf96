"""create_large: ~seed_ratio*count semantic values paid for, count distinct records, reproducible."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from forge_factories.datasets.large import create_large, split_sentences, vary
from forge_factories.datasets.stream import create_stream
from forge_factories.llm.providers import RecordingProvider
from forge_factories.text.spec import FieldSpec

from .models import Member, MemberFactory

ROOT = Path(__file__).resolve().parents[2]


def test_100k_records_for_1k_semantic_values() -> None:
    rec = RecordingProvider()
    rows = create_large(MemberFactory, 100_000, seed_ratio=0.01, seed=42, provider=rec, as_dicts=True,
                        executor="columns")
    assert len(rows) == 100_000
    values = sum(len(item.fields) for req in rec.requests for item in req.items)
    assert values == 1_000
    assert len(rec.requests) == 1
    # distinct records, even ignoring the key
    assert len({(r["name"], r["city"], r["bio"]) for r in rows}) == 100_000
    assert len({r["id"] for r in rows}) == 100_000
    # the text is varied, not 100 copies of each pool value
    assert len({r["bio"] for r in rows}) > 10_000
    # a pool bio written for someone else names this record's person instead
    pool_names = {item.conditioning["name"] for item in rec.requests[0].items}
    def names_in(text: str) -> set[str]:
        return {n for n in pool_names if re.search(rf"\b{re.escape(n)}\b", text)}

    mentions = [row for row in rows[:3000] if names_in(row["bio"]) - {row["name"]}]
    assert mentions == []
    assert all(len(r["bio"]) <= 300 for r in rows)


def test_returns_models_and_streams(tmp_path: Path) -> None:
    rec = RecordingProvider()
    members = create_large(MemberFactory, 500, seed_ratio=0.02, seed=1, provider=rec)
    assert all(isinstance(m, Member) for m in members)
    assert sum(len(i.fields) for r in rec.requests for i in r.items) == 10
    rec2 = RecordingProvider()
    path = tmp_path / "m.jsonl"
    create_stream(MemberFactory, 500, path, seed=1, seed_ratio=0.02, provider=rec2).drain()
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [m["bio"] for m in lines] == [m.bio for m in members]


def test_identical_across_processes() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    outs = []
    for hashseed in ("1", "2"):
        env["PYTHONHASHSEED"] = hashseed
        proc = subprocess.run([sys.executable, "-m", "tests.export.large_script", "100000"], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=True)
        outs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert outs[0] == outs[1]
    assert outs[0]["rows"] == 100_000 and outs[0]["values"] == 1_000


def test_vary_keeps_constraints() -> None:
    import random

    spec = FieldSpec(name="bio", max_length=60)
    first = "Anna Smith bakes bread. She runs a small shop. Customers love her."
    second = "Tom Lee fixes bikes. He lives by the river."
    rng = random.Random(0)
    out = {vary(first[:58], second, spec, rng, {"name": "Anna Smith"}, {"name": "Zoe Park"}) for _ in range(50)}
    assert all(len(v) <= 60 for v in out)
    assert all("Anna Smith" not in v for v in out)
    assert len(out) > 1
    assert split_sentences("A b. C d! E?") == ["A b.", "C d!", "E?"]
    choice = FieldSpec(name="tone", choices=("warm", "cold"))
    assert vary("warm", "cold", choice, rng) == "warm"


def test_object_path_pool_for_factories_with_subfactories() -> None:
    import forge_factories as factory

    rec = RecordingProvider()

    class Post(factory.DictFactory):
        class Meta:
            forge_provider = rec

        author = factory.SubFactory(factory.DictFactory, name="Ann")
        title = factory.Faker("sentence")
        body = factory.SemanticAttribute("a short blog post titled {title}", max_length=400)

    rows = create_large(Post, 300, seed_ratio=0.05, seed=3)
    assert len(rows) == 300 and all(r["author"] == {"name": "Ann"} and r["body"] for r in rows)
    assert sum(len(i.fields) for r in rec.requests for i in r.items) == 15
