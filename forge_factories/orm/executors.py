"""``Meta.forge_executor``: which executor runs an ORM factory's ``create``/``build`` calls.

``"objects"`` (the default) is the batch engine: factory_boy's values for the seed.
``"columns"`` is the column-wise plan (:mod:`forge_factories.datasets.orm_batch`); the
datasets layer sits above this one, so it registers itself here (the package root wires it).
The executor of the factory called runs the whole call, SubFactory parents included; it is
never switched silently: a factory the column plan cannot run is refused with ``NotColumnar``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from forge_factories.common.errors import ForgeConfigError

OBJECTS, COLUMNS = "objects", "columns"

#: ``(factory_cls, strategy, size, params, context) -> objects``.
ColumnBatch = Callable[[Any, str, int, dict[str, Any], "str | None"], list[Any]]
_column_batch: ColumnBatch | None = None


def check_executor_option(meta: Any, value: Any) -> None:
    """The checker of ``Meta.forge_executor``."""
    if value not in (OBJECTS, COLUMNS):
        raise ForgeConfigError(f"Meta.forge_executor must be 'objects' or 'columns', got {value!r}")


def wants_columns(factory_cls: Any) -> bool:
    """Whether the factory's calls run on the column-wise executor (``Meta.forge_executor = "columns"``)."""
    return getattr(factory_cls._meta, "forge_executor", OBJECTS) == COLUMNS


def use_column_batch(runner: ColumnBatch) -> None:
    """Set what runs a column-wise call (the package root wires in :mod:`forge_factories.datasets.orm_batch`)."""
    global _column_batch
    _column_batch = runner


def run_column_batch(factory_cls: Any, strategy: str, size: int, params: dict[str, Any],
                     context: str | None) -> list[Any]:
    """Run one call of ``factory_cls`` on the column-wise executor."""
    if _column_batch is None:
        raise ForgeConfigError("Meta.forge_executor = 'columns' needs forge_factories.datasets (import forge_factories)")
    return _column_batch(factory_cls, strategy, size, params, context)
