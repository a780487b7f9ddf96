"""The one progress bar: tqdm on stderr, drawn only when stderr is a terminal (or when asked)."""

from __future__ import annotations

import functools
import sys
from typing import Any, TextIO


@functools.cache
def _bar_class() -> Any:
    """tqdm without its monitor thread (a bar is redrawn by its own updates); tqdm is imported
    only when a bar is drawn."""
    from tqdm import tqdm

    class _Bar(tqdm):
        monitor_interval = 0

    return _Bar


class Progress:
    """``update(n)`` as records are produced; ``advance(label, n)`` names what they are; ``close()`` ends the line.

    ``enabled=None`` means: draw when ``stream`` (default stderr) is a terminal and ``total`` is
    at least ``threshold``. Nothing is drawn, and no tqdm bar exists, otherwise. Redraws at
    most 5 times a second.
    """

    def __init__(self, total: int, label: str = "", *, enabled: bool | None = None,
                 stream: TextIO | None = None, threshold: int = 0) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = max(total, 0)
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty()) and self.total >= threshold
        self.enabled = enabled
        self.label = label
        self.done = 0
        self._bar: Any = None
        if enabled:
            self._bar = _bar_class()(total=self.total, desc=label or None, file=self.stream, mininterval=0.2,
                             unit=" rows", dynamic_ncols=True, leave=True)

    def update(self, n: int = 1) -> None:
        """Count ``n`` more records."""
        self.done += n
        if self._bar is not None:
            self._bar.update(n)

    def advance(self, label: str, n: int) -> None:
        """Count ``n`` more records of ``label`` (shown after the counts)."""
        if self._bar is not None:
            self._bar.set_postfix_str(label, refresh=False)
        self.update(n)

    def close(self) -> None:
        """Finish the line (only if something was drawn)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        self.enabled = False
