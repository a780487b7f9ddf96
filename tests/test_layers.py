"""The package is built in layers: every import points down, and no import closes a cycle.

Each module belongs to one layer (its first package under ``forge_factories``, or the top
module itself). A module may import from a lower layer, and from its own layer as long as the
modules of that layer import each other without a cycle. Imports inside functions count, and so
does a submodule named in a string (``importlib.import_module("forge_factories.x")``,
``sys.modules.get(...)``): a lazy import is still a dependency. docs/architecture.md draws the
same diagram.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "forge_factories"

#: Bottom to top. A layer may use every layer listed before it, never one after it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("_compat",),
    ("common",),
    ("text",),
    ("samplers",),
    ("llm",),
    ("store",),
    ("auto",),
    ("governance",),
    ("core",),
    ("aio",),
    ("orm",),
    ("autofactory",),
    ("datasets",),
    ("django", "alchemy"),
    ("forge",),
    ("migrate",),
    ("cli", "pytest_plugin"),
    ("__init__",),
)
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


#: Calls that import by name: importlib's, pkgutil's, ``sys.modules.get`` and common.importing's.
_IMPORTING_CALLS = {"import_module", "__import__", "resolve_name", "find_spec", "get",
                    "resolve", "find_object", "loaded_object", "import_object"}


def _named_module(text: str) -> str:
    """The module a dotted or ``module:attr`` name lives in: its longest prefix that is a module."""
    parts = text.partition(":")[0].split(".")
    for cut in range(len(parts), 1, -1):
        if ".".join(parts[:cut]) in MODULES:
            return ".".join(parts[:cut])
    return text


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _targets(module: str, path: Path) -> set[str]:
    """Every forge_factories module ``module`` imports, wherever the import statement is."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        elif isinstance(node, ast.Call) and _call_name(node) in _IMPORTING_CALLS:
            names = [_named_module(arg.value) for arg in node.args
                     if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "." in arg.value]
        found.update(name for name in names if name in MODULES and name != module)
    return found


GRAPH = {module: _targets(module, path) for module, path in MODULES.items()}


def _unresolved(module: str, path: Path) -> list[str]:
    """Import statements of ``module`` that name a forge_factories module that does not exist."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    missing = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if base.startswith("forge_factories") and base not in MODULES:
                missing.append(f"{module}:{node.lineno} imports {base}")
        elif isinstance(node, ast.Import):
            missing += [f"{module}:{node.lineno} imports {a.name}" for a in node.names
                        if a.name.startswith("forge_factories") and a.name not in MODULES]
    return missing


def test_every_import_names_a_module_that_exists() -> None:
    # a relative import left behind by a move would otherwise escape the layer checks below
    assert [m for module, path in MODULES.items() for m in _unresolved(module, path)] == []


def test_every_unit_has_a_layer() -> None:
    assert sorted({_unit(m) for m in MODULES} - set(RANK)) == []


def test_imports_point_down() -> None:
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if _unit(target) != _unit(module) and RANK[_unit(target)] >= RANK[_unit(module)]
    )
    assert upward == []


@pytest.mark.parametrize("unit", sorted(RANK))
def test_no_cycle_inside_a_layer(unit: str) -> None:
    inside = {m: {t for t in GRAPH[m] if _unit(t) == unit} for m in MODULES if _unit(m) == unit}
    try:
        tuple(graphlib.TopologicalSorter(inside).static_order())
    except graphlib.CycleError as cycle:
        pytest.fail(f"import cycle in {unit}: {' -> '.join(cycle.args[1])}")


def test_the_checker_sees_lazy_and_string_imports(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        "def later():\n    from forge_factories.core import engine\n"
        "import sys\nORM = sys.modules.get('forge_factories.orm.seed_plan')\n"
        "LOGGER = 'forge_factories.datasets'\n"
        "FILL = resolve('forge_factories.core.answers:AnswerFilling')\n"
        "PLAN = find_object('forge_factories.orm.seed_plan.order_plan')\n"
    )
    assert _targets("forge_factories.common.probe", source) == {
        "forge_factories.core.engine",
        "forge_factories.core.answers",
        "forge_factories.orm.seed_plan",
    }


def test_the_checker_sees_an_import_of_a_missing_module(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text("from .aio.alchemy import run\nimport forge_factories.batch\n")
    assert _unresolved("forge_factories.orm.probe", source) == [
        "forge_factories.orm.probe:1 imports forge_factories.orm.aio.alchemy",
        "forge_factories.orm.probe:2 imports forge_factories.batch",
    ]
