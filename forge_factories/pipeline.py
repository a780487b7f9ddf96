"""Requests sent ahead: a group's full chunks go out while the rest of the batch still resolves.

The batch engine collects the items of a (factory, context) group as objects pause. With a
provider that plans its requests (:meth:`~forge_factories.providers.llm.LLMProvider.request_plan`),
a chunk of the planned size is sent as soon as it is complete, on a worker thread, so the
network wait overlaps the building of later objects. The answers are gathered, in the
order the chunks were sent, when the round's fill runs; validation stays in the engine, in
item order, so the result does not depend on thread timing.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .providers.base import FillResult, RequestPlan

T = TypeVar("T")


@dataclass(eq=False)
class Flight(Generic[T]):
    """One request in flight: the engine's items and the provider's future answer."""

    items: list[T]
    future: Future[FillResult]


class GroupPipeline(Generic[T]):
    """The requests of one group sent ahead, at most ``plan.concurrency`` in flight at once."""

    def __init__(self, plan: RequestPlan, label: str) -> None:
        self.plan = plan
        self.label = label
        self.flights: list[Flight[T]] = []
        self._pool: ThreadPoolExecutor | None = None

    def submit(self, items: list[T], call: Callable[[], FillResult]) -> None:
        """Send one request (``call``) for ``items`` on a worker thread."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.plan.concurrency,
                                            thread_name_prefix=f"forge-ahead-{self.label}")
        context = contextvars.copy_context()
        self.flights.append(Flight(items, self._pool.submit(context.run, call)))

    def collect(self) -> list[tuple[list[T], FillResult]]:
        """Every request's answer, in the order sent; the first failure is raised."""
        try:
            return [(flight.items, flight.future.result()) for flight in self.flights]
        finally:
            self.close()

    def close(self, *, cancel: bool = False) -> None:
        """Stop the workers (``cancel``: drop requests not started yet); waits for running ones."""
        if cancel:
            for flight in self.flights:
                flight.future.cancel()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None


def merge_results(parts: Sequence[tuple[int, FillResult]]) -> FillResult:
    """One result for consecutive requests: ``(item count, result)`` parts, indices shifted.

    Each part's indices run from 0 in its own request; in the merged result they follow the
    items of the parts before it. Per-item sources are kept, and a part whose source differs
    from the first part's labels its items with its own source.
    """
    values: dict[int, dict[str, Any]] = {}
    item_sources: dict[int, str] = {}
    source = parts[0][1].source if parts else "offline"
    offset = 0
    for count, result in parts:
        for index, fields in result.values.items():
            values[offset + int(index)] = dict(fields)
        for index, label in result.item_sources.items():
            item_sources[offset + int(index)] = label
        if result.source != source:
            for index in result.values:
                item_sources.setdefault(offset + int(index), result.source)
        offset += count
    return FillResult(values=values, source=source, item_sources=item_sources)
