"""The offline provider: deterministic, seed-controlled text, no network."""

from __future__ import annotations

from forge_factories.common.seeding import value_rng
from forge_factories.llm.providers.base import FillResult
from forge_factories.llm.request import SemanticItem, SemanticRequest
from forge_factories.text.offline import offline_text
from forge_factories.text.spec import FieldSpec

_MAX_TRIES = 8


class OfflineProvider:
    """Writes plausible field text locally (a bio reads like a bio), reproducible under ``seed()``.

    Values of one field are distinct within a request wherever the spec leaves room for it.
    """

    name = "offline"

    def fill(self, request: SemanticRequest) -> FillResult:
        """Write every requested field of every item."""
        values: dict[int, dict[str, str]] = {}
        used: dict[str, set[str]] = {}
        spent: set[str] = set()  # fields whose values ran out: no more re-writing for them
        own_write = type(self).write is not OfflineProvider.write  # a subclass's write decides alone
        for item in request.items:
            out = values[item.index] = {}
            for name in item.fields:
                seen = used.setdefault(name, set())
                before = len(seen)
                if own_write:
                    out[name] = self.write(request, item, request.spec(name), seen)
                else:
                    out[name] = self._write(request, item, request.spec(name), seen, 1 if name in spent else _MAX_TRIES)
                if len(seen) == before:  # every try repeated an earlier value: the field has no room left
                    spent.add(name)
        return FillResult(values=values, source=self.name)

    def write(self, request: SemanticRequest, item: SemanticItem, spec: FieldSpec, used: set[str]) -> str:
        """One value of ``spec`` for ``item``, avoiding the values in ``used`` when possible."""
        return self._write(request, item, spec, used, _MAX_TRIES)

    def _write(self, request: SemanticRequest, item: SemanticItem, spec: FieldSpec, used: set[str],
               tries: int) -> str:
        """:meth:`write` in up to ``tries`` writes (each draws the field's next random stream)."""
        text = ""
        for _ in range(tries):
            rng = value_rng(request.factory, spec.name)
            text = offline_text(
                spec, item.conditioning, context=request.context, locale=request.locale, rng=rng,
                model=request.model,
            )
            if spec.choices or text not in used:
                break
        used.add(text)
        return text
