"""Provider selection: explicit > configure() > FORGE_PROVIDER > API keys > Ollama probe > offline."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from forge_factories.common.config import settings
from forge_factories.common.errors import ForgeConfigError
from forge_factories.llm.providers import get_provider
from forge_factories.llm.providers.anthropic import AnthropicProvider
from forge_factories.llm.providers.defaults import DEFAULTS, resolve_base_url, resolve_model
from forge_factories.llm.providers.gemini import GeminiProvider
from forge_factories.llm.providers.groq import GroqProvider
from forge_factories.llm.providers.offline import OfflineProvider
from forge_factories.llm.providers.ollama import OllamaProvider, probe_ollama
from forge_factories.llm.providers.openai import OpenAIProvider
from forge_factories.llm.providers.selection import automatic_provider_name, select_provider

from .fake_llm_server import FakeLLMServer


@pytest.fixture
def no_configured_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "provider", None)


@pytest.mark.usefixtures("no_configured_provider")
def test_nothing_configured_is_offline() -> None:
    assert isinstance(select_provider(), OfflineProvider)
    assert isinstance(get_provider(None), OfflineProvider)


@pytest.mark.usefixtures("no_configured_provider")
@pytest.mark.parametrize(("env", "cls"), [("ANTHROPIC_API_KEY", AnthropicProvider), ("OPENAI_API_KEY", OpenAIProvider),
                                          ("GOOGLE_API_KEY", GeminiProvider), ("GROQ_API_KEY", GroqProvider)])
def test_an_api_key_selects_its_provider(monkeypatch: pytest.MonkeyPatch, env: str, cls: type) -> None:
    monkeypatch.setenv(env, "k")
    assert isinstance(select_provider(), cls)


@pytest.mark.usefixtures("no_configured_provider")
def test_keys_are_looked_for_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "k")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    assert automatic_provider_name() == "openai"
    monkeypatch.setenv("ANTHROPIC_API_KEY", "k")
    assert automatic_provider_name() == "anthropic"


@pytest.mark.usefixtures("no_configured_provider")
def test_forge_provider_env_beats_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "k")
    monkeypatch.setenv("FORGE_PROVIDER", "offline")
    assert isinstance(select_provider(), OfflineProvider)


def test_configure_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "k")
    monkeypatch.setattr(settings, "provider", "offline")
    assert isinstance(select_provider(), OfflineProvider)


def test_explicit_provider_and_model_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "provider", "offline")
    chosen = select_provider(provider="openai", model="gpt-5.4-nano", api_key="k")
    assert isinstance(chosen, OpenAIProvider) and chosen.model == "gpt-5.4-nano"


def test_unknown_name_is_a_config_error() -> None:
    with pytest.raises(ForgeConfigError, match="unknown semantic provider 'nope'"):
        get_provider("nope")


def test_model_env_and_argument_override_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_model("anthropic") == DEFAULTS["anthropic"].model
    monkeypatch.setenv("FORGE_ANTHROPIC_MODEL", "claude-sonnet-5-5")
    assert resolve_model("anthropic") == "claude-sonnet-5-5"
    assert AnthropicProvider(api_key="k").model == "claude-sonnet-5-5"
    assert resolve_model("anthropic", "claude-opus-5-5") == "claude-opus-5-5"


def test_base_url_env_is_honoured(monkeypatch: pytest.MonkeyPatch, server: FakeLLMServer) -> None:
    monkeypatch.setenv("OLLAMA_HOST", server.url.removeprefix("http://"))
    assert resolve_base_url("ollama") == server.url
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
    provider = AnthropicProvider(api_key="k")
    from .helpers import make_request

    provider.fill(make_request(1))
    assert server.count("/v1/messages") == 1


@pytest.mark.usefixtures("no_configured_provider")
def test_a_real_ollama_is_selected_after_keys(monkeypatch: pytest.MonkeyPatch, server: FakeLLMServer) -> None:
    monkeypatch.setenv("OLLAMA_HOST", server.url)
    monkeypatch.setenv("FORGE_OLLAMA_PROBE", "1")
    assert probe_ollama(server.url) == "0.12.6"
    chosen = select_provider()
    assert isinstance(chosen, OllamaProvider) and chosen.base_url == server.url
    select_provider()
    assert server.count("/api/version") == 2  # direct probe + one remembered selection probe
    monkeypatch.setenv("GROQ_API_KEY", "k")
    assert isinstance(select_provider(), GroqProvider)


@pytest.fixture
def not_ollama() -> Iterator[str]:
    """Something else listening: answers 200 with HTML."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html>hello</html>"
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.usefixtures("no_configured_provider")
def test_something_else_on_the_port_is_not_ollama(monkeypatch: pytest.MonkeyPatch, not_ollama: str) -> None:
    assert probe_ollama(not_ollama) is None
    monkeypatch.setenv("OLLAMA_HOST", not_ollama)
    monkeypatch.setenv("FORGE_OLLAMA_PROBE", "1")
    assert isinstance(select_provider(), OfflineProvider)


def test_probe_can_be_disabled(monkeypatch: pytest.MonkeyPatch, server: FakeLLMServer) -> None:
    monkeypatch.setenv("OLLAMA_HOST", server.url)
    monkeypatch.setenv("FORGE_OLLAMA_PROBE", "0")
    monkeypatch.setattr(settings, "provider", None)
    assert isinstance(select_provider(), OfflineProvider)
    assert server.count() == 0


def test_importing_forge_imports_no_sdk_and_probes_nothing() -> None:
    code = (
        "import sys, socket\n"
        "socket.socket.connect = lambda *a: (_ for _ in ()).throw(AssertionError('network on import'))\n"
        "import forge_factories, forge_factories.llm.providers, forge_factories.llm.providers.selection\n"
        "print(sorted(m for m in ('anthropic', 'openai', 'httpx2') if m in sys.modules))\n"
        "from forge_factories.llm.providers import get_provider\n"
        "get_provider('anthropic', api_key='k', base_url='http://127.0.0.1:9')\n"  # construct, no call
        "print(sorted(m for m in ('anthropic', 'openai') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[]", "['anthropic']"]


@pytest.mark.usefixtures("no_configured_provider")
def test_automatic_provider_is_reused_until_its_environment_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "k1")
    first = select_provider()
    assert select_provider() is first
    monkeypatch.setenv("FORGE_OPENAI_MODEL", "gpt-5.4-nano")
    second = select_provider()
    assert second is not first and isinstance(second, OpenAIProvider) and second.model == "gpt-5.4-nano"
    monkeypatch.setenv("OPENAI_API_KEY", "k2")
    assert select_provider() is not second
