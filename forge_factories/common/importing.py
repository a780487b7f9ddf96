"""One dotted-path importer, on :func:`pkgutil.resolve_name`: ``module:Name``, ``module.Name``.

- :func:`resolve`: an object our own code names (``"pkg.mod:Class"``); errors propagate;
- :func:`find_object`: the object at a dotted path, or ``None`` when nothing importable has it;
- :func:`loaded_object`: the same among modules already imported, never importing one;
- :func:`import_object`: what a user typed (also ``path/to/file.py:Name``, the working
  directory importable); one :class:`ForgeConfigError` line on failure.

Optional SDKs are imported where they are used, with their ``pip install`` hint.
"""

from __future__ import annotations

import importlib.util
import os
import pkgutil
import sys
from pathlib import Path
from typing import Any

from forge_factories.common.errors import ForgeConfigError

__all__ = ["find_object", "import_object", "loaded_object", "resolve"]


def resolve(spec: str) -> Any:
    """The object ``spec`` (``module:qualname`` or ``module.attr``) names, importing what it needs.

    :func:`pkgutil.resolve_name`: raises ``ImportError``/``AttributeError`` when there is none.
    """
    return pkgutil.resolve_name(spec)


def find_object(path: str) -> Any:
    """The object at dotted ``path`` (the longest importable module prefix, then attributes), or ``None``."""
    try:
        return pkgutil.resolve_name(path)
    except (ImportError, AttributeError, ValueError):
        return None


def loaded_object(path: str) -> Any:
    """The object at dotted ``path`` among modules already imported (``None`` if none); never imports."""
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = sys.modules.get(".".join(parts[:cut]))
        if module is None:
            continue
        obj: Any = module
        for attr in parts[cut:]:
            obj = getattr(obj, attr, None)
            if obj is None:
                return None
        return obj
    return None


def _load_file(spec: str, filename: str) -> Any:
    path = Path(filename)
    if not path.is_file():
        raise ForgeConfigError(f"cannot import {spec!r}: no file {filename}")
    mod_spec = importlib.util.spec_from_file_location(path.stem, path)
    if mod_spec is None or mod_spec.loader is None:
        raise ForgeConfigError(f"cannot import {spec!r}")
    module = importlib.util.module_from_spec(mod_spec)
    sys.modules[path.stem] = module
    mod_spec.loader.exec_module(module)
    return module


def import_object(spec: str) -> Any:
    """The object ``spec`` names; the working directory is importable, as for ``python -m``.

    Raises :class:`ForgeConfigError` with one line naming ``spec`` and the cause.
    """
    if ":" in spec:
        module_name, _, attr = spec.partition(":")
    elif "." in spec:
        module_name, _, attr = spec.rpartition(".")
    else:
        raise ForgeConfigError(f"cannot import {spec!r}: expected module:Name")
    if not module_name or not attr:
        raise ForgeConfigError(f"cannot import {spec!r}: expected module:Name")
    if module_name.endswith(".py"):
        try:
            obj: Any = _load_file(spec, module_name)
        except ForgeConfigError:
            raise
        except Exception as exc:  # noqa: BLE001 - any import failure is one clear line
            raise ForgeConfigError(f"cannot import {spec!r}: {type(exc).__name__}: {exc}") from None
        for part in attr.split("."):
            try:
                obj = getattr(obj, part)
            except AttributeError:
                raise ForgeConfigError(f"cannot import {spec!r}: module {module_name!r} has no {attr!r}") from None
        return obj
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - any import failure is one clear line
        raise ForgeConfigError(f"cannot import {spec!r}: {type(exc).__name__}: {exc}") from None
    try:
        return pkgutil.resolve_name(f"{module.__name__}:{attr}")
    except AttributeError:
        raise ForgeConfigError(f"cannot import {spec!r}: module {module_name!r} has no {attr!r}") from None
