"""The per-value scene every English composer draws from, and small string helpers."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import TypeVar

from forge_factories.text import phrasebook as pb
from forge_factories.text.classify import Profile
from forge_factories.text.conditioning import Conditioning

T = TypeVar("T")
_PRODUCT_SLOT = re.compile("@[Pp]")
_VOWEL_SOUND = ("a", "e", "i", "o", "u")


def choose(rng: random.Random, options: Sequence[T]) -> T:
    """One element of ``options`` (cheaper than ``rng.choice``; same rng, same result)."""
    return options[int(rng.random() * len(options))]


def between(rng: random.Random, low: int, high: int) -> int:
    """An int in ``[low, high]`` (cheaper than ``rng.randint``)."""
    return low + int(rng.random() * (high - low + 1))


def two(rng: random.Random, options: Sequence[T]) -> tuple[T, T]:
    """Two different elements of ``options`` (at least two)."""
    n = len(options)
    i = int(rng.random() * n)
    j = int(rng.random() * (n - 1))
    return options[i], options[j + 1 if j >= i else j]


def article(word: str) -> str:
    """``word`` with "a" or "an" in front (by its first sound, roughly)."""
    lowered = word.lower()
    vowel = lowered[:1] in _VOWEL_SOUND and not lowered.startswith(("one", "uni", "use", "eu", "ux"))
    return ("an " if vowel or lowered.startswith(("hour", "honest")) else "a ") + word


def uncap(text: str | None) -> str | None:
    """A job title for mid-sentence use: "Chartered accountant" -> "chartered accountant" ("UX ..." kept)."""
    if text and text[:1].isupper() and text[1:2].islower():
        return text[:1].lower() + text[1:]
    return text


def cap(text: str) -> str:
    """``text`` with its first character upper-cased (the rest untouched)."""
    return text[:1].upper() + text[1:]


class Scene:
    """Everything a composer needs for one value: the rng, the field profile and conditioning."""

    __slots__ = ("rng", "profile", "cond", "tone", "_product")

    def __init__(self, rng: random.Random, profile: Profile, cond: Conditioning) -> None:
        self.rng = rng
        self.profile = profile
        self.cond = cond
        self.tone = self._tone()
        self._product: str | None = None

    def _tone(self) -> str:
        """positive / mixed / negative: a rating decides, else the instruction/context mood."""
        if self.profile.kind in ("review", "summary", "title") or self.profile.subject == "review":
            value = self.cond.rating()
            if value is not None:
                return "negative" if value <= 2.5 else "mixed" if value < 3.5 else "positive"
        if self.profile.mood is not None:
            return self.profile.mood
        if self.profile.kind == "review" or self.profile.subject == "review":
            roll = self.rng.random()
            return "positive" if roll < 0.55 else "mixed" if roll < 0.75 else "negative"
        return "neutral"

    def product(self) -> str:
        """The product's name from the conditioning, else a generic reference ("it", "this")."""
        if self._product is None:
            self._product = self.cond.product_name() or choose(self.rng, pb.REVIEW_SUBJECTS)
        return self._product

    def fill(self, template: str) -> str:
        """Replace the ``@`` slots of a phrase-table template (never user data) with values."""
        if "@" not in template:
            return template
        rng = self.rng
        if "@a" in template:
            a, b = two(rng, pb.ASPECTS)
            template = template.replace("@a", a).replace("@b", b)
        if "@n" in template:
            template = template.replace("@n", str(between(rng, 3, 20)))
        if "@w" in template:
            template = template.replace("@w", str(between(rng, 2, 12)))
        if "@d" in template:
            template = template.replace("@d", str(between(rng, 2, 30)))
        if "@r" in template:
            template = template.replace("@r", choose(rng, pb.RELATIVES))
        # the product may come from user data: inserted last, so nothing in it is ever replaced
        if "@p" in template or "@P" in template:
            product = self.product()
            template = _PRODUCT_SLOT.sub(lambda m: cap(product) if m.group(0) == "@P" else product, template)
        return template

    def flavour(self, table: Mapping[str, tuple[str, ...]]) -> str | None:
        """A context-flavoured sentence (e.g. holiday) for this kind, when the context has one."""
        for name in self.profile.flavours:
            options = table.get(name)
            if options:
                return self.fill(choose(self.rng, options))
        return None
