"""What ``check()`` / ``forge lock check`` may import to resolve lock entries.

Only modules the project configures (``[tool.forge_factories] lock-modules`` in the nearest
``pyproject.toml``) or the caller names (``forge lock check --module NAME``) are imported,
before any entry is looked at; entries are then resolved against the modules already loaded
(``sys.modules``). A factory path read from the lock file is never imported. With
``DJANGO_SETTINGS_MODULE`` set, Django is set up first so Django factories import.
"""

from __future__ import annotations

import importlib
import os
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from forge_factories.common.errors import ForgeError
from forge_factories.common.importing import loaded_object

_MODULE = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


class LockResolveError(ForgeError):
    """A module configured or named for ``lock check`` cannot be imported (or is not a module name)."""


def configured_modules(start: Path | None = None) -> list[str]:
    """``[tool.forge_factories] lock-modules`` of the nearest ``pyproject.toml`` upwards from ``start``."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        path = directory / "pyproject.toml"
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise LockResolveError(f"{path}: cannot read [tool.forge_factories]: {exc}") from None
            names = data.get("tool", {}).get("forge_factories", {}).get("lock-modules", [])
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise LockResolveError(f"{path}: [tool.forge_factories] lock-modules must be a list of module names")
            return list(names)
    return []


def setup_django() -> bool:
    """``django.setup()`` when ``DJANGO_SETTINGS_MODULE`` is set and Django is not ready; ``True`` if set up."""
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        return False
    try:
        import django
        from django.apps import apps
    except ImportError:
        return False
    if not apps.ready:
        try:
            django.setup()
        except Exception as exc:  # noqa: BLE001 - one clear line instead of Django's traceback
            raise LockResolveError(f"DJANGO_SETTINGS_MODULE is set but Django cannot be set up: "
                                   f"{type(exc).__name__}: {exc}") from exc
    return True


def import_modules(names: Iterable[str]) -> list[str]:
    """Import each named module (Django set up first if configured); returns the names imported."""
    wanted = list(dict.fromkeys(names))
    for name in wanted:
        if not isinstance(name, str) or not _MODULE.match(name):
            raise LockResolveError(f"{name!r} is not a module name")
    if wanted:
        setup_django()
    for name in wanted:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - reported with the module's name
            raise LockResolveError(f"cannot import {name}: {type(exc).__name__}: {exc}") from exc
    return wanted


def lookup_factory(path: str) -> Any:
    """The object at dotted ``path`` among loaded modules only (``None`` if not loaded); never imports."""
    return loaded_object(path)


def import_factory(path: str) -> Any:
    """Kept for callers of the old name: :func:`lookup_factory` (no import of ``path``)."""
    return lookup_factory(path)


def current_spec_hash(factory_cls: Any, field_name: str) -> str | None:
    """The spec hash of ``factory_cls.<field_name>`` if it is a ``SemanticAttribute``, else ``None``."""
    meta = getattr(factory_cls, "_meta", None)
    decls = getattr(meta, "declarations", None) or {}
    decl = decls.get(field_name)
    if decl is None or not getattr(decl, "forge_semantic", False):
        return None
    return decl.spec(field_name).spec_hash()
