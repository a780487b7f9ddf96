"""Arrow schemas with the model's types, and rows as Arrow tables (pyarrow imported on use).

A run's schema is fixed once, before any partition runs: the kinds the model declares
(``price: float``, a ``DateTimeField``...) first, the values of block 0 for the rest.
Every partition converts its rows with that schema, so all files agree on their types.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from forge_factories.common.errors import ForgeConfigError
from forge_factories.datasets.declared import declared_kinds
from forge_factories.datasets.records import plain

#: How many rows of block 0 decide the type of an undeclared field.
SAMPLE_ROWS = 1_000


def _arrow_type(kind: str, scale: int | None) -> Any:
    import pyarrow as pa

    simple = {"bool": pa.bool_(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32(),
              "time": pa.time64("us"), "text": pa.string(), "json": pa.string()}
    if kind in simple:
        return simple[kind]
    if kind == "decimal":
        return pa.decimal128(38, 6 if scale is None else scale)
    if kind == "datetime":
        return pa.timestamp("us")
    return None


def _inferred(values: Sequence[Any]) -> Any:
    """The Arrow type of a sample of Python values (``None`` for all-null or mixed)."""
    import pyarrow as pa

    present = [v for v in values if v is not None]
    if not present:
        return pa.string()
    kinds = {type(v) for v in present}
    if kinds <= {uuid.UUID, str}:
        return pa.string()
    if kinds <= {dict, list, tuple}:
        return pa.string()  # nested values: JSON text, as in the CSV export
    if kinds == {decimal.Decimal}:
        scale = max(-int(v.as_tuple().exponent) for v in present if v.is_finite())
        return pa.decimal128(38, max(scale, 0))
    if kinds == {dt.datetime}:
        zones = {v.utcoffset() is not None for v in present}
        return pa.timestamp("us", tz="UTC") if zones == {True} else pa.timestamp("us")
    try:
        return pa.array(present).type
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.string()


def schema_for(factory_cls: Any, columns: Sequence[str], sample: Sequence[dict[str, Any]]) -> Any:
    """The Arrow schema of a run: declared kinds of the model, else types of the ``sample`` rows."""
    import pyarrow as pa

    declared = declared_kinds(factory_cls._meta.get_model_class())
    fields = []
    rows = sample[:SAMPLE_ROWS]
    for name in columns:
        values = [row.get(name) for row in rows]
        kind = declared.get(name)
        arrow = _arrow_type(*kind) if kind is not None else None
        inferred = _inferred(values)
        if arrow is None or (kind is not None and kind[0] == "datetime" and pa.types.is_timestamp(inferred)):
            arrow = inferred  # a declared datetime keeps the sample's time zone
        elif kind is not None and kind == ("decimal", None) and pa.types.is_decimal(inferred):
            arrow = inferred  # no declared scale: the sample's
        fields.append(pa.field(name, arrow, nullable=True))
    return pa.schema(fields)


def _converter(arrow_type: Any) -> Callable[[Any], Any] | None:
    """How a Python value becomes one Arrow accepts for ``arrow_type`` (``None``: as it is)."""
    import pyarrow as pa

    if pa.types.is_string(arrow_type):
        def text(v: Any) -> Any:
            if v is None or isinstance(v, str):
                return v
            converted = plain(v)
            return json.dumps(converted, ensure_ascii=False) if isinstance(converted, (dict, list)) else str(
                converted)
        return text
    if pa.types.is_floating(arrow_type):
        return lambda v: float(v) if isinstance(v, (int, decimal.Decimal)) and not isinstance(v, bool) else v
    if pa.types.is_decimal(arrow_type):
        return lambda v: decimal.Decimal(str(v)) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
    if pa.types.is_date32(arrow_type):
        return lambda v: v.date() if isinstance(v, dt.datetime) else v
    return None


def to_table(rows: Sequence[dict[str, Any]], schema: Any) -> Any:
    """``rows`` as a ``pyarrow.Table`` of ``schema`` (a value that does not fit is a ForgeConfigError)."""
    import pyarrow as pa

    arrays = []
    for field in schema:
        values = [row.get(field.name) for row in rows]
        convert = _converter(field.type)
        if convert is not None:
            values = list(map(convert, values))
        try:
            arrays.append(pa.array(values, type=field.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as exc:
            raise ForgeConfigError(f"field {field.name!r} does not fit {field.type}: {exc}") from None
    return pa.Table.from_arrays(arrays, schema=schema)


def to_frame(table: Any) -> Any:
    """A pandas frame of ``table`` with Arrow-backed columns (the same dtypes for every partition)."""
    import pandas as pd

    return table.to_pandas(types_mapper=pd.ArrowDtype)
