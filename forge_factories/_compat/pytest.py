"""pytest internals: the id parts of a parametrized test (``CallSpec._idlist``)."""

from __future__ import annotations

from typing import Any

from . import Probe

__all__ = ["callspec_id_without"]


def _check_idlist() -> bool:
    from _pytest import python

    cls = getattr(python, "CallSpec", None) or python.CallSpec2  # pytest 8.4 renamed it
    empty, two = cls(), cls(_idlist=["a", "2-5"])
    return list(empty._idlist) == [] and empty.id == "" and list(two._idlist) == ["a", "2-5"] and two.id == "a-2-5"


IDLIST = Probe("pytest.CallSpec._idlist", _check_idlist)


def callspec_id_without(callspec: Any, part: str) -> str | None:
    """``callspec.id`` (``a-b-2-5``) with the last id part equal to ``part`` left out; ``None``
    when no part is ``part``.

    Fast: the parts themselves (``_idlist``). Fallback: the public ``callspec.id`` searched
    for ``part`` between ``-`` separators (the same answer unless another part holds ``-``).
    """
    full: str = callspec.id
    if IDLIST():
        ids = list(callspec._idlist)
        if "-".join(ids) == full:
            if part not in ids:
                return None
            del ids[len(ids) - 1 - ids[::-1].index(part)]
            return "-".join(ids)
    padded = f"-{full}-"
    at = padded.rfind(f"-{part}-")
    if at < 0:
        return None
    rest = padded[:at] + padded[at + len(part) + 1:]
    return rest[1:-1]
