"""One fill = as few requests as the budget allows, run concurrently, merged in order."""

from __future__ import annotations

import pytest

from forge_factories.llm.planner import plan_chunks
from forge_factories.llm.validate import validate_answers

from .fake_llm_server import FakeLLMServer
from .helpers import make_request, provider_for


@pytest.mark.parametrize("kind", ["anthropic", "openai"])
def test_100_records_x_2_fields_is_one_request(server: FakeLLMServer, kind: str) -> None:
    result = provider_for(kind, server.url).fill(make_request(100))
    assert server.count() == 1
    assert len(result.values) == 100


def test_1000_records_x_2_fields_is_the_planners_chunk_count(server: FakeLLMServer) -> None:
    provider = provider_for("anthropic", server.url, max_concurrency=4)
    request = make_request(1000)
    expected = len(plan_chunks(request, request.items, provider.output_budget, provider.chunk_cap))
    assert expected == 10
    result = provider.fill(request)
    assert server.count() == expected
    accepted, failures = validate_answers(request, result.values)
    assert failures == [] and len(accepted) == 1000
    for i in (0, 377, 999):
        assert f"Person {i}," in result.values[i]["bio"]


def test_requests_run_concurrently_up_to_the_limit(server: FakeLLMServer) -> None:
    server.latency = 0.2
    provider_for("openai", server.url, chunk_cap=10, max_concurrency=3).fill(make_request(90))
    assert server.count() == 9
    assert server.max_in_flight == 3


def test_concurrency_one_is_sequential(server: FakeLLMServer) -> None:
    server.latency = 0.05
    provider_for("gemini", server.url, chunk_cap=10, max_concurrency=1).fill(make_request(30))
    assert server.count() == 3
    assert server.max_in_flight == 1


def test_smaller_budget_means_more_requests(server: FakeLLMServer) -> None:
    provider = provider_for("ollama", server.url, output_budget=2_000)
    result = provider.fill(make_request(100))
    assert server.count() == 10  # 0.7 * 2000 // 123 = 11 items per request: ceil(100 / 11)
    assert len(result.values) == 100


def test_the_limit_holds_across_fills_from_several_threads(server: FakeLLMServer) -> None:
    from concurrent.futures import ThreadPoolExecutor

    server.latency = 0.1
    provider = provider_for("anthropic", server.url, chunk_cap=5, max_concurrency=2)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(provider.fill, [make_request(10) for _ in range(3)]))
    assert server.count() == 6 and all(len(r.values) == 10 for r in results)
    assert server.max_in_flight == 2  # three fills of two requests each, never more than two at once


def test_two_unbounded_fields_are_three_requests_for_100_records(server: FakeLLMServer) -> None:
    """What the docs say: without max_length a field counts 600 characters, 44 items per request."""
    import forge_factories as factory
    from forge_factories import SemanticAttribute

    class NoteFactory(factory.DictFactory):
        class Meta:
            forge_provider = provider_for("anthropic", server.url)
            forge_policy = "strict"

        name = factory.Sequence(lambda n: f"Person {n}")
        note = SemanticAttribute("A note about {name}.")
        story = SemanticAttribute("A story about {name}.")

    rows = NoteFactory.build_batch(100)
    assert server.count() == 3
    assert len({row["note"] for row in rows}) == 100
