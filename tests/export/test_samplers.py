"""Column samplers and row assembly: the vectorised forms draw exactly what the plain loops drew.

Each reference below is the straightforward per-value loop the sampler replaced; equal
outputs from equal generators (and an equal generator state afterwards) mean the data of
a seed did not change. Table draws are checked against the probabilities they promise.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import random
import subprocess
import sys
from bisect import bisect_left, bisect_right
from collections import Counter, OrderedDict
from pathlib import Path
from typing import Any

import pytest

import forge_factories as factory
from forge_factories.datasets.columnar import plan_for, row_builder
from forge_factories.datasets.stream import iter_chunks
from forge_factories.samplers import SamplerSet, Table
from forge_factories.samplers.dates import moment as _moment
from forge_factories.samplers.tables import _MIXED, scatter

ROOT = Path(__file__).resolve().parents[2]
SIZES = (0, 1, 7, 1500)


def _same(sampler: Any, reference: Any, seed: object) -> None:
    for n in SIZES:
        rng, ref_rng = random.Random(f"{seed}-{n}"), random.Random(f"{seed}-{n}")
        assert sampler(n, rng) == reference(n, ref_rng)
        assert rng.random() == ref_rng.random()  # the same number of draws


@pytest.fixture(scope="module")
def en() -> SamplerSet:
    return SamplerSet("en_US")


@pytest.mark.parametrize(("low", "high", "step"), [(18, 90, 1), (0, 1000, 1), (-50, 50, 5), (3, 3, 1)])
def test_random_int_draws_what_the_loop_drew(en: SamplerSet, low: int, high: int, step: int) -> None:
    sampler = en.sampler("random_int", {"min": low, "max": high, "step": step})
    span = (high - low) // step + 1
    _same(sampler, lambda n, rng: [low + step * int(rng.random() * span) for _ in range(n)], (low, step))


@pytest.mark.parametrize("chance", [50, 30, 0, 100])
def test_boolean_draws_what_the_loop_drew(en: SamplerSet, chance: int) -> None:
    sampler = en.sampler("boolean", {"chance_of_getting_true": chance})
    _same(sampler, lambda n, rng: [rng.random() < chance / 100 for _ in range(n)], chance)


@pytest.mark.parametrize("tzinfo", [None, dt.timezone(dt.timedelta(hours=2))])
def test_date_time_between_draws_what_the_loop_drew(en: SamplerSet, tzinfo: Any) -> None:
    sampler = en.sampler("date_time_between", {"start_date": "-2y", "tzinfo": tzinfo})
    start, end = _moment("-2y"), _moment("now")
    span = (end - start).total_seconds()

    def reference(n: int, rng: random.Random) -> list[Any]:
        values = [start + dt.timedelta(seconds=int(rng.random() * span)) for _ in range(n)]
        return [v.replace(tzinfo=dt.UTC).astimezone(tzinfo) for v in values] if tzinfo else values

    _same(sampler, reference, tzinfo)


def _tables(en: SamplerSet) -> list[Table]:
    weighted = Table(OrderedDict([("a", 0.5), ("b", 0.3), ("c", 1e-9), ("d", 0.2 - 1e-9)]))
    named = [en.tables.table(name) for name in ("countries", "first_names", "last_names", "word_list")]
    return [t for t in named if t is not None] + [weighted, Table.of(range(3)), Table.of(range(81)),
                                                  Table.of(range(40))]


def test_every_pure_bucket_lies_inside_its_keys_share(en: SamplerSet) -> None:
    """A bucket that names a key covers only values whose bisection gives that key."""
    for table in _tables(en):
        buckets = table.buckets()
        size, keys = len(buckets), table.keys
        cum = table.cum if table.cum is not None else list(range(1, len(keys) + 1))
        step = cum[-1] / size
        for b, key in enumerate(buckets):
            low, high = b * step, (b + 1) * step
            inside = bisect_left(cum, high) > bisect_right(cum, low)  # a key's share ends inside
            if key is _MIXED:
                assert inside or math.isclose(high, cum[bisect_right(cum, low)])
            else:
                assert not inside and key == keys[min(bisect_right(cum, low), len(keys) - 1)]


def test_tables_draw_each_key_with_its_probability(en: SamplerSet) -> None:
    n = 200_000
    for table in _tables(en)[-4:]:
        counts = Counter(table.pick(n, random.Random(len(table.keys))))
        cum = table.cum if table.cum is not None else list(range(1, len(table.keys) + 1))
        weights = [b - a for a, b in zip([0, *cum], cum, strict=False)]
        for key, weight in zip(table.keys, weights, strict=True):
            p = weight / cum[-1]
            assert abs(counts[key] - n * p) <= 5 * math.sqrt(n * p * (1 - p)) + 1, (key, counts[key], n * p)
    weighted = Table(OrderedDict([("a", 3.0), ("b", 1.0)]))
    assert weighted.pick(20, random.Random(1)) == weighted.pick(20, random.Random(1))
    mixed = Table([1, "b", 2.5])
    assert not mixed.all_str and set(mixed.pick_str(50, random.Random(0))) <= {"1", "b", "2.5"}


@pytest.mark.parametrize("keys", [["x"] * 5, list("abcabca"), [f"k{i % 11}" for i in range(300)]])
def test_scatter_fills_what_the_grouping_loop_filled(keys: list[str]) -> None:
    def fill(key: str, m: int) -> list[str]:
        return [f"{key}-{i}" for i in range(m)]

    expected: list[str] = [""] * len(keys)
    groups: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    for key, where in groups.items():
        for i, value in zip(where, fill(key, len(where)), strict=True):
            expected[i] = value
    assert scatter(keys, fill) == expected


def test_tokens_without_a_table_are_the_same_in_every_process() -> None:
    """de_DE cities use ``city_name``, which has no table here: Faker fills it, seeded from the column's generator."""
    code = ("import random; from forge_factories.samplers import SamplerSet; "
            "print(SamplerSet('de_DE').sampler('city', {})(40, random.Random(3)))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
            for _ in range(2)}
    assert len(runs) == 1
    values = ast.literal_eval(runs.pop())
    assert len(values) == 40 and len(set(values)) > 10


