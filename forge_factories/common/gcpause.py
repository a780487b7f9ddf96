"""Pause the cyclic garbage collector around a bulk insert."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic GC passes inside the block (restored on exit, even on error).

    A bulk insert allocates many short-lived objects while a whole batch's object tree is
    alive; each collection would rescan that tree. Reference counting still frees memory.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
