"""Column-wise generation: many rows of a factory at once, without the per-object machinery.

A factory qualifies when its declarations are constants, ``Faker``, ``Sequence``,
``LazyFunction``, ``LazyAttribute``/``LazyAttributeSequence``, ``SelfAttribute`` (same
object), ``Iterator`` and ``SemanticAttribute`` (conditioned on plain fields). Each chunk
of rows is generated column by column: Faker fields are sampled from Faker's own data
tables with a seeded generator (see :mod:`forge_factories.samplers`), semantic fields
are filled with one provider request per chunk (or drawn from a paid pool, see
:mod:`forge_factories.datasets.large`; or written by the offline writer a column at a time
when the provider is the plain offline one, see :mod:`forge_factories.datasets.offline_columns`). Values follow Faker's distributions but are not the values
``factory.build()`` would give for the same seed; the object executor gives those.
"""

from __future__ import annotations

import operator
import random
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from factory import declarations as fb_declarations
from factory import faker as fb_faker

from forge_factories.common.errors import ForgeConfigError
from forge_factories.core.declarations import SemanticAttribute
from forge_factories.core.engine import factory_path  # the engine's: lock-file keys must agree
from forge_factories.datasets.columns import (
    ColumnFn,
    LazyFn,
    NotColumnar,
    faker_column,
    iterator_column,
    self_attribute,
    with_seq,
)
from forge_factories.datasets.offline_columns import is_plain_offline, offline_chunk, offline_semantic
from forge_factories.datasets.rowbuild import (  # noqa: F401 - RowBuilder: still importable from here
    RowBuilder,
    chunk_rng,
    row_builder,
    take_sequences,
)
from forge_factories.llm.providers.base import SemanticProvider


class _Pending(Exception):
    """A lazy value needs a semantic field that is not filled yet."""


class _Row:
    """The object a ``LazyAttribute`` sees: row values, lazy ones computed on demand."""

    __slots__ = ("_plan", "_seq", "_values")

    def __init__(self, plan: ColumnPlan, values: dict[str, Any], seq: int) -> None:
        self._plan = plan
        self._values = values
        self._seq = seq

    def __getattr__(self, name: str) -> Any:
        values = self._values
        if name in values:
            return values[name]
        if name in self._plan.semantic:
            raise _Pending(name)
        lazy = self._plan.lazies.get(name)
        if lazy is None:
            raise AttributeError(f"{self._plan.factory.__name__} has no field {name!r}")
        value = lazy(self, self._seq)
        values[name] = value
        return value


