"""What importing forge_factories (and running ``forge seed``) loads, and the CLI's collector handling.

Each check runs in a fresh interpreter: the test process has imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from .servers import pg_connect

ROOT = Path(__file__).resolve().parents[2]

#: Loaded only by the code that needs them, never by ``import forge_factories``.
LAZY = [
    "forge_factories.cli", "forge_factories.datasets.dbseed", "forge_factories.datasets.stream", "forge_factories.datasets.columnar",
    "forge_factories.samplers", "forge_factories.datasets.export", "forge_factories.datasets.large", "forge_factories.forge",
    "forge_factories.alchemy", "forge_factories.django", "forge_factories.store",
    "psycopg", "pymysql", "pydantic", "pydantic_core", "tqdm", "httpx2", "anthropic", "openai", "sqlalchemy.dialects.postgresql",
]


def _loaded(code: str, names: list[str]) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps([n for n in {names!r} if n in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.returncode == 0, out.stderr
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def test_import_forge_factories_loads_none_of_the_lazy_modules() -> None:
    assert _loaded("import forge_factories", LAZY) == []
    # the probe sees modules: factory_boy's own imports are there
    assert _loaded("import forge_factories", ["factory", "forge_factories.core.base"]) == ["factory", "forge_factories.core.base"]


def test_the_cli_module_imports_only_argument_parsing() -> None:
    assert _loaded("import forge_factories.cli", LAZY) == ["forge_factories.cli"]


def test_forge_seed_into_existing_postgresql_table_needs_no_sqlalchemy_dialect() -> None:
    conn = pg_connect(autocommit=True)
    table = f"lazy_users_{uuid.uuid4().hex[:8]}"
    conn.execute(f'CREATE TABLE "{table}" (id bigint, first_name text, last_name text, email text, city text, '
                 "country text, age bigint, is_active boolean, created_at timestamp, score bigint)")
    try:
        code = ("from forge_factories.cli import main\n"
                f"assert main(['seed', 'postgresql://postgres@127.0.0.1/test', "
                f"'tests.export.models:UserFactory=50@{table}', '--seed', '3', '-q']) == 0")
        loaded = _loaded(code, ["sqlalchemy.dialects.postgresql", "forge_factories.alchemy", "psycopg", "tqdm",
                                "pydantic_core"])
        assert loaded == ["psycopg"]  # -q draws no bar (no tqdm); no JSON conversion (no pydantic-core)
        assert conn.execute(f'SELECT count(*) FROM "{table}"').fetchone() == (50,)
    finally:
        conn.execute(f'DROP TABLE IF EXISTS "{table}"')
        conn.close()


def test_main_leaves_the_collector_alone_in_process(tmp_path: Path) -> None:
    import gc

    from forge_factories.cli import main

    frozen = gc.get_freeze_count()
    assert main(["generate", "tests.export.models:UserFactory", "-n", "5", "-o", str(tmp_path / "u.jsonl"), "-q"]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_main_as_the_program_freezes_what_is_left_before_exit(tmp_path: Path) -> None:
    out = tmp_path / "u.jsonl"
    code = ("import gc, sys\nfrom forge_factories.cli import main\n"
            f"sys.argv = ['forge', 'generate', 'tests.export.models:UserFactory', '-n', '20', '-o', {str(out)!r}, '-q']\n"
            "code = main()\nprint(code, gc.isenabled(), gc.get_freeze_count() > 1000)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert run.stdout.split() == ["0", "True", "True"], run.stderr
    assert len(out.read_text().splitlines()) == 20
