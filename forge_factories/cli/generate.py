"""``forge generate ... --partitions K [--scheduler ADDRESS]``: the sharded branch of the command."""

from __future__ import annotations

import argparse
import os
from typing import Any

from forge_factories.cli.shared import (
    EXIT_FAILED,
    EXIT_OK,
    CLIError,
    _count,
    _targets_imported,
    import_target,
)
from forge_factories.common.errors import ForgeConfigError


def wants_sharded(args: argparse.Namespace) -> bool:
    """Whether ``forge generate`` was asked for a sharded run (partitions, a scheduler, Parquet or ``-o X.parquet``)."""
    parquet_dir = args.format is None and str(args.output).rstrip("/").endswith(".parquet")
    return bool(args.partitions is not None or args.scheduler or args.workers or args.parent
                or args.format == "parquet" or parquet_dir)


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def _parents(items: list[str]) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for item in items:
        spec, sep, number = item.rpartition("=")
        if not sep or not spec:
            raise CLIError(f"--parent: expected module:Factory=N, got {item!r}")
        try:
            out[import_target(spec)] = _count(number)
        except argparse.ArgumentTypeError as exc:
            raise CLIError(f"--parent {item!r}: {exc}") from None
    return out


def run_generate(args: argparse.Namespace) -> int:
    """Write ``args.count`` rows of ``args.target`` to the directory ``args.output``, one file per partition."""
    fmt = args.format or "parquet"  # -o DIR.parquet, or no format given with --partitions
    if fmt not in ("parquet", "jsonl", "csv"):
        raise CLIError(f"sharded output (--partitions/--scheduler) is parquet, jsonl or csv, not {fmt}")
    if getattr(args, "executor", None) == "objects":
        raise CLIError("sharded output runs on the column-wise executor (rows are a function of their number): "
                       "--executor objects does not apply")
    for option in ("seed_ratio", "create_table", "table"):
        if getattr(args, option, None):
            raise CLIError(f"--{option.replace('_', '-')} does not apply to sharded output")
    try:
        import distributed  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise CLIError(f"sharded output needs the dask extra (pip install 'forge_factories[dask]'): {exc}") from None
    import_target(args.target)  # a bad target is exit 2 before any cluster starts
    parents = _parents(args.parent or [])
    _targets_imported()
    from forge_factories.datasets.sharded.run import write_dataset

    try:
        result = write_dataset(args.target, args.count, args.output, format=fmt, seed=args.seed,
                               partitions=args.partitions or args.workers or os.cpu_count() or 1, parents=parents,
                               scheduler=args.scheduler, workers=args.workers)
    except ForgeConfigError as exc:
        raise CLIError(str(exc)) from None
    except OSError as exc:
        raise CLIError(f"cannot write {args.output}: {exc.strerror or exc}", EXIT_FAILED) from None
    except Exception as exc:  # noqa: BLE001 - a failed partition (after its retries): one line, exit 1
        raise CLIError(f"generation failed: {type(exc).__name__}: {exc}", EXIT_FAILED) from None
    if not args.quiet:
        print(f"wrote {result.count} records to {len(result.parts)} {fmt} files in {result.directory} "
              f"(seed {result.seed})")
    return EXIT_OK


def add_arguments(gen: argparse.ArgumentParser) -> None:
    """The sharded options of ``forge generate``."""
    gen.add_argument("--partitions", type=_positive, default=None, metavar="K",
                     help="sharded run on Dask: write K files part-NNNNN.<format> into the directory -o "
                          "(the rows do not depend on K; default: one per worker)")
    gen.add_argument("--scheduler", default=None, metavar="ADDRESS",
                     help="sharded run on this distributed scheduler (default: a local cluster)")
    gen.add_argument("--workers", type=_positive, default=None, metavar="N",
                     help="sharded run: worker processes of the local cluster (default: one per CPU)")
    gen.add_argument("--parent", action="append", default=None, metavar="module:Factory=N",
                     help="sharded run: row count of a table ParentKey fields reference (repeatable)")