@dataclass
class ColumnPlan:
    """How to generate rows of one factory column by column."""

    factory: Any
    order: list[str]
    columns: dict[str, ColumnFn] = field(default_factory=dict)
    lazies: dict[str, LazyFn] = field(default_factory=dict)
    #: The lazies that only read the row (``LazyAttribute``, ``SelfAttribute``): called directly.
    row_lazies: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    semantic: dict[str, SemanticAttribute] = field(default_factory=dict)
    exclude: frozenset[str] = frozenset()
    #: Fields whose values may depend on more than the chunk (its number, size and sequence
    #: numbers): ``LazyFunction``, ``Iterator``, ``LazyAttribute`` (their functions may read any
    #: state) and semantic fields. Without them, chunks can be made in any order, by any process.
    shared: list[str] = field(default_factory=list)

    @property
    def chunk_independent(self) -> bool:
        """Each chunk's values depend on the chunk alone (see :attr:`shared`)."""
        return not self.shared

    @property
    def path(self) -> str:
        """The factory's dotted path (request and RNG scope)."""
        return factory_path(self.factory)

    def standard_rows(self, n: int, base_seed: Any, chunk: Any,
                      seqs: list[int] | None = None) -> tuple[list[dict[str, Any]], list[int]]:
        """``n`` rows with every column and lazy value that does not need semantic text.

        Sequence numbers come from the factory's counter unless ``seqs`` are given.
        """
        if seqs is None:
            seqs = take_sequences(self.factory, n)
        cols = self.standard_columns(n, base_seed, chunk, seqs)
        rows = row_builder(list(cols))(list(cols.values())) if cols else [{} for _ in range(n)]
        if self.lazies:
            if self.semantic:
                for row, seq in zip(rows, seqs, strict=True):
                    self._compute_lazies(row, seq, missing_ok=True)
            else:
                self._fast_lazies(rows, seqs)
        return rows, seqs

    def standard_columns(self, n: int, base_seed: Any, chunk: Any, seqs: list[int]) -> dict[str, list[Any]]:
        """The ``n`` values of each column (not the lazy or semantic fields), by field name."""
        path = self.path
        cols = {
            name: fn(n, chunk_rng(base_seed, "columnar", path, chunk, name), seqs)
            for name, fn in self.columns.items()
        }
        wrong = [name for name, values in cols.items() if len(values) != n]
        if wrong:
            raise ValueError(f"columns {wrong} do not have {n} values")
        return cols

    def column_values(self, n: int, base_seed: Any, chunk: Any, seqs: list[int],
                      fields: Sequence[str]) -> list[list[Any]]:
        """The ``n`` values of each of ``fields`` (lazy ones included, no semantic field), as
        columns: no row dicts unless a lazy value needs them."""
        if self.semantic:
            raise ValueError("column_values() does not fill semantic fields")
        if not self.lazies:
            cols = self.standard_columns(n, base_seed, chunk, seqs)
            return [cols[name] for name in fields]
        rows, _ = self.standard_rows(n, base_seed, chunk, seqs)
        return [list(map(operator.itemgetter(name), rows)) for name in fields]

    def _fast_lazies(self, rows: list[dict[str, Any]], seqs: Sequence[int]) -> None:
        """Lazy values of rows without semantic fields: the row dict is the view's ``__dict__``.

        Each lazy is computed in declaration order unless an earlier one already needed it;
        one reading another not yet computed gets it through the view's ``__getattr__``.
        """
        lazies = self.lazies
        current = [0]

        class View:
            def __getattr__(self, name: str) -> Any:
                lazy = lazies.get(name)
                if lazy is None:
                    raise AttributeError(name)
                value = lazy(self, current[0])
                self.__dict__[name] = value
                return value

        view = View()
        calls = [(name, self.row_lazies.get(name), lazy) for name, lazy in lazies.items()]
        only = calls[0][1] if len(calls) == 1 else None
        if only is not None:  # the common case, one LazyAttribute: a tighter loop
            name = calls[0][0]
            for row, seq in zip(rows, seqs, strict=True):
                view.__dict__ = row
                current[0] = seq
                if name not in row:
                    row[name] = only(view)
            return
        for row, seq in zip(rows, seqs, strict=True):
            view.__dict__ = row
            current[0] = seq
            for name, direct, lazy in calls:
                if name not in row:
                    row[name] = direct(view) if direct is not None else lazy(view, seq)

    def _compute_lazies(self, row: dict[str, Any], seq: int, *, missing_ok: bool) -> None:
        view = _Row(self, row, seq)
        for name in self.lazies:
            if name in row:
                continue
            try:
                getattr(view, name)
            except _Pending:
                if not missing_ok:
                    raise

    def conditioning(self, row: dict[str, Any], seq: int) -> dict[str, Any]:
        """The values each semantic field of ``row`` is conditioned on."""
        view = _Row(self, row, seq)
        out: dict[str, Any] = {}
        for name, decl in self.semantic.items():
            for ref in decl.spec(name).references:
                out[ref] = getattr(view, ref)
        return out

    def finish(self, rows: list[dict[str, Any]], seqs: Sequence[int], *,
               ordered: bool = True) -> list[dict[str, Any]]:
        """Compute the lazy values left, then order (unless ``ordered=False``) and filter the fields."""
        if self.lazies and self.semantic:
            for row, seq in zip(rows, seqs, strict=True):
                self._compute_lazies(row, seq, missing_ok=False)
        order = [n for n in self.order if n not in self.exclude]
        if not rows or list(rows[0]) == order or (not ordered and not self.exclude):
            return rows
        return [{n: row[n] for n in order} for row in rows]


#: The two executors a factory's plan runs on: object by object (the batch engine, factory_boy's
#: values) or column-wise (this module). Chosen by the caller, never switched silently.
OBJECTS, COLUMNS = "objects", "columns"
EXECUTORS = (OBJECTS, COLUMNS)


