"""What schema seeding asks of the database, per ORM: tables, row counts, keys, unique sets, reset.

:class:`DjangoTables` works on one database alias, :class:`AlchemyTables` on one session.
Both answer the same questions, so :mod:`forge_factories.orm.seed_schema` is written once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from forge_factories.common.errors import ForgeConfigError, ForgeError


@dataclass(frozen=True)
class UniqueSet:
    """A unique constraint of a model, by its name and the relation fields whose FK columns it covers."""

    name: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class TableStats:
    """Rows already stored in a model's table."""

    rows: int
    max_key: int | None  # the largest integer primary key, if the key is an integer


class DjangoTables:
    """Seeding operations on the Django database ``alias``."""

    def __init__(self, alias: str) -> None:
        from django.db import connections

        self.alias = alias
        self.connection = connections[alias]

    def table(self, model: Any) -> str:
        """The model's table name."""
        return str(model._meta.db_table)

    def missing_tables(self, models: Iterable[Any]) -> list[str]:
        """Tables of ``models`` that do not exist in the database."""
        with self.connection.cursor() as cursor:
            present = set(self.connection.introspection.table_names(cursor))
        return [self.table(m) for m in models if self.table(m) not in present]

    def stats(self, model: Any) -> TableStats:
        """Row count and largest integer primary key."""
        from django.db.models import Count, IntegerField, Max

        pk = model._meta.pk
        manager = model._base_manager.using(self.alias)
        if isinstance(pk, IntegerField):  # every auto, small, big and positive integer key
            found = manager.aggregate(n=Count("pk"), top=Max("pk"))
            return TableStats(found["n"], found["top"])
        return TableStats(manager.count(), None)

    def delete_all(self, model: Any) -> None:
        """Empty the model's table (one ``DELETE``, no signals, no cascade collection)."""
        quoted = self.connection.ops.quote_name(self.table(model))
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {quoted}")

    def unique_values(self, model: Any) -> dict[str, str]:
        """``{field name: column}`` of single-column unique fields that are not keys or relations."""
        return {f.name: f.column for f in model._meta.concrete_fields
                if f.unique and not f.primary_key and not f.is_relation}

    def stored_values(self, model: Any, name: str) -> set[Any]:
        """The values column ``name`` holds."""
        return set(model._base_manager.using(self.alias).values_list(name, flat=True).iterator(chunk_size=10_000))

    def stored_tuples(self, model: Any, fields: Sequence[str]) -> set[tuple[Any, ...]]:
        """The FK value tuples the table holds for relation ``fields``."""
        columns = [model._meta.get_field(f).attname for f in fields]
        rows = model._base_manager.using(self.alias).values_list(*columns).iterator(chunk_size=10_000)
        return {tuple(r) for r in rows}

    def unique_sets(self, model: Any) -> list[UniqueSet]:
        """Unique constraints made only of foreign keys (one-to-one, unique FK, ``unique_together``,
        ``UniqueConstraint`` without condition), by relation field name."""
        from django.db import models as dj

        opts = model._meta
        relations = {f.attname: f.name for f in opts.concrete_fields if f.is_relation}
        by_name = {f.name: f.name for f in opts.concrete_fields if f.is_relation}
        out: list[UniqueSet] = []
        for f in opts.concrete_fields:
            if f.is_relation and f.unique and not f.primary_key:
                out.append(UniqueSet(f"UNIQUE({f.column})", (f.name,)))
        groups: list[tuple[str, Sequence[str]]] = [
            (f"unique_together{tuple(g)}", g) for g in opts.unique_together
        ]
        for constraint in opts.constraints:
            if isinstance(constraint, dj.UniqueConstraint) and constraint.fields and constraint.condition is None:
                groups.append((constraint.name, constraint.fields))
        for name, fields in groups:
            names = [by_name.get(f) or relations.get(f) for f in fields]
            if all(names):
                out.append(UniqueSet(name, tuple(n for n in names if n)))
        return out


