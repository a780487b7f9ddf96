"""Permission gates: sensitive fields need an explicit allow, dangerous ones a human "yes".

Headless runs (stdin not a terminal, pytest capturing, ``CI`` set, ``interactive=False``)
never prompt: they raise :class:`ForgePermissionError` naming the fields and the setting
that allows them. Environment variables are read at call time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from forge_factories.common.errors import ForgeError
from forge_factories.governance.flags import is_enabled
from forge_factories.governance.sensitivity import SensitivityReport, classify_model

PII_ENV = "FORGE_ALLOW_PII"
DANGEROUS_ENV = "FORGE_ALLOW_DANGEROUS"

#: Environment variables that mean "running in CI": never prompt there.
CI_VARS: tuple[str, ...] = (
    "CI", "CONTINUOUS_INTEGRATION", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "CIRCLECI", "TRAVIS",
    "JENKINS_URL", "TF_BUILD", "TEAMCITY_VERSION", "BITBUCKET_BUILD_NUMBER",
)
_TRUE = frozenset({"1", "true", "yes", "on"})
_YES = frozenset({"y", "yes"})


class ForgePermissionError(ForgeError, PermissionError):
    """Generation refused: names the fields, their class and how to allow them."""

    def __init__(self, message: str, *, fields: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.fields = fields

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def env_flag(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """Whether environment variable ``name`` is set to a true value (1/true/yes/on)."""
    env = os.environ if environ is None else environ
    return env.get(name, "").strip().lower() in _TRUE


def headless_reason(stdin: Any = None, environ: Mapping[str, str] | None = None) -> str | None:
    """Why nobody can be asked right now (``None`` when stdin is a real terminal outside CI)."""
    env = os.environ if environ is None else environ
    for var in CI_VARS:
        value = env.get(var, "").strip().lower()
        if value and value not in ("0", "false", "no", "off"):
            return f"running in CI ({var} is set)"
    stream = sys.stdin if stdin is None else stdin
    if stream is None:
        return "there is no stdin"
    try:
        if not stream.isatty():
            return "stdin is not a terminal (piped, redirected or captured by pytest)"
    except (AttributeError, ValueError, OSError):
        return "stdin cannot be inspected (closed or replaced)"
    return None


@dataclass(frozen=True)
class GateDecision:
    """What a gate allowed: the non-safe fields that may be generated, and on what grounds."""

    model: str
    sensitive: tuple[str, ...] = ()
    dangerous: tuple[str, ...] = ()
    pii_allowed: bool = False
    dangerous_allowed: bool = False
    how: str = "no sensitive or dangerous field"

    @property
    def allowed(self) -> frozenset[str]:
        """Every non-safe field that may be generated."""
        out: set[str] = set()
        if self.pii_allowed:
            out.update(self.sensitive)
        if self.dangerous_allowed:
            out.update(self.dangerous)
        return frozenset(out)


def _describe(report: SensitivityReport, names: Iterable[str]) -> str:
    parts = []
    for n in names:
        category = report.fields[n].category if n in report.fields else None
        parts.append(f"{n} ({category})" if category else n)
    return ", ".join(parts)


def _ask(question: str, stdin: IO[str] | Any, stderr: IO[str] | Any) -> tuple[bool, str]:
    try:
        stderr.write(question)
        stderr.flush()
        answer = stdin.readline()
    except (OSError, EOFError, ValueError) as exc:
        return False, f"could not read an answer ({type(exc).__name__})"
    if not answer:
        return False, "no answer (end of input)"
    if answer.strip().lower() in _YES:
        return True, "confirmed at the prompt"
    return False, "declined at the prompt"


def check_permissions(
    target: Any,
    *,
    allow_pii: bool | None = None,
    allow_dangerous: bool | None = None,
    interactive: bool | None = None,
    fields: Iterable[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    stdin: Any = None,
    stderr: Any = None,
    environ: Mapping[str, str] | None = None,
) -> GateDecision:
    """Allow or refuse generating ``target``'s fields (a model, factory or :class:`SensitivityReport`).

    ``allow_pii``/``allow_dangerous``: ``None`` reads ``FORGE_ALLOW_PII``/``FORGE_ALLOW_DANGEROUS``;
    an explicit ``False`` wins over the environment. Dangerous fields not allowed are asked
    about on a real terminal (``interactive=False`` forbids asking). ``fields`` limits the check
    to the fields that will really be generated. Raises :class:`ForgePermissionError`.
    """
    report = target if isinstance(target, SensitivityReport) else classify_model(target, overrides)
    wanted = None if fields is None else set(fields)
    sensitive = tuple(n for n in report.sensitive if wanted is None or n in wanted)
    dangerous = tuple(n for n in report.dangerous if wanted is None or n in wanted)
    if not is_enabled("permissions", environ):
        return GateDecision(report.model, sensitive, dangerous, True, True, "FORGE_FLAG_PERMISSIONS is off")
    if not sensitive and not dangerous:
        return GateDecision(report.model)
    pii_ok = allow_pii if allow_pii is not None else env_flag(PII_ENV, environ)
    how: list[str] = []
    if sensitive:
        if not pii_ok:
            raise ForgePermissionError(
                f"{report.model}: field(s) {_describe(report, sensitive)} are SENSITIVE (personal data or secrets). "
                f"Allow them with allow_pii=True or {PII_ENV}=1 (values are obviously synthetic: reserved "
                "number ranges and test card numbers), or leave those fields out.",
                fields=sensitive,
            )
        how.append("allow_pii=True" if allow_pii else f"{PII_ENV}=1")
    danger_ok = allow_dangerous if allow_dangerous is not None else env_flag(DANGEROUS_ENV, environ)
    if dangerous and danger_ok:
        how.append("allow_dangerous=True" if allow_dangerous else f"{DANGEROUS_ENV}=1")
    elif dangerous:
        hint = f"Allow them with allow_dangerous=True or {DANGEROUS_ENV}=1, or confirm on a terminal."
        reason = "interactive=False" if interactive is False else headless_reason(stdin, environ)
        if allow_dangerous is False:
            reason = "allow_dangerous=False"
        if reason is not None:
            raise ForgePermissionError(
                f"{report.model}: field(s) {_describe(report, dangerous)} are DANGEROUS (attack payloads); "
                f"not asking because {reason}. {hint}",
                fields=dangerous,
            )
        question = (f"forge_factories: {report.model} wants attack payloads for {_describe(report, dangerous)}. "
                    "Generate them? [y/N] ")
        ok, why = _ask(question, sys.stdin if stdin is None else stdin, sys.stderr if stderr is None else stderr)
        if not ok:
            raise ForgePermissionError(
                f"{report.model}: field(s) {_describe(report, dangerous)} are DANGEROUS; {why}. {hint}",
                fields=dangerous,
            )
        how.append(why)
    return GateDecision(report.model, sensitive, dangerous, bool(pii_ok), bool(dangerous), "; ".join(how))
