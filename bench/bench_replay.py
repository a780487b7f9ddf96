"""Replay vs offline: 1000 records x 2 semantic fields (target: replay <= 1.2x offline).

Run: .venv/bin/python bench/bench_replay.py [--count 1000] [--repeat 3]
Prints the wall time of ``build_batch(count)`` with the offline provider, and in replay mode
from a lock file recorded just before (cold = first replay in a fresh LockFile, parsing
included; warm = index already loaded), and the ratios.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import factory

import forge_factories
from forge_factories import AIDictFactory, SemanticAttribute, seed
from forge_factories.common.errors import ForgeWarning
from forge_factories.llm.providers.base import FillResult
from forge_factories.llm.providers.offline import OfflineProvider
from forge_factories.store import lockfile, wrap_provider


class InstantLLM:
    """A 'live' provider that answers at once (recording cost is not what is measured)."""

    name = "bench"
    model = "bench-1"

    def fill(self, request: Any) -> FillResult:
        return FillResult(values={i.index: {f: f"{f} for {i.conditioning.get('name')} #{i.key}, a realistic "
                                               f"sentence or two of text" for f in i.fields}
                                  for i in request.items}, source="bench")


class Dead(InstantLLM):
    def fill(self, request: Any) -> FillResult:
        raise AssertionError("live provider called during replay")


class UserFactory(AIDictFactory):
    name = factory.Sequence(lambda n: f"user{n}")
    bio = SemanticAttribute("a short bio of {name}", max_length=300)
    tagline = SemanticAttribute("a tagline for {name}", max_length=200)


class Capture:
    """Passes requests to ``inner`` and keeps them (to time the providers alone)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = "offline"  # offline text: never cached or recorded by the store
        self.requests: list[Any] = []

    def fill(self, request: Any) -> Any:
        self.requests.append(request)
        return self.inner.fill(request)


def _fill_time(provider: Any, request: Any) -> float:
    seed(1)
    start = time.perf_counter()
    provider.fill(request)
    return time.perf_counter() - start


def timed(provider: Any, count: int) -> float:
    forge_factories.configure(provider=provider)
    seed(1)
    start = time.perf_counter()
    UserFactory.build_batch(count)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # the offline generator may repeat short texts (then the engine warns and re-writes them):
    # part of the offline cost being compared, not worth printing.
    warnings.simplefilter("ignore", ForgeWarning)
    with tempfile.TemporaryDirectory() as tmp:
        lock = Path(tmp) / "forge.lock.jsonl"
        timed(wrap_provider(InstantLLM(), mode="record", lock_path=lock, use_cache=False), args.count)
        offline = min(timed(OfflineProvider(), args.count) for _ in range(args.repeat))
        cold = []
        for _ in range(args.repeat):
            lockfile._OPEN.clear()  # a fresh process: the lock file is parsed again
            cold.append(timed(wrap_provider(Dead(), mode="replay", lock_path=lock), args.count))
        warm = min(timed(wrap_provider(Dead(), mode="replay", lock_path=lock), args.count)
                   for _ in range(args.repeat))
        forge_factories.configure(provider=None)
        size = lock.stat().st_size
        # the providers alone, on the same 1000-item request (no factory work around them)
        capture = Capture(OfflineProvider())
        forge_factories.configure(provider=capture)
        seed(1)
        UserFactory.build_batch(args.count)
        forge_factories.configure(provider=None)
        request = capture.requests[0]
        fill_offline = min(_fill_time(OfflineProvider(), request) for _ in range(args.repeat))
        replayer = wrap_provider(Dead(), mode="replay", lock_path=lock)
        fill_replay = min(_fill_time(replayer, request) for _ in range(args.repeat))
    print(f"records={args.count} semantic fields=2 lock entries={2 * args.count} lock size={size / 1024:.0f} KiB")
    print(f"offline build_batch:        {offline * 1000:8.1f} ms")
    print(f"replay (cold, parse incl.): {min(cold) * 1000:8.1f} ms  ratio {min(cold) / offline:.2f}x")
    print(f"replay (warm):              {warm * 1000:8.1f} ms  ratio {warm / offline:.2f}x")
    print(f"provider fill only, {len(request.items)} items: offline {fill_offline * 1000:.1f} ms, "
          f"replay {fill_replay * 1000:.1f} ms (ratio {fill_replay / fill_offline:.2f}x)")
    print("target: replay <= 1.20x offline")


if __name__ == "__main__":
    main()
