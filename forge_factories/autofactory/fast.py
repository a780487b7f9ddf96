"""The row-wise fast path of auto factories for plain models (pydantic, dataclass, TypedDict, attrs).

When every field is a plain generator, a sequence, a constant or a ``SemanticAttribute``,
``build_batch``/``create_batch`` draw the standard values in a tight loop and send only
the semantic fields through the batch engine (one small dict factory, same provider
grouping, validation and policy), then instantiate the models. Anything else (declaration
overrides, SubFactory, stub strategy) takes the regular engine path.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from factory import declarations as fb
from factory import enums

from forge_factories.core.base import AIDictFactory, AIFactory
from forge_factories.core.recording import record_batch
from forge_factories.core.unique_values import unique_scope


@dataclass
class FastPlan:
    """How to produce one row: generators in declaration order, plus the semantic factory."""

    steps: list[tuple[str, str, Callable[..., Any]]]  # (name, "gen" | "seq" | "const", fn)
    semantic: type | None
    semantic_names: tuple[str, ...]
    sources: dict[str, str] = field(default_factory=dict)


def make_plan(factory_name: str, module: str, declarations: dict[str, Any], sources: dict[str, str],
              meta_options: dict[str, Any] | None = None) -> FastPlan | None:
    """A plan for these declarations, or ``None`` when one of them needs the full engine."""
    from forge_factories.core.declarations import SemanticAttribute

    steps: list[tuple[str, str, Callable[..., Any]]] = []
    semantic: dict[str, Any] = {}
    for name, decl in declarations.items():
        if isinstance(decl, SemanticAttribute):
            if decl.references:
                return None
            semantic[name] = decl
        elif isinstance(decl, fb.LazyFunction):
            steps.append((name, "gen", decl.function))
        elif isinstance(decl, fb.Sequence):
            steps.append((name, "seq", decl.function))
        elif isinstance(decl, fb.BaseDeclaration):
            return None
        else:
            value = decl
            steps.append((name, "const", lambda value=value: value))
    sem_factory = None
    if semantic:
        meta = type("Meta", (), dict(meta_options or {}))
        sem_factory = type(factory_name, (AIDictFactory,), {"Meta": meta, "__module__": module, **semantic})
    return FastPlan(steps, sem_factory, tuple(semantic), dict(sources))


def fill_semantic(sem_factory: Any, names: list[str], context: str | None, size: int
                  ) -> list[dict[str, tuple[Any, str]]]:
    """``(value, source)`` of each semantic field for ``size`` rows: one engine group fill."""
    from forge_factories.core.engine import fill_rows

    start = sem_factory._meta.next_sequence()
    return fill_rows(sem_factory, names, size, context=context, start_sequence=start)


class AutoFactory(AIFactory[Any]):
    """Base of plain-model auto factories: a fast path for batches of independent rows."""

    class Meta:
        abstract = True

    @classmethod
    def _forge_generate_many(cls, strategy: str, size: int, params: dict[str, Any], context: str | None) -> list[Any]:
        plan: FastPlan | None = cls.__dict__.get("_forge_fast_plan")
        if (plan is None or strategy == enums.STUB_STRATEGY
                or any(isinstance(v, fb.BaseDeclaration) for v in params.values())
                or not set(params) <= {s[0] for s in plan.steps} | set(plan.semantic_names)):
            return super()._forge_generate_many(strategy, size, params, context)
        gc_was_enabled = gc.isenabled()
        gc.disable()  # thousands of short-lived rows: collections would only cost time
        try:
            with unique_scope():
                return cls._forge_fast(plan, strategy, size, params, context)
        finally:
            if gc_was_enabled:
                gc.enable()

    @classmethod
    def _forge_fast(cls, plan: FastPlan, strategy: str, size: int, params: dict[str, Any], context: str | None
                    ) -> list[Any]:
        meta = cls._meta
        rows: list[dict[str, Any]] = []
        for _ in range(size):
            row: dict[str, Any] = {}
            for name, kind, fn in plan.steps:
                if name in params:
                    row[name] = params[name]
                elif kind == "seq":
                    row[name] = fn(meta.next_sequence())
                else:
                    row[name] = fn()
            rows.append(row)
        wanted = [n for n in plan.semantic_names if n not in params]
        columns: dict[str, list[str | None]] = {n: [None] * size for n in wanted}  # provenance labels
        if plan.semantic is not None and wanted and size:
            for i, (row, answers) in enumerate(zip(rows, fill_semantic(plan.semantic, wanted, context, size),
                                                   strict=True)):
                for n, (value, source) in answers.items():
                    row[n] = value
                    columns[n][i] = source
        for row in rows:
            for n in plan.semantic_names:
                if n in params:
                    row[n] = params[n]
        model = meta.get_model_class()
        make = cls._create if strategy == enums.CREATE_STRATEGY else cls._build
        objects = [make(model, **row) for row in rows]
        del rows
        record_batch(cls, objects, tuple(params), sources=plan.sources, columns=columns, strategy=strategy)
        return objects
