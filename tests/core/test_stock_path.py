"""The stock-builder path's bookkeeping: provenance of collected objects does not pile up."""

from __future__ import annotations

import gc
import importlib

import forge_factories
from forge_factories import provenance
from forge_factories.core import registry

prov = importlib.import_module("forge_factories.core.provenance")


class Thing:
    def __init__(self, n: int) -> None:
        self.n = n


class ThingFactory(forge_factories.Factory[Thing]):
    class Meta:
        model = Thing

    n = forge_factories.Sequence(int)


def test_provenance_of_collected_objects_is_swept() -> None:
    forge_factories.seed(1)
    gc.collect()
    before = prov.batch_count()
    kept = ThingFactory.build_batch(10)
    for _ in range(30):
        with registry.paused():
            ThingFactory.build_batch(1000)  # dropped at once
        gc.collect()
    # 30 batches recorded, their objects collected: each record went with its last object.
    assert prov.batch_count() <= before + 1
    assert provenance(kept[3])["n"].source == "sequence"
    assert provenance(Thing(1)) == {}  # an object forge never made (its id may be a dead one's)
