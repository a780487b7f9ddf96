"""The engine's own bookkeeping: no cyclic GC pass inside a call, no cycles left behind after it."""

from __future__ import annotations

import gc
import types

import pytest

import forge_factories as factory
from forge_factories import SemanticAttribute


def test_a_call_leaves_no_cyclic_garbage_behind() -> None:
    class Bio(factory.Factory):
        class Meta:
            model = dict

        name = factory.Sequence(lambda n: f"person {n}")
        bio = SemanticAttribute("a bio of {name}", max_length=200)

    Bio.build_batch(2)
    gc.collect()
    objs = Bio.build_batch(200)
    assert len({o["bio"] for o in objs}) == 200
    # Steps, resolvers and states were freed by reference counting: none of forge's objects
    # (or functions) is left for the collector. Only forge's are counted: garbage of an
    # earlier test (a fake server whose handler thread ended since) may be collected here too.
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        left = sorted({type(o).__qualname__ for o in gc.garbage if _of_forge(o)})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []


def _of_forge(obj: object) -> bool:
    """An instance of a forge class, or a function defined in forge's code."""
    module = obj.__module__ if isinstance(obj, types.FunctionType) else type(obj).__module__
    return (module or "").startswith("forge_factories")


def test_the_cyclic_gc_is_paused_during_a_call_and_restored_after_an_error() -> None:
    seen: list[bool] = []

    def note(n: int) -> str:
        seen.append(gc.isenabled())
        if n == 7:
            raise LookupError("no name for 7")
        return f"person {n}"

    class Bio(factory.Factory):
        class Meta:
            model = dict

        name = factory.Sequence(note)
        bio = SemanticAttribute("a bio of {name}", max_length=200)

    assert gc.isenabled()
    Bio.reset_sequence()
    Bio.build_batch(3)
    assert seen == [False, False, False]
    with pytest.raises(LookupError):
        Bio.build_batch(10)
    assert gc.isenabled()
