"""Column samplers of Faker's numbers, booleans, picks, UUIDs and ``numerify``/``lexify``/``bothify``."""

from __future__ import annotations

import operator
import random
import string
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from functools import partial
from typing import Any

from forge_factories.samplers.placeholders import Pattern
from forge_factories.samplers.tables import Sampler, Table, randoms, scaled_ints
from forge_factories.samplers.templates import SamplerBase


class NumericSamplers(SamplerBase):
    """Numbers and placeholders (``sampler()`` finds the ``_s_<provider>`` builders by name)."""

    def _s_boolean(self, chance_of_getting_true: int = 50) -> Sampler:
        p = chance_of_getting_true / 100
        return lambda n, rng: list(map(p.__gt__, randoms(rng, n)))  # rng.random() < p

    def _s_pybool(self, truth_probability: int = 50) -> Sampler:
        return self._s_boolean(truth_probability)

    def _s_random_int(self, min: int = 0, max: int = 9999, step: int = 1) -> Sampler:  # noqa: A002
        span = (max - min) // step + 1
        add_min, times_step = partial(operator.add, min), partial(operator.mul, step)
        if step == 1:
            return lambda n, rng: list(map(add_min, scaled_ints(rng, n, span)))
        return lambda n, rng: list(map(add_min, map(times_step, scaled_ints(rng, n, span))))

    def _s_pyint(self, min_value: int = 0, max_value: int = 9999, step: int = 1) -> Sampler:
        return self._s_random_int(min_value, max_value, step)

    def _s_random_digit(self) -> Sampler:
        return self._s_random_int(0, 9)

    def _s_random_digit_not_null(self) -> Sampler:
        return self._s_random_int(1, 9)

    def _s_random_number(self, digits: int | None = None, fix_len: bool = False) -> Sampler:
        if digits is None or digits < 0 or (fix_len and digits == 0):
            raise TypeError("digits: a positive count (other forms are left to Faker)")
        low = 10 ** (digits - 1) if fix_len else 0
        return self._s_random_int(low, 10**digits - 1)

    def _s_random_element(self, elements: Sequence[Any] = ("a", "b", "c")) -> Sampler:
        # an OrderedDict weighs its keys, as Faker does; other elements are drawn as they are
        return (Table(elements) if isinstance(elements, OrderedDict) else Table.of(elements)).pick

    def _s_uuid4(self, cast_to: Any = str) -> Sampler:
        def sample(n: int, rng: random.Random) -> list[Any]:
            values = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(n)]
            return list(map(cast_to, values)) if cast_to is not None else values

        return sample

    def _s_numerify(self, text: str = "###") -> Sampler:
        return Pattern(text).fill

    def _s_lexify(self, text: str = "????", letters: str = string.ascii_letters) -> Sampler:
        return Pattern(text, digits=False, letters=letters).fill

    def _s_bothify(self, text: str = "## ??", letters: str = string.ascii_letters) -> Sampler:
        return Pattern(text, letters=letters).fill
