"""Benchmark: 1000 records x 2 semantic fields against the fake LLM server with 300 ms per request.

Prints the wall time of one fill (and of one ``build_batch`` through a factory) next to the
ideal ``(requests / concurrency) x latency`` and ``ceil(requests / concurrency) x latency``.
Each path is warmed with a one-record call on its fresh provider before it is timed. The fake
server runs in a process of its own, as a real API is not in the client's process (its threads
would compete with the client for the GIL); ``--in-process`` serves it from this process.
The provider's default concurrency is 5. ``--busy N`` runs N processes spinning on the CPU
for the whole run, to see the ratios on a loaded machine; the offline ``build_batch`` time of
the same run tells how fast the machine was.

    .venv/bin/python bench/bench_providers.py [--records 1000] [--latency 0.3] [--concurrency 4 5 10]
                                              [--in-process] [--busy N]
"""

from __future__ import annotations

import argparse
import contextlib
import math
import multiprocessing
import os
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("FORGE_MODE", "live")  # no lock file, no replay
os.environ.setdefault("FORGE_CACHE", "0")  # measure the API path, not the response cache

from forge_factories.llm.providers import accounting  # noqa: E402
from forge_factories.llm.providers.anthropic import AnthropicProvider  # noqa: E402
from forge_factories.llm.providers.offline import OfflineProvider  # noqa: E402
from tests.providers.fake_llm_process import FakeLLMServerProcess  # noqa: E402
from tests.providers.fake_llm_server import FakeLLMServer  # noqa: E402
from tests.providers.helpers import make_request, user_factory  # noqa: E402


def _spin() -> None:
    while True:
        pass


@contextlib.contextmanager
def busy_cpus(count: int) -> Iterator[None]:
    """``count`` processes spinning on the CPU while the block runs."""
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(count)]
    for process in spinners:
        process.start()
    try:
        yield
    finally:
        for process in spinners:
            process.terminate()
            process.join()


def offline_build_ms(records: int) -> float:
    """Best of three offline ``build_batch(records)`` of the same factory, in ms (machine speed)."""
    user_factory_cls = user_factory(OfflineProvider(), "strict")
    user_factory_cls.build_batch(1)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        user_factory_cls.build_batch(records)
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[5, 10])
    parser.add_argument("--in-process", action="store_true", help="serve the fake API from this process")
    parser.add_argument("--busy", type=int, default=0, help="processes spinning on the CPU during the run")
    args = parser.parse_args()
    warnings.simplefilter("error")
    serve = FakeLLMServer if args.in_process else FakeLLMServerProcess
    with busy_cpus(args.busy), serve(latency=args.latency) as server:
        print(f"offline build_batch({args.records}): {offline_build_ms(args.records):.0f} ms"
              f" ({os.cpu_count()} CPUs, {args.busy} busy processes)")
        provider = AnthropicProvider(base_url=server.url, api_key="bench")
        provider.fill(make_request(1))  # warm up (SDK import, connection)
        where = "this process" if args.in_process else "a separate process"
        print(f"{args.records} records x 2 semantic fields, {args.latency * 1000:.0f} ms per request, "
              f"fake server in {where}")
        print(f"{'path':<20}{'conc':>5}{'reqs':>6}{'wall s':>9}{'ideal s':>9}{'ratio':>7}{'waves s':>9}{'ratio':>7}")
        for conc in args.concurrency:
            for path in ("fill", "build_batch"):
                provider = AnthropicProvider(base_url=server.url, api_key="bench", max_concurrency=conc)
                user_factory_cls = user_factory(provider, "strict")
                # Warm both paths alike (client, governance classification), then time the first
                # full-size call (it also opens the extra connections) and a repeated one.
                if path == "fill":
                    provider.fill(make_request(1))
                else:
                    user_factory_cls.build_batch(1)
                for run in ("first", "repeat"):
                    server.reset()
                    accounting.reset_usage()
                    start = time.perf_counter()
                    if path == "fill":
                        result = provider.fill(make_request(args.records))
                        assert len(result.values) == args.records
                    else:
                        users = user_factory_cls.build_batch(args.records)
                        assert len({u.bio for u in users}) == args.records
                    wall = time.perf_counter() - start
                    reqs = server.count()
                    ideal = reqs / conc * args.latency
                    waves = math.ceil(reqs / conc) * args.latency
                    label = f"{path} {run}"
                    print(f"{label:<20}{conc:>5}{reqs:>6}{wall:>9.3f}{ideal:>9.3f}{wall / ideal:>7.2f}"
                          f"{waves:>9.3f}{wall / waves:>7.2f}")
        print("session tokens (last run):", accounting.session_tokens())


if __name__ == "__main__":
    main()
