"""One dotted-path importer (common.importing, on pkgutil.resolve_name) and the code that uses it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from forge_factories.common.errors import ForgeConfigError
from forge_factories.common.importing import find_object, import_object, loaded_object, resolve
from forge_factories.governance.provider import GovernedProvider
from forge_factories.llm.providers import get_provider
from forge_factories.llm.providers.offline import OfflineProvider
from forge_factories.llm.request import SemanticRequest
from forge_factories.store.lockfile import LockFile


class Outer:
    class Inner:
        pass


def test_resolve_and_find_object_walk_modules_then_attributes() -> None:
    assert resolve("forge_factories.store.lockfile:LockFile") is LockFile
    assert resolve(f"{__name__}.Outer.Inner") is Outer.Inner
    assert find_object(f"{__name__}.Outer.Inner") is Outer.Inner
    assert find_object(f"{__name__}.Outer.Missing") is None
    assert find_object("forge_factories_no_such_module.F") is None
    with pytest.raises(ImportError):
        resolve("forge_factories_no_such_module:F")


def test_loaded_object_never_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "forge_probe_unloaded.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert loaded_object("forge_probe_unloaded.VALUE") is None and "forge_probe_unloaded" not in sys.modules
    assert find_object("forge_probe_unloaded.VALUE") == 1 and "forge_probe_unloaded" in sys.modules
    assert loaded_object("forge_probe_unloaded.VALUE") == 1
    monkeypatch.delitem(sys.modules, "forge_probe_unloaded")


def test_import_object_gives_one_clear_line() -> None:
    assert import_object("forge_factories.store.lockfile:LockFile") is LockFile
    with pytest.raises(ForgeConfigError, match=r"cannot import 'forge_factories.store.lockfile:Nope': module "):
        import_object("forge_factories.store.lockfile:Nope")


def test_builtin_providers_and_governance_find_their_objects_through_it() -> None:
    assert isinstance(get_provider("offline"), OfflineProvider)
    governed = GovernedProvider(OfflineProvider())
    request = SemanticRequest(factory=f"{__name__}.Outer.Inner", model="Inner", context=None, specs=(), items=())
    assert governed._model_for(request) is Outer.Inner
    missing = SemanticRequest(factory=f"{__name__}.<locals>.Gone", model="Gone", context=None, specs=(),
                                items=())
    assert governed._model_for(missing) is None