def check_executor(executor: Any) -> str:
    """``executor`` if it names an executor, else a :class:`ForgeConfigError` listing both."""
    if executor not in EXECUTORS:
        raise ForgeConfigError(f"executor must be 'objects' or 'columns', got {executor!r}")
    return str(executor)


def plan_for(factory_cls: Any, *, parents: Collection[str] = (), hint: str = "use executor='objects'") -> ColumnPlan:
    """The column plan of ``factory_cls``; raises :class:`NotColumnar` naming the factory and reason.

    ``parents`` names ``SubFactory`` fields whose objects the caller supplies: each gets a
    column the caller must set in ``plan.columns`` before generating (the ORM executor
    creates the parents column-wise first). ``hint`` ends the refusal message.
    """
    try:
        return _compile(factory_cls, frozenset(parents))
    except NotColumnar as exc:
        name = getattr(factory_cls, "__name__", repr(factory_cls))
        raise NotColumnar(f"{name} cannot run on the column-wise executor: {exc} ({hint})") from None


def _caller_supplies(name: str) -> ColumnFn:
    def column(n: int, rng: random.Random, seqs: Sequence[int]) -> list[Any]:
        raise ForgeConfigError(f"{name}: the caller of the plan supplies this SubFactory's objects")

    return column


def _compile(factory_cls: Any, parents: frozenset[str] = frozenset()) -> ColumnPlan:
    meta = getattr(factory_cls, "_meta", None)
    if meta is None or getattr(meta, "model", None) is None:
        raise NotColumnar(f"{factory_cls!r} is not a concrete factory")
    if meta.parameters:
        raise NotColumnar("Params/Traits are not supported column-wise")
    if meta.inline_args or meta.rename:
        raise NotColumnar("Meta.inline_args / Meta.rename are not supported column-wise")
    if list(meta.post_declarations):
        raise NotColumnar("post-generation declarations are not supported column-wise")
    locale = getattr(meta, "forge_locale", None)
    plan = ColumnPlan(factory=factory_cls, order=[], exclude=frozenset(meta.exclude or ()))
    for name in meta.pre_declarations:
        entry = meta.pre_declarations[name]
        if name in parents and isinstance(entry.declaration, fb_declarations.SubFactory):
            plan.order.append(name)  # its nested overrides are the caller's to apply
            plan.columns[name] = _caller_supplies(name)
            continue
        if entry.context:
            raise NotColumnar(f"{name}: nested overrides ({name}__...) are not supported column-wise")
        decl = entry.declaration
        plan.order.append(name)
        if isinstance(decl, SemanticAttribute):
            plan.semantic[name] = decl
            plan.shared.append(name)
        elif isinstance(decl, fb_faker.Faker):
            plan.columns[name] = faker_column(decl, locale)
        elif isinstance(decl, fb_declarations.LazyAttributeSequence):
            plan.lazies[name] = decl.function
            plan.shared.append(name)
        elif isinstance(decl, fb_declarations.Sequence):
            plan.columns[name] = (lambda fn: lambda n, rng, seqs: list(map(fn, seqs)))(decl.function)
        elif isinstance(decl, fb_declarations.LazyFunction):
            column = getattr(decl, "forge_column", None)  # an auto factory's field: its column form
            plan.columns[name] = column or (lambda fn: lambda n, rng, seqs: [fn() for _ in range(n)])(decl.function)
            if column is None:
                plan.shared.append(name)
        elif isinstance(decl, fb_declarations.LazyAttribute):
            plan.row_lazies[name] = decl.function
            plan.lazies[name] = with_seq(decl.function)
            plan.shared.append(name)
        elif isinstance(decl, fb_declarations.SelfAttribute):
            if decl.depth > 1:
                raise NotColumnar(f"{name}: SelfAttribute to a parent is not supported column-wise")
            plan.row_lazies[name] = self_attribute(decl)
            plan.lazies[name] = with_seq(plan.row_lazies[name])
        elif isinstance(decl, fb_declarations.Iterator):
            plan.columns[name] = iterator_column(decl, f"{factory_cls.__name__}.{name}")
            plan.shared.append(name)
        elif isinstance(decl, fb_declarations.BaseDeclaration):
            raise NotColumnar(f"{name}: {type(decl).__name__} is not supported column-wise")
        else:
            plan.columns[name] = (lambda v: lambda n, rng, seqs: [v] * n)(decl)
    names = set(plan.order)
    for name, decl in plan.semantic.items():
        for ref in decl.spec(name).references:
            if ref not in names:
                raise NotColumnar(f"{name}: reference {ref!r} is not a field of the factory")
            if ref in plan.semantic:
                raise NotColumnar(f"{name}: semantic-on-semantic references need the object path")
    return plan


