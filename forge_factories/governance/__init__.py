"""Governance: sensitivity classes, permission gates, memory rules, coverage gaps, edge cases, flags.

Importing this package has no side effect (no directory is created, nothing is read).
"""

from __future__ import annotations

from forge_factories.governance.dream import Conflict, DreamReport, FeatureDisabledError, Gap, dream
from forge_factories.governance.edge_cases import EdgeCase, baseline_record, edge_cases
from forge_factories.governance.fields import FieldDesc, describe_model
from forge_factories.governance.flags import FLAGS, flag_summary, is_enabled
from forge_factories.governance.gates import (
    ForgePermissionError,
    GateDecision,
    check_permissions,
    headless_reason,
)
from forge_factories.governance.memory import Memory, MemoryRuleError, RuleCheck, constraints_for, with_rules
from forge_factories.governance.provider import GovernedProvider
from forge_factories.governance.redaction import Redaction, redact_request, synthetic_answers
from forge_factories.governance.rules import FieldConstraint, ParsedRule, apply_constraints, parse_rule
from forge_factories.governance.sensitivity import (
    Classification,
    Sensitivity,
    SensitivityReport,
    classify_field,
    classify_model,
    classify_name,
    factory_overrides,
    name_tokens,
)
from forge_factories.governance.synthetic import synthetic_declarations, synthetic_value

__all__ = [
    "FLAGS", "Classification", "Conflict", "DreamReport", "EdgeCase", "FeatureDisabledError", "FieldConstraint",
    "FieldDesc", "ForgePermissionError", "GateDecision", "Gap", "GovernedProvider", "Memory", "MemoryRuleError",
    "ParsedRule", "Redaction", "RuleCheck", "Sensitivity", "SensitivityReport", "apply_constraints",
    "baseline_record", "check_permissions", "classify_field", "classify_model", "classify_name",
    "constraints_for", "describe_model", "dream", "edge_cases", "factory_overrides", "flag_summary",
    "headless_reason", "is_enabled", "name_tokens", "parse_rule", "redact_request", "synthetic_answers",
    "synthetic_declarations", "synthetic_value", "with_rules",
]
