"""Seed a whole schema: ``seed_session`` (SQLAlchemy) and ``seed_database`` (Django).

``seed_session(session, {UserFactory: 100, OrderFactory: 1000}, context="...")`` creates the
objects factory by factory, parents before children (ordered by foreign keys and SubFactory
declarations), in one transaction: everything or nothing. Children take their parents from
the objects seeded (or already registered) instead of creating new ones.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import IO, Any

from factory import declarations as fb_declarations

from .declarations_registry import existing_parent
from .errors import ForgeConfigError, ForgeError

Plan = Mapping[Any, int]
_MAX_DEPTH = 3


# -- ordering ---------------------------------------------------------------------------------------


def _model(factory_cls: Any) -> Any:
    return factory_cls._meta.get_model_class()


def _subfactories(factory_cls: Any) -> dict[str, Any]:
    out = {}
    for name in factory_cls._meta.pre_declarations:
        decl = factory_cls._meta.pre_declarations[name].declaration
        if isinstance(decl, fb_declarations.SubFactory):
            out[name] = decl.get_factory()
    return out


def _model_parents(model: Any) -> set[Any]:
    """Models ``model`` holds a foreign key to (Django fields or SQLAlchemy tables)."""
    parents: set[Any] = set()
    meta = getattr(model, "_meta", None)
    if meta is not None and hasattr(meta, "concrete_fields"):
        for field in meta.concrete_fields:
            if field.is_relation and (field.many_to_one or field.one_to_one) and field.related_model is not None:
                parents.add(field.related_model)
        return parents
    table = getattr(model, "__table__", None)
    if table is not None:
        for fk in table.foreign_keys:
            parents.add(fk.column.table)
    return parents


def order_plan(plan: Plan) -> list[Any]:
    """The plan's factories, parents before children (stable for independent ones)."""
    factories = list(plan)
    keys = {}
    for fac in factories:
        model = _model(fac)
        keys[fac] = {model, getattr(model, "__table__", model)}
    deps: dict[Any, set[Any]] = {}
    for fac in factories:
        wanted = _model_parents(_model(fac)) | {_model(t) for t in _subfactories(fac).values()}
        deps[fac] = {other for other in factories if other is not fac and keys[other] & wanted}
    ordered: list[Any] = []
    placed: set[Any] = set()
    while len(ordered) < len(factories):
        ready = [f for f in factories if f not in placed and deps[f] <= placed]
        if not ready:
            cycle = [f.__name__ for f in factories if f not in placed]
            raise ForgeConfigError(f"seeding: foreign keys form a cycle between {', '.join(cycle)}")
        ordered.append(ready[0])
        placed.add(ready[0])
    return ordered


# -- parent reuse -------------------------------------------------------------------------------------


def _picker(parent_factory: Any) -> Callable[[], Any]:
    def pick() -> Any:
        found = existing_parent(parent_factory, "create")
        if found is None:
            raise ForgeError(f"seeding: no {parent_factory.__name__} object to reuse as a parent")
        return found

    return pick


def reuse_overrides(factory_cls: Any, seeded_models: set[Any], prefix: str = "", depth: int = 0) -> dict[str, Any]:
    """Overrides pointing every SubFactory (nested ones too) whose model was seeded at an existing object."""
    out: dict[str, Any] = {}
    if depth > _MAX_DEPTH:
        return out
    for name, target in _subfactories(factory_cls).items():
        if _model(target) in seeded_models:
            out[prefix + name] = fb_declarations.LazyFunction(_picker(target))
        else:
            out.update(reuse_overrides(target, seeded_models, f"{prefix}{name}__", depth + 1))
    return out


def _reachable(factories: list[Any]) -> list[Any]:
    seen: list[Any] = []
    stack = list(factories)
    while stack:
        fac = stack.pop()
        if fac in seen:
            continue
        seen.append(fac)
        for name in list(fac._meta.pre_declarations) + list(fac._meta.post_declarations):
            entry = (fac._meta.pre_declarations if name in fac._meta.pre_declarations
                     else fac._meta.post_declarations)[name]
            decl = entry.declaration
            if isinstance(decl, (fb_declarations.SubFactory, fb_declarations.RelatedFactory)):
                stack.append(decl.get_factory())
    return seen


@contextmanager
def _meta_overrides(factories: list[Any], values: dict[str, Any]) -> Iterator[None]:
    saved = [(fac._meta, {k: getattr(fac._meta, k) for k in values}) for fac in factories]
    try:
        for meta, _ in saved:
            for key, value in values.items():
                setattr(meta, key, value)
        yield
    finally:
        for meta, old in saved:
            for key, value in old.items():
                setattr(meta, key, value)


