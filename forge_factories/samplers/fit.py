"""String columns kept within length bounds, a whole column at a time."""

from __future__ import annotations

import operator
import random
import string
from collections import deque
from collections.abc import Iterable
from itertools import compress
from typing import Any

from forge_factories.samplers.tables import Sampler

_TRIES = 4


def outside(values: list[str], low: int, high: int | None) -> list[int]:
    """The rows whose length is below ``low`` or above ``high``."""
    lens = list(map(len, values))
    flags: Iterable[bool]
    if high is not None and low:
        flags = map(operator.or_, map(high.__lt__, lens), map(low.__gt__, lens))
    elif high is not None:
        flags = map(high.__lt__, lens)
    elif low:
        flags = map(low.__gt__, lens)
    else:
        return []
    return list(compress(range(len(values)), flags))


def fit_lengths(sampler: Sampler, min_length: int | None, max_length: int | None) -> Sampler:
    """``sampler`` with its strings within ``[min_length, max_length]``.

    Rows out of bounds are drawn again (a column of just those rows, up to four times), then
    cut (at a word end when that leaves something) or padded with lowercase letters: what the
    per-value ``fit_length`` of auto factories does, column-wise.
    """
    if min_length is None and max_length is None:
        return sampler
    low = min_length or 0

    def sample(n: int, rng: random.Random) -> list[Any]:
        values = sampler(n, rng)
        bad = outside(values, low, max_length)
        for _ in range(_TRIES):
            if not bad:
                return values
            deque(map(values.__setitem__, bad, sampler(len(bad), rng)), maxlen=0)
            bad = [bad[i] for i in outside([values[j] for j in bad], low, max_length)]
        for i in bad:
            value = values[i]
            if max_length is not None and len(value) > max_length:
                value = value[:max_length].rstrip() or value[:max_length]
            while len(value) < low:
                value += string.ascii_lowercase[int(rng.random() * 26)]
            values[i] = value[:max_length] if max_length is not None else value
        return values

    return sample
