"""The out-of-process fake server the provider benchmark uses counts and resets like the in-process one."""

from __future__ import annotations

from tests.providers.fake_llm_process import FakeLLMServerProcess
from tests.providers.helpers import make_request, provider_for


def test_served_from_a_child_process_counts_and_resets() -> None:
    with FakeLLMServerProcess() as server:
        provider = provider_for("anthropic", server.url, max_retries=0)
        result = provider.fill(make_request(3))
        assert len(result.values) == 3
        assert server.count() == 1
        server.reset()
        assert server.count() == 0
        provider.fill(make_request(2))
        assert server.count() == 1
    assert not server._process.is_alive()