# -- progress -----------------------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on ``stream`` (stderr), drawn only on a terminal and long runs."""

    def __init__(self, total: int, stream: IO[str] | None = None, enabled: bool | None = None,
                 threshold: int = 2000) -> None:
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", lambda: False)
        self.enabled = enabled if enabled is not None else (isatty() and total >= threshold)

    def advance(self, label: str, count: int) -> None:
        """Count ``count`` more rows of ``label`` and redraw."""
        self.done += count
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        self.stream.write(f"\rseeding [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {label:<30}")
        self.stream.flush()

    def close(self) -> None:
        """End the line."""
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def _create_all(plan: Plan, context: str | None, chunk_size: int, progress: Progress) -> dict[Any, list[Any]]:
    created: dict[Any, list[Any]] = {}
    seeded: set[Any] = set()
    for fac in order_plan(plan):
        size = plan[fac]
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ForgeConfigError(f"seeding: {fac.__name__} count must be a non-negative int, got {size!r}")
        overrides = reuse_overrides(fac, seeded)
        objs: list[Any] = []
        for start in range(0, size, chunk_size):
            count = min(chunk_size, size - start)
            kwargs = dict(overrides)
            if context is not None and hasattr(fac, "_forge_pop_context"):
                kwargs["forge_context"] = context
            objs.extend(fac.create_batch(count, **kwargs))
            progress.advance(fac.__name__, count)
        created[fac] = objs
        if size:
            seeded.add(_model(fac))
    return created


def _check_plan(plan: Plan, chunk_size: int) -> None:
    if not plan:
        raise ForgeConfigError("seeding: the plan is empty; pass {Factory: count, ...}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ForgeConfigError(f"seeding: chunk_size must be a positive int, got {chunk_size!r}")


# -- entry points --------------------------------------------------------------------------------------


def seed_session(session: Any, plan: Plan, *, context: str | None = None, commit: bool = True,
                 chunk_size: int = 5000, progress: bool | None = None) -> dict[Any, list[Any]]:
    """Create ``plan`` (``{SQLAlchemyFactory: count}``) in ``session``, all or nothing.

    Every factory involved (plan, SubFactory and RelatedFactory targets) uses ``session``
    with ``flush`` persistence for the duration. The rows go in inside a SAVEPOINT: on any
    error it is rolled back and the error re-raised; on success the session is committed
    (``commit=False``: left flushed for the caller). ``chunk_size`` rows per ``create_batch``
    bound memory and request size; ``progress`` forces the stderr bar on or off (default: on
    a terminal for 2,000+ rows). Returns the created objects per factory, in plan order.
    """
    from .persist.alchemy_bulk import ensure_sqlite_transaction

    _check_plan(plan, chunk_size)
    factories = _reachable(list(plan))
    bar = Progress(sum(plan.values()), enabled=progress)
    with _meta_overrides(factories, {"sqlalchemy_session": session, "sqlalchemy_session_factory": None,
                                     "sqlalchemy_session_persistence": "flush"}):
        ensure_sqlite_transaction(session)
        savepoint = session.begin_nested()
        try:
            created = _create_all(plan, context, chunk_size, bar)
        except BaseException:
            if savepoint.is_active:
                savepoint.rollback()
            raise
        finally:
            bar.close()
        savepoint.commit()
    if commit:
        session.commit()
    return {fac: created[fac] for fac in plan}


def seed_database(plan: Plan, *, using: str = "default", context: str | None = None, chunk_size: int = 5000,
                  progress: bool | None = None) -> dict[Any, list[Any]]:
    """Create ``plan`` (``{DjangoFactory: count}``) in database ``using`` inside one ``atomic`` block.

    Every factory involved saves to ``using`` for the duration; any error rolls everything
    back. See :func:`seed_session` for ``chunk_size`` and ``progress``.
    """
    from django.db import transaction

    _check_plan(plan, chunk_size)
    factories = _reachable(list(plan))
    bar = Progress(sum(plan.values()), enabled=progress)
    with ExitStack() as stack:
        stack.enter_context(_meta_overrides(factories, {"database": using}))
        stack.callback(bar.close)
        stack.enter_context(transaction.atomic(using=using))
        created = _create_all(plan, context, chunk_size, bar)
    return {fac: created[fac] for fac in plan}
