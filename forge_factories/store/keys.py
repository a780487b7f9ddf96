"""Key material shared by the response cache and the lock file (stable, JSON-safe, secret-free)."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from forge_factories.common.jsonable import KEY_RULES, to_jsonable
from forge_factories.llm.request import SemanticItem, SemanticRequest
from forge_factories.text.spec import FieldSpec


def _planner_prompt_version() -> str:
    try:
        from forge_factories.llm import planner
    except ImportError:  # pragma: no cover - the planner ships with the package
        return "1"
    return str(getattr(planner, "PROMPT_VERSION", "1"))


#: The prompt version (the request planner's ``PROMPT_VERSION``): part of every cache key and
#: lock entry, so a change of prompt wording makes older answers stop matching.
PROMPT_VERSION = _planner_prompt_version()


def jsonable(value: Any) -> Any:
    """A JSON-ready, process-independent form of a conditioning value.

    The package's one conversion (:func:`forge_factories.common.jsonable.to_jsonable`) under
    its key rules: dates ISO strings, decimals/UUIDs/timedeltas strings, enums their value,
    mappings and sequences converted recursively, sets sorted; anything else, NaN and
    infinities become ``str(value)`` (never ``repr``/``id``-based, so it is stable across
    processes for value-like objects). Recorded lock files keep matching: the forms are
    the ones they were written with.
    """
    return to_jsonable(value, KEY_RULES)


def canonical_json(value: Any) -> str:
    """Compact, key-sorted JSON of ``value`` (after :func:`jsonable`)."""
    return json.dumps(jsonable(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def normalise_context(context: str | None) -> str:
    """The context as it appears in lock keys: NFKC, whitespace collapsed, stripped ('' for none)."""
    if not context:
        return ""
    return " ".join(unicodedata.normalize("NFKC", str(context)).split())


def field_conditioning(spec: FieldSpec, item: SemanticItem) -> dict[str, Any]:
    """The conditioning values that matter for ``spec`` on ``item`` (JSON-ready).

    When the spec names its references and the item carries some of them, only those are
    kept (a change to an unrelated field does not make the value stale); otherwise all of
    the item's conditioning is.
    """
    cond = dict(item.conditioning)
    refs = spec.references
    if refs:
        picked = {k: v for k, v in cond.items() if k in refs}
        if picked:
            cond = picked
    return jsonable(cond)


def call_ordinal(request: SemanticRequest, item: SemanticItem) -> int:
    """The per-call ordinal that, with the item key, tells two same-seed calls apart.

    Uses ``request.call`` when the engine provides it, else the object's factory sequence
    number counted from where it stood when the seed was set (``seed()`` resets it; the pytest
    plugin's per-test seed without a reset counts from the test's start), so it is the same in
    record and replay, whatever ran before, and unaffected by re-asks.
    """
    call = getattr(request, "call", None)
    if isinstance(call, int):
        return call
    from forge_factories.common.seeding import sequence_base

    return item.sequence - sequence_base(request.factory)


def provider_label(provider: Any) -> str:
    """A provider's short name for metadata and counters (``"anthropic"``, not ``"anthropic:<model>"``)."""
    short = getattr(provider, "provider", None)
    if isinstance(short, str) and short:
        return short
    return str(getattr(provider, "name", type(provider).__name__))


def model_of(provider: Any) -> str:
    """The LLM model a provider uses (its ``model`` attribute), '' when it has none."""
    model = getattr(provider, "model", None)
    return model if isinstance(model, str) else ""
