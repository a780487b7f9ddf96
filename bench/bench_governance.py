"""Governance overhead: classification, memory checks, GovernedProvider around the offline provider.

Run: .venv/bin/python bench/bench_governance.py   (prints figures and ratios; no assertions)
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from forge_factories.governance import GovernedProvider, Memory, classify_model, classify_name, edge_cases
from forge_factories.llm.providers.offline import OfflineProvider
from forge_factories.llm.request import SemanticItem, SemanticRequest
from forge_factories.text.spec import FieldSpec

NAMES = ["shipping_address", "ssn", "creditCardNumber", "token_count", "sql_injection", "bio", "dob",
         "userIPv4Address", "opinion", "password_changed_at"]


class User(BaseModel):
    name: str
    age: int = Field(ge=0, le=150)
    status: str
    email: str
    ssn: str
    bio: str


def per_call(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def main() -> None:
    t_name = per_call(lambda: [classify_name(n) for n in NAMES], 2000) / len(NAMES)
    t_model = per_call(lambda: classify_model(User), 2000)
    root = Path(tempfile.mkdtemp()) / ".forge"
    memory = Memory(root=root)
    for i in range(20):
        memory.add_rule("user" if i % 2 else "general", f"age between {i} and {150 - i}" if i % 3 == 0
                        else f"Rule number {i} about tone and style")
    t_check = per_call(lambda: memory.check(User), 500)
    items = tuple(SemanticItem(i, str(i), ("bio",), {"name": f"N{i}", "ssn": "000-00-0001"}) for i in range(50))
    request = SemanticRequest("bench.UserFactory", "User", None, (FieldSpec("bio", "Bio of {name}"),), items)
    offline = OfflineProvider()
    governed = GovernedProvider(offline, memory=memory, model=User)
    t_plain = per_call(lambda: offline.fill(request), 50)
    t_gov = per_call(lambda: governed.fill(request), 50)
    t_edge = per_call(lambda: list(edge_cases(User, invalid=True)), 200)
    print(f"classify_name            {t_name * 1e6:8.1f} us/name")
    print(f"classify_model(User)     {t_model * 1e6:8.1f} us")
    print(f"memory.check (20 rules)  {t_check * 1e6:8.1f} us (files re-read each call)")
    print(f"offline fill, 50 items   {t_plain * 1e3:8.2f} ms")
    print(f"governed fill, 50 items  {t_gov * 1e3:8.2f} ms  ratio {t_gov / t_plain:.2f}x "
          f"(+{(t_gov - t_plain) * 1e3:.2f} ms per request)")
    print(f"edge_cases(User, invalid=True) {t_edge * 1e6:8.1f} us")


if __name__ == "__main__":
    main()
