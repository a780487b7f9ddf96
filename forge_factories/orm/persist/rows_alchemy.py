"""SQLAlchemy rows for the FK registry: where a saved object lives, loading and scanning by key."""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import inspect

#: Keys per ``IN (...)`` list (SQLite's old limit is 999 bound parameters).
LOAD_CHUNK = 500
#: Keys read per round trip when scanning a table.
SCAN_CHUNK = 10_000


def engine_location(bind: Any) -> Hashable:
    """The registry location of a session's bind (an engine, or a connection of one)."""
    engine = getattr(bind, "engine", bind)
    return ("sqlalchemy", id(engine), engine.url.render_as_string(hide_password=True))


def row_refs(objs: Sequence[Any]) -> list[tuple[Hashable, Any] | None]:
    """``(location, primary key)`` of each persistent object (``None`` for a pending or detached
    one), the location worked out once per session and mapper."""
    out: list[tuple[Hashable, Any] | None] = []
    locations: dict[tuple[int, Any], Hashable] = {}
    for obj in objs:
        state = inspect(obj)
        session = state.session
        if state.key is None or session is None:
            out.append(None)
            continue
        where = (id(session), state.mapper)
        location = locations.get(where)
        if location is None:
            location = locations[where] = engine_location(session.get_bind(mapper=state.mapper))
        key = state.key[1]
        out.append((location, key[0] if len(key) == 1 else key))
    return out


class AlchemyRows:
    """Loads rows of ``model`` in ``session`` (a :class:`~forge_factories.core.parent_pools.RowSource`)."""

    def __init__(self, session: Any, model: Any) -> None:
        self.session = session
        self.model = model
        self.mapper = inspect(model)
        self.location = engine_location(session.get_bind(mapper=self.mapper))
        self.token: Hashable = ("sqlalchemy", id(session))

    def _key_of(self, obj: Any) -> Any:
        key = self.mapper.identity_key_from_instance(obj)[1]
        return key[0] if len(key) == 1 else key

    def load(self, keys: Sequence[Any]) -> Mapping[Any, Any]:
        """The rows whose primary keys are in ``keys``, as objects of this session (no autoflush)."""
        pk = self.mapper.primary_key
        column: Any = pk[0] if len(pk) == 1 else sa.tuple_(*pk)
        found: dict[Any, Any] = {}
        with self.session.no_autoflush:
            for start in range(0, len(keys), LOAD_CHUNK):
                chunk = list(keys[start:start + LOAD_CHUNK])
                for obj in self.session.scalars(sa.select(self.model).where(column.in_(chunk))):
                    found[self._key_of(obj)] = obj
        return found

    def scan(self) -> Iterator[Any]:
        """Every primary key of the table, in key order."""
        pk = self.mapper.primary_key
        with self.session.no_autoflush:
            result = self.session.execute(sa.select(*pk).order_by(*pk).execution_options(yield_per=SCAN_CHUNK))
            for row in result:
                yield row[0] if len(pk) == 1 else tuple(row)