def try_plan(factory_cls: Any) -> ColumnPlan | None:
    """The column plan, or ``None`` when the factory needs the per-object path."""
    try:
        return plan_for(factory_cls)
    except NotColumnar:
        return None


# --------------------------------------------------------------------------- semantic values


def provider_for(factory_cls: Any, provider: Any = None) -> SemanticProvider:
    """The explicit provider, else the factory's, resolved as the batch engine does."""
    from forge_factories.core.engine import resolve_provider

    return resolve_provider(factory_cls, provider)


def fill_semantic(
    plan: ColumnPlan,
    conditionings: Sequence[Mapping[str, Any]],
    *,
    provider: SemanticProvider,
    context: str | None,
    seed: int | None,
    keys: Sequence[str],
    sequences: Sequence[int],
    seen: dict[str, set[str]] | None = None,
) -> list[dict[str, Any]]:
    """One provider request for every semantic field of ``len(conditionings)`` items.

    Goes through the batch engine's :func:`~forge_factories.core.engine.fill_rows`: answers are
    validated and failures follow the factory's policy. ``seed`` is the current seed (the
    engine reads it itself).
    """
    from forge_factories.core.engine import fill_rows

    values = fill_rows(plan.factory, list(plan.semantic), len(conditionings), context=context,
                       conditioning=conditionings, provider=provider, keys=keys, sequences=sequences, seen=seen)
    return [{name: value for name, (value, _source) in row.items()} for row in values]


def generate_chunk(
    plan: ColumnPlan,
    n: int,
    *,
    chunk: int,
    base_seed: Any,
    provider: SemanticProvider | None,
    context: str | None,
    seed: int | None,
    seen: dict[str, set[str]] | None = None,
    semantic_source: Callable[[list[dict[str, Any]], list[dict[str, Any]]], list[dict[str, Any]]] | None = None,
    ordered: bool = True,
) -> list[dict[str, Any]]:
    """``n`` finished rows. Semantic values come from ``semantic_source(rows, conditionings)``
    when given (e.g. a paid pool), else from the offline writer a column at a time when the
    provider is the plain offline one (:mod:`~forge_factories.datasets.offline_columns`), else
    from one ``provider`` request for the chunk."""
    referring = any(decl.spec(name).references for name, decl in plan.semantic.items())
    if plan.semantic and semantic_source is None and provider is None:
        provider = provider_for(plan.factory)
    if plan.semantic and semantic_source is None and not referring and not plan.lazies and is_plain_offline(provider):
        return offline_chunk(plan, n, chunk=chunk, base_seed=base_seed, context=context)
    rows, seqs = plan.standard_rows(n, base_seed, chunk)
    if plan.semantic:
        conds = [plan.conditioning(row, seq) for row, seq in zip(rows, seqs, strict=True)] if referring \
            else [{} for _ in range(n)]
        if semantic_source is not None:
            values = semantic_source(rows, conds)
        elif is_plain_offline(provider):  # the offline writer a column at a time
            columns = offline_semantic(plan, conds, context=context, base_seed=base_seed, chunk=chunk)
            values = row_builder(list(columns))(list(columns.values()))
        else:
            assert provider is not None
            values = fill_semantic(plan, conds, provider=provider, context=context, seed=seed,
                                   keys=[f"{chunk}/{i}" for i in range(n)], sequences=seqs, seen=seen)
        for row, extra in zip(rows, values, strict=True):
            row.update(extra)
    return plan.finish(rows, seqs, ordered=ordered)
