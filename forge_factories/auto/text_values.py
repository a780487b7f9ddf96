"""String generators: a field's pattern, its length bounds and what its name says (email, city...)."""

from __future__ import annotations

import string
import uuid

from faker import Faker

from forge_factories.auto import names
from forge_factories.auto.context import AutoFactoryError, BuildContext, Generator, shared_random
from forge_factories.auto.fields import Constraints
from forge_factories.common.patterns import PatternError, pattern_generator


def _faker_call(fake: Faker, method: str) -> Generator:
    if method.startswith("bothify:"):
        fmt = method.split(":", 1)[1]
        return lambda: fake.bothify(fmt).upper()
    if method == "uuid4":
        return lambda: str(uuid.UUID(int=shared_random.getrandbits(128), version=4))
    if method == "word":
        return fake.word
    return getattr(fake, method)


def fit_length(gen: Generator, min_length: int | None, max_length: int | None) -> Generator:
    """Make ``gen``'s strings respect the length bounds (retry, then trim or pad)."""
    if min_length is None and max_length is None:
        return gen
    lo = min_length or 0
    hi = max_length if max_length is not None else 10**9
    rnd = shared_random

    def fitted() -> str:
        value = gen()
        for _ in range(4):
            if lo <= len(value) <= hi:
                return value
            value = gen()
        if len(value) > hi:
            value = value[:hi].rstrip() or value[:hi]
        while len(value) < lo:
            value += rnd.choice(string.ascii_lowercase)
        if len(value) > hi:
            value = value[:hi]
        return value

    return fitted


def _short_email(min_length: int | None, max_length: int | None) -> Generator:
    rnd = shared_random
    lo = max(min_length or 0, 6)
    hi = max_length if max_length is not None else 24

    def email() -> str:
        size = rnd.randint(lo, max(lo, min(hi, 24)))
        local = size - len("@ex.io")
        return "".join(rnd.choice(string.ascii_lowercase) for _ in range(max(1, local))) + "@ex.io"

    return email


def text_words(fake: Faker, cons: Constraints) -> Generator:
    """Generic short text for a bounded string with no better match."""
    hi = cons.max_length if cons.max_length is not None else 30
    lo = cons.min_length or 0
    rnd = shared_random
    if hi <= 6:
        letters = string.ascii_lowercase

        def letters_only() -> str:
            return "".join(rnd.choice(letters) for _ in range(rnd.randint(max(lo, 1 if hi else 0), hi)))

        return letters_only
    return fit_length(lambda: " ".join(fake.words(rnd.randint(1, 3))), lo, hi)


def str_generator(cons: Constraints, ctx: BuildContext, *, kind: str | None = None) -> Generator:
    """A string generator honouring pattern, length bounds and the field's name."""
    if cons.pattern is not None:
        try:
            pgen = pattern_generator(cons.pattern, cons.min_length, cons.max_length)
        except PatternError as exc:
            raise AutoFactoryError(f"{ctx.model_name}.{ctx.field_name}: {exc}") from None
        rnd = shared_random
        return lambda: pgen(rnd)
    method = kind or names.string_method(ctx.field_name)
    if method is None:
        return text_words(ctx.fake, cons)
    if method == "email" and cons.max_length is not None and cons.max_length < 20:
        return _short_email(cons.min_length, cons.max_length)
    return fit_length(_faker_call(ctx.fake, method), cons.min_length, cons.max_length)
