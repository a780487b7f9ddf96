"""The ``forge migrate`` driver: find files, transform them, print a diff, write or check.

Files are read and written as bytes in their own encoding and newline style, so a file
the codemod leaves alone is byte-identical, and ``--apply`` replaces each changed file
atomically (a temporary file beside it, then a rename, keeping its permissions).
"""

from __future__ import annotations

import difflib
import io
import os
import re
import sys
import tempfile
import tokenize
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

#: Directories never walked into (environments, caches, VCS data).
SKIP_DIRS = {".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "env", "__pycache__", "node_modules",
             "build", "dist", ".mypy_cache", ".ruff_cache", ".pytest_cache", "site-packages"}


@dataclass
class FileResult:
    """What the codemod makes of one file."""

    path: Path
    old: str
    new: str
    encoding: str
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def diff(self) -> str:
        """A unified diff (``a/PATH`` -> ``b/PATH``; an absolute path as it is), empty when unchanged."""
        name = self.path.as_posix()
        old, new = (name, name) if self.path.is_absolute() else (f"a/{name}", f"b/{name}")
        return "".join(difflib.unified_diff(self.old.splitlines(keepends=True), self.new.splitlines(keepends=True),
                                            old, new))


#: A module that never names ``factory`` (or ``forge_factories``) is left unparsed.
_MENTIONS = re.compile(r"\b(?:factory|forge_factories)\b")


class MigrateError(Exception):
    """A path that is not a Python file or directory, or a file that does not parse."""


def python_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """The ``.py`` files named or found under ``paths`` (sorted; environments skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            yield path
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info"))
                yield from (Path(root) / f for f in sorted(files) if f.endswith(".py"))
        else:
            raise MigrateError(f"no such file or directory: {path}")


def migrate_source(source: str, *, semantic: bool = False, path: Path | None = None,
                   import_models: bool = True) -> tuple[str, list[str]]:
    """``source`` migrated (and the notes on what was kept); raises ``MigrateError`` if it does not parse."""
    if not _MENTIONS.search(source):
        return source, []
    import libcst as cst

    from forge_factories.migrate.imports import rewrite_imports

    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise MigrateError(f"cannot parse: {exc.message} (line {exc.raw_line})") from None
    result = rewrite_imports(module)
    notes = list(result.notes)
    module = result.module
    if semantic:
        from forge_factories.migrate.semantic import propose

        proposed = propose(module, path=path, import_models=import_models)
        module = proposed.module
        notes.extend(proposed.notes)
    return module.code, notes


def migrate_file(path: Path, *, semantic: bool = False, import_models: bool = True) -> FileResult:
    """Read ``path`` in its declared encoding and migrate it."""
    data = path.read_bytes()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError) as exc:
        raise MigrateError(f"cannot read {path}: {exc}") from None
    # decoded from bytes: the text keeps its own line endings (libcst preserves them), and a
    # BOM is dropped by "utf-8-sig" and written back by it
    try:
        new, notes = migrate_source(text, semantic=semantic, path=path, import_models=import_models)
    except MigrateError as exc:
        raise MigrateError(f"{path}: {exc}") from None
    return FileResult(path, text, new, encoding, notes)


def write_atomically(path: Path, text: str, encoding: str) -> None:
    """Replace ``path`` by ``text``: a temporary file in the same directory, then a rename
    (a symbolic link stays one: the file it points to is replaced)."""
    path = path.resolve() if path.is_symlink() else path
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode(encoding))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(paths: Sequence[str], *, apply: bool = False, check: bool = False, semantic: bool = False,
        import_models: bool = True, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Migrate ``paths``: print a diff, or write the files (``apply``), or list the files that
    would change (``check``). Returns the exit code: 1 if ``check`` and something would change,
    2 if a path is missing, a file does not parse or cannot be written (the other files are
    still handled)."""
    out = out or sys.stdout
    err = err or sys.stderr
    code = 0
    changed = 0
    try:
        files = list(python_files(paths))
    except MigrateError as exc:
        print(f"forge: error: {exc}", file=err)
        return 2
    for path in files:
        try:
            result = migrate_file(path, semantic=semantic, import_models=import_models)
        except (MigrateError, OSError) as exc:
            print(f"forge: error: {exc}", file=err)
            code = 2
            continue
        for note in result.notes:
            print(f"{path}:{note}", file=err)
        if not result.changed:
            continue
        changed += 1
        if apply:
            try:
                write_atomically(path, result.new, result.encoding)
            except OSError as exc:
                print(f"forge: error: cannot write {path}: {exc.strerror or exc}", file=err)
                code, changed = 2, changed - 1
                continue
            print(f"migrated {path}", file=out)
        elif check:
            print(f"would migrate {path}", file=out)
        else:
            out.write(result.diff())
    if apply:
        print(f"{changed} file(s) migrated", file=err)
    elif check and changed:
        print(f"{changed} file(s) would be migrated", file=err)
        code = code or 1
    return code