@pytest.mark.parametrize("names", [["id"], ["a", "b", "c"], ["class", "a b", "k0", "v1", "zip", "columns", "0"]])
def test_row_builder_makes_the_dicts_of_zip(names: list[str]) -> None:
    columns = [[f"{name}{i}" for i in range(5)] for name in names]
    rows = row_builder(names)(columns)
    assert rows == [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
    assert row_builder(list(names)) is row_builder(names)  # compiled once per field list


class Nested(factory.DictFactory):
    """Lazies reading lazies declared after them, a sequence lazy and a SelfAttribute."""

    first = factory.Faker("first_name")
    last = factory.Faker("last_name")
    full = factory.LazyAttribute(lambda o: f"{o.first} {o.shout}")
    shout = factory.LazyAttribute(lambda o: o.last.upper())
    tag = factory.LazyAttributeSequence(lambda o, n: f"{o.first}-{n}")
    alias = factory.SelfAttribute("first")


def test_lazies_see_each_other_in_declaration_order() -> None:
    plan = plan_for(Nested)
    assert set(plan.row_lazies) == {"full", "shout", "alias"} and set(plan.lazies) == {"full", "shout", "tag", "alias"}
    rows = [row for chunk in iter_chunks(Nested, 30, seed=3, as_dicts=True, chunk_size=7) for row in chunk]
    for n, row in enumerate(rows):
        assert row["shout"] == row["last"].upper() and row["full"] == f"{row['first']} {row['shout']}"
        assert row["tag"] == f"{row['first']}-{n}" and row["alias"] == row["first"]
    assert list(rows[0]) == ["first", "last", "full", "shout", "tag", "alias"]


def test_one_lazy_attribute_is_called_once_per_row_in_row_order() -> None:
    seen: list[int] = []

    class Counted(factory.DictFactory):
        n = factory.Sequence(lambda n: n)
        twice = factory.LazyAttribute(lambda o: seen.append(o.n) or o.n * 2)

    rows = [row for chunk in iter_chunks(Counted, 25, seed=1, as_dicts=True, chunk_size=10) for row in chunk]
    assert seen == list(range(25)) and [r["twice"] for r in rows] == [2 * n for n in range(25)]


@pytest.mark.parametrize("locale", ["ja_JP", "ru_RU", "el_GR", "zh_CN", "de_DE", "en_US"])
def test_emails_of_non_latin_locales_are_plausible_ascii(locale: str) -> None:
    import re

    sample = SamplerSet(locale)._s_email()
    emails = sample(200, random.Random(7))
    assert emails == sample(200, random.Random(7))
    user = re.compile(r"^[a-z][a-z0-9._-]*@[a-z0-9.-]+\.[a-z]+$")
    assert all(user.match(e) for e in emails), [e for e in emails if not user.match(e)][:3]
    assert len(set(emails)) > 150


def test_column_samplers_read_the_same_now_as_seeded_faker() -> None:
    """``date_time_this_year`` spans January to the pinned mid-year "now", on both paths."""
    import forge_factories as forge
    from forge_factories.common.seeding import REFERENCE_NOW
    from forge_factories.datasets.stream import iter_chunks
    from forge_factories.samplers import REFERENCE_TIME

    class Dated(forge.DictFactory):
        at = forge.Faker("date_time_this_year")

    assert REFERENCE_TIME == REFERENCE_NOW
    values = [row["at"] for chunk in iter_chunks(Dated, 200, seed=3, as_dicts=True) for row in chunk]
    assert len(set(values)) > 150 and all(v.year == REFERENCE_NOW.year and v <= REFERENCE_NOW for v in values)
