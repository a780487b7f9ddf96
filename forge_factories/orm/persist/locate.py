"""Find which row of a failed bulk insert the database refused (by bisection)."""

from __future__ import annotations

from collections.abc import Callable


def first_failing_row(size: int, prefix_fails: Callable[[int], bool]) -> int | None:
    """Index of the first row whose insertion fails, given ``prefix_fails(k)``.

    ``prefix_fails(k)`` inserts rows ``[0, k)`` in a throwaway savepoint and says whether the
    database refused them. Constraint failures are monotonic in the prefix length, so a
    bisection needs about ``log2(size)`` trial inserts. Returns ``None`` when even the whole
    batch passes (the failure depended on something else).
    """
    if size <= 0 or not prefix_fails(size):
        return None
    lo, hi = 0, size  # prefix of length lo passes, length hi fails
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if prefix_fails(mid):
            hi = mid
        else:
            lo = mid
    return hi - 1
