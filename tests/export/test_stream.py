"""create_stream: lazy, valid files on every ending, bounded chunks."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from forge_factories.datasets.export import ExportError
from forge_factories.datasets.stream import create_stream
from forge_factories.llm.providers import RecordingProvider

from .models import Explodes, FragileFactory, MemberFactory, Parent, User, UserFactory


def test_jsonl_stream_yields_models_and_writes_each(tmp_path: Path) -> None:
    path = tmp_path / "users.jsonl"
    users = list(create_stream(UserFactory, 25, path, seed=3))
    assert all(isinstance(u, User) for u in users)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [row["id"] for row in lines] == [u.id for u in users] == list(range(1, 26))
    assert lines[0]["created_at"] == users[0].created_at.isoformat()


def test_stream_is_lazy_and_bad_path_fails_before_generating(tmp_path: Path) -> None:
    path = tmp_path / "later.json"
    stream = create_stream(UserFactory, 5, path)
    assert not path.exists() and list(tmp_path.iterdir()) == []
    stream.close()
    assert not path.exists()
    with pytest.raises(ExportError, match="does not exist"):
        create_stream(UserFactory, 5, tmp_path / "no" / "such" / "dir.json")
    with pytest.raises(ExportError, match="unknown format"):
        create_stream(UserFactory, 5, tmp_path / "x.parquet")


def test_consumer_stops_after_10_leaves_valid_json(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    for i, _user in enumerate(create_stream(UserFactory, 1000, path, seed=1)):
        if i == 9:
            break
    data = json.loads(path.read_text())
    assert [row["id"] for row in data] == list(range(1, 11))


def test_consumer_exception_at_500_leaves_valid_files(tmp_path: Path) -> None:
    for name in ("users.json", "users.jsonl", "users.csv", "users.sql"):
        path = tmp_path / name
        with pytest.raises(RuntimeError, match="consumer"):
            for i, _user in enumerate(create_stream(UserFactory, 2000, path, seed=1, batch_size=64)):
                if i == 499:
                    raise RuntimeError("consumer failed")
        if name.endswith(".json"):
            assert len(json.loads(path.read_text())) == 500
        elif name.endswith(".jsonl"):
            assert len([json.loads(line) for line in path.read_text().splitlines()]) == 500
        elif name.endswith(".csv"):
            with path.open(newline="") as fh:
                assert len(list(csv.DictReader(fh))) == 500
        else:
            conn = sqlite3.connect(":memory:")
            conn.execute('CREATE TABLE "users" (id, first_name, last_name, email, city, country, age, '
                         'is_active, created_at, score)')
            conn.executescript(path.read_text())
            assert conn.execute('SELECT count(*) FROM "users"').fetchone()[0] == 500


def test_factory_exception_at_500_leaves_valid_json(tmp_path: Path) -> None:
    path = tmp_path / "fragile.json"
    seen = 0
    with pytest.raises(Explodes):
        for _row in create_stream(FragileFactory, 2000, path, chunk_size=1, executor="objects"):
            seen += 1
    assert seen == 500
    assert len(json.loads(path.read_text())) == 500


def test_on_error_discard_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "fragile.jsonl"
    with pytest.raises(Explodes):
        create_stream(FragileFactory, 2000, path, chunk_size=1, executor="objects", on_error="discard").drain()
    assert list(tmp_path.iterdir()) == []


def test_context_manager_close_finalises(tmp_path: Path) -> None:
    path = tmp_path / "u.json"
    with create_stream(UserFactory, 100, path) as stream:
        next(stream)
        next(stream)
    assert len(json.loads(path.read_text())) == 2
    assert stream.written == 2


def test_sql_stream_batches_multirow_inserts(tmp_path: Path) -> None:
    path = tmp_path / "u.sql"
    create_stream(UserFactory, 250, path, batch_size=100, create_table=True, table_name="app users").drain()
    text = path.read_text()
    assert text.count("INSERT INTO") == 3 and text.startswith('CREATE TABLE "app users"')
    conn = sqlite3.connect(":memory:")
    conn.executescript(text)
    assert conn.execute('SELECT count(DISTINCT id) FROM "app users"').fetchone()[0] == 250


def test_semantic_fields_one_request_per_chunk(tmp_path: Path) -> None:
    rec = RecordingProvider()
    rows = list(create_stream(MemberFactory, 30, tmp_path / "m.jsonl", chunk_size=10, provider=rec, seed=5))
    assert [len(r.items) for r in rec.requests] == [10, 10, 10]
    assert rec.requests[0].items[0].conditioning == {"name": rows[0].name}
    assert all(m.bio for m in rows)


def test_same_seed_same_file(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    create_stream(MemberFactory, 300, a, seed=11, chunk_size=128).drain()
    create_stream(MemberFactory, 300, b, seed=11, chunk_size=128).drain()
    assert a.read_bytes() == b.read_bytes()
    c = tmp_path / "c.jsonl"
    create_stream(MemberFactory, 300, c, seed=12, chunk_size=128).drain()
    assert c.read_bytes() != a.read_bytes()


def test_object_path_for_subfactories(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    rows = list(create_stream(Parent, 7, path))
    assert [r["child"] for r in rows] == [{"label": "x"}] * 7
    assert [json.loads(line)["child"]["label"] for line in path.read_text().splitlines()] == ["x"] * 7


def test_a_named_pipe_target_is_written_in_place_not_replaced(tmp_path: Path) -> None:
    import os
    import stat
    import threading

    pipe = tmp_path / "users.jsonl"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    written = sum(1 for _ in create_stream(UserFactory, 25, pipe, seed=3))
    reader.join(timeout=10)
    assert written == 25
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)  # still the pipe: no temporary file renamed onto it
    lines = received[0].decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == list(range(1, 26))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["users.jsonl"]


def test_dev_null_is_an_accepted_target() -> None:
    from forge_factories.datasets.stream import check_target_path

    assert str(check_target_path("/dev/null")) == "/dev/null"  # its directory need not be writable
