"""One concurrency budget per call: requests in flight across groups, sends ahead and chunks."""

from __future__ import annotations

import contextvars
import json
import threading
import time
from typing import Any

import pytest

import forge_factories
from forge_factories import AIFactory, SemanticAttribute, SubFactory, settings_scope
from forge_factories.common.budget import _budget, call_budget, request_slot
from forge_factories.common.errors import ForgeConfigError
from forge_factories.llm.planner import Prompt
from forge_factories.llm.providers.network import LLMProvider, Reply


class CountingLLM(LLMProvider):
    """An API provider whose "API" answers every item after a short wait, counting the
    requests in flight at once (a real concurrent caller: the provider's own threads)."""

    provider = "anthropic"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.lock = threading.Lock()
        self.now = 0
        self.peak = 0
        self.requests = 0

    def send(self, prompt: Prompt, max_tokens: int) -> Reply:
        with self.lock:
            self.now += 1
            self.requests += 1
            self.peak = max(self.peak, self.now)
        try:
            time.sleep(0.02)
            items = [{"_key": key, **{f: f"{f} {key}" for f in prompt.fields}} for key in prompt.keys]
            return Reply(text=json.dumps({"items": items}))
        finally:
            with self.lock:
                self.now -= 1


def factories(llm: CountingLLM) -> type:
    class Author:
        def __init__(self, **kw: Any) -> None:
            self.__dict__.update(kw)

    class Post(Author):
        pass

    class AuthorFactory(AIFactory):
        class Meta:
            model = Author
            forge_provider = llm

        bio = SemanticAttribute("a bio")

    class PostFactory(AIFactory):
        class Meta:
            model = Post
            forge_provider = llm

        author = SubFactory(AuthorFactory)
        body = SemanticAttribute("a post")

    return PostFactory


@pytest.mark.parametrize("budget", [1, 3])
def test_a_call_never_has_more_requests_in_flight_than_its_budget(budget: int) -> None:
    # Two groups (posts, authors), 5 chunks each at 8 items a chunk, the provider allowing 5 at
    # once and groups side by side: up to 10 requests at once without the call's budget.
    llm = CountingLLM(chunk_cap=8, max_concurrency=5)
    post_factory = factories(llm)
    forge_factories.seed(1)
    with settings_scope(max_concurrent_requests=budget):
        posts = post_factory.build_batch(40)
    assert [p.body for p in posts[:1]] and all(p.body.startswith("body ") for p in posts)
    assert all(p.author.bio.startswith("bio ") for p in posts)
    assert llm.requests >= 10
    assert 1 <= llm.peak <= budget


def test_without_a_tight_budget_the_same_call_runs_requests_side_by_side() -> None:
    llm = CountingLLM(chunk_cap=8, max_concurrency=5)
    post_factory = factories(llm)
    forge_factories.seed(1)
    post_factory.build_batch(40)
    assert llm.peak > 3  # so the budget above is what held it down


def test_a_nested_block_shares_the_outer_budget_and_bad_limits_are_refused() -> None:
    got: list[bool] = []

    def try_slot() -> None:  # in a worker thread started with the call's context
        budget = _budget.get()
        assert budget is not None
        got.append(budget.acquire(timeout=0.05))

    with call_budget(1), call_budget(5), request_slot():  # the inner block keeps the outer budget of 1
        worker = threading.Thread(target=contextvars.copy_context().run, args=(try_slot,))
        worker.start()
        worker.join()
    assert got == [False]  # the one slot was held
    with pytest.raises(ForgeConfigError, match="max_concurrent_requests must be an int >= 1, got 0"), call_budget(0):
        pass
