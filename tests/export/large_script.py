"""Run create_large in a fresh process and print a digest (used by test_large)."""

from __future__ import annotations

import hashlib
import json
import sys

from forge_factories.datasets.export import dumps
from forge_factories.datasets.large import create_large
from forge_factories.llm.providers import RecordingProvider
from tests.export.models import MemberFactory

count = int(sys.argv[1])
rec = RecordingProvider()
rows = create_large(MemberFactory, count, seed_ratio=0.01, seed=42, provider=rec, as_dicts=True, progress=False,
                    executor="columns")
digest = hashlib.sha256("\n".join(dumps(r) for r in rows).encode()).hexdigest()
values = sum(len(item.fields) for req in rec.requests for item in req.items)
print(json.dumps({"digest": digest, "rows": len(rows), "values": values}))
