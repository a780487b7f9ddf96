"""Column samplers and row assembly: the vectorised forms draw exactly what the plain loops drew.

Each reference below is the straightforward per-value loop the sampler replaced; equal
outputs from equal generators (and an equal generator state afterwards) mean the data of
a seed did not change.
"""

from __future__ import annotations

import ast
import datetime as dt
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import forge_factories as factory
from forge_factories.datasets.columnar import plan_for, row_builder
from forge_factories.datasets.samplers import _TOKEN, SamplerSet, Table, _moment
from forge_factories.datasets.stream import iter_chunks

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


def test_unweighted_and_weighted_tables_draw_what_the_loop_drew(en: SamplerSet) -> None:
    countries = en.tables.table("countries")
    assert countries is not None and countries.cum is None
    keys = countries.keys
    _same(countries.pick, lambda n, rng: [keys[int(rng.random() * len(keys))] for _ in range(n)], "countries")
    names = en.tables.table("first_names")
    assert names is not None and names.cum is not None
    _same(names.pick, lambda n, rng: rng.choices(names.keys, cum_weights=names.cum, k=n), "names")
    mixed = Table([1, "b", 2.5])
    assert not mixed.all_str and set(mixed.pick_str(50, random.Random(0))) <= {"1", "b", "2.5"}


@pytest.mark.parametrize("provider", ["city", "street_address", "user_name", "postcode"])
def test_format_providers_fill_what_the_grouping_loop_filled(en: SamplerSet, provider: str) -> None:
    from forge_factories.datasets.samplers import _FORMATS, _ascii_lower, numerify

    attr, digits = _FORMATS[provider]
    assert attr is not None
    table = en.tables.table(attr)
    assert table is not None

    def reference(n: int, rng: random.Random) -> list[str]:
        out = [""] * n
        groups: dict[str, list[int]] = {}
        for i, fmt in enumerate(table.pick(n, rng)):
            groups.setdefault(str(fmt), []).append(i)
        for fmt, where in groups.items():
            parts = _TOKEN.split(fmt)
            cols = [en.token_column(t, len(where), rng) for t in parts[1::2]]
            template = "{}".join(lit.replace("{", "{{").replace("}", "}}") for lit in parts[0::2])
            texts = list(map(template.format, *cols)) if cols else [template.format()] * len(where)
            if digits:
                texts = [numerify(t, rng) for t in texts]
            for i, text in zip(where, texts, strict=True):
                out[i] = text
        return [_ascii_lower(v) for v in out] if provider == "user_name" else out

    _same(en.sampler(provider, {}), reference, provider)


def test_tokens_without_a_table_are_the_same_in_every_process() -> None:
    """de_DE cities use ``city_name``, which has no table here: Faker fills it, seeded from the column's generator."""
    code = ("import random; from forge_factories.datasets.samplers import SamplerSet; "
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
    from forge_factories.datasets.samplers import REFERENCE_TIME
    from forge_factories.datasets.stream import iter_chunks

    class Dated(forge.DictFactory):
        at = forge.Faker("date_time_this_year")

    assert REFERENCE_TIME == REFERENCE_NOW
    values = [row["at"] for chunk in iter_chunks(Dated, 200, seed=3, as_dicts=True) for row in chunk]
    assert len(set(values)) > 150 and all(v.year == REFERENCE_NOW.year and v <= REFERENCE_NOW for v in values)
