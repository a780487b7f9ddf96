"""Feature flags: shipped defaults, ``FORGE_FLAG_<NAME>`` environment overrides read at call time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from forge_factories.common.errors import ForgeConfigError


@dataclass(frozen=True)
class Flag:
    """One feature flag: its default and what it switches."""

    name: str
    default: bool
    description: str


#: Every known flag, by canonical name (``FORGE_<NAME>``).
FLAGS: Mapping[str, Flag] = {
    flag.name: flag
    for flag in (
        Flag("FORGE_PERMISSIONS", True, "sensitivity classification and permission gates"),
        Flag("FORGE_MEMORY", True, "persisted business rules sent to the LLM and applied offline"),
        Flag("FORGE_SWARMS", True, "several models generated in one call with a shared cache"),
        Flag("FORGE_EDGE_CASES", True, "edge_cases(): boundary, enum, None and length-extreme records"),
        Flag("FORGE_DREAM", False, "dream(): coverage-gap report (staged; enable with FORGE_FLAG_DREAM=1)"),
    )
}

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def canonical_name(name: str) -> str:
    """``"dream"``, ``"FORGE_DREAM"`` and ``"FORGE_FLAG_DREAM"`` all name ``FORGE_DREAM``."""
    upper = name.strip().upper().replace("-", "_")
    if upper.startswith("FORGE_FLAG_"):
        upper = upper[len("FORGE_FLAG_"):]
    elif upper.startswith("FORGE_"):
        upper = upper[len("FORGE_"):]
    canonical = "FORGE_" + upper
    if canonical not in FLAGS:
        raise ForgeConfigError(f"unknown feature flag {name!r}; known flags: {', '.join(sorted(FLAGS))}")
    return canonical


def env_var(name: str) -> str:
    """The environment variable that overrides flag ``name`` (``FORGE_FLAG_DREAM``)."""
    return "FORGE_FLAG_" + canonical_name(name)[len("FORGE_"):]


def is_enabled(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """Whether flag ``name`` is on, reading ``FORGE_FLAG_<NAME>`` now (not at import time).

    Accepted values: ``1/true/yes/on`` and ``0/false/no/off`` (case-insensitive); anything
    else raises :class:`ForgeConfigError`, so a typo never silently flips a feature.
    """
    canonical = canonical_name(name)
    env = os.environ if environ is None else environ
    var = env_var(canonical)
    raw = env.get(var)
    if raw is None:
        return FLAGS[canonical].default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ForgeConfigError(f"{var}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off")


def flag_summary(environ: Mapping[str, str] | None = None) -> dict[str, bool]:
    """Every flag's current state, e.g. ``{"FORGE_DREAM": False, "FORGE_PERMISSIONS": True, ...}``."""
    return {name: is_enabled(name, environ) for name in FLAGS}
