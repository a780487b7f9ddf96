"""A ``distributed.LocalCluster`` of 2 worker processes for the whole session (loopback only)."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")


@pytest.fixture(scope="session")
def flaky_dir() -> str:
    """Where FlakyFactory records its one failure (set before the workers start: they inherit it)."""
    path = tempfile.mkdtemp(prefix="forge-flaky-")
    os.environ["FORGE_TEST_FLAKY_DIR"] = path
    return path


@pytest.fixture(scope="session")
def client(flaky_dir: str) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster, Client(cluster) as c:
        c.wait_for_workers(2)
        yield c
