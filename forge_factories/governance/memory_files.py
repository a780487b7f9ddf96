"""Memory's names and files: topic names, rule text, the project root and safe writes.

Topics are file names under ``.forge/memory``: they are checked so that none can leave it (no
separators, dots or reserved names); rules are one line of business text, never a schema;
files are written atomically under a lock and never through a symbolic link.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from forge_factories.common.errors import ForgeConfigError

__all__ = ["MAX_RULE_LENGTH", "MemoryRuleError", "atomic_write", "find_project_root", "normalise_rule",
           "refuse_symlinks", "validate_rule", "validate_topic", "write_lock"]

_TOPIC = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                               *(f"lpt{i}" for i in range(10))})
#: Longest rule accepted (rules travel in every prompt: keep them short).
MAX_RULE_LENGTH = 500
_SCHEMA_ONLY = re.compile(
    r"^`?[A-Za-z_]\w*`?\s*(?::|is an?|is of type|has type)\s*"
    r"(?:int|integer|str|string|text|float|number|decimal|bool|boolean|date|datetime|uuid|list|dict)"
    r"(?:\s*\|\s*none|\s+or\s+none|\s*,?\s*optional)?$",
    re.IGNORECASE,
)


class MemoryRuleError(ForgeConfigError, ValueError):
    """A topic name or rule was refused (path traversal, separators, schema-only text)."""


def validate_topic(topic: str) -> str:
    """The normalised (lower-case) topic name; refuses anything that could leave ``.forge/``."""
    if not isinstance(topic, str):
        raise MemoryRuleError(f"topic must be a string, got {topic!r}")
    name = topic.strip().lower()
    if not _TOPIC.match(name) or name in _WINDOWS_RESERVED or name == "index":
        raise MemoryRuleError(
            f"invalid memory topic {topic!r}: use 1-64 letters, digits, '_' or '-' starting with a letter "
            "or digit (no path separators, dots or reserved names)"
        )
    return name


def normalise_rule(text: str) -> str:
    """``text`` on one line: every whitespace run (Unicode line/paragraph separators, ``\\x85``,
    ``\\v``, ``\\f``, tabs, ...) becomes one space, other control and format characters go."""
    spaced = " ".join(text.split())
    return "".join(ch for ch in spaced if unicodedata.category(ch)[0] != "C")


def validate_rule(rule: str) -> str:
    """The cleaned rule text; refuses empty, multi-line, over-long and schema-only rules.

    A rule is one line: ``\\n`` / ``\\r`` inside it are refused; other line breaks (``\\u2028``,
    ``\\u2029``, ``\\x85``, ``\\v``, ``\\f``) are normalised to a space (:func:`normalise_rule`),
    so a stored rule never splits on read-back.
    """
    if not isinstance(rule, str):
        raise MemoryRuleError(f"rule must be a string, got {rule!r}")
    if "\n" in rule.strip() or "\r" in rule.strip():
        raise MemoryRuleError("a rule is one line of text; add several rules instead")
    text = normalise_rule(rule)
    if not text:
        raise MemoryRuleError("empty rule")
    if len(text) > MAX_RULE_LENGTH:
        raise MemoryRuleError(f"rule is {len(text)} characters; the limit is {MAX_RULE_LENGTH}")
    if _SCHEMA_ONLY.match(text):
        raise MemoryRuleError(
            f"{rule!r} only restates a field's type: field names and types come from the model and are not "
            "stored; store business rules (bounds, allowed values, formats, relations) instead"
        )
    return text


def refuse_symlinks(*paths: Path) -> None:
    """Raise :class:`MemoryRuleError` if any of ``paths`` is a symbolic link (memory is never written through one)."""
    for path in paths:
        if path.is_symlink():
            raise MemoryRuleError(f"{path} is a symbolic link; forge memory does not read or write through links "
                                  "(make it a real directory or file)")


def find_project_root(start: Path | None = None) -> Path:
    """The nearest directory upwards holding ``pyproject.toml``, ``setup.cfg``, ``setup.py`` or ``.git``."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if any((candidate / marker).exists() for marker in ("pyproject.toml", "setup.cfg", "setup.py", ".git")):
            return candidate
    return here


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def write_lock(directory: Path) -> Iterator[None]:
    """An exclusive lock on ``directory/.lock`` for read-modify-write (POSIX; no-op elsewhere)."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: atomic renames only
        yield
        return
    lock = directory / ".lock"
    refuse_symlinks(lock)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(fd, "r+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
