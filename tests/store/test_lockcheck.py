"""`forge lock check` imports only configured or named modules; Django factories resolve; symlinks refused."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from forge_factories.store.keys import PROMPT_VERSION
from forge_factories.store.lockcheck import (
    LockResolveError,
    configured_modules,
    import_modules,
    lookup_factory,
)
from forge_factories.store.lockfile import LockFile, LockFileError, LockKey, check, dump_line, open_lock

ROOT = Path(__file__).resolve().parents[2]

FACTORIES = '''
import factory
from forge_factories import AIDictFactory, SemanticAttribute


class UserFactory(AIDictFactory):
    name = factory.Sequence(lambda n: f"user{n}")
    bio = SemanticAttribute("a short bio of {name}", max_length=200)
'''

# a module a crafted lock line names: importing it would leave a file behind
EVIL = '''
import pathlib
pathlib.Path(__file__).with_name("IMPORTED").write_text("ran")
'''


def forge(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environ.update(PYTHONPATH=os.pathsep.join([str(cwd), str(ROOT)]), **env)
    return subprocess.run([sys.executable, "-m", "forge_factories.cli", "lock", *args], cwd=cwd, env=environ,
                          capture_output=True, text=True, timeout=120)


def entry(factory: str, spec: str, field: str = "bio") -> str:
    return dump_line({"factory": factory, "field": field, "spec": spec, "context": "", "seed": 1, "item": "0",
                      "ordinal": 0, "prompt": PROMPT_VERSION, "value": "A bio."})


def spec_hash() -> str:
    from forge_factories.core.declarations import SemanticAttribute

    return SemanticAttribute("a short bio of {name}", max_length=200).spec("bio").spec_hash()


def test_a_module_named_by_lock_data_is_never_imported(tmp_path: Path) -> None:
    (tmp_path / "evil_mod.py").write_text(EVIL)
    (tmp_path / "shop_mod.py").write_text(FACTORIES)
    lock = tmp_path / "forge.lock.jsonl"
    lock.write_text(entry("evil_mod.Anything", "x") + "\n" + entry("shop_mod.UserFactory", spec_hash()) + "\n")
    out = forge(tmp_path, "check", "--lock-file", str(lock))
    assert not (tmp_path / "IMPORTED").exists()
    assert out.returncode == 4, out.stderr
    assert "2 entries unresolved" in out.stdout and "--module" in out.stdout
    named = forge(tmp_path, "check", "--lock-file", str(lock), "--module", "shop_mod")
    assert not (tmp_path / "IMPORTED").exists()
    assert named.returncode == 4 and "unresolved: evil_mod.Anything" in named.stdout
    assert "shop_mod.UserFactory" not in named.stdout  # resolved, current spec: no issue
    lock.write_text(entry("shop_mod.UserFactory", spec_hash()) + "\n")
    assert forge(tmp_path, "check", "--lock-file", str(lock), "-m", "shop_mod").returncode == 0
    # the project's configuration names it too
    (tmp_path / "pyproject.toml").write_text('[tool.forge_factories]\nlock-modules = ["shop_mod"]\n')
    assert forge(tmp_path, "check", "--lock-file", str(lock)).returncode == 0
    assert configured_modules(tmp_path) == ["shop_mod"]


def test_a_module_that_fails_to_import_is_a_usage_error(tmp_path: Path) -> None:
    lock = tmp_path / "forge.lock.jsonl"
    lock.write_text(entry("shop_mod.UserFactory", spec_hash()) + "\n")
    out = forge(tmp_path, "check", "--lock-file", str(lock), "-m", "no_such_module_here")
    assert out.returncode == 2 and "cannot import no_such_module_here" in out.stderr
    with pytest.raises(LockResolveError, match="is not a module name"):
        import_modules(["os; rm"])
    (tmp_path / "pyproject.toml").write_text('[tool.forge_factories]\nlock-modules = "shop_mod"\n')
    with pytest.raises(LockResolveError, match="must be a list"):
        configured_modules(tmp_path)


def test_lookup_never_imports() -> None:
    name = "forge_factories_never_imported_here"
    assert lookup_factory(f"{name}.F") is None and name not in sys.modules
    assert lookup_factory("forge_factories.store.lockfile.LockFile") is LockFile


DJANGO_SETTINGS = '''
SECRET_KEY = "x"
INSTALLED_APPS = ["shopapp"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
'''
DJANGO_MODELS = '''
from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=50)
    bio = models.TextField()
'''
DJANGO_FACTORIES = '''
import factory
from forge_factories.django import AIDjangoModelFactory
from forge_factories import SemanticAttribute

from .models import Customer


class CustomerFactory(AIDjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"user{n}")
    bio = SemanticAttribute("a short bio of {name}", max_length=200)
'''


def test_django_factories_resolve_with_the_settings_module(tmp_path: Path) -> None:
    pytest.importorskip("django")
    app = tmp_path / "shopapp"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(textwrap.dedent(DJANGO_MODELS))
    (app / "factories.py").write_text(textwrap.dedent(DJANGO_FACTORIES))
    (tmp_path / "shop_settings.py").write_text(DJANGO_SETTINGS)
    lock = tmp_path / "forge.lock.jsonl"
    lock.write_text(entry("shopapp.factories.CustomerFactory", spec_hash()) + "\n"
                    + entry("shopapp.factories.CustomerFactory", spec_hash(), field="name") + "\n")
    out = forge(tmp_path, "check", "--lock-file", str(lock), "-m", "shopapp.factories",
                DJANGO_SETTINGS_MODULE="shop_settings")
    assert out.returncode == 4, out.stderr  # the "name" entry is an orphan: resolved, checked
    assert "orphan" in out.stdout and "'name' is no longer a SemanticAttribute" in out.stdout
    assert "unresolved" not in out.stdout
    lock.write_text(entry("shopapp.factories.CustomerFactory", spec_hash()) + "\n")
    ok = forge(tmp_path, "check", "--lock-file", str(lock), "-m", "shopapp.factories",
               DJANGO_SETTINGS_MODULE="shop_settings")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    unset = forge(tmp_path, "check", "--lock-file", str(lock), "-m", "shopapp.factories")
    assert unset.returncode == 2 and "cannot import shopapp.factories" in unset.stderr


def test_symlinked_lock_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "target.jsonl"
    link = tmp_path / "forge.lock.jsonl"
    link.symlink_to(target)
    with pytest.raises(LockFileError, match="symbolic link"):
        open_lock(link)
    key = LockKey("m.F", "bio", "s", "", 1, "0", 0)
    with pytest.raises(LockFileError, match="symbolic link"):
        LockFile(link).write({key: {**key.as_dict(), "value": "v"}})
    with pytest.raises(LockFileError, match="symbolic link"):
        check(link, resolve=False)
    assert not target.exists() and not target.parent.exists()
    out = forge(tmp_path, "check", "--lock-file", str(link))
    assert out.returncode == 2 and "symbolic link" in out.stderr


def test_symlinked_lock_companion_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "forge.lock.jsonl"
    target = tmp_path / "other" / "x"
    (tmp_path / "forge.lock.jsonl.lock").symlink_to(target)
    key = LockKey("m.F", "bio", "s", "", 1, "0", 0)
    with pytest.raises(LockFileError, match="symbolic link"):
        LockFile(path).write({key: {**key.as_dict(), "value": "v"}})
    assert not target.exists() and not path.exists()
