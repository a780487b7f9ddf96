"""Which language to write in, and text in languages other than English.

French, German and Spanish use the hand-written banks of :mod:`.phrasebook_intl`; other
languages for which Faker ships a real word list (its ``lorem`` provider for that locale:
it, nl, pl, ru, ja, zh, ...) use a Faker instance of that locale, reseeded from the value's
rng on every call. Languages Faker has no word list for are written in English.
"""

from __future__ import annotations

import importlib.util
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from forge_factories.text import phrasebook as pb
from forge_factories.text.classify import Profile
from forge_factories.text.conditioning import Conditioning
from forge_factories.text.phrasebook_intl import BANKS, Bank

_NAMES: dict[str, str] = {
    "english": "en", "french": "fr", "francais": "fr", "français": "fr", "german": "de", "deutsch": "de",
    "spanish": "es", "espanol": "es", "español": "es", "italian": "it", "italiano": "it", "dutch": "nl",
    "portuguese": "pt", "russian": "ru", "japanese": "ja", "chinese": "zh", "polish": "pl", "czech": "cs",
    "danish": "da", "greek": "el", "hebrew": "he", "arabic": "ar", "persian": "fa", "farsi": "fa",
    "ukrainian": "uk", "vietnamese": "vi", "thai": "th", "armenian": "hy", "bengali": "bn",
    "azerbaijani": "az", "macedonian": "mk", "filipino": "fil", "tagalog": "tl",
}
_PREFERRED: dict[str, str] = {
    "it": "it_IT", "nl": "nl_NL", "pl": "pl_PL", "ru": "ru_RU", "ja": "ja_JP", "zh": "zh_CN", "cs": "cs_CZ",
    "da": "da_DK", "el": "el_GR", "he": "he_IL", "ar": "ar_AA", "fa": "fa_IR", "uk": "uk_UA", "vi": "vi_VN",
    "th": "th_TH", "hy": "hy_AM", "bn": "bn_BD", "az": "az_AZ", "mk": "mk_MK", "fil": "fil_PH", "tl": "tl_PH",
}


@dataclass(frozen=True)
class Language:
    """``code`` (``"en"``, ``"fr"``...) and, for Faker-written text, the Faker ``locale``."""

    code: str
    locale: str | None = None


ENGLISH = Language("en")
_SLOT = re.compile(r"@[nfywcijpdo]")


def _has_word_list(locale: str) -> bool:
    try:
        return importlib.util.find_spec("faker.providers.lorem." + locale) is not None
    except (ImportError, ValueError):
        return False


def _available_locales() -> tuple[str, ...]:
    from faker.config import AVAILABLE_LOCALES

    return tuple(sorted(AVAILABLE_LOCALES))


@lru_cache(maxsize=256)
def resolve(language: str | None, locale: str | None) -> Language:
    """The language to write in: ``language`` (code, locale or English name) else ``locale``."""
    raw = (language or locale or "").strip().replace("-", "_")
    if not raw:
        return ENGLISH
    lowered = raw.lower()
    code = _NAMES.get(lowered, lowered.split("_", 1)[0])
    if code == "en":
        return ENGLISH
    if code in BANKS:
        return Language(code)
    candidates: list[str] = []
    if "_" in raw:
        lang, _, region = raw.partition("_")
        candidates.append(lang.lower() + "_" + region.upper())
    if code in _PREFERRED:
        candidates.append(_PREFERRED[code])
    candidates.extend(loc for loc in _available_locales() if loc.split("_", 1)[0] == code)
    for loc in candidates:
        if _has_word_list(loc):
            return Language(code, loc)
    return ENGLISH


# --------------------------------------------------------------------------- hand-written banks
def _tone(profile: Profile, cond: Conditioning, rng: random.Random) -> str:
    value = cond.rating()
    if value is not None:
        return "neg" if value <= 2.5 else "mix" if value < 3.5 else "pos"
    mood = {"negative": "neg", "mixed": "mix", "positive": "pos"}.get(profile.mood or "")
    if mood:
        return mood
    roll = rng.random()
    return "pos" if roll < 0.55 else "mix" if roll < 0.75 else "neg"


