"""Map the official SDKs' exceptions (anthropic, openai: same shapes) to forge faults."""

from __future__ import annotations

from typing import Any

from forge_factories.common.errors import ProviderError
from forge_factories.llm.providers.http import ProviderIdentity, TransientFault, classify_status


def sdk_fault(sdk: Any, exc: Exception, who: ProviderIdentity) -> Exception:
    """TransientFault / ProviderError for an exception raised by ``sdk`` (anthropic or openai)."""
    if isinstance(exc, sdk.APITimeoutError):
        return TransientFault(f"{who.name}: request timed out")
    if isinstance(exc, sdk.APIConnectionError):
        return TransientFault(f"{who.name}: connection failed: {exc.__class__.__name__}")
    if isinstance(exc, sdk.APIStatusError):
        response = exc.response
        try:
            body = response.text
        except Exception:  # noqa: BLE001 - a streamed/closed body: use the SDK's message
            body = str(exc)
        return classify_status(who, exc.status_code, body, dict(response.headers))
    return ProviderError(f"{who.name}: {exc.__class__.__name__}: {exc}")
