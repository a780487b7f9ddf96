"""The ``forge`` command, run as a subprocess (installed script when present, else ``python -m``)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from .servers import maria_connect, pg_connect

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "forge"
COMMANDS = [pytest.param([sys.executable, "-m", "forge_factories.cli"], id="python-m")]
if SCRIPT.exists() or shutil.which("forge"):
    COMMANDS.append(pytest.param([str(SCRIPT if SCRIPT.exists() else shutil.which("forge"))], id="script"))
TARGET = "tests.export.models:UserFactory"


@pytest.fixture(params=COMMANDS)
def forge(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    base = request.param
    env = dict(os.environ, PYTHONPATH=str(ROOT))

    def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*base, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)

    return run


def test_help_explains(forge) -> None:  # type: ignore[no-untyped-def]
    out = forge("--help")
    assert out.returncode == 0 and "generate" in out.stdout and "Exit codes" in out.stdout
    gen = forge("generate", "--help")
    assert gen.returncode == 0 and "--format" in gen.stdout and "--seed-ratio" in gen.stdout


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "sql"])
def test_generate_each_format(forge, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"users.{fmt}"
    out = forge("generate", TARGET, "-n", "120", "--seed", "42", "-o", str(path), "--no-progress",
                *(["--create-table"] if fmt == "sql" else []))
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""  # no progress bar when stderr is not a terminal
    if fmt == "json":
        rows = json.loads(path.read_text())
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in path.read_text().splitlines()]
    elif fmt == "csv":
        with path.open(newline="") as fh:
            rows = list(csv.DictReader(fh))
    else:
        conn = sqlite3.connect(":memory:")
        conn.executescript(path.read_text())
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute('SELECT * FROM "users" ORDER BY id')]
    assert len(rows) == 120
    assert [int(r["id"]) for r in rows] == list(range(1, 121))


def test_generate_is_reproducible(forge, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert forge("generate", TARGET, "-n", "500", "--seed", "7", "-o", str(a), "-q").returncode == 0
    assert forge("generate", TARGET, "-n", "500", "--seed", "7", "-o", str(b), "-q").returncode == 0
    assert a.read_bytes() == b.read_bytes()


def test_generate_semantic_with_seed_ratio_offline(forge, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.jsonl"
    out = forge("generate", "tests.export.models:MemberFactory", "-n", "300", "--seed", "1", "--seed-ratio", "0.1",
                "--mode", "offline", "--context", "a book club", "-o", str(path))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(rows) == 300 and all(r["bio"] for r in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate", TARGET, "-n", "5", "-o", "{tmp}/x.xml"], "unknown format"),
        (["generate", TARGET, "-n", "5", "-o", "{tmp}/x.json", "--format", "xml"], "invalid choice"),
        (["generate", TARGET, "-n", "5", "-o", "{tmp}/x.sql", "--dialect", "oracle"], "unknown SQL dialect"),
        (["generate", "no_such_module_xyz:Thing", "-n", "5", "-o", "{tmp}/x.json"], "cannot import"),
        (["generate", "tests.export.models:NoSuchFactory", "-n", "5", "-o", "{tmp}/x.json"], "has no"),
        (["generate", TARGET, "-n", "5", "-o", "{tmp}/missing/dir/x.json"], "does not exist"),
        (["generate", TARGET, "-n", "-3", "-o", "{tmp}/x.json"], "count"),
        (["generate", TARGET, "-n", "5", "-o", "{tmp}/x.json", "--mode", "psychic"], "invalid choice"),
    ],
)
def test_bad_input_one_line_nonzero_no_file(forge, tmp_path: Path, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    out = forge(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], out.stderr
    assert list(tmp_path.iterdir()) == []


def test_generation_failure_exit_1_no_file(forge, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = forge("generate", "tests.export.models:FragileFactory", "-n", "2000", "-o", str(tmp_path / "f.json"))
    assert out.returncode == 1
    assert "generation failed" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_seed_sqlite(forge, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "app.db"
    out = forge("seed", f"sqlite:///{db}", f"{TARGET}=300@people", "tests.export.models:MemberFactory=50",
                "--create-tables", "--seed", "3", "--mode", "offline")
    assert out.returncode == 0, out.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(DISTINCT id) FROM people").fetchone()[0] == 300
    assert conn.execute("SELECT count(*) FROM member WHERE length(bio) > 20").fetchone()[0] == 50


def test_seed_orm_factory_with_foreign_keys_goes_through_the_adapter(forge, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    target = "shop_factories:ReviewFactory=12"  # imported from the current directory, as a user would
    example = ROOT / "example_sqlalchemy"
    out = forge("seed", f"sqlite:///{db}", target, "--create-tables", "--seed", "5", "--mode", "offline", cwd=example)
    assert out.returncode == 0, out.stderr
    assert "ReviewFactory: 12 rows into shop_review (orm)" in out.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM shop_review").fetchone()[0] == 12
    # every review's order, and that order's customer and product, exist (parents first, one transaction)
    assert conn.execute(
        "SELECT count(*) FROM shop_review r JOIN shop_order o ON o.id = r.order_id "
        "JOIN shop_customer c ON c.id = o.customer_id JOIN shop_product p ON p.id = o.product_id"
    ).fetchone()[0] == 12
    first = [row[0] for row in conn.execute("SELECT body FROM shop_review ORDER BY id")]
    again = tmp_path / "again.db"
    assert forge("seed", f"sqlite:///{again}", target, "--create-tables", "--seed", "5", "--mode", "offline",
                 cwd=example).returncode == 0
    assert [row[0] for row in sqlite3.connect(again).execute("SELECT body FROM shop_review ORDER BY id")] == first


def test_seed_missing_table_and_bad_url(forge, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = forge("seed", f"sqlite:///{tmp_path / 'x.db'}", f"{TARGET}=10")
    assert out.returncode == 3 and "does not exist" in out.stderr
    out = forge("seed", "nosuchdb://x", f"{TARGET}=10")
    assert out.returncode == 3 and len(out.stderr.strip().splitlines()) == 1
    out = forge("seed", "sqlite://", "tests.export.models:UserFactory")
    assert out.returncode == 2 and "expected module:Factory=N" in out.stderr


def test_seed_postgresql_binary_copy(forge) -> None:  # type: ignore[no-untyped-def]
    conn = pg_connect(autocommit=True)
    table = f"cli_users_{uuid.uuid4().hex[:8]}"
    try:
        out = forge("seed", "postgresql://postgres@127.0.0.1/test", f"{TARGET}=2000@{table}", "--create-tables",
                    "--seed", "5")
        assert out.returncode == 0, out.stderr
        assert "(copy)" in out.stdout
        count, distinct, oldest = conn.execute(
            f'SELECT count(*), count(DISTINCT email), min(created_at) FROM "{table}"').fetchone()
        assert count == distinct == 2000 and oldest.year >= 2023
    finally:
        conn.execute(f'DROP TABLE IF EXISTS "{table}"')
        conn.close()


def test_seed_mariadb_multirow_insert(forge) -> None:  # type: ignore[no-untyped-def]
    conn = maria_connect(database="test", autocommit=True)
    table = f"cli_users_{uuid.uuid4().hex[:8]}"
    cur = conn.cursor()
    try:
        out = forge("seed", "mysql://root@127.0.0.1/test", f"{TARGET}=700@{table}", "--create-tables", "--seed", "5")
        assert out.returncode == 0, out.stderr
        assert "(insert)" in out.stdout
        cur.execute(f"SELECT count(*), count(DISTINCT id) FROM `{table}`")
        assert cur.fetchone() == (700, 700)
    finally:
        cur.execute(f"DROP TABLE IF EXISTS `{table}`")
        conn.close()


def test_lock_check_and_prune(forge, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from forge_factories.store.keys import PROMPT_VERSION
    from forge_factories.store.lockfile import dump_line

    from .models import MemberFactory

    spec = MemberFactory._meta.declarations["bio"].spec("bio").spec_hash()
    base = {"factory": "tests.export.models.MemberFactory", "spec": spec, "context": "", "seed": 1, "item": "0",
            "ordinal": 0, "prompt": PROMPT_VERSION, "value": "A bio."}
    lock = tmp_path / "forge.lock.jsonl"
    lock.write_text(dump_line({**base, "field": "bio"}) + "\n" + dump_line({**base, "field": "nickname"}) + "\n")
    out = forge("lock", "check", "--lock-file", str(lock), "-m", "tests.export.models")
    assert out.returncode == 4 and "orphan" in out.stdout and "nickname" in out.stdout
    out = forge("lock", "prune", "--lock-file", str(lock), "-m", "tests.export.models")
    assert out.returncode == 0 and "pruned 1 entries" in out.stdout
    assert forge("lock", "check", "--lock-file", str(lock), "-m", "tests.export.models").returncode == 0
    assert forge("lock", "check", "--lock-file", str(lock)).returncode == 4  # unresolved: module not named
    assert len(lock.read_text().splitlines()) == 1
    missing = forge("lock", "check", "--lock-file", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and "no lock file" in missing.stderr
