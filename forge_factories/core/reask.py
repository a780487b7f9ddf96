"""The one validation and re-ask loop: a group's answers checked, failed items asked again.

A provider's ``fill`` asks each item once (:class:`~forge_factories.llm.providers.base.SemanticProvider`).
:class:`AnswerLoop` validates every answer of a group (spec, echo, duplicates across the
group's requests, with the provider's own reasons for what is absent), then asks what failed
again, in one request per round, through the same provider object the first ask used (so
the store and governance wrappers see re-asks too), for up to the provider's ``max_rounds``
asks per item. A re-asked item carries ``notes`` on what was wrong with its previous answer;
after a reply cut off at the output limit, the request's ``chunk_cap`` is half the cut-off
request's size. Whatever still fails goes back to the engine, which applies the factory's
failure policy (:mod:`forge_factories.core.answers`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from forge_factories.common.errors import SemanticFailure
from forge_factories.llm.failures import with_reasons
from forge_factories.llm.providers.base import FillResult, SemanticProvider, as_fill_result, max_rounds
from forge_factories.llm.request import SemanticItem, SemanticRequest
from forge_factories.llm.validate import MISSING, MISSING_FIELD, validate_answers

log = logging.getLogger(__name__)

#: An accepted value and the label of its source (``"semantic:anthropic:..."``, ``"cached"``).
Labelled = dict[str, tuple[Any, str]]


class AnswerLoop:
    """Validation and re-asks of one group's ``request`` (values kept by item ``index``).

    ``send`` makes one provider call (default: ``provider.fill``); ``seen`` carries the
    normalised values the group already accepted (updated in place), so a repeat of another
    request's value is a duplicate too. Feed the first answer(s) to :meth:`take`, then call
    :meth:`finish` for the re-asks.
    """

    def __init__(self, provider: SemanticProvider, request: SemanticRequest, *,
                 seen: dict[str, set[str]] | None = None,
                 send: Callable[[SemanticRequest], FillResult] | None = None) -> None:
        self.provider = provider
        self.request = request
        self.seen = seen if seen is not None else {}
        self.send = send if send is not None else (lambda r: as_fill_result(provider, provider.fill(r)))
        self.rounds = max_rounds(provider)
        self.values: dict[int, Labelled] = {item.index: {} for item in request.items}
        #: The failures of the latest round (with the provider's reasons), then what still fails.
        self.failures: list[SemanticFailure] = []
        self.cap: int | None = request.chunk_cap
        self._notes: dict[int, list[str]] = {}
        self._dedupe: bool | None = None

    def take(self, result: FillResult, items: Sequence[SemanticItem] | None = None,
             offset: int = 0) -> list[Labelled]:
        """Validate one answer to ``items`` (default: the whole request) and keep what passes.

        ``offset`` is what was added to ``result``'s indices to make the items' (a request
        sent ahead numbers its items from 0). Returns the labelled values of ``items``.
        """
        part = self.request if items is None else replace(self.request, items=tuple(items))
        if self._dedupe is None:  # offline text is local and trusted; LLM replies are not
            self._dedupe = result.source != "offline"
        values = {offset + int(i): v for i, v in result.values.items()} if offset else result.values
        accepted, rejected = validate_answers(part, values, seen=self.seen, dedupe=self._dedupe)
        for failure in rejected:
            if failure.reason not in (MISSING, MISSING_FIELD):  # a value was there: say what was wrong
                self._notes.setdefault(failure.index, []).append(f"{failure.field}: {failure.reason}")
        self.failures.extend(with_reasons(rejected, result.reasons, offset))
        if result.cut_off:
            self.cap = max(1, min(self.cap or result.cut_off, result.cut_off) // 2)
        out = []
        for item in part.items:
            label = source_label(result.item_sources.get(item.index - offset, result.source))
            labelled = self.values[item.index]
            labelled.update((name, (value, label)) for name, value in accepted.get(item.index, {}).items())
            out.append(labelled)
        return out

    def finish(self) -> list[SemanticFailure]:
        """Ask the failed items again, one request per round, until they pass or the item has
        been asked ``max_rounds`` times; returns what still fails (also in :attr:`failures`)."""
        for round_no in range(2, self.rounds + 1):
            if not self.failures:
                break
            wanted: dict[int, list[str]] = {}
            for failure in self.failures:
                wanted.setdefault(failure.index, []).append(failure.field)
            notes, self._notes = self._notes, {}
            retry = replace(self.request, chunk_cap=self.cap, items=tuple(
                replace(item, fields=tuple(wanted[item.index]), notes=tuple(notes.get(item.index, ())))
                for item in self.request.items if item.index in wanted))
            log.info("%s: asking again %d of %d items of %s (ask %d of %d): %s", self.provider.name,
                     len(retry.items), len(self.request.items), self.request.factory, round_no, self.rounds,
                     self.failures[0].reason)
            self.failures = []
            self.take(self.send(retry), retry.items)
        return self.failures

    def labelled(self) -> list[Labelled]:
        """The labelled values of every item, in request order."""
        return [self.values[item.index] for item in self.request.items]


def ask_until_valid(provider: SemanticProvider, request: SemanticRequest, *,
                    seen: dict[str, set[str]] | None = None) -> FillResult:
    """The loop on its own: ask ``provider`` for ``request``, validate, ask failed items again.

    Returns the values that passed and, in ``reasons``, why each item and field still
    without one failed; no failure policy applies (the engine's does, on a factory call).
    """
    loop = AnswerLoop(provider, request, seen=seen)
    loop.take(loop.send(request))
    reasons: dict[int, dict[str, str]] = {}
    for failure in loop.finish():
        reasons.setdefault(failure.index, {})[failure.field] = failure.reason
    values = {index: {name: pair[0] for name, pair in fields.items()}
              for index, fields in loop.values.items() if fields}
    return FillResult(values=values, source=provider.name, reasons=reasons)


def source_label(source: str) -> str:
    """The provenance label of a value from ``source``."""
    if source in ("offline", "replayed", "cached", "fallback"):
        return source
    return f"semantic:{source}"
