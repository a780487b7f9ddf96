"""The ``max_length`` of a factory's model field: by importing the model, else statically.

A factory's ``Meta.model`` expression (``models.Article``, ``Article``) is traced through
the factory module's imports to a module and class. When importable, the model is asked:
Django's ``_meta.get_field(name).max_length``, SQLAlchemy's column ``type.length``.
Otherwise the model's source is read (same file, or the module's file next to the factory
module or under the working directory): ``CharField(max_length=N)``,
``Column(String(N))``, ``mapped_column(String(length=N))``...
"""

from __future__ import annotations

import ast
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forge_factories.common.importing import resolve

#: SQLAlchemy string types whose first argument (or ``length=``) is the length.
_SA_STRING_TYPES = {"String", "Unicode", "VARCHAR", "NVARCHAR", "CHAR", "NCHAR", "Text", "UnicodeText"}


@dataclass(frozen=True)
class ModelRef:
    """Where a model lives: a module (``None`` for the factory's own file) and a class path."""

    module: str | None
    attrs: tuple[str, ...]
    level: int = 0  # relative import level (``from .models import X`` is 1)


def package_root(path: Path) -> tuple[Path, str]:
    """The directory to put on ``sys.path`` for ``path`` and ``path``'s dotted module name."""
    path = path.resolve()
    parts = [path.stem] if path.stem != "__init__" else []
    folder = path.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    return folder, ".".join(parts)


def absolute_module(ref: ModelRef, path: Path | None) -> str | None:
    """``ref``'s module as an absolute dotted name (resolving relative imports from ``path``)."""
    if not ref.level:
        return ref.module
    if path is None:
        return None
    _, name = package_root(path)
    package = name.split(".")[: -ref.level] if path.stem != "__init__" else name.split(".")
    if path.stem == "__init__" and ref.level > 1:
        package = package[: -(ref.level - 1)]
    return ".".join(p for p in (*package, ref.module or "") if p) or None


def max_length(ref: ModelRef, field: str, *, path: Path | None, import_models: bool = True) -> int | None:
    """``field``'s ``max_length`` on the model ``ref`` names, or ``None`` when it has none or is not found."""
    module = absolute_module(ref, path)
    if import_models and module is not None:
        model = _import_model(module, ref.attrs, path)
        if model is not None:
            found = _live_length(model, field)
            if found is not None:
                return found
    source = _model_source(module, path) if module is not None or ref.module is None else None
    if source is None:
        return None
    return _static_length(source, ref.attrs[-1], field)


def _import_model(module: str, attrs: tuple[str, ...], path: Path | None) -> Any:
    roots = [os.getcwd()] + ([str(package_root(path)[0])] if path is not None else [])
    saved = list(sys.path)
    loaded = set(sys.modules)
    sys.path[:0] = [r for r in roots if r not in sys.path]
    try:
        _django_setup()
        return resolve(f"{module}:{'.'.join(attrs)}" if attrs else module)
    except Exception:  # noqa: BLE001 - not importable here: the static reading decides
        top = module.split(".")[0]
        for name in set(sys.modules) - loaded:  # no half-imported module of the project left behind
            if name == top or name.startswith(top + "."):
                sys.modules.pop(name, None)
        return None
    finally:
        sys.path[:] = saved


def _django_setup() -> None:
    """Set Django up when a settings module is named and it is not set up yet."""
    if not os.environ.get("DJANGO_SETTINGS_MODULE") or ("django" not in sys.modules and not _has("django")):
        return
    from django.apps import apps

    if not apps.ready:
        import django

        django.setup()


def _has(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def _live_length(model: Any, field: str) -> int | None:
    meta = getattr(model, "_meta", None)
    if meta is not None and hasattr(meta, "get_field"):
        try:
            length = getattr(meta.get_field(field), "max_length", None)
        except Exception:  # noqa: BLE001 - FieldDoesNotExist and friends
            return None
        return length if isinstance(length, int) else None
    try:
        from sqlalchemy import inspect

        mapper = inspect(model)
        column = mapper.columns[field]
    except Exception:  # noqa: BLE001 - not a mapped class, or no such column
        return None
    length = getattr(column.type, "length", None)
    return length if isinstance(length, int) else None


def _model_source(module: str | None, path: Path | None) -> str | None:
    candidates: list[Path] = []
    if module is None:
        candidates = [path] if path is not None else []
    else:
        rel = Path(*module.split("."))
        roots = [Path.cwd()] + ([package_root(path)[0], path.parent] if path is not None else [])
        for root in roots:
            candidates += [root / rel.with_suffix(".py"), root / rel / "__init__.py"]
    for candidate in candidates:
        if candidate.is_file():
            try:
                return candidate.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
    return None


def _static_length(source: str, class_name: str, field: str, depth: int = 0) -> int | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    classes = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    cls = classes.get(class_name)
    while cls is not None and depth < 8:
        for stmt in cls.body:
            targets: list[ast.expr] = []
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets, value = [stmt.target], stmt.value
            if any(isinstance(t, ast.Name) and t.id == field for t in targets):
                return _length_of(value)
        bases = [b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else "" for b in cls.bases]
        cls = next((classes[b] for b in bases if b in classes and b != cls.name), None)
        depth += 1
    return None


def _callee(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _int(node: ast.expr | None) -> int | None:
    return node.value if isinstance(node, ast.Constant) and type(node.value) is int else None


def _length_of(value: ast.expr) -> int | None:
    """``max_length`` of a Django field call, or the length of a SQLAlchemy string column."""
    if not isinstance(value, ast.Call):
        return None
    for kw in value.keywords:
        if kw.arg == "max_length":
            return _int(kw.value)
    name = _callee(value.func)
    if name in _SA_STRING_TYPES:
        for kw in value.keywords:
            if kw.arg == "length":
                return _int(kw.value)
        return _int(value.args[0]) if value.args else None
    if name in ("Column", "mapped_column"):
        kinds = [a for a in value.args if not isinstance(a, ast.Constant)]
        kinds += [kw.value for kw in value.keywords if kw.arg in ("type_", "type")]
        for kind in kinds:
            if isinstance(kind, ast.Call | ast.Name | ast.Attribute) and _callee(
                    kind.func if isinstance(kind, ast.Call) else kind) in _SA_STRING_TYPES:
                return _length_of(kind) if isinstance(kind, ast.Call) else None
    return None
