"""``dream(models=[...])``: the coverage-gap report (staged behind ``FORGE_FLAG_DREAM``).

Four phases: *orient* (read the memory index and each model), *gather* (find gaps and rule
conflicts), *consolidate* (merge duplicates, order by model and field), *prune* (the text
summary stays under 200 lines; the JSON file keeps everything). The report is written to
``.forge/coverage_gaps.json`` (atomically, deterministic content).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from forge_factories.common.errors import ForgeError
from forge_factories.governance.fields import FieldDesc, describe_model, model_name
from forge_factories.governance.flags import env_var, is_enabled
from forge_factories.governance.memory import Memory
from forge_factories.governance.memory_files import atomic_write
from forge_factories.governance.rules import FieldConstraint, field_constraint_from_desc
from forge_factories.governance.sensitivity import name_tokens

#: Longest summary, in lines (the brief's "prune to <= 200 lines").
MAX_SUMMARY_LINES = 200
REPORT_FILE = "coverage_gaps.json"
_WELL_KNOWN_KINDS = frozenset({"email", "url", "phone", "date", "datetime"})
_WELL_KNOWN_TOKENS = frozenset({"email", "phone", "url", "website", "uri", "mobile", "date", "birthday", "dob"})


class FeatureDisabledError(ForgeError):
    """A staged feature was called while its flag is off."""


@dataclass(frozen=True)
class Gap:
    """One missing piece of coverage: ``[User.age] no_boundary: ...``."""

    model: str
    field: str
    kind: str
    message: str


@dataclass(frozen=True)
class Conflict:
    """Rules (or a rule and the model) that no value can satisfy together."""

    model: str
    field: str
    message: str
    rules: tuple[str, ...] = ()


@dataclass
class DreamReport:
    """The result of :func:`dream`; ``summary()`` is the text, ``path`` the JSON file written."""

    date: str
    models: list[str]
    gaps: list[Gap] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    stale_rules: list[tuple[str, str, str]] = field(default_factory=list)
    path: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (what is written to ``coverage_gaps.json``)."""
        return {
            "date": self.date,
            "models": list(self.models),
            "gaps": [asdict(g) for g in self.gaps],
            "conflicts": [dict(asdict(c), rules=list(c.rules)) for c in self.conflicts],
            "stale_rules": [{"model": m, "rule": r, "reason": why} for m, r, why in self.stale_rules],
        }

    def summary(self, top: int = 20) -> str:
        """The text report (at most :data:`MAX_SUMMARY_LINES` lines)."""
        lines = [
            f"ForgeDream Report - {self.date}",
            f"Coverage gaps found : {len(self.gaps)}",
            f"Rule conflicts found : {len(self.conflicts)}",
        ]
        if self.stale_rules:
            lines.append(f"Stale rules found : {len(self.stale_rules)}")
        if self.gaps:
            lines.append("Top gaps:")
            width = max(len(g.kind) for g in self.gaps[:top])
            lines += [f"  [{g.model}.{g.field}] {g.kind.ljust(width)}: {g.message}" for g in self.gaps[:top]]
            if len(self.gaps) > top:
                lines.append(f"  ... and {len(self.gaps) - top} more in {REPORT_FILE}")
        if self.conflicts:
            lines.append("Rule conflicts:")
            lines += [f"  [{c.model}.{c.field}] {c.message}" for c in self.conflicts]
        if self.stale_rules:
            lines.append("Stale rules (left out of prompts):")
            lines += [f"  [{m}] {r!r}: {why}" for m, r, why in self.stale_rules]
        if len(lines) > MAX_SUMMARY_LINES:
            lines = lines[: MAX_SUMMARY_LINES - 1] + [f"... (truncated; full report in {REPORT_FILE})"]
        return "\n".join(lines)


def _well_known(d: FieldDesc) -> bool:
    return d.kind in _WELL_KNOWN_KINDS or bool(set(name_tokens(d.name)) & _WELL_KNOWN_TOKENS)


