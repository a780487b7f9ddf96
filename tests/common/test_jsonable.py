"""One JSON conversion (common.jsonable on pydantic-core): keys and exports byte-identical to their recorded forms."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import json
import uuid
from typing import Any

import pytest

from forge_factories.common.jsonable import KEY_RULES, JsonRules, to_jsonable
from forge_factories.datasets.records import EXPORT_RULES, dumps, plain
from forge_factories.store.keys import canonical_json, jsonable


class Color(enum.Enum):
    R = "r"


class Thing:
    def __str__(self) -> str:
        return "thing"


@dataclasses.dataclass
class Point:
    x: int
    at: dt.datetime


UTC = dt.UTC


def _values() -> dict[str, Any]:
    return {"when": dt.datetime(2024, 1, 2, 3, 4, 5, 6), "aware": dt.datetime(2024, 1, 2, tzinfo=UTC),
            "day": dt.date(2024, 2, 29), "at": dt.time(1, 2, 3, 400), "price": decimal.Decimal("1.50"),
            "id": uuid.UUID(int=12345), "color": Color.R, "wait": dt.timedelta(days=1, seconds=5), "raw": b"ab",
            "tags": {"b", "a"}, "nested": {2: [Color.R, (1, dt.date(2020, 1, 1))]}}


def test_key_json_is_byte_identical_to_what_lock_files_and_caches_were_written_with() -> None:
    values = {**_values(), "nan": float("nan"), "tags": {"b", "a", "é"}, "obj": Thing()}
    assert canonical_json(values) == (  # written by the conversion the store had before pydantic-core
        '{"at":"01:02:03.000400","aware":"2024-01-02T00:00:00+00:00","color":"r","day":"2024-02-29",'
        '"id":"00000000-0000-0000-0000-000000003039","nan":"nan","nested":{"2":["r",[1,"2020-01-01"]]},'
        '"obj":"thing","price":"1.50","raw":"b\'ab\'","tags":["é","a","b"],"wait":"1 day, 0:00:05",'
        '"when":"2024-01-02T03:04:05.000006"}')


def test_export_json_is_byte_identical_to_what_exports_wrote() -> None:
    assert dumps(_values()) == (
        '{"when":"2024-01-02T03:04:05.000006","aware":"2024-01-02T00:00:00+00:00","day":"2024-02-29",'
        '"at":"01:02:03.000400","price":"1.50","id":"00000000-0000-0000-0000-000000003039","color":"r",'
        '"wait":86405.0,"raw":"YWI=","tags":["a","b"],"nested":{"2":["r",[1,"2020-01-01"]]}}')


def test_the_uses_differ_only_where_their_rules_say() -> None:
    shared = {k: v for k, v in _values().items() if k not in ("wait", "raw")}
    assert jsonable(shared) == plain(shared) == to_jsonable(shared, EXPORT_RULES)
    point = Point(1, dt.datetime(2020, 1, 1, tzinfo=UTC))
    assert plain(point) == {"x": 1, "at": "2020-01-01T00:00:00+00:00"}  # exports: the object's record
    assert jsonable(point) == str(point)  # keys: its text
    assert plain(float("inf")) == float("inf") and jsonable(float("inf")) == "inf"


def test_sets_are_ordered_the_same_in_every_process() -> None:
    words = {f"w{i}" for i in range(50)}
    assert to_jsonable(words) == sorted(words, key=json.dumps)
    assert to_jsonable({dt.date(2020, 1, 2), dt.date(2019, 5, 1)}) == ["2019-05-01", "2020-01-02"]


def test_an_object_the_rules_cannot_convert_is_refused() -> None:
    rules = JsonRules(timedelta="str", binary=str, non_finite=None, unknown=lambda value: value)
    with pytest.raises(TypeError, match="cannot convert a Thing to JSON"):
        to_jsonable(Thing(), rules)
    assert to_jsonable(Thing(), KEY_RULES) == "thing"


def test_conditioning_and_the_prompt_data_use_the_one_conversion() -> None:
    """A datetime, a list and a NaN a semantic field depends on reach the request and the
    prompt's DATA block in :func:`to_jsonable`'s form (ISO text, a real list, ``"nan"``)."""
    import datetime as dt

    from forge_factories import AIFactory, SemanticAttribute
    from forge_factories.llm.planner import build_prompt, read_data_block
    from forge_factories.llm.providers.base import FillResult

    requests = []

    class Capture:
        name = "capture"

        def fill(self, request):
            requests.append(request)
            return FillResult({i.index: {"bio": f"bio {i.index}"} for i in request.items}, self.name)

    class PersonFactory(AIFactory):
        class Meta:
            model = dict
            forge_provider = Capture()

        joined = dt.datetime(2026, 1, 2, 3, 4, 5)
        tags = ("a", "b")
        score = float("nan")
        bio = SemanticAttribute("a bio", depends_on=["joined", "tags", "score"])

    PersonFactory.build()
    (request,) = requests
    given = dict(request.items[0].conditioning)
    assert given == {"joined": "2026-01-02T03:04:05", "tags": ["a", "b"], "score": "nan"}
    data = read_data_block(build_prompt(request, request.items).user)
    assert data["items"][0]["given"] == given
