"""seed() pins the "now" of Faker's date providers; ``now=None`` keeps the clock; the CLI honours --seed."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import faker
import faker.providers.date_time as faker_dates

from forge_factories import seed
from forge_factories.common.seeding import REFERENCE_NOW, pin_now, pinned_now

ROOT = Path(__file__).resolve().parents[2]
RELATIVE = ("date_time_this_year", "date_time_this_month", "date_time_this_decade", "date_this_year",
            "date_this_decade", "past_date", "past_datetime", "future_date", "future_datetime",
            "date_of_birth", "date_time", "iso8601", "unix_time")


def draw(fake: faker.Faker) -> list[object]:
    values: list[object] = [getattr(fake, name)() for name in RELATIVE]
    values.append(fake.date_between("-3y"))
    values.append(fake.date_time_between(start_date="-30d", end_date="+30d"))
    return values


def test_seed_pins_relative_dates_to_the_reference_time() -> None:
    fake = faker.Faker()
    try:
        seed(1)
        first = draw(fake)
        seed(1)
        assert draw(fake) == first
        assert pinned_now() == REFERENCE_NOW
        values = dict(zip(RELATIVE, first, strict=False))
        assert values["date_time_this_year"].year == REFERENCE_NOW.year
        assert values["date_time_this_year"] <= REFERENCE_NOW
        assert values["past_date"] < REFERENCE_NOW.date() < values["future_date"]
        assert values["future_datetime"] > REFERENCE_NOW
        assert type(values["past_datetime"]) is dt.datetime and type(values["past_date"]) is dt.date
        aware = fake.future_datetime(tzinfo=dt.UTC)
        assert aware.tzinfo is not None and aware > REFERENCE_NOW.replace(tzinfo=dt.UTC)
        # real datetimes given as arguments are still datetimes to Faker
        inside = fake.date_time_between(start_date=dt.datetime(2020, 1, 1), end_date=dt.datetime(2020, 1, 2))
        assert dt.datetime(2020, 1, 1) <= inside <= dt.datetime(2020, 1, 2)
        assert fake.date_between(dt.date(2020, 1, 1), dt.date(2020, 1, 3)).year == 2020
    finally:
        pin_now(None)


def test_now_none_keeps_the_real_clock() -> None:
    fake = faker.Faker()
    seed(1, now=None)
    assert pinned_now() is None
    assert faker_dates.datetime is dt.datetime
    value = fake.date_time_this_year()
    today = dt.datetime.now()
    assert dt.datetime(today.year, 1, 1) <= value <= today
    seed(1, now=dt.datetime(2001, 5, 5, 10, 0))
    try:
        assert fake.date_time_this_year().year == 2001
        assert fake.date_this_month() <= dt.date(2001, 5, 5)
    finally:
        pin_now(None)


def test_seed_scope_restores_the_clock() -> None:
    pin_now(None)
    with seed(3):
        assert pinned_now() == REFERENCE_NOW
        with seed(4, now=dt.datetime(1999, 1, 1)):
            assert pinned_now() == dt.datetime(1999, 1, 1)
        assert pinned_now() == REFERENCE_NOW
    assert pinned_now() is None
    assert faker_dates.datetime is dt.datetime and faker_dates.dtdate is dt.date


SHOP = '''
import forge_factories as factory


class CustomerFactory(factory.DictFactory):
    id = factory.Sequence(lambda n: n + 1)
    name = factory.Faker("name")
    joined = factory.Faker("date_time_between", start_date="-3y")
    this_year = factory.Faker("date_time_this_year")
    born = factory.Faker("date_of_birth")
    bio = factory.SemanticAttribute("a one-sentence bio of {name}", max_length=200)
'''


def test_cli_objects_executor_seed_writes_the_same_bytes_in_two_processes(tmp_path: Path) -> None:
    (tmp_path / "shop_factories.py").write_text(SHOP, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
               FORGE_CACHE_DIR=str(tmp_path / "cache"))
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / f"{run}.jsonl"
        subprocess.run([sys.executable, "-m", "forge_factories.cli", "generate", "shop_factories:CustomerFactory",
                        "-n", "50", "--seed", "42", "--executor", "objects", "--mode", "offline", "-o", str(out)],
                       cwd=tmp_path, env=env, check=True, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    rows = [json.loads(line) for line in outputs[0].decode().splitlines()]
    assert len(rows) == 50
    assert all(dt.datetime.fromisoformat(r["this_year"]).year == REFERENCE_NOW.year for r in rows)
