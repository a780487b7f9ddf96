"""Django rows for the FK registry: where a saved object lives, loading and scanning by key."""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import Any

#: Keys read per query when scanning a table.
SCAN_CHUNK = 10_000


def location(alias: str) -> Hashable:
    """The registry location of database ``alias``."""
    return ("django", alias)


def row_ref(obj: Any) -> tuple[Hashable, Any] | None:
    """``(location, primary key)`` of a saved object, ``None`` for an unsaved one."""
    state = getattr(obj, "_state", None)
    if state is None or state.adding or state.db is None or obj.pk is None:
        return None
    return location(state.db), obj.pk


class DjangoRows:
    """Loads rows of ``model`` from database ``alias`` (a :class:`~forge_factories.core.parent_pools.RowSource`)."""

    def __init__(self, model: Any, alias: str) -> None:
        self.model = model
        self.alias = alias
        self.token: Hashable = location(alias)

    def load(self, keys: Sequence[Any]) -> Mapping[Any, Any]:
        """The rows whose primary keys are in ``keys`` (``in_bulk`` batches for the backend's limits)."""
        return self.model._base_manager.using(self.alias).in_bulk(list(keys))

    def scan(self) -> Iterator[Any]:
        """Every primary key of the table, in key order."""
        query = self.model._base_manager.using(self.alias).order_by("pk").values_list("pk", flat=True)
        yield from query.iterator(chunk_size=SCAN_CHUNK)
