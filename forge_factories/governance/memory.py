"""Persisted business rules: ``Memory().add_rule("user", "age between 18 and 120")``.

Layout (created on the first write, never on import or read)::

    .forge/memory/index.json      {"topics": {"user": "user.md", ...}}
    .forge/memory/user.md         one "- rule" line per rule

Files are re-read on every call (edit them by hand, the next generation sees it). Rules
are data for the prompt's data block, never instructions to this library. Field names and
types are not stored: they come from the live model, against which every rule is checked.
Topic names, rule text and safe file writes are :mod:`forge_factories.governance.memory_files`.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from forge_factories.common.errors import ForgeWarning
from forge_factories.governance.fields import describe_model, model_name
from forge_factories.governance.memory_files import (
    MAX_RULE_LENGTH,
    MemoryRuleError,
    atomic_write,
    find_project_root,
    normalise_rule,
    refuse_symlinks,
    validate_rule,
    validate_topic,
    write_lock,
)
from forge_factories.governance.rules import (
    FieldConstraint,
    ParsedRule,
    field_constraint_from_desc,
    merge_constraints,
    parse_rule,
)


@dataclass(frozen=True)
class RuleCheck:
    """Rules checked against a live model: what goes to the prompt and what was left out, and why."""

    model: str
    rules: tuple[str, ...] = ()
    stale: tuple[tuple[str, str], ...] = ()
    not_applicable: tuple[tuple[str, str], ...] = ()
    parsed: tuple[ParsedRule, ...] = ()

    def summary(self) -> str:
        """Readable lines for the left-out rules."""
        lines = [f"stale rule {r!r}: {why}" for r, why in self.stale]
        lines += [f"rule {r!r} does not apply to {self.model}: {why}" for r, why in self.not_applicable]
        return "\n".join(lines)


def _topic_matches_model(topic: str, model: str) -> bool:
    m = model.lower()
    return topic in (m, m + "s", m + "es")


class Memory:
    """Business rules persisted under the project's ``.forge/`` directory.

    ``root`` is the ``.forge`` directory (default: ``<project root>/.forge``, the project root
    being the nearest parent with ``pyproject.toml``/``setup.cfg``/``.git``). Nothing is
    created until the first :meth:`add_rule`; every read goes back to the files.
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self._root = Path(root) if root is not None else None

    @property
    def root(self) -> Path:
        """The ``.forge`` directory (resolved now, relative paths against the current directory)."""
        return (self._root if self._root is not None else find_project_root() / ".forge").absolute()

    @property
    def directory(self) -> Path:
        """Where the index and topic files live (refused if it, ``.forge`` or the index is a symlink)."""
        root = self.root
        directory = root / "memory"
        refuse_symlinks(root, directory, directory / "index.json")
        return directory

    def _index_path(self) -> Path:
        return self.directory / "index.json"

    def _read_index(self) -> dict[str, str]:
        path = self._index_path()
        if not path.exists():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise MemoryRuleError(f"{path} is not a valid memory index: {exc}") from None
        topics = data.get("topics", {}) if isinstance(data, Mapping) else {}
        out = {}
        for topic in topics:
            try:
                name = validate_topic(topic)
            except MemoryRuleError:
                continue  # a hand-edited index cannot point outside .forge/
            out[name] = f"{name}.md"
        return out

    def _write_index(self, topics: Iterable[str]) -> None:
        data = {"version": 1, "topics": {t: f"{t}.md" for t in sorted(topics)}}
        atomic_write(self._index_path(), json.dumps(data, indent=2, sort_keys=True) + "\n")

    def _topic_path(self, topic: str) -> Path:
        path = (self.directory / f"{validate_topic(topic)}.md").resolve()
        if path.parent != self.directory.resolve():
            raise MemoryRuleError(f"topic {topic!r} escapes {self.directory}")
        return path

    def _read_topic(self, topic: str) -> list[str]:
        path = self._topic_path(topic)
        if not path.exists():
            return []
        rules = []
        for line in path.read_text(encoding="utf-8").split("\n"):  # not splitlines(): only \n ends a rule
            text = normalise_rule(line[2:]) if line.startswith("- ") else ""
            if text and text not in rules:
                rules.append(text)
        return rules

    def _write_topic(self, topic: str, rules: list[str]) -> None:
        name = validate_topic(topic)
        body = f"# {name}\n\n" + "".join(f"- {r}\n" for r in rules)
        atomic_write(self._topic_path(name), body)

    def topics(self) -> list[str]:
        """Topic names, sorted."""
        return sorted(self._read_index())

    def add_rule(self, topic: str, rule: str) -> str:
        """Store ``rule`` under ``topic`` (a duplicate is stored once); returns the cleaned rule."""
        name = validate_topic(topic)
        text = validate_rule(rule)
        with write_lock(self.directory):
            rules = self._read_topic(name)
            if text not in rules:
                rules.append(text)
                self._write_topic(name, rules)
            index = self._read_index()
            if name not in index:
                self._write_index([*index, name])
        return text

    def rules(self, topic: str | None = None) -> list[str]:
        """The rules of ``topic`` (all topics, in topic order, when ``None``)."""
        if topic is not None:
            name = validate_topic(topic)
            return self._read_topic(name) if name in self._read_index() else []
        out: list[str] = []
        for name in self.topics():
            out.extend(r for r in self._read_topic(name) if r not in out)
        return out

    def remove(self, topic: str, rule: str | None = None) -> bool:
        """Remove one rule (or the whole topic when ``rule`` is ``None``); ``True`` if something went."""
        name = validate_topic(topic)
        if name not in self._read_index():
            return False
        with write_lock(self.directory):
            index = self._read_index()
            if name not in index:
                return False
            if rule is not None:
                rules = self._read_topic(name)
                text = normalise_rule(rule)
                if text not in rules:
                    return False
                rules.remove(text)
                if rules:
                    self._write_topic(name, rules)
                    return True
            path = self._topic_path(name)
            if path.exists():
                path.unlink()
            self._write_index([t for t in index if t != name])
        return True

    def clear(self) -> None:
        """Remove every topic."""
        for name in self.topics():
            self.remove(name)

    def stats(self) -> dict[str, Any]:
        """``{"topics": n, "rules": n, "total_kb": size}`` for ``forge.stats()``."""
        index = self._read_index()
        size = 0
        count = 0
        for name in index:
            path = self._topic_path(name)
            if path.exists():
                size += path.stat().st_size
                count += len(self._read_topic(name))
        if self._index_path().exists():
            size += self._index_path().stat().st_size
        return {"topics": len(index), "rules": count, "total_kb": round(size / 1024, 2)}

    # -- validation against a live model -------------------------------------------------------

    def check(self, model: Any, topics: Iterable[str] | None = None, *, warn: bool = False) -> RuleCheck:
        """Rules applicable to ``model``; stale ones (naming fields it no longer has) are left out.

        A rule is *scoped* to a model when its topic is the model's name (``"user"``/``"users"``
        for ``User``) or it qualifies the field (``User.age ...``). A scoped rule naming a missing
        field is **stale**; an unscoped one, or one qualified with another model, is **not
        applicable**. Both are left out of the prompt and reported (``warn=True`` also warns).
        """
        name = model_name(model)
        fields = {d.name for d in describe_model(model)}
        wanted = None if topics is None else {validate_topic(t) for t in topics}
        kept: list[str] = []
        parsed: list[ParsedRule] = []
        stale: list[tuple[str, str]] = []
        other: list[tuple[str, str]] = []
        for topic in self.topics():
            if wanted is not None and topic not in wanted:
                continue
            scoped_topic = _topic_matches_model(topic, name)
            for text in self._read_topic(topic):
                if text in kept:
                    continue
                rule = parse_rule(text)
                verdict = self._verdict(rule, name, fields, scoped_topic)
                if verdict is None:
                    kept.append(text)
                    parsed.append(rule)
                elif verdict[0] == "stale":
                    stale.append((text, verdict[1]))
                else:
                    other.append((text, verdict[1]))
        result = RuleCheck(name, tuple(kept), tuple(stale), tuple(other), tuple(parsed))
        if warn and stale:
            warnings.warn(f"forge memory: {len(stale)} stale rule(s) left out for {name}:\n{result.summary()}",
                          ForgeWarning, stacklevel=2)
        return result

    @staticmethod
    def _verdict(rule: ParsedRule, model: str, fields: set[str], scoped_topic: bool) -> tuple[str, str] | None:
        for ref in rule.references:
            qualifier, _, field_name = ref.rpartition(".")
            if qualifier and qualifier.lower() != model.lower():
                if qualifier.lower() in {f.lower() for f in fields}:
                    continue  # a nested field path such as product.name
                return ("other", f"it is about {qualifier}")
            if field_name not in fields:
                kind = "stale" if (scoped_topic or qualifier) else "other"
                return (kind, f"{model} has no field {field_name!r}")
        return None

    def prompt_rules(self, model: Any, topics: Iterable[str] | None = None) -> tuple[str, ...]:
        """The rule strings to place in the prompt's data block for ``model`` (stale ones warned about)."""
        return self.check(model, topics, warn=True).rules

    def constraints_for(self, model: Any, topics: Iterable[str] | None = None, *,
                        include_model: bool = True) -> dict[str, FieldConstraint]:
        """Per-field bounds/choices/patterns/lengths from the applicable structured rules.

        With ``include_model`` the model's own constraints (pydantic ``ge``/``max_length``...,
        enums, Literals) are merged in, so a sampled value satisfies both.
        """
        check = self.check(model, topics)
        own_name = model_name(model).lower()
        merged = merge_constraints(r for r in check.parsed if r.qualifier is None or r.qualifier.lower() == own_name)
        if include_model:
            for desc in describe_model(model):
                if desc.name in merged:
                    own = field_constraint_from_desc(desc)
                    merged[desc.name] = replace(own, not_null=False).merge(merged[desc.name])
        return merged


def constraints_for(model: Any, memory: Memory | None = None, topics: Iterable[str] | None = None) -> dict[str, FieldConstraint]:
    """Shortcut for ``(memory or Memory()).constraints_for(model, topics)``."""
    return (memory if memory is not None else Memory()).constraints_for(model, topics)


def with_rules(request: Any, memory: Memory, model: Any | None = None, topics: Iterable[str] | None = None) -> Any:
    """``request`` (a :class:`SemanticRequest`) with the memory's applicable rules appended to ``rules``.

    ``model`` is the class the request fills (checked for stale rules); without it every rule
    of the selected topics is added unchecked.
    """
    if model is not None:
        new_rules = memory.prompt_rules(model, topics)
    else:
        wanted = None if topics is None else {validate_topic(t) for t in topics}
        new_rules = tuple(r for t in memory.topics() if wanted is None or t in wanted for r in memory.rules(t))
    merged = tuple(request.rules) + tuple(r for r in new_rules if r not in request.rules)
    return replace(request, rules=merged)


__all__ = ["MAX_RULE_LENGTH", "Memory", "MemoryRuleError", "RuleCheck", "constraints_for", "find_project_root",
           "validate_rule", "validate_topic", "with_rules"]
