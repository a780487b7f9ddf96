"""``forge migrate``: diff, --apply (atomic, idempotent), --check, errors, encodings."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("libcst")

from forge_factories.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FACTORIES = """\
import factory  # factory_boy
from factory.django import DjangoModelFactory


class UserFactory(factory.Factory):
    class Meta:
        model = dict

    name = factory.Faker("name")
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_prints_a_unified_diff_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "suite/factories.py", FACTORIES)
    assert main(["migrate", str(tmp_path / "suite")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        f"--- {path.as_posix()}", f"+++ {path.as_posix()}", "@@ -1,5 +1,5 @@",
        "-import factory  # factory_boy", "-from factory.django import DjangoModelFactory",
        "+import forge_factories as factory  # factory_boy", "+from forge_factories.django import DjangoModelFactory",
        " ", " ", " class UserFactory(factory.Factory):"]
    assert path.read_text() == FACTORIES


def test_apply_writes_atomically_and_a_second_run_changes_nothing(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "factories.py", FACTORIES)
    untouched = write(tmp_path, "other.py", "import os\n")
    path.chmod(0o640)
    inode = path.stat().st_ino
    assert main(["migrate", "--apply", str(tmp_path)]) == 0
    assert path.read_text() == FACTORIES.replace("import factory  #", "import forge_factories as factory  #").replace(
        "from factory.django", "from forge_factories.django")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.stat().st_ino != inode  # replaced by a rename, not rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["factories.py", "other.py"]  # no temp file left
    assert untouched.read_text() == "import os\n"
    capsys.readouterr()
    before = path.read_bytes()
    assert main(["migrate", "--apply", str(tmp_path)]) == 0
    assert path.read_bytes() == before
    assert main(["migrate", str(tmp_path)]) == 0
    assert capsys.readouterr().out == ""


def test_check_exits_1_only_when_something_would_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "factories.py", FACTORIES)
    assert main(["migrate", "--check", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == f"would migrate {path}\n"
    assert captured.err == "1 file(s) would be migrated\n"
    assert path.read_text() == FACTORIES
    main(["migrate", "--apply", str(path)])
    assert main(["migrate", "--check", str(path)]) == 0


def test_bad_files_are_reported_and_the_others_still_migrated(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "a_broken.py", "import factory\ndef (:\n")
    good = write(tmp_path, "b_good.py", FACTORIES)
    assert main(["migrate", "--apply", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "a_broken.py: cannot parse" in err
    assert good.read_text().startswith("import forge_factories as factory")
    assert main(["migrate", str(tmp_path / "missing")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_environments_and_caches_are_not_walked(tmp_path: Path) -> None:
    write(tmp_path, ".venv/lib/site.py", FACTORIES)
    write(tmp_path, "build/x.py", FACTORIES)
    assert main(["migrate", "--check", str(tmp_path)]) == 0


def test_encoding_newlines_and_bom_are_kept(tmp_path: Path) -> None:
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\r\nimport factory\r\nname = '\xe9t\xe9'\r\n")
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbfimport factory\nx = factory.Faker('name')\n")
    assert main(["migrate", "--apply", str(tmp_path)]) == 0
    assert latin.read_bytes() == (b"# -*- coding: latin-1 -*-\r\nimport forge_factories as factory\r\n"
                                  b"name = '\xe9t\xe9'\r\n")
    assert bom.read_bytes() == b"\xef\xbb\xbfimport forge_factories as factory\nx = factory.Faker('name')\n"


def test_notes_name_the_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "v.py", "import os\nimport factory\nprint(factory.__version__)\n")
    assert main(["migrate", str(path)]) == 0
    assert capsys.readouterr().err.strip() == (
        f"{path}:2: kept 'import factory': uses factory.__version__, which forge_factories does not provide "
        "as a drop-in")


def test_importing_forge_factories_does_not_import_libcst() -> None:
    code = ("import sys, forge_factories, forge_factories.cli, forge_factories.migrate; "
            "forge_factories.cli.build_parser(); print('libcst' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.stdout.strip() == "False", out.stderr


def test_the_console_script_runs_it(tmp_path: Path) -> None:
    write(tmp_path, "factories.py", FACTORIES)
    script = Path(sys.executable).parent / "forge"
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "forge_factories.cli"]
    out = subprocess.run([*argv, "migrate", "factories.py"], cwd=tmp_path, capture_output=True,
                         text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.returncode == 0 and out.stdout.startswith("--- a/factories.py\n+++ b/factories.py\n")


def test_without_libcst_the_command_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "libcst" else real(name, *a))
    assert main(["migrate", "."]) == 2
    assert capsys.readouterr().err == (
        "forge: error: forge migrate needs libcst: pip install 'forge_factories[migrate]'\n")


def test_a_symlink_stays_a_link(tmp_path: Path) -> None:
    real = write(tmp_path, "real/factories.py", FACTORIES)
    link = tmp_path / "suite" / "factories.py"
    link.parent.mkdir()
    link.symlink_to(real)
    assert main(["migrate", "--apply", str(link)]) == 0
    assert link.is_symlink() and real.read_text().startswith("import forge_factories as factory")


def test_a_file_that_cannot_be_written_is_reported_and_left_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import errno

    from forge_factories.migrate import driver

    first = write(tmp_path, "a.py", FACTORIES)
    second = write(tmp_path, "b.py", FACTORIES)
    real_fdopen = os.fdopen
    calls = []

    def fdopen(fd: int, mode: str) -> object:
        calls.append(fd)
        if len(calls) == 1:
            os.close(fd)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fdopen(fd, mode)

    monkeypatch.setattr(driver.os, "fdopen", fdopen)
    assert main(["migrate", "--apply", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"forge: error: cannot write {first}: No space left on device" in err
    assert "1 file(s) migrated" in err
    assert first.read_text() == FACTORIES  # untouched, and no temporary file left beside it
    assert second.read_text().startswith("import forge_factories as factory")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.py"]


def test_apply_and_check_together_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "factories.py", FACTORIES)
    with pytest.raises(SystemExit) as exited:
        main(["migrate", "--apply", "--check", str(path)])
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
    assert path.read_text() == FACTORIES
