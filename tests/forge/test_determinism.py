"""Same seed, two processes (different hash seeds): byte-identical JSON of a swarm of four models."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("determinism_script.py")


def _run(seed: int, hash_seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "FORGE_OLLAMA_PROBE": "0"}
    return subprocess.run([sys.executable, str(SCRIPT), str(seed)], env=env, check=True,
                          capture_output=True, timeout=300).stdout


def test_swarm_json_is_byte_identical_across_processes() -> None:
    first = _run(42, "1")
    second = _run(42, "2024")
    assert first == second
    data = json.loads(first)
    assert [len(data[k]) for k in ("Customer", "Order", "Payment", "Review")] == [15, 40, 30, 25]
    customer_ids = {c["id"] for c in data["Customer"]}
    assert all(o["customer_id"] in customer_ids for o in data["Order"])
    assert all(r["review"] for r in data["Review"])


def test_another_seed_gives_other_data() -> None:
    assert _run(42, "3") != _run(43, "3")