class _BankWriter:
    """Composes sentences for one value from a language bank."""

    def __init__(self, bank: Bank, profile: Profile, cond: Conditioning, rng: random.Random) -> None:
        self.bank, self.profile, self.cond, self.rng = bank, profile, cond, rng
        self.product = cond.product_name() or bank["product"][0]
        self.name = cond.person_name()
        self.first = cond.first_name()
        self.tone = _tone(profile, cond, rng)

    def fill(self, template: str) -> str:
        """Fill the ``@`` slots in one pass (inserted values, some of them user data, are not rescanned)."""
        if "@" in template:
            template = _SLOT.sub(self._slot, template)
        return template[:1].upper() + template[1:]

    def _slot(self, match: re.Match[str]) -> str:
        rng, slot = self.rng, match.group(0)
        if slot == "@n":
            return self.name or ""
        if slot == "@f":
            return self.first or ""
        if slot == "@y":
            return str(self.cond.years() or rng.randint(2, 25))
        if slot == "@w":
            return rng.choice(self.bank["fields"])
        if slot == "@c":
            return self.cond.city() or rng.choice(pb.CITIES)
        if slot == "@i":
            return rng.choice(self.bank["interests"][:7])
        if slot == "@j":
            return rng.choice(self.bank["interests"][7:])
        if slot == "@p":
            return self.product
        if slot == "@d":
            return str(rng.randint(2, 30))
        return "#" + str(rng.randint(10000, 999999))  # @o

    def pick(self, table: str) -> str:
        return self.fill(self.rng.choice(self.bank[table]))  # type: ignore[literal-required]

    def sentences(self) -> list[str]:
        kind, rng = self.profile.kind, self.rng
        if kind == "bio":
            if self.name and rng.random() < 0.6:
                return [self.pick("bio_named"), self.pick("bio_interest_named")]
            options = [t for t in self.bank["bio_first"] if "@f" not in t or self.first]
            out = [self.fill(rng.choice(options)), self.pick("bio_interest")]
            close = rng.choice(self.bank["bio_close"])
            return out + ([close] if close else [])
        if kind == "review":
            out = [self.pick("review_" + self.tone)]
            table = "review_" + self.tone + "_detail"
            out.extend(self.fill(t) for t in rng.sample(self.bank[table], rng.randint(1, 2)))  # type: ignore[literal-required]
            if self.tone == "neg" and self.profile.angry:
                out.append(self.pick("review_angry"))
            return out
        if kind == "reply":
            return [self.pick("reply_open")] + [self.fill(t) for t in rng.sample(self.bank["reply_body"], 2)]
        if kind == "message":
            greet = rng.choice(self.bank["msg_greet"])
            problem = self.pick("msg_problem")
            out = [greet + " " + problem[:1].lower() + problem[1:] if greet else problem]
            if self.profile.angry or self.profile.mood == "negative":
                out.append(self.pick("msg_angry"))
            out.append(self.pick("msg_request"))
            if self.first:
                out.append(rng.choice(self.bank["msg_sign"]) + " " + self.first)
            return out
        if kind in ("product_description", "company_description", "event_description"):
            out = [self.pick("desc_open")]
            out.extend(rng.sample(self.bank["desc_detail"], rng.randint(1, 3)))
            return out
        if kind in ("title", "headline", "slogan", "profession", "city", "street", "address"):
            return [rng.choice(self.short())]
        return rng.sample(self.bank["generic"], rng.randint(1, 3))

    def extra(self) -> str:
        kind = self.profile.kind
        if kind == "review":
            return self.pick("review_" + self.tone + "_detail")
        if kind == "reply":
            return self.pick("reply_body")
        if kind == "message":
            return self.pick("msg_request")
        if kind in ("product_description", "company_description", "event_description"):
            return self.pick("desc_detail")
        if kind == "bio":
            return self.pick("bio_interest_named" if self.name and self.first else "bio_interest")
        return self.pick("generic")

    def short(self) -> tuple[str, ...]:
        if self.profile.kind == "review" or self.profile.subject == "review":
            return self.bank["short_" + self.tone]  # type: ignore[literal-required]
        return self.bank["short_generic"]


def bank_text(
    code: str, profile: Profile, cond: Conditioning, rng: random.Random
) -> tuple[list[str], Callable[[], str], tuple[str, ...]]:
    """(sentences, more-sentences callable, short fallbacks) written from the ``code`` bank."""
    writer = _BankWriter(BANKS[code], profile, cond, rng)
    return writer.sentences(), writer.extra, writer.short()


# --------------------------------------------------------------------------- Faker word lists
_fakers: dict[str, Any] = {}
FAKER_LOCK = threading.Lock()


def faker_for(locale: str) -> Any:
    """A cached ``Faker(locale)`` (call under :data:`FAKER_LOCK` and reseed before use)."""
    fake = _fakers.get(locale)
    if fake is None:
        from faker import Faker

        fake = _fakers[locale] = Faker(locale)
    return fake
