"""Files are whole or absent: disk full, a file-size limit, a killed writer, a failing consumer."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from forge_factories.common import atomic_files as _atomic
from forge_factories.datasets.export import DataExporter
from forge_factories.datasets.stream import create_stream

from .models import UserFactory

FORMATS = ("json", "jsonl", "csv", "sql")
ROOT = Path(__file__).resolve().parents[2]


def load(path: Path) -> list[dict[str, Any]]:
    """The records of an export file, read strictly (a cut-off record fails)."""
    kind = path.suffix[1:]
    text = path.read_bytes().decode("utf-8")
    if kind == "json":
        return list(json.loads(text))
    if kind == "jsonl":
        assert text == "" or text.endswith("\n")
        return [json.loads(line) for line in text.splitlines()]
    if kind == "csv":
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        assert text == "" or text.endswith("\r\n")
        return [dict(r) for r in rows]
    conn = sqlite3.connect(":memory:")
    conn.executescript(text)
    cur = conn.execute(f'SELECT * FROM "{path.stem}" ORDER BY rowid')
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def full(tmp_path: Path, kind: str, count: int) -> list[dict[str, Any]]:
    ref = tmp_path / "ref" / f"users.{kind}"
    ref.parent.mkdir(exist_ok=True)
    create_stream(UserFactory, count, ref, seed=4, batch_size=50, create_table=True).drain()
    return load(ref)


def temporaries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


class DiskFull:
    """``os.write`` on a disk of ``capacity`` bytes holding only this file: short writes, then ENOSPC."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.real = os.write

    def __call__(self, fd: int, data: Any) -> int:
        free = self.capacity - os.fstat(fd).st_size
        if free <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self.real(fd, bytes(data[: min(len(data), free, 777)]))


