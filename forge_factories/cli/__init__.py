"""The ``forge`` command: generate files, seed databases, maintain the lock file.

Exit codes: 0 success; 1 generation failed (a factory or provider raised, or the file could not be written); 2 bad input
(usage, unknown format or dialect, unimportable target, unwritable path); 3 database
error; 4 ``lock check`` found problems. Errors are one line on stderr; a failed
``generate`` leaves no file behind. Progress bars go to stderr, only when it is a terminal.

Everything past argument parsing is imported by the command that needs it.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from forge_factories.cli import shared as _shared
from forge_factories.cli.shared import (  # noqa: F401 - part of the command's interface
    EXIT_DATABASE,
    EXIT_FAILED,
    EXIT_LOCK,
    EXIT_OK,
    EXIT_USAGE,
    CLIError,
    _count,
    _targets_imported,
    import_target,
)


def _ratio(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a ratio: {text!r}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"ratio must be in (0, 1], got {value}")
    return value


def _apply_mode(args: argparse.Namespace) -> Any:
    """Configure the store mode / lock file; returns the provider to use (or ``None``)."""
    from forge_factories.store import configure_store

    options: dict[str, Any] = {}
    if getattr(args, "mode", None):
        options["mode"] = args.mode
    if getattr(args, "lock_file", None):
        options["lock_path"] = args.lock_file
    if options:
        configure_store(**options)
    provider = getattr(args, "provider", None)
    if args.mode == "offline":
        return provider or "offline"
    return provider


def _progress(args: argparse.Namespace) -> bool | None:
    if args.progress is None:
        return None
    return bool(args.progress) and sys.stderr.isatty()


def cmd_generate(args: argparse.Namespace) -> int:
    """``forge generate``."""
    from forge_factories.cli.generate import run_generate, wants_sharded

    if wants_sharded(args):
        return run_generate(args)
    from forge_factories.datasets.export import ExportError, check_dialect, format_for
    from forge_factories.datasets.stream import check_target_path, create_stream

    try:
        fmt = format_for(args.output, args.format)
        if fmt == "sql":
            check_dialect(args.dialect)
        check_target_path(args.output)
    except ExportError as exc:
        raise CLIError(str(exc)) from None
    target = import_target(args.target)
    _targets_imported()
    provider = _apply_mode(args)
    from forge_factories.common.errors import ForgeConfigError

    try:
        stream = create_stream(
            target, args.count, args.output, format=fmt, dialect=args.dialect, table_name=args.table,
            create_table=args.create_table, seed=args.seed, context=args.context, provider=provider,
            seed_ratio=args.seed_ratio, executor=args.executor or "objects", as_dicts=True,
            progress=_progress(args), on_error="discard",
        )
    except (ForgeConfigError, ExportError) as exc:
        raise CLIError(str(exc)) from None
    try:
        written = stream.drain()
    except (ForgeConfigError, ExportError) as exc:
        raise CLIError(str(exc)) from None
    except OSError as exc:  # disk full, file-size limit: no file is left
        raise CLIError(f"cannot write {args.output}: {exc.strerror or exc}", EXIT_FAILED) from None
    except Exception as exc:  # noqa: BLE001 - generation failure: one line, exit 1
        raise CLIError(f"generation failed: {type(exc).__name__}: {exc}", EXIT_FAILED) from None
    if not args.quiet:
        print(f"wrote {written} records to {args.output}")
    return EXIT_OK


def _parse_targets(items: Sequence[str]) -> list[tuple[Any, int, str | None]]:
    out: list[tuple[Any, int, str | None]] = []
    for item in items:
        spec, sep, rest = item.rpartition("=")
        if not sep or not spec:
            raise CLIError(f"expected module:Factory=N[@table], got {item!r}")
        number, _, table = rest.partition("@")
        try:
            count = _count(number)
        except argparse.ArgumentTypeError as exc:
            raise CLIError(f"{item!r}: {exc}") from None
        out.append((import_target(spec), count, table or None))
    return out


def _add_executor(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument("--executor", choices=("objects", "columns"), default=None,
                        help="objects: built one by one through factory_boy (its values for the seed); "
                             f"columns: the column-wise plan, much faster, same distributions ({default})")


def cmd_seed(args: argparse.Namespace) -> int:
    """``forge seed``."""
    from forge_factories.common.errors import ForgeConfigError
    from forge_factories.datasets.dbseed import SeedError, seed_url

    targets = _parse_targets(args.targets)
    _targets_imported()
    provider = _apply_mode(args)
    try:
        results = seed_url(args.database_url, targets, seed=args.seed, context=args.context,
                                provider=provider, create_tables=args.create_tables,
                                chunk_size=args.chunk_size, progress=_progress(args), reset=args.reset,
                                existing_parents=args.parents == "existing",
                                drop_missing_columns=args.drop_missing_columns,
                                executor=args.executor or "objects", workers=args.jobs)
    except SeedError as exc:
        raise CLIError(str(exc), EXIT_DATABASE) from None
    except ForgeConfigError as exc:
        raise CLIError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001
        raise CLIError(f"seeding failed: {type(exc).__name__}: {exc}", EXIT_FAILED) from None
    if not args.quiet:
        for r in results:
            print(f"{r.factory}: {r.rows} rows into {r.table} ({r.method})")
    return EXIT_OK


def cmd_lock(args: argparse.Namespace) -> int:
    """``forge lock check|prune``: imports only ``--module`` names and the project's lock-modules."""
    from forge_factories.store import lockfile
    from forge_factories.store.lockcheck import LockResolveError

    path = args.lock_file
    try:
        lockfile.refuse_symlink(Path(path) if path is not None else lockfile.default_lock_path())
    except lockfile.LockFileError as exc:
        raise CLIError(str(exc)) from None
    if path is not None and not Path(path).is_file():
        raise CLIError(f"no lock file at {path}")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        if args.action == "check":
            report = lockfile.check(path, resolve=not args.no_resolve, modules=args.module)
            for line in report.lines():
                print(line)
            if report.unresolved:
                print(f"{len(report.unresolved)} entries unresolved: name their factory modules with --module "
                      "or [tool.forge_factories] lock-modules in pyproject.toml")
            return EXIT_OK if report.ok and report.resolved else EXIT_LOCK
        removed = lockfile.prune(path, unresolved=args.unresolved, modules=args.module)
    except (LockResolveError, lockfile.LockFileError) as exc:
        raise CLIError(str(exc)) from None
    for key in removed:
        print(f"removed: {key}")
    print(f"pruned {len(removed)} entries")
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    """``forge migrate``: the codemod of :mod:`forge_factories.migrate` (needs libcst)."""
    if importlib.util.find_spec("libcst") is None:
        raise CLIError("forge migrate needs libcst: pip install 'forge_factories[migrate]'")
    from forge_factories.migrate.driver import run

    return run(args.paths, apply=args.apply, check=args.check, semantic=args.semantic,
               import_models=not args.no_import)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (``forge: error: ...``) and exit code 2."""

    def error(self, message: str) -> Any:
        self.exit(EXIT_USAGE, f"forge: error: {self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``forge``."""
    parser = _Parser(
        prog="forge",
        description="Generate realistic fixture data with forge_factories factories.",
        epilog="Exit codes: 0 ok, 1 generation failed, 2 bad input, 3 database error, 4 lock check found problems.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    common = _Parser(add_help=False)
    common.add_argument("--seed", type=int, default=None, help="seed for reproducible output (default: unseeded)")
    common.add_argument("--context", default=None, help="generation context for semantic fields, e.g. 'SaaS users'")
    common.add_argument("--mode", choices=("offline", "replay", "record", "live"), default=None,
                        help="where semantic text comes from: offline generator, the lock file (replay), "
                             "the provider recording missing values (record), or the provider (live)")
    common.add_argument("--provider", default=None, help="semantic provider name (default: configured/automatic)")
    common.add_argument("--lock-file", default=None, help="lock file for replay/record (default: forge.lock.jsonl)")
    common.add_argument("--progress", dest="progress", action="store_true", default=None,
                        help="draw a progress bar on stderr (only when it is a terminal; default: auto)")
    common.add_argument("--no-progress", dest="progress", action="store_false", help="never draw a progress bar")
    common.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")

    gen = sub.add_parser("generate", parents=[common], help="write N records of a factory or model to a file",
                         description="Write N records of a factory (or model) to a JSON, JSONL, CSV or SQL file. "
                                     "The file appears only when complete.")
    gen.add_argument("target", metavar="module:Model_or_Factory", help="what to generate, e.g. myapp.factories:UserFactory")
    gen.add_argument("-n", "--count", type=_count, required=True, help="number of records")
    gen.add_argument("-o", "--output", required=True, help="file to write (a directory for sharded runs)")
    gen.add_argument("--format", choices=("json", "jsonl", "csv", "sql", "parquet"), default=None,
                     help="output format (default: from the file extension; parquet is sharded)")
    gen.add_argument("--dialect", default="sqlite", help="SQL dialect: sqlite, postgresql, mysql (default sqlite)")
    gen.add_argument("--table", default=None, help="SQL table name (default: the file name)")
    gen.add_argument("--create-table", action="store_true", help="SQL: write CREATE TABLE first")
    gen.add_argument("--seed-ratio", type=_ratio, default=None,
                     help="pay for this share of semantic values and vary them (e.g. 0.01)")
    _add_executor(gen, "default: objects; sharded runs are column-wise")
    from forge_factories.cli.generate import add_arguments as add_sharded_arguments

    add_sharded_arguments(gen)
    gen.set_defaults(func=cmd_generate)

    seed = sub.add_parser("seed", parents=[common], help="insert generated rows into a database",
                          description="Insert N generated rows per factory into a database: binary COPY on "
                                      "PostgreSQL, multi-row INSERTs elsewhere.")
    seed.add_argument("database_url", help="SQLAlchemy URL, e.g. postgresql://user@host/db or sqlite:///x.db")
    seed.add_argument("targets", nargs="+", metavar="module:Factory=N[@table]",
                      help="what to insert, how many, and optionally into which table")
    seed.add_argument("--create-tables", action="store_true", help="create missing tables")
    seed.add_argument("--chunk-size", type=_count, default=10_000, help="rows per chunk (default 10000)")
    seed.add_argument("--jobs", type=_count, default=None,
                      help="--executor columns into PostgreSQL: extra processes making chunks "
                           "(default: one per spare CPU, up to 3; 0: none; same rows either way)")
    seed.add_argument("--drop-missing-columns", action="store_true",
                      help="leave out generated fields the existing table has no column for "
                           "(default: refuse, listing them)")
    seed.add_argument("--reset", action="store_true",
                      help="empty each target table first (in the transaction that writes it); without it, "
                           "a table that holds rows is seeded again after them")
    seed.add_argument("--parents", choices=["existing", "new"], default="existing",
                      help="ORM factories: draw parents of models outside the plan from the rows their tables "
                           "hold (existing, default) or create new ones (new)")
    _add_executor(seed, "default: objects; SQLAlchemy model factories go through the ORM adapter")
    seed.set_defaults(func=cmd_seed)

    lock = sub.add_parser("lock", help="inspect or prune the record/replay lock file",
                          description="check: report invalid, duplicate, orphan and stale entries (exit 4 if any). "
                                      "prune: remove orphan and stale entries.")
    lock.add_argument("action", choices=("check", "prune"))
    lock.add_argument("--lock-file", default=None, help="lock file (default: $FORGE_LOCK_FILE or forge.lock.jsonl)")
    lock.add_argument("--no-resolve", action="store_true", help="check: do not import factories")
    lock.add_argument("--module", "-m", action="append", default=[], metavar="MODULE",
                      help="a module defining factories of the lock file, imported to resolve them "
                           "(repeatable; added to [tool.forge_factories] lock-modules)")
    lock.add_argument("--unresolved", action="store_true", help="prune: also drop entries of unimportable factories")
    lock.set_defaults(func=cmd_lock)

    mig = sub.add_parser("migrate", help="move a factory_boy suite onto forge_factories (codemod)",
                         description="Rewrite factory_boy imports to forge_factories (formatting and comments "
                                     "kept). Prints a unified diff; --apply writes it; --check exits 1 when "
                                     "something would change.",
                         epilog="Exit codes: 0 ok, 1 --check found files to migrate, 2 a missing path or a "
                                "file that does not parse or cannot be written. See docs/migrate.md.")
    mig.add_argument("paths", nargs="+", metavar="PATH", help="Python files or directories")
    mode = mig.add_mutually_exclusive_group()
    mode.add_argument("--apply", action="store_true", help="write the changes (each file replaced atomically)")
    mode.add_argument("--check", action="store_true", help="list the files that would change; exit 1 if any (CI)")
    mig.add_argument("--semantic", action="store_true",
                     help="also propose SemanticAttribute for free-text fields (Faker text, FuzzyText...)")
    mig.add_argument("--no-import", action="store_true",
                     help="--semantic: find max_length statically only, never importing the models")
    mig.set_defaults(func=cmd_migrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``forge`` console script; returns the exit code.

    Run as the program (``argv`` is ``None``: the arguments come from ``sys.argv``), the
    garbage collector is paused while the targets import and the objects left at the end
    are frozen (:func:`gc.freeze`), so the interpreter's exit does not walk every object of
    the imported modules once more. With explicit ``argv`` (in-process use) the collector
    is left alone.
    """
    as_program = argv is None and gc.isenabled()
    parser = build_parser()
    args = parser.parse_args(argv)
    if as_program:
        gc.disable()
        _shared._gc_paused = True
    try:
        return int(args.func(args))
    except CLIError as exc:
        print(f"forge: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("forge: interrupted", file=sys.stderr)
        return 130
    finally:
        if as_program:
            _shared._gc_paused = False
            gc.freeze()  # the process ends: nothing left needs collecting
            gc.enable()


