"""Foreign keys that stay valid across partitions: a parent's key is a function of its row number.

A parent generated sharded has row numbers ``0..count-1`` and its key field is a
``factory.Sequence``, so row ``r`` has key ``fn(r)`` in every partition and on every
worker. A child row draws a parent row number from its block's seeded generator and maps
it through that function: no registry, no parent rows read.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import factory
from factory import declarations as fb_declarations

from forge_factories.common.errors import ForgeConfigError

KeyFn = Callable[[int], Any]


class ParentKey(fb_declarations.LazyFunction):
    """The key of one row of ``parent`` (a factory or model whose ``field`` is a ``factory.Sequence``).

    Sharded runs draw the parent row from the run's seed and the child's row number, over the
    parent count given to the run (``parents={Parent: count}``) or here (``count=``). Outside
    them (``build()``, streams) it is a key of a random row among ``count``.
    """

    def __init__(self, parent: Any, field: str = "id", *, count: int | None = None) -> None:
        self.parent = parent
        self.field = field
        self.count = count
        super().__init__(self._pick)

    def _pick(self) -> Any:
        if self.count is None:
            raise ForgeConfigError(f"ParentKey({_name(self.parent)}.{self.field}): no parent count "
                                   "(give count= or generate it sharded with parents={...})")
        return key_function(self.parent, self.field)(factory.random.randgen.randrange(self.count))


def _name(target: Any) -> str:
    return getattr(target, "__name__", repr(target))


def key_function(parent: Any, field: str) -> KeyFn:
    """Row number -> key of ``parent``'s ``field`` (which must be a plain ``factory.Sequence``)."""
    from forge_factories.datasets.stream import resolve_factory

    factory_cls = resolve_factory(parent)
    decls = factory_cls._meta.pre_declarations
    decl = decls[field].declaration if field in decls.as_dict() else None
    if not isinstance(decl, fb_declarations.Sequence) or isinstance(decl, fb_declarations.LazyAttributeSequence):
        raise ForgeConfigError(f"{_name(parent)}.{field} must be a factory.Sequence to be referenced across "
                               f"partitions (found {type(decl).__name__ if decl is not None else 'no field'})")
    function: KeyFn = decl.function
    return function


def model_foreign_keys(factory_cls: Any) -> dict[str, tuple[Any, str]]:
    """Field -> (parent model, key attribute) of an auto factory's model (empty for other factories)."""
    info = getattr(factory_cls, "_forge_auto_info", None)
    if info is None:
        return {}
    out: dict[str, tuple[Any, str]] = {}
    for f in info.columns or info.fields:
        fk = f.foreign_key
        if fk is not None and fk.assign == "value" and fk.target is not info.model:
            out[f.name] = (fk.target, fk.attribute)
    return out


def parent_count(parent: Any, given: int | None, parents: Mapping[Any, int]) -> int:
    """The row count of ``parent`` in this run: ``parents`` (by factory or model) first, then ``given``."""
    from forge_factories.datasets.stream import resolve_factory

    for key, count in parents.items():
        if key is parent or resolve_factory(key) is resolve_factory(parent):
            return int(count)
    if given is not None:
        return int(given)
    raise ForgeConfigError(f"the count of {_name(parent)} rows is needed for its keys: "
                           f"pass parents={{{_name(parent)}: N}} (CLI: --parent module:{_name(parent)}=N)")


def key_column(key: KeyFn, count: int) -> Callable[[int, random.Random, Sequence[int]], list[Any]]:
    """A column function: ``n`` keys of parent rows drawn uniformly among ``count``."""
    if count <= 0:
        raise ForgeConfigError("a parent with no rows cannot be referenced")

    def column(n: int, rng: random.Random, seqs: Sequence[int]) -> list[Any]:
        return [key(int(rng.random() * count)) for _ in range(n)]

    return column
