"""Deterministic offline text: plausible values for a semantic field, without any network.

:func:`offline_text` reads what the field wants from its name, instruction and the model
(a bio, a review, a support message, a product description, a title, ...), agrees with the
item's conditioning (a person's name, a product, a rating sets a review's tone), takes flavour
from the context (``"angry holiday customers"``), and honours ``choices``, ``max_length``,
``min_length`` and ``language``. All randomness comes from the ``rng`` argument.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from forge_factories.text.classify import Profile, profile
from forge_factories.text.composer import SHORT_KINDS
from forge_factories.text.conditioning import Conditioning
from forge_factories.text.intent import read_intent
from forge_factories.text.language import FAKER_LOCK, bank_text, faker_for, resolve
from forge_factories.text.spec import FieldSpec
from forge_factories.text.textfit import fit
from forge_factories.text.writer import write_english

_TONE_WORDS: dict[str, tuple[str, ...]] = {
    "positive": ("positive", "good", "great", "happy", "satisfied", "excellent", "pos"),
    "negative": ("negative", "bad", "poor", "angry", "unhappy", "dissatisfied", "terrible", "neg"),
    "mixed": ("mixed", "neutral", "average", "ok", "okay", "meh"),
}


def _choice(spec: FieldSpec, prof: Profile, conditioning: Conditioning, rng: random.Random) -> str:
    """One of ``spec.choices``; a choice naming the rating's / mood's tone wins when there is one."""
    choices = spec.choices or ()
    rating = conditioning.rating()
    tone = None
    if rating is not None:
        tone = "negative" if rating <= 2.5 else "mixed" if rating < 3.5 else "positive"
    elif prof.mood is not None:
        tone = prof.mood
    if tone is not None:
        words = _TONE_WORDS[tone]
        matching = [c for c in choices if c.strip().lower() in words]
        if matching:
            return rng.choice(matching)
    return rng.choice(choices)


def _faker_text(
    spec: FieldSpec, prof: Profile, locale: str, rng: random.Random, counts: tuple[int, int] | None = None
) -> str:
    with FAKER_LOCK:
        fake = faker_for(locale)
        fake.seed_instance(rng.getrandbits(64))
        if prof.kind in SHORT_KINDS:
            first = fake.sentence(nb_words=rng.randint(3, 6)).rstrip(".。")
            sentences = [first]
        else:
            n = rng.randint(2, 4) if counts is None else min(max(counts[0], 1), counts[1])
            sentences = [fake.sentence() for _ in range(n)]
        words = tuple(fake.word().capitalize() for _ in range(6))
        return fit(
            sentences, min_length=spec.min_length, max_length=spec.max_length,
            more=fake.sentence, compact=lambda: words, rng=rng,
        )


def offline_text(
    spec: FieldSpec,
    conditioning: Mapping[str, Any],
    *,
    context: str | None,
    locale: str | None,
    rng: random.Random,
    model: str,
) -> str:
    """Plausible, deterministic text for ``spec`` (honours choices, length bounds and language).

    ``conditioning`` holds the item's resolved values by reference name (``name``,
    ``rating``, ``product.name``); ``context`` (data only, never a template) adds tone and
    flavour; ``locale``/``spec.language`` choose the language; ``model`` is the model's name
    or dotted path. The same ``rng`` state always gives the same text.
    """
    keys = tuple(conditioning)
    prof = profile(spec.name, spec.instruction, model or "", context, keys)
    cond = Conditioning(conditioning)
    if spec.choices:
        return _choice(spec, prof, cond, rng)
    lang = resolve(spec.language, locale)
    intent = read_intent(spec.name, spec.instruction, model or "", context, keys)
    if lang.code == "en":
        return write_english(spec, prof, intent, cond, conditioning, rng)
    if lang.locale is None:
        sentences, more, short = bank_text(lang.code, prof, cond, rng)
        if intent.sentences is not None:
            sentences = sentences[: intent.sentences[1]]
        text = fit(
            sentences, min_length=spec.min_length, max_length=spec.max_length, more=more,
            compact=lambda: short, rng=rng,
        )
    else:
        text = _faker_text(spec, prof, lang.locale, rng, intent.sentences)
    return text
