"""Column values of plain transient mapped objects, as the unit of work would INSERT them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.interfaces import MANYTOONE

_MISSING: Any = object()
_SCALAR, _UNSUPPORTED = 1, 2


@dataclass(frozen=True)
class RowPlan:
    """How to read one INSERT row off an object of a mapper (columns in table order)."""

    keys: tuple[str, ...]  # column keys
    attrs: tuple[str, ...]  # attribute key of each column
    pk: int  # index of the primary key column
    rest: tuple[int, ...]  # indexes of the other columns
    rest_attrs: frozenset[str]
    rest_getter: Any  # dict -> tuple of the other columns' values
    defaults: dict[int, tuple[int, Any]]  # column index -> (kind, scalar default)
    relationships: tuple[Any, ...]
    appenders: frozenset[str]  # dynamic / write-only relationships (changes kept off the dict)
    column_index: dict[str, int]  # column key -> index
    none_defaults: tuple[int, ...] = ()  # positions in ``rest`` of defaulted columns where None means "missing"
    none_default_cols: frozenset[int] = frozenset()  # the same columns, as column indexes

    @property
    def pk_attr(self) -> str:
        """Attribute key of the primary key."""
        return self.attrs[self.pk]


@lru_cache(maxsize=256)
def row_plan(mapper: Any) -> RowPlan | None:
    """The plan of a single-table, single-key mapper whose attributes are plain table columns."""
    table = mapper.local_table
    by_column: dict[Any, tuple[str, int, Any]] = {}
    for prop in mapper.column_attrs:
        if len(prop.columns) != 1:
            return None
        col = prop.columns[0]
        if col.table is not table or col in by_column:
            return None  # an SQL expression, or a column mapped twice
        if col.default is not None:
            kind, value = (_SCALAR, col.default.arg) if col.default.is_scalar else (_UNSUPPORTED, None)
        elif col.server_default is not None and not col.primary_key:
            kind, value = _UNSUPPORTED, None
        else:
            kind, value = 0, None  # missing: NULL, left unloaded, as the unit of work does
        by_column[col] = (prop.key, kind, value)
    if len(mapper.primary_key) != 1 or mapper.primary_key[0] not in by_column:
        return None
    cols = [c for c in table.columns if c in by_column]
    pk = cols.index(mapper.primary_key[0])
    attrs = tuple(by_column[c][0] for c in cols)
    rest = tuple(i for i in range(len(cols)) if i != pk)
    if not rest:
        return None
    getter = itemgetter(*(attrs[i] for i in rest))
    rest_getter = getter if len(rest) > 1 else (lambda d: (getter(d),))
    defaults = {i: by_column[c][1:] for i, c in enumerate(cols) if by_column[c][1]}
    relationships = tuple(r for r in mapper.relationships if not r.viewonly)
    if any(r.post_update for r in relationships):
        return None
    appenders = frozenset(r.key for r in relationships if r.lazy in ("dynamic", "write_only"))
    # The flush leaves a None out of the INSERT (the column's default then applies) unless the
    # type evaluates None (JSON's null): such a None is taken as missing.
    none_defaults = tuple(j for j, i in enumerate(rest) if i in defaults and not cols[i].type.should_evaluate_none)
    return RowPlan(tuple(c.key for c in cols), attrs, pk, rest, frozenset(attrs[i] for i in rest), rest_getter,
                   defaults, relationships, appenders, {c.key: i for i, c in enumerate(cols)}, none_defaults,
                   frozenset(rest[j] for j in none_defaults))


@dataclass
class Rows:
    """The rows of a batch: values without the key, the keys given, values to copy back."""

    values: list[tuple[Any, ...]]  # per object, the non-key columns (``plan.rest`` order)
    keys: list[Any]  # per object, its primary key or None
    fills: list[tuple[int, str, Any]]  # (object index, attribute, value) to set on the object
    children: list[tuple[int, Any, list[Any]]] = field(default_factory=list)  # (index, one-to-many, new objects)


def build_rows(plan: RowPlan, objs: list[Any], session: Any) -> tuple[Rows, list[Any]] | None:
    """The rows of transient ``objs`` and their states; ``None`` when the unit of work must handle them.

    ``None`` for an object already in a session, a missing value whose default is not a
    scalar, a many-to-one parent that is not persistent in ``session``, a many-to-many
    collection, or a one-to-many collection holding anything but new objects outside the
    batch (the unit of work cascades or orders those). The new objects of one-to-many
    collections are listed in ``Rows.children``: the save-update cascade of ``Session.add``
    would add them and the flush insert them after their parent.
    """
    values: list[tuple[Any, ...]] = []
    keys: list[Any] = []
    fills: list[tuple[int, str, Any]] = []
    rows = Rows(values, keys, fills)
    batch: set[int] = set()
    states = []
    rest_attrs, getter, pk_attr, none_defaults = plan.rest_attrs, plan.rest_getter, plan.pk_attr, plan.none_defaults
    one_default = none_defaults[0] if len(none_defaults) == 1 else None  # the common case, without a generator
    relationships = plan.relationships
    for n, obj in enumerate(objs):
        state = instance_state(obj)
        if state.key is not None or state.session_id is not None:
            return None
        data = state.dict
        row = getter(data) if rest_attrs <= data.keys() else None
        if row is None or (row[one_default] is None if one_default is not None else
                           none_defaults and any(row[j] is None for j in none_defaults)):
            row = _with_defaults(plan, data, n, fills)
            if row is None:
                return None
        if relationships:
            if not batch:
                batch.update(map(id, objs))
            row = _with_relationships(plan, state, row, n, rows, session, batch)
            if row is None:
                return None
        values.append(row)
        keys.append(data.get(pk_attr))
        states.append(state)
    return rows, states


def _with_defaults(plan: RowPlan, data: dict[str, Any], n: int, fills: list[tuple[int, str, Any]]) -> Any:
    row = []
    for i in plan.rest:
        attr = plan.attrs[i]
        value = data.get(attr, _MISSING)
        if value is _MISSING or (value is None and i in plan.none_default_cols):
            kind, value = plan.defaults.get(i, (0, None))
            if kind == _UNSUPPORTED:
                return None
            if kind == _SCALAR:
                fills.append((n, attr, value))  # the unit of work sets a Python default on the object
        row.append(value)
    return tuple(row)


def _with_relationships(plan: RowPlan, state: Any, row: tuple[Any, ...], n: int, rows: Rows, session: Any,
                        batch: set[int]) -> tuple[Any, ...] | None:
    data = state.dict
    if plan.appenders and not plan.appenders.isdisjoint(state.committed_state):
        return None
    values: list[Any] | None = None
    for rel in plan.relationships:
        target = data.get(rel.key, _MISSING)
        if target is _MISSING:
            continue
        if target is None:
            if rel.direction is not MANYTOONE or rel.key not in state.committed_state:
                continue
            # A many-to-one set to None (history, as the flush reads it): the flush blanks its
            # foreign key (sync.clear), whatever value the key column was given.
            values = _blank(plan, rel, row if values is None else values, n, rows)
            if values is None:
                return None
            continue
        if rel.direction is not MANYTOONE:
            if not target:
                continue
            if not rel.uselist:
                members = [target]
            else:
                members = list(target.values() if isinstance(target, dict) else target)
            if rel.secondary is not None or not rel.cascade.save_update or not all(
                    _new_outside(m, batch) for m in members):
                return None
            rows.children.append((n, rel, members))
            continue
        tstate = instance_state(target)
        if tstate.key is None or tstate.session_id != session.hash_key or tstate.deleted:
            return None  # parent not saved yet, or the cascade would attach it to the session
        tmapper = tstate.mapper
        for local, remote in rel.local_remote_pairs:
            i = plan.column_index.get(local.key)
            if i is None or i == plan.pk:
                return None
            value = getattr(target, tmapper.get_property_by_column(remote).key)
            if values is None:
                values = list(row)
            values[plan.rest.index(i)] = value
            rows.fills.append((n, plan.attrs[i], value))
    return row if values is None else tuple(values)


def _blank(plan: RowPlan, rel: Any, row: Any, n: int, rows: Rows) -> list[Any] | None:
    values = list(row)
    for local, _remote in rel.local_remote_pairs:
        i = plan.column_index.get(local.key)
        if i is None or i == plan.pk:
            return None  # the flush refuses to blank a primary key: let it say so
        values[plan.rest.index(i)] = None
        rows.fills.append((n, plan.attrs[i], None))
    return values


def _new_outside(obj: Any, batch: set[int]) -> bool:
    state = instance_state(obj)
    return state.key is None and state.session_id is None and id(obj) not in batch