def _values(records: Iterable[Any], name: str) -> list[Any]:
    out = []
    for r in records:
        out.append(r.get(name) if isinstance(r, Mapping) else getattr(r, name, None))
    return out


def _model_gaps(model: Any, memory: Memory, records: Sequence[Any] | None) -> tuple[list[Gap], list[Conflict], list[tuple[str, str, str]]]:
    name = model_name(model)
    check = memory.check(model)
    rules = memory.constraints_for(model, include_model=False)
    gaps: list[Gap] = []
    conflicts: list[Conflict] = []
    for d in describe_model(model):
        if d.auto or d.relation:
            continue
        rule: FieldConstraint | None = rules.get(d.name)
        if d.numeric and d.choices is None and not d.bounded and not (rule and rule.has_bounds):
            gaps.append(Gap(name, d.name, "no_boundary", f"No boundary-value rules for numeric field '{d.name}'"))
        if _well_known(d) and not (rule and rule.invalid):
            gaps.append(Gap(name, d.name, "no_invalid", f"No invalid-data rules for well-known field '{d.name}'"))
        if rule is not None:
            merged = field_constraint_from_desc(d).merge(rule)
            for problem in merged.conflicts():
                conflicts.append(Conflict(name, d.name, problem, rule.sources))
            if d.choices is not None and rule.choices is not None:
                members = {str(getattr(c, "value", c)) for c in d.choices}
                unknown = [v for v in rule.choices if v not in members]
                if unknown:
                    conflicts.append(Conflict(name, d.name, f"rule allows value(s) the model does not have: "
                                              f"{', '.join(unknown)}", rule.sources))
        if records is not None:
            seen = _values(records, d.name)
            if d.choices is not None:
                present = {str(getattr(v, "value", v)) for v in seen}
                missing = [getattr(m, "name", str(m)) for m in d.choices if str(getattr(m, "value", m)) not in present]
                if missing:
                    gaps.append(Gap(name, d.name, "enum_uncovered",
                                    f"Member(s) {', '.join(missing)} of '{d.name}' never appear in the records"))
            if d.optional and None not in seen:
                gaps.append(Gap(name, d.name, "optional_uncovered", f"Optional field '{d.name}' is never None"))
    stale = [(name, r, why) for r, why in check.stale]
    return gaps, conflicts, stale


def dream(
    models: Sequence[Any],
    *,
    memory: Memory | None = None,
    records: Mapping[Any, Sequence[Any]] | None = None,
    force: bool = False,
    write: bool = True,
    today: datetime.date | None = None,
) -> DreamReport:
    """Find coverage gaps and rule conflicts for ``models``; write ``.forge/coverage_gaps.json``.

    Runs when ``FORGE_FLAG_DREAM`` is on or ``force=True`` (else :class:`FeatureDisabledError`).
    ``records`` maps a model (or its name) to fixtures already generated: enum members that
    never appear and optional fields never ``None`` are then reported too.
    """
    if not force and not is_enabled("dream"):
        raise FeatureDisabledError(f"dream() is a staged feature: set {env_var('dream')}=1 or pass force=True")
    memory = memory if memory is not None else Memory()
    report = DreamReport(date=(today or datetime.date.today()).isoformat(), models=[model_name(m) for m in models])
    seen: set[tuple[str, str, str]] = set()
    for model in models:
        recs = None
        if records is not None:
            recs = records.get(model, records.get(model_name(model)))
        gaps, conflicts, stale = _model_gaps(model, memory, recs)
        for g in gaps:
            if (g.model, g.field, g.kind) not in seen:
                seen.add((g.model, g.field, g.kind))
                report.gaps.append(g)
        report.conflicts.extend(c for c in conflicts if c not in report.conflicts)
        report.stale_rules.extend(s for s in stale if s not in report.stale_rules)
    if write:
        path = memory.root / REPORT_FILE
        atomic_write(path, json.dumps(report.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        report.path = path
    return report
