"""``GovernedProvider``: a provider wrapper that redacts PII and adds memory rules to each request."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from forge_factories.common.importing import find_object
from forge_factories.governance.gates import DANGEROUS_ENV, PII_ENV, ForgePermissionError, env_flag
from forge_factories.governance.memory import Memory, RuleCheck
from forge_factories.governance.redaction import Redaction, _classify, redact_request, synthetic_answers
from forge_factories.governance.sensitivity import Sensitivity, SensitivityReport, classify_model
from forge_factories.llm.providers.base import (
    FillResult,
    RequestPlan,
    SemanticProvider,
    as_fill_result,
    max_rounds,
    request_plan,
)
from forge_factories.llm.request import SemanticRequest


class GovernedProvider:
    """Wrap ``inner`` so that sensitive data never reaches it unless allowed, and rules do.

    For each request: fields classified sensitive/dangerous (by the factory's declarations,
    ``sensitivity`` overrides, or name tokens) are withheld unless allowed and filled with
    obviously synthetic values; sensitive conditioning values are masked; the memory's rules
    applicable to the model (checked against it; stale ones reported) are appended to
    ``request.rules``. ``allow_pii``/``allow_dangerous`` default to ``FORGE_ALLOW_PII`` /
    ``FORGE_ALLOW_DANGEROUS`` read per call. A withheld dangerous field raises
    :class:`ForgePermissionError` (attack payloads have no synthetic stand-in).
    """

    def __init__(
        self,
        inner: SemanticProvider | None = None,
        *,
        memory: Memory | None = None,
        model: Any = None,
        topics: Iterable[str] | None = None,
        sensitivity: SensitivityReport | Mapping[str, Any] | None = None,
        allow_pii: bool | None = None,
        allow_dangerous: bool | None = None,
    ) -> None:
        if inner is None:
            from forge_factories.llm.providers.offline import OfflineProvider

            inner = OfflineProvider()
        self.inner = inner
        self.name = inner.name
        self.memory = memory
        self.model = model
        self.topics = None if topics is None else tuple(topics)
        self.sensitivity = sensitivity
        self.allow_pii = allow_pii
        self.allow_dangerous = allow_dangerous
        self.last_redaction: Redaction | None = None
        self.last_rule_check: RuleCheck | None = None

    def _model_for(self, request: SemanticRequest) -> Any:
        if self.model is not None:
            return self.model
        return find_object(request.factory)

    def _allowed(self, report: SensitivityReport | Mapping[str, Any] | None, request: SemanticRequest) -> set[str]:
        pii = self.allow_pii if self.allow_pii is not None else env_flag(PII_ENV)
        danger = self.allow_dangerous if self.allow_dangerous is not None else env_flag(DANGEROUS_ENV)
        if not pii and not danger:
            return set()
        names = {s.name for s in request.specs} | {k for item in request.items for k in item.conditioning}
        allowed: set[str] = set()
        for name in names:
            level = _classify(name, report).level
            if (level == Sensitivity.SENSITIVE and pii) or (level == Sensitivity.DANGEROUS and danger):
                allowed.add(name)
        return allowed

    def request_plan(self, request: SemanticRequest) -> RequestPlan | None:
        """The wrapped provider's request plan."""
        return request_plan(self.inner, request)

    @property
    def max_rounds(self) -> int:
        """The wrapped provider's asks per item (the engine's re-asks go through this wrapper)."""
        return max_rounds(self.inner)

    def fill(self, request: SemanticRequest) -> FillResult:
        """Redact, add rules, delegate, then merge synthetic values for withheld fields."""
        model = self._model_for(request)
        report: SensitivityReport | Mapping[str, Any] | None = self.sensitivity
        if report is None and model is not None:
            try:
                report = classify_model(model)
            except TypeError:
                report = None
        redaction = redact_request(request, self._allowed(report, request), report)
        self.last_redaction = redaction
        dangerous = [n for n in redaction.withheld
                     if redaction.classes and redaction.classes[n].level == Sensitivity.DANGEROUS]
        if dangerous:
            raise ForgePermissionError(
                f"{request.model}: semantic field(s) {', '.join(dangerous)} are DANGEROUS (attack payloads); "
                f"allow them with allow_dangerous=True or {DANGEROUS_ENV}=1",
                fields=tuple(dangerous),
            )
        values: dict[int, dict[str, Any]] = {}
        source = self.inner.name
        item_sources: dict[int, str] = {}
        reasons: dict[int, dict[str, str]] = {}
        cut_off = 0
        if redaction.request is not None:
            outgoing = redaction.request
            if self.memory is not None:
                if model is not None:
                    check = self.memory.check(model, self.topics, warn=True)
                    self.last_rule_check = check
                    new_rules = check.rules
                else:
                    new_rules = tuple(self.memory.rules()) if self.topics is None else tuple(
                        r for t in self.topics for r in self.memory.rules(t))
                outgoing = replace(outgoing, rules=tuple(outgoing.rules) + tuple(
                    r for r in new_rules if r not in outgoing.rules))
            result = as_fill_result(self.inner, self.inner.fill(outgoing))
            values = {k: dict(v) for k, v in result.values.items()}
            source, item_sources, reasons = result.source, dict(result.item_sources), dict(result.reasons)
            cut_off = result.cut_off
        sent = {item.index for item in redaction.request.items} if redaction.request is not None else set()
        for index, fields in synthetic_answers(redaction).items():
            values.setdefault(index, {}).update(fields)
            if index not in sent:
                item_sources[index] = "synthetic"
        return FillResult(values=values, source=source if redaction.request is not None else "synthetic",
                          item_sources=item_sources, reasons=reasons, cut_off=cut_off)
