"""Requests sent ahead: a group's full chunks go out while the rest of the batch still resolves.

The batch engine collects the items of a (factory, context) group as objects pause. With a
provider that plans its requests (:meth:`~forge_factories.llm.providers.network.LLMProvider.request_plan`),
a chunk of the planned size is sent as soon as it is complete, on a worker thread, so the
network wait overlaps the building of later objects. When the round's fill runs, the engine
reads the answers in the order the chunks were sent, validating each as it lands; validation
stays in the engine, in item order, so the result does not depend on thread timing.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from forge_factories.llm.providers.base import FillResult, RequestPlan

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

    def answers(self) -> Iterator[tuple[list[T], FillResult]]:
        """Each request's items and answer, in the order sent, as each lands.

        The first failure is raised; the workers stop once the last answer is read.
        """
        try:
            for flight in self.flights:
                yield flight.items, flight.future.result()
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
