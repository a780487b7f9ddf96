"""What every ``forge`` subcommand shares: exit codes, the one-line error, target import, counts."""

from __future__ import annotations

import argparse
import gc
from typing import Any

from forge_factories.common.errors import ForgeConfigError
from forge_factories.common.importing import import_object

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_DATABASE = 3
EXIT_LOCK = 4


#: ``main`` run as the program paused the garbage collector until the targets are imported.
_gc_paused = False


def _targets_imported() -> None:
    """The targets' modules (and what factory_boy imports: Django, SQLAlchemy) live until exit:
    freeze the objects they built, so no later collection walks them again, and resume collecting."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()


class CLIError(Exception):
    """A failure reported as one line with an exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def import_target(spec: str) -> Any:
    """The object named by ``module:Name`` (or ``path/to/file.py:Name``, ``module.Name``)."""
    try:
        return import_object(spec)
    except ForgeConfigError as exc:
        raise CLIError(str(exc)) from None


def _count(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a count: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"count must be >= 0, got {value}")
    return value