@pytest.mark.parametrize("kind", FORMATS)
def test_disk_full_exporter_leaves_target_untouched(tmp_path: Path, kind: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / f"users.{kind}"
    target.write_text("previous content")
    rows = [{"id": i, "text": "x" * 50} for i in range(2000)]
    monkeypatch.setattr(_atomic, "BUFFER_SIZE", 4096)
    monkeypatch.setattr(_atomic.os, "write", DiskFull(20_000))
    export = {"json": DataExporter.to_json, "jsonl": DataExporter.to_jsonl, "csv": DataExporter.to_csv,
              "sql": lambda r, p: DataExporter.to_sql(r, p, "users")}[kind]
    with pytest.raises(OSError) as info:
        export(rows, target)
    assert info.value.errno == errno.ENOSPC
    assert target.read_text() == "previous content"
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("kind", FORMATS)
def test_disk_full_stream_keep_ends_at_a_whole_record(tmp_path: Path, kind: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    expected = full(tmp_path, kind, 2000)
    target = tmp_path / f"users.{kind}"
    monkeypatch.setattr(_atomic, "BUFFER_SIZE", 4096)
    monkeypatch.setattr(_atomic.os, "write", DiskFull(60_000))
    with pytest.raises(OSError) as info:
        create_stream(UserFactory, 2000, target, seed=4, batch_size=50, create_table=True).drain()
    monkeypatch.undo()
    assert info.value.errno == errno.ENOSPC
    got = load(target)
    assert 0 < len(got) < 2000
    assert got == expected[: len(got)]  # whole records, exactly as a complete run writes them
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("kind", FORMATS)
def test_disk_full_stream_discard_leaves_nothing(tmp_path: Path, kind: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / f"users.{kind}"
    monkeypatch.setattr(_atomic, "BUFFER_SIZE", 4096)
    monkeypatch.setattr(_atomic.os, "write", DiskFull(30_000))
    with pytest.raises(OSError):
        create_stream(UserFactory, 2000, target, seed=4, on_error="discard").drain()
    assert list(tmp_path.iterdir()) == []


def test_failing_fsync_leaves_target_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "users.jsonl"
    target.write_text("old\n")

    def broken(fd: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(_atomic.os, "fsync", broken)
    with pytest.raises(OSError):
        DataExporter.to_jsonl([{"a": 1}], target)
    assert target.read_text() == "old\n" and temporaries(tmp_path) == []


FSIZE_SCRIPT = textwrap.dedent("""
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    from forge_factories.common import atomic_files as _atomic
    _atomic.BUFFER_SIZE = 8192
    from forge_factories.datasets.stream import create_stream
    from forge_factories.datasets.export import DataExporter
    from tests.export.models import UserFactory
    if sys.argv[1] == "stream":
        create_stream(UserFactory, 5000, sys.argv[2], seed=4, batch_size=50, create_table=True).drain()
    else:
        rows = [{"id": i, "text": "y" * 80} for i in range(5000)]
        export = {"json": DataExporter.to_json, "jsonl": DataExporter.to_jsonl, "csv": DataExporter.to_csv,
                  "sql": lambda r, p: DataExporter.to_sql(r, p, "users")}[sys.argv[2].rsplit(".", 1)[1]]
        export(rows, sys.argv[2])
""")


def _limited(tmp_path: Path, mode: str, target: Path, limit: int) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", FSIZE_SCRIPT, mode, str(target), str(limit)], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("kind", FORMATS)
def test_file_size_limit_stream_keeps_whole_records(tmp_path: Path, kind: str) -> None:
    target = tmp_path / f"users.{kind}"
    out = _limited(tmp_path, "stream", target, 100_000)
    assert out.returncode != 0 and "File too large" in out.stderr, out.stderr
    got = load(target)
    assert 0 < len(got) < 5000
    assert got == full(tmp_path, kind, 5000)[: len(got)]
    assert target.stat().st_size <= 100_000
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("kind", FORMATS)
def test_file_size_limit_exporter_leaves_target_untouched(tmp_path: Path, kind: str) -> None:
    target = tmp_path / f"users.{kind}"
    target.write_text("previous content")
    out = _limited(tmp_path, "export", target, 100_000)
    assert out.returncode != 0 and "File too large" in out.stderr, out.stderr
    assert target.read_text() == "previous content"
    assert temporaries(tmp_path) == []


KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from forge_factories.datasets.stream import create_stream
    from tests.export.models import UserFactory
    for i, _ in enumerate(create_stream(UserFactory, 100_000, sys.argv[1], seed=1)):
        if i == 20_000:
            os.kill(os.getpid(), signal.SIGKILL)
""")


def test_killed_writer_leaves_a_temporary_the_next_run_removes(tmp_path: Path) -> None:
    target = tmp_path / "users.jsonl"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(target)], env=env, timeout=300)
    assert out.returncode == -signal.SIGKILL
    assert not target.exists()
    (stale,) = temporaries(tmp_path)
    assert stale.startswith(".users.jsonl.")
    other = tmp_path / ".other.jsonl.999999999.tmp"  # another target's temporary is not ours
    other.write_text("")
    live = tmp_path / f".users.jsonl.{os.getppid()}.ab12.tmp"  # a running process's temporary stays
    live.write_text("")
    create_stream(UserFactory, 10, target, seed=1).drain()
    assert len(load(target)) == 10
    assert temporaries(tmp_path) == sorted([other.name, live.name])


def test_discard_leaves_no_file_when_the_consumer_raises(tmp_path: Path) -> None:
    target = tmp_path / "users.jsonl"
    with pytest.raises(RuntimeError):
        for i, _ in enumerate(create_stream(UserFactory, 100, target, on_error="discard")):
            if i == 10:
                raise RuntimeError("consumer")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(RuntimeError), create_stream(UserFactory, 100, target, on_error="discard") as stream:
        for i, _ in enumerate(stream):
            if i == 10:
                raise RuntimeError("consumer")
    assert list(tmp_path.iterdir()) == []
    with create_stream(UserFactory, 100, target, on_error="discard") as stream:  # closed on purpose: kept
        next(stream)
    assert len(load(target)) == 1


def test_keep_writes_what_the_consumer_saw_before_raising(tmp_path: Path) -> None:
    target = tmp_path / "users.csv"
    with pytest.raises(RuntimeError):
        for i, _ in enumerate(create_stream(UserFactory, 100, target, seed=2)):
            if i == 10:
                raise RuntimeError("consumer")
    assert len(load(target)) == 11


def test_a_writer_dropped_without_close_leaves_nothing(tmp_path: Path) -> None:
    from forge_factories.datasets.export import open_writer

    writer = open_writer(tmp_path / "users.jsonl")
    writer.write({"id": 1})
    assert len(temporaries(tmp_path)) == 1
    del writer
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["json", "jsonl"])
def test_a_bad_value_in_a_kept_stream_leaves_the_records_before_it(tmp_path: Path, kind: str) -> None:
    import math

    import forge_factories as factory
    from forge_factories.datasets.export import ExportError

    class Scores(factory.DictFactory):
        id = factory.Sequence(lambda n: n)
        score = factory.Iterator([1.0, 2.0, math.nan, 4.0])

    target = tmp_path / f"scores.{kind}"
    stream = create_stream(Scores, 4, target, as_dicts=True)
    with pytest.raises(ExportError, match="field 'score' is nan"):
        stream.drain()
    assert [row["score"] for row in load(target)] == [1.0, 2.0]
    assert stream.writer is not None and stream.writer.count == 2


def test_forge_generate_under_a_file_size_limit_leaves_nothing(tmp_path: Path) -> None:
    import resource

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))

    target = tmp_path / "users.csv"
    target.write_text("previous")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "forge_factories.cli", "generate", "tests.export.models:UserFactory",
                          "-n", "20000", "-o", str(target)], env=env, capture_output=True, text=True,
                         preexec_fn=limit, timeout=300)
    assert out.returncode == 1
    assert out.stderr.strip() == f"forge: error: cannot write {target}: File too large"
    assert target.read_text() == "previous" and temporaries(tmp_path) == []


@pytest.mark.parametrize("on_error", ["keep", "discard"])
def test_create_large_on_a_full_disk(tmp_path: Path, on_error: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from forge_factories.datasets.large import create_large

    target = tmp_path / "users.jsonl"
    monkeypatch.setattr(_atomic, "BUFFER_SIZE", 4096)
    monkeypatch.setattr(_atomic.os, "write", DiskFull(40_000))
    with pytest.raises(OSError):
        create_large(UserFactory, 3000, seed_ratio=0.01, filename=target, seed=4, progress=False, on_error=on_error)
    monkeypatch.undo()
    if on_error == "discard":
        assert list(tmp_path.iterdir()) == []
    else:
        got = load(target)
        assert 0 < len(got) < 3000 and temporaries(tmp_path) == []
