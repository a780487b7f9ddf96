"""Public engine helpers: use_provider() scoping and fill_rows()."""

from __future__ import annotations

import threading

import pytest

import forge_factories as factory
from forge_factories import SemanticAttribute
from forge_factories.common.config import use_provider
from forge_factories.common.errors import ForgeError
from forge_factories.core.engine import fill_rows
from forge_factories.llm.providers import RecordingProvider


class Bio(factory.Factory):
    class Meta:
        model = dict

    name = "Ada"
    bio = SemanticAttribute("a bio of {name}", max_length=200)


def test_use_provider_is_scoped_to_the_block_and_the_thread() -> None:
    mine, other = RecordingProvider(), RecordingProvider()
    started, release = threading.Event(), threading.Event()

    def elsewhere() -> None:
        with use_provider(other):
            started.set()
            release.wait(10)
            Bio.build()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    started.wait(10)
    with use_provider(mine):
        Bio.build_batch(2)
    release.set()
    thread.join(10)
    Bio.build()  # outside any block: default provider, neither recorder
    assert [len(r.items) for r in mine.requests] == [2]
    assert [len(r.items) for r in other.requests] == [1]


def test_fill_rows_makes_one_request_with_each_rows_conditioning() -> None:
    recorder = RecordingProvider()
    with use_provider(recorder):
        out = fill_rows(Bio, ["bio"], 3, conditioning=[{"name": n} for n in ("Ada", "Bo", "Cy")], start_sequence=7)
    assert len(recorder.requests) == 1
    (request,) = recorder.requests
    assert [i.conditioning for i in request.items] == [{"name": "Ada"}, {"name": "Bo"}, {"name": "Cy"}]
    assert [i.sequence for i in request.items] == [7, 8, 9]
    assert all(source == "offline" and 0 < len(value) <= 200 for row in out for value, source in row.values())


def test_fill_rows_rejects_bad_input() -> None:
    with pytest.raises(ForgeError, match="Bio: name are not SemanticAttribute fields"):
        fill_rows(Bio, ["name"], 1)
    with pytest.raises(ForgeError, match="Bio: 1 conditioning rows for 2 rows"):
        fill_rows(Bio, ["bio"], 2, conditioning=[{}])
    assert fill_rows(Bio, ["bio"], 0) == []