class AlchemyTables:
    """Seeding operations on one SQLAlchemy ``session``."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def table(self, model: Any) -> str:
        """The model's table name (schema-qualified when it has a schema)."""
        return str(model.__table__.fullname)

    def missing_tables(self, models: Iterable[Any]) -> list[str]:
        """Tables of ``models`` that do not exist in the session's database."""
        import sqlalchemy as sa

        out = []
        for model in models:
            table = model.__table__
            inspector = sa.inspect(self.session.connection(bind_arguments={"mapper": sa.inspect(model)}))
            if not inspector.has_table(table.name, schema=table.schema):
                out.append(table.fullname)
        return out

    def stats(self, model: Any) -> TableStats:
        """Row count and largest integer primary key."""
        import sqlalchemy as sa

        pk = list(sa.inspect(model).primary_key)
        integer = len(pk) == 1 and isinstance(pk[0].type, sa.Integer)
        columns = [sa.func.count()] + ([sa.func.max(pk[0])] if integer else [])
        with self.session.no_autoflush:
            row = self.session.execute(sa.select(*columns).select_from(model.__table__)).one()
        return TableStats(int(row[0]), row[1] if integer else None)

    def delete_all(self, model: Any) -> None:
        """Empty the model's table (one ``DELETE``)."""
        import sqlalchemy as sa

        self.session.execute(sa.delete(model.__table__))

    def unique_values(self, model: Any) -> dict[str, str]:
        """``{attribute: column}`` of single-column unique columns that are not keys or foreign keys."""
        import sqlalchemy as sa

        mapper = sa.inspect(model)
        table = model.__table__
        single = {c for c in table.columns if c.unique}
        single |= {next(iter(u.columns)) for u in table.constraints
                   if isinstance(u, sa.UniqueConstraint) and len(u.columns) == 1}
        single |= {next(iter(ix.columns)) for ix in table.indexes if ix.unique and len(ix.columns) == 1}
        out = {}
        for attr in mapper.column_attrs:
            column = attr.columns[0]
            if column in single and not column.primary_key and not column.foreign_keys:
                out[attr.key] = column.name
        return out

    def stored_values(self, model: Any, name: str) -> set[Any]:
        """The values attribute ``name`` holds."""
        import sqlalchemy as sa

        with self.session.no_autoflush:
            return set(self.session.scalars(sa.select(getattr(model, name))))

    def stored_tuples(self, model: Any, fields: Sequence[str]) -> set[tuple[Any, ...]]:
        """The FK value tuples the table holds for relationships ``fields``."""
        import sqlalchemy as sa

        mapper = sa.inspect(model)
        columns = [col for f in fields for col in mapper.relationships[f].local_columns]
        with self.session.no_autoflush:
            return {tuple(r) for r in self.session.execute(sa.select(*columns))}

    def unique_sets(self, model: Any) -> list[UniqueSet]:
        """Unique constraints made only of foreign-key columns, by relationship name."""
        import sqlalchemy as sa

        mapper = sa.inspect(model)
        owner: dict[Any, str] = {}
        for rel in mapper.relationships:
            if rel.direction.name == "MANYTOONE":
                for column in rel.local_columns:
                    owner[column] = rel.key
        out: list[UniqueSet] = []
        table = model.__table__
        sets: list[tuple[str, list[Any]]] = [
            (str(c.name) if c.name else f"UNIQUE({', '.join(col.name for col in c.columns)})", list(c.columns))
            for c in table.constraints if isinstance(c, sa.UniqueConstraint)
        ]
        sets += [(f"UNIQUE({col.name})", [col]) for col in table.columns if col.unique and not col.primary_key]
        sets += [(str(ix.name) if ix.name else "unique index", list(ix.columns)) for ix in table.indexes if ix.unique]
        seen: set[tuple[str, ...]] = set()
        for name, columns in sets:
            names = tuple(owner.get(c, "") for c in columns)
            if columns and all(names) and names not in seen:
                seen.add(names)
                out.append(UniqueSet(name, names))
        return out


def check_tables(tables: Any, factories: Sequence[Any]) -> None:
    """Fail before anything is written when a plan's table is missing from the database."""
    models = [f._meta.get_model_class() for f in factories]
    try:
        missing = tables.missing_tables(models)
    except Exception as exc:  # noqa: BLE001 - a model the bind does not know: say which
        raise ForgeConfigError(f"seeding: cannot inspect the tables of {', '.join(f.__name__ for f in factories)} "
                               f"({type(exc).__name__}: {exc})") from exc
    if missing:
        owners = [f.__name__ for f, m in zip(factories, models, strict=True) if tables.table(m) in missing]
        raise ForgeConfigError(
            f"seeding: table(s) {', '.join(missing)} of {', '.join(owners)} do not exist in the database; "
            "create them first (migrations, or metadata.create_all)"
        )


def reset_tables(tables: Any, models_children_first: Sequence[Any]) -> None:
    """Empty the tables, children first; a table referenced from outside the plan is named."""
    for model in models_children_first:
        try:
            tables.delete_all(model)
        except Exception as exc:  # noqa: BLE001 - typically an FK from a table outside the plan
            raise ForgeError(
                f"seeding reset: could not empty {tables.table(model)} ({type(exc).__name__}: {exc}); "
                "rows of a table outside the plan probably reference it: add its factory to the plan"
            ) from exc
