"""The semantic pool behind ``create_large``: many records for the price of a few semantic values.

About ``seed_ratio * count`` semantic values are paid for (one provider request for the
pool); every record gets new keys and standard fields from the column-wise generator, and
semantic text drawn from the pool and varied: sentences of two pool values recombined, and
the values a pool text was conditioned on (e.g. its person's name) swapped for the
record's own. Varied text is validated against the field spec; when a variation breaks a
constraint the pool value itself is used. Deterministic under the seed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from forge_factories.common.errors import ForgeConfigError
from forge_factories.datasets import columnar as _columnar
from forge_factories.datasets.columns import base_seed
from forge_factories.llm.validate import check_value
from forge_factories.text.spec import FieldSpec

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def pool_size(count: int, seed_ratio: float) -> int:
    """How many records' worth of semantic values to pay for."""
    if isinstance(seed_ratio, bool) or not isinstance(seed_ratio, (int, float)) or not 0 < seed_ratio <= 1:
        raise ForgeConfigError(f"seed_ratio must be in (0, 1], got {seed_ratio!r}")
    return max(1, min(count, round(count * seed_ratio))) if count else 0


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (split after ``.``, ``!`` or ``?``)."""
    return list(_sentences(text))


@functools.lru_cache(maxsize=16_384)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(s for s in _SENTENCE_END.split(text.strip()) if s)


@functools.lru_cache(maxsize=16_384)
def _word(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(word)}\b")


def _name_parts(value: str) -> list[str] | None:
    parts = value.split()
    if 2 <= len(parts) <= 4 and all(p[:1].isupper() for p in parts):
        return parts
    return None


def swap_references(text: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """Replace the pool item's conditioning values (names, titles) with the record's own.

    For person-like names the first and last words are swapped too ("Anna" -> "Zoe").
    """
    for ref, before in old.items():
        after = new.get(ref)
        if not (isinstance(before, str) and isinstance(after, str)) or len(before) < 3 or before == after:
            continue
        text = text.replace(before, after)
        old_parts = _name_parts(before)
        new_parts = _name_parts(after) if old_parts else None
        if old_parts and new_parts:
            for a, b in ((old_parts[0], new_parts[0]), (old_parts[-1], new_parts[-1])):
                if len(a) >= 3 and a != b and a in text:
                    text = _word(a).sub(b.replace("\\", "\\\\"), text)
    return text


def vary(first: str, second: str, spec: FieldSpec, rng: Any, old: Mapping[str, Any] | None = None,
         new: Mapping[str, Any] | None = None, second_old: Mapping[str, Any] | None = None) -> str:
    """A variation of ``first`` (recombined with sentences of ``second``) that still satisfies ``spec``.

    ``old``/``second_old`` are the values the two texts were conditioned on, ``new`` the
    record's own: they are swapped in (see :func:`swap_references`).
    """
    if spec.choices is not None or not isinstance(first, str):
        return first
    old, new = old or {}, new or {}
    head, tail = _sentences(first), _sentences(second) if isinstance(second, str) else ()
    candidates: list[str] = []
    if len(head) >= 2 or len(tail) >= 2:
        k = 1 + rng.randrange(max(len(head), 1))
        m = rng.randrange(max(len(tail), 1))
        kept = head[:k]
        mixed = list(kept) + [s for s in tail[m:] if s not in kept]
        candidates.append(" ".join(mixed[: max(len(head), k)]))
    candidates.append(first)
    for text in candidates:
        swapped = swap_references(text, old, new)
        if second_old:
            swapped = swap_references(swapped, second_old, new)
        if check_value(spec, swapped) is None:
            return swapped
    return first


class SemanticPool:
    """The paid semantic values of one large run, filled on first use."""

    def __init__(self, factory_cls: Any, count: int, seed_ratio: float, *, provider: Any = None,
                 context: str | None = None, seed: int | None = None) -> None:
        self.factory = factory_cls
        self.size = pool_size(count, seed_ratio)
        self.provider = provider
        self.context = context
        self.seed = seed
        self.values: list[dict[str, Any]] = []
        self.conditionings: list[dict[str, Any]] = []
        self.specs: dict[str, FieldSpec] = {}
        self._root: Any = None

    @property
    def filled(self) -> bool:
        """Whether the pool has been paid for."""
        return bool(self.values) or self.size == 0

    def _fill_columnar(self, plan: _columnar.ColumnPlan) -> None:
        from forge_factories.common.seeding import current_seed
        self._root = base_seed(self.seed)
        self.specs = {name: decl.spec(name) for name, decl in plan.semantic.items()}
        if not plan.semantic or self.size == 0:
            self.values = [{} for _ in range(max(self.size, 1))]
            return
        seqs = list(range(self.size))
        rows, seqs = plan.standard_rows(self.size, self._root, "pool", seqs=seqs)
        self.conditionings = [plan.conditioning(row, seq) for row, seq in zip(rows, seqs, strict=True)]
        provider = _columnar.provider_for(plan.factory, self.provider)
        context = self.context if self.context is not None else getattr(plan.factory._meta, "forge_context", None)
        self.values = _columnar.fill_semantic(
            plan, self.conditionings, provider=provider, context=context, seed=current_seed(),
            keys=[f"pool/{i}" for i in seqs], sequences=seqs, seen={},
        )

    def _fill_objects(self, factory_cls: Any) -> None:
        from forge_factories.core.base import semantic_declarations
        self._root = base_seed(self.seed)
        decls = semantic_declarations(factory_cls)
        self.specs = {name: decl.spec(name) for name, decl in decls.items()}
        if not decls or self.size == 0:
            self.values = [{} for _ in range(max(self.size, 1))]
            return
        extra = {"forge_context": self.context} if self.context is not None else {}
        objs = factory_cls.build_batch(self.size, **extra)
        from forge_factories.datasets.export import to_record

        records = [obj if isinstance(obj, Mapping) else to_record(obj) for obj in objs]
        self.values = [{name: rec[name] for name in decls} for rec in records]
        self.conditionings = [{} for _ in objs]

    def pick(self, rng: Any, new_conditioning: Mapping[str, Any] | None) -> dict[str, Any]:
        """Varied semantic values for one record."""
        i = rng.randrange(len(self.values))
        j = rng.randrange(len(self.values))
        old = self.conditionings[i] if self.conditionings else {}
        other = self.conditionings[j] if self.conditionings else {}
        second = self.values[j]
        return {
            name: vary(value, second.get(name, value), self.specs[name], rng, old, new_conditioning, other)
            for name, value in self.values[i].items()
        }

    def for_rows(self, plan: _columnar.ColumnPlan, chunk: int) -> Callable[[Sequence[dict[str, Any]],
                                                                             Sequence[Mapping[str, Any]]],
                                                                            list[dict[str, Any]]]:
        """The semantic source of one column-wise chunk."""
        if not self.filled:
            self._fill_columnar(plan)

        def source(rows: Sequence[dict[str, Any]], conds: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
            rng = _columnar.chunk_rng(self._root, "pool-pick", plan.path, chunk)
            return [self.pick(rng, cond) for cond in conds]

        return source

    def overrides(self, factory_cls: Any, index: int) -> dict[str, Any]:
        """Semantic values for record ``index`` on the per-object path."""
        if not self.filled:
            self._fill_objects(factory_cls)
        rng = _columnar.chunk_rng(self._root, "pool-pick-object", _columnar.factory_path(factory_cls), index)
        return self.pick(rng, None)
