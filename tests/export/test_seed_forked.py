"""Chunks made in forked workers (``datasets.forked``) and written by ``forge seed``'s column
path: the same results, in the same order, whatever the number of workers and the timing."""

from __future__ import annotations

import functools
import hashlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import forge_factories as factory
from forge_factories._compat import psycopg as compat_psycopg
from forge_factories.datasets.dbseed import seed_url
from forge_factories.datasets.forked import WorkerError, ordered_map
from forge_factories.datasets.stream import iter_chunks

from .models import UserFactory
from .servers import pg_with_tables

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


_FRESH = "FORGE_TEST_FRESH_PROCESS"


def in_a_fresh_process(test: Callable[..., None]) -> Callable[..., None]:
    """Run ``test`` where only one thread runs, so ``ordered_map`` may fork: here if no other
    thread runs, else in a new pytest process of its own (threads an earlier test left running,
    as in a one-process run of the whole suite, would keep it from forking)."""

    @functools.wraps(test)
    def run(*args: object, **kwargs: object) -> None:
        if threading.active_count() == 1 or os.environ.get(_FRESH):
            test(*args, **kwargs)
            return
        node = os.environ["PYTEST_CURRENT_TEST"].rsplit(" ", 1)[0]
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:xdist", node],
                              capture_output=True, text=True, env=dict(os.environ, **{_FRESH: "1"}), timeout=600)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    return run


def _item(i: int) -> bytes:
    if i % 3 == 1:
        time.sleep(0.01)  # uneven items: the caller takes some while a worker is busy
    return hashlib.sha256(str(i).encode()).digest() * (1 + i % 5)


def _no_children() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("workers", [0, 1, 2])
@in_a_fresh_process
def test_ordered_map_gives_the_items_in_order_whoever_computes_them(workers: int) -> None:
    assert list(ordered_map(_item, 25, workers=workers)) == [_item(i) for i in range(25)]
    assert _no_children()


@in_a_fresh_process
def test_a_workers_failure_is_raised_with_its_traceback() -> None:
    parent = os.getpid()

    def fails_in_a_worker(i: int) -> bytes:
        if os.getpid() != parent:
            raise ValueError(f"bad item {i}")
        return b"x"

    with pytest.raises(WorkerError, match="bad item 1"):
        list(ordered_map(fails_in_a_worker, 6, workers=1))  # item 1 is the worker's first
    assert _no_children()


@in_a_fresh_process
def test_no_fork_while_another_thread_runs() -> None:
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        pids = list(ordered_map(lambda i: str(os.getpid()).encode(), 8, workers=2))
    finally:
        stop.set()
        other.join()
    assert set(pids) == {str(os.getpid()).encode()}
    assert len(set(ordered_map(lambda i: str(os.getpid()).encode(), 8, workers=1))) == 2  # alone again: it forks


@in_a_fresh_process
def test_closing_early_ends_the_workers() -> None:
    items = ordered_map(_item, 40, workers=2)
    assert next(items) == _item(0)
    items.close()
    assert _no_children()


class Plain(factory.Factory):
    """Faker fields and a sequence only: its chunks depend on their number alone."""

    class Meta:
        model = dict

    id = factory.Sequence(lambda n: n + 1)
    name = factory.Faker("name")
    address = factory.Faker("address")
    bio = factory.Faker("text", max_nb_chars=120)
    born = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)
    seen = factory.Faker("date_time_between", start_date="-1y")
    score = factory.Faker("random_int", min=0, max=1000)


@pytest.fixture
def pg() -> Iterator[Any]:
    yield from pg_with_tables("seed_forked")


PLAIN = "id bigint, name text, address text, bio text, born date, seen timestamp, score bigint"
FIELDS = ["id", "name", "address", "bio", "born", "seen", "score"]


def _stored(pg: Any, table: str, fields: list[str]) -> list[tuple[Any, ...]]:
    return pg.execute(f'SELECT {", ".join(fields)} FROM "{table}" ORDER BY id').fetchall()


@in_a_fresh_process
def test_seeded_rows_are_the_same_whatever_the_workers(pg: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers 0, 1 and 2, and the row path (the encoder's probe failed), store the same rows:
    those ``iter_chunks`` gives for the seed, in the same physical order."""
    expected = [tuple(row[f] for f in FIELDS) for chunk in iter_chunks(
        Plain, 2300, seed=5, as_dicts=True, chunk_size=400, executor="columns") for row in chunk]
    tables = []
    for workers in (0, 1, 2):
        table = pg.table(PLAIN)
        result = seed_url(PG_URL, [(Plain, 2300, table)], seed=5, chunk_size=400, executor="columns",
                          workers=workers)
        assert [(r.rows, r.method) for r in result] == [(2300, "copy")]
        assert _stored(pg, table, FIELDS) == expected
        tables.append(table)
    monkeypatch.setattr(compat_psycopg.FORMAT_ROW_BINARY, "result", False)
    table = pg.table(PLAIN)
    seed_url(PG_URL, [(Plain, 2300, table)], seed=5, chunk_size=400, executor="columns")
    assert _stored(pg, table, FIELDS) == expected
    physical = [pg.execute(f'SELECT ctid, id FROM "{t}"').fetchall() for t in tables]  # where each row went
    assert physical[0] == physical[1] == physical[2]


def test_a_plan_with_lazy_attributes_is_made_in_one_process(pg: Any) -> None:
    """``UserFactory.email`` is a ``LazyAttribute`` (its function may read any state): the chunks
    are made in order by this process, written from their columns; the rows are the row path's."""
    table = pg.table("id bigint, first_name text, last_name text, email text, city text, country text, "
                     "age bigint, is_active boolean, created_at timestamp, score bigint")
    seed_url(PG_URL, [(UserFactory, 1500, table)], seed=3, chunk_size=500, executor="columns", workers=2)
    expected = [(r["id"], r["email"], r["created_at"]) for chunk in iter_chunks(
        UserFactory, 1500, seed=3, as_dicts=True, chunk_size=500, executor="columns") for r in chunk]
    assert _stored(pg, table, ["id", "email", "created_at"]) == expected
    assert _no_children()
