"""Print the JSON of a seeded swarm of four related models (run by test_determinism.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from forge_factories import Forge  # noqa: E402
from tests.forge.models import Customer, Order, Payment, Review  # noqa: E402


def main() -> None:
    forge = Forge(use_ai=False, seed=int(sys.argv[1]) if len(sys.argv) > 1 else 42)
    result = forge.swarm([Customer, Order, Payment, Review], counts=[15, 40, 30, 25],
                         contexts=["loyal customers", None, None, "angry holiday customers"])
    data = {name: [obj.model_dump(mode="json") for obj in objs] for name, objs in result.items()}
    sys.stdout.write(json.dumps(data, sort_keys=True, ensure_ascii=False))


if __name__ == "__main__":
    main()
