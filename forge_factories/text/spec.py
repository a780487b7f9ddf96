"""The forge-owned description of one semantic field (what a provider must write)."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import string
from dataclasses import dataclass, field
from typing import Any


@functools.lru_cache(maxsize=1024)  # called for every object; instructions are few
def instruction_references(instruction: str | None) -> tuple[str, ...]:
    """Names referenced as ``{name}`` or ``{parent.name}`` in an instruction, in order."""
    if not instruction:
        return ()
    refs: list[str] = []
    try:
        parsed = list(string.Formatter().parse(instruction))
    except ValueError:  # a malformed template (see template_problem) references nothing
        return ()
    for _, name, _, _ in parsed:
        if name and name not in refs:
            refs.append(name)
    return tuple(refs)


_REFERENCE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")


def template_problem(instruction: str | None) -> str | None:
    """What is wrong with an instruction template (``None`` if nothing).

    Placeholders must name a field (``{name}``, ``{product.name}``); a literal brace is
    written ``{{`` or ``}}``. An unclosed ``{``, a lone ``}``, ``{}``, ``{0}``, ``{x[0]}``,
    a conversion other than ``!r``/``!s``/``!a`` and a nested placeholder are refused.
    """
    if not instruction:
        return None
    hint = "write a literal brace as '{{' or '}}'"
    try:
        parsed = list(string.Formatter().parse(instruction))
    except ValueError as exc:
        return f"instruction {instruction!r} is not a valid template ({exc}); {hint}"
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not _REFERENCE.match(name):
            shown = "{" + name + "}"
            return (f"instruction {instruction!r}: placeholder {shown!r} does not name a field "
                    f"(use '{{field}}' or '{{parent.field}}'; {hint})")
        if conversion not in (None, "r", "s", "a"):
            return f"instruction {instruction!r}: placeholder {{{name}!{conversion}}} has an unknown conversion"
        if spec and "{" in spec:
            return f"instruction {instruction!r}: placeholder {{{name}}} has a nested placeholder in its format"
    return None


@dataclass(frozen=True)
class FieldSpec:
    """What one semantic field must contain.

    ``name`` is the model field; ``instruction`` the (optional) natural-language brief;
    the rest are hard constraints that every value is validated against. ``unique=False``
    lets values repeat within a batch (by default every free-text field is checked for
    duplicates; ``choices`` fields never are).
    """

    name: str
    instruction: str | None = None
    max_length: int | None = None
    min_length: int | None = None
    choices: tuple[str, ...] | None = None
    language: str | None = None
    examples: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = field(default=())
    unique: bool = True

    @property
    def references(self) -> tuple[str, ...]:
        """Every resolved field this spec is conditioned on (instruction refs + depends_on)."""
        refs = list(instruction_references(self.instruction))
        refs.extend(r for r in self.depends_on if r not in refs)
        return tuple(refs)

    def as_dict(self) -> dict[str, Any]:
        """A canonical, JSON-ready form (stable across pydantic/Python releases)."""
        return {
            "name": self.name,
            "instruction": self.instruction,
            "max_length": self.max_length,
            "min_length": self.min_length,
            "choices": list(self.choices) if self.choices is not None else None,
            "language": self.language,
            "examples": list(self.examples),
            "depends_on": list(self.depends_on),
        } | ({} if self.unique else {"unique": False})  # the default leaves existing keys as they were

    def spec_hash(self) -> str:
        """A short stable hash of the spec, used in cache and lock-file keys."""
        blob = json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    def render_instruction(self, conditioning: dict[str, Any]) -> str | None:
        """The instruction with ``{refs}`` replaced by an item's conditioning values."""
        if not self.instruction:
            return None
        flat = {k.replace(".", "__"): v for k, v in conditioning.items()}
        template = self.instruction
        for ref in instruction_references(template):
            template = template.replace("{" + ref + "}", "{" + ref.replace(".", "__") + "}")
        try:
            return template.format(**flat)
        except (KeyError, IndexError, ValueError):
            return self.instruction
