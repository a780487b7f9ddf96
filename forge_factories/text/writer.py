"""English offline text: route a field to the writer of its kind, then honour its length cues.

The field's *kind* (:mod:`.classify`: bio, review, support message, product description, ...)
and its *intent* (:mod:`.intent`: shape, speaker, length cues, domain) decide together:
hand-tuned composers (:mod:`.composer`) write the kinds they know when nothing in the
instruction asks for something else; the domain writers (:mod:`.prose`, :mod:`.names`) write
the rest, in the speaker's voice, about the referenced topic.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from forge_factories.text import phrasebook as pb
from forge_factories.text.classify import Profile, tokens
from forge_factories.text.composer import Scene, compact, compose, extra_sentence
from forge_factories.text.conditioning import Conditioning
from forge_factories.text.domains import TOPIC_VOCAB, vocab_for
from forge_factories.text.intent import Intent
from forge_factories.text.names import fit_name, trim_words, write_code, write_name
from forge_factories.text.prose import Pen
from forge_factories.text.scene import between, choose
from forge_factories.text.spec import FieldSpec
from forge_factories.text.textfit import fit
from forge_factories.text.topic import Topics, sort_values

_NO_TOPICS = Topics((), (), None, None, None)
_LEGACY_DOMAINS = (None, "shop", "reviews", "support")
_DEFAULT_SPEAKER: dict[str, str] = {"message": "customer", "reply": "agent", "review": "reviewer"}
_BIO_WORDS = frozenset(("bio", "bios", "biography", "about", "profile", "intro", "introduction"))
_ROLE_LINES: tuple[str, ...] = ("A long-time @role.", "Proud @role since @y.", "Also a happy @role.")


def _tone(prof: Profile, cond: Conditioning, rng: random.Random) -> str:
    rating = cond.rating()
    if rating is not None:
        return "negative" if rating <= 2.5 else "mixed" if rating < 3.5 else "positive"
    if prof.mood is not None:
        return prof.mood
    roll = rng.random()
    return "positive" if roll < 0.55 else "mixed" if roll < 0.75 else "negative"


def _words(sentences: Sequence[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def _apply_counts(sents: list[str], intent: Intent, more: Callable[[], str], keep_last: bool = False) -> list[str]:
    """Meet the instruction's sentence and word counts by whole sentences (never a cut word)."""
    if intent.sentences is not None:
        lo, hi = intent.sentences
        if len(sents) > hi:
            sents = sents[: hi - 1] + [sents[-1]] if keep_last and hi > 1 else sents[:hi]
        tries = 0
        while len(sents) < lo and tries < 3 * lo + 6:
            tries += 1
            s = more()
            if s and s not in sents:
                sents.append(s)
    if intent.words is not None:
        lo, hi = intent.words
        while _words(sents) > hi and len(sents) > 1:
            sents.pop(-2 if keep_last and len(sents) > 2 else -1)
        tries = 0
        while _words(sents) < lo and tries < 12:
            tries += 1
            s = more()
            if s and s not in sents and _words(sents) + len(s.split()) <= hi:
                sents.append(s)
        if _words(sents) > hi and len(sents) == 1:
            best = sents[0]
            for _ in range(8):
                alt = more()
                if alt and len(alt.split()) < len(best.split()):
                    best = alt
            sents = [best]
    return sents


def _counts(intent: Intent, default: tuple[int, int]) -> int:
    if intent.sentences is not None:
        lo, hi = intent.sentences
        return min(hi, lo + 2)
    if intent.words is not None:
        return max(1, min(default[1], intent.words[1] // 12))
    if intent.short:
        return min(default)
    return default[0] if default[0] == default[1] else default[0] + int((default[1] - default[0] + 1) * 0.5)


def _role_line(rng: random.Random, role: str) -> str:
    line = choose(rng, _ROLE_LINES)
    return line.replace("@role", role).replace("@y", str(between(rng, 2012, 2023)))


def _legacy(spec: FieldSpec, prof: Profile, intent: Intent, cond: Conditioning, rng: random.Random) -> str:
    scene = Scene(rng, prof, cond)
    sents = compose(scene)
    if prof.kind == "bio" and intent.context_role:
        line = _role_line(rng, intent.context_role)
        if intent.sentences is not None and intent.sentences[1] == 1:
            sents = [sents[0].rstrip(".") + ", and " + line[0].lower() + line[1:]]
        else:
            sents.insert(min(len(sents), 2), line)
    if intent.sentences is not None or intent.words is not None:
        sents = _apply_counts(sents, intent, lambda: extra_sentence(scene), keep_last=prof.kind == "message")
    return fit(sents, min_length=spec.min_length, max_length=spec.max_length, more=lambda: extra_sentence(scene),
               compact=lambda: compact(scene), rng=rng)


@lru_cache(maxsize=256)
def _about_words(about: str) -> tuple[str, ...]:
    return tuple(w for w in tokens(about) if len(w) > 3)


@lru_cache(maxsize=1024)
def _references(instruction: str | None, depends_on: tuple[str, ...]) -> tuple[str, ...]:
    """``FieldSpec.references`` for these arguments, cached (it is read for every value)."""
    return FieldSpec("_", instruction, depends_on=depends_on).references


@lru_cache(maxsize=512)
def _names_a_product(refs: tuple[str, ...]) -> bool:
    """Whether a reference names a product (``product.name``, ``item_title``...), for a review."""
    return any(part.startswith(("product", "item", "listing", "sku", "offer"))
               for r in refs for part in r.lower().split("."))


def _is_product_text(prof: Profile, intent: Intent, topics: Topics) -> bool:
    return prof.kind in ("generic", "product_description") and intent.domain == "shop" and bool(topics.topics) \
        and intent.shape in ("", "paragraph") and intent.speaker in (None, "author")


def _compact(pen: Pen) -> list[str]:
    v = pen.vocab
    out = [pen.fill(s) for s in (*v.asks, *v.facts)] if pen.speaker != "system" else []
    return sorted(out, key=len)[:6] + [pen.thing[:1].upper() + pen.thing[1:] + "."]


def plain_bio(spec: FieldSpec, prof: Profile, intent: Intent) -> bool:
    """Whether :func:`write_english` writes this field with the bio composer alone, whatever
    the item's values (no counts, role line or other shape): then a column can call it directly."""
    if prof.kind != "bio" or intent.words is not None or intent.sentences is not None or intent.context_role:
        return False
    if intent.shape not in ("", "paragraph") or (intent.speaker or "author") not in ("author", "customer"):
        return False
    return not spec.instruction or bool(_BIO_WORDS.intersection(tokens(spec.instruction))) or intent.domain is None


def write_english(
    spec: FieldSpec, prof: Profile, intent: Intent, cond: Conditioning, values: Mapping[str, Any],
    rng: random.Random,
) -> str:
    """One English value for ``spec`` (kind, speaker, length cues, topic and bounds honoured)."""
    shape, kind = intent.shape, prof.kind
    has_instr = bool(spec.instruction)
    person_model = prof.subject in ("person", "message", "review")
    refs = _references(spec.instruction, spec.depends_on) if spec.instruction or spec.depends_on else ()
    if refs or intent.by_ref or intent.to_ref:
        topics = sort_values(values, refs, intent.by_ref, person_model, intent.to_ref)
    else:
        topics = _NO_TOPICS
    literal = intent.about if intent.about and not topics.topics else None  # "a message about a late delivery"
    if literal:
        topics = dataclasses.replace(topics, words=_about_words(literal))
    if shape in ("", "note", "sentence") and intent.words is not None and intent.words[1] <= 6:
        shape = "label"
    if shape in ("name", "label", "slug"):
        review_title = prof.subject == "review" or kind == "review" or intent.speaker == "reviewer"
        person_headline = kind == "headline" and prof.subject == "person"  # "a profile headline": not news
        if (review_title or person_headline or not has_instr and (prof.subject in ("message", "person", "event", "company") or
                                               kind == "profession" or intent.domain is None)) and not topics.category:
            if kind not in ("title", "headline", "profession"):
                prof = dataclasses.replace(prof, kind="title")
            text = _legacy(spec, prof, intent, cond, rng)
            if intent.words is not None and len(text.split()) > intent.words[1]:
                text = trim_words(text, intent.words[1])
            return text
        product = prof.subject == "product" or bool(topics.category)
        if literal:
            topics = dataclasses.replace(topics, topics=(literal,))
        vocab = vocab_for(intent.domain, intent.context_words, intent.context_subject)
        text = fit_name(write_name(rng, vocab, topics, shape, intent.words, product), spec.max_length)
        if spec.min_length and len(text) < spec.min_length:
            return _legacy(spec, prof, intent, cond, rng)
        return text
    if shape in ("code", "number"):
        return write_code(rng, vocab_for(intent.domain, intent.context_words, intent.context_subject), shape)
    if shape == "address" or (kind in ("address", "street", "city") and not shape) or (
            kind in ("profession", "slogan", "reason") and (not shape or not has_instr)):
        return _legacy(spec, prof, intent, cond, rng)
    if _is_product_text(prof, intent, topics):
        prof = dataclasses.replace(prof, kind="product_description", subject="product")
        return _legacy(spec, prof, intent, Conditioning({"product.name": topics.topics[0], **values}), rng)
    speaker = intent.speaker or ("author" if shape == "body" else _DEFAULT_SPEAKER.get(kind, "author"))
    legacy_ok = (intent.domain in _LEGACY_DOMAINS or not has_instr) and shape not in ("body", "sentence", "chat")
    if kind == "bio" and speaker in ("author", "customer") and shape in ("", "paragraph", "sentence") and (
            not has_instr or _BIO_WORDS.intersection(tokens(spec.instruction)) or intent.domain is None):
        return _legacy(spec, prof, intent, cond, rng)
    if kind == "review" and legacy_ok and (not topics.topics or _names_a_product(refs)):
        return _legacy(spec, prof, intent, cond, rng)
    if kind in ("product_description", "company_description", "event_description") and legacy_ok and not topics.topics:
        return _legacy(spec, prof, intent, cond, rng)
    if kind in ("message", "reply") and legacy_ok and not topics.topics and not literal and \
            speaker == _DEFAULT_SPEAKER[kind]:
        return _legacy(spec, prof, intent, cond, rng)
    if not has_instr and intent.domain is None and kind in ("generic", "note", "title", "headline", "summary"):
        return _legacy(spec, prof, intent, cond, rng)
    if not has_instr and kind in ("title", "headline", "summary"):
        return _legacy(spec, prof, intent, cond, rng)

    if topics is _NO_TOPICS and values:
        topics = sort_values(values, refs, intent.by_ref, person_model, intent.to_ref)
    vocab = vocab_for(intent.domain, intent.context_words, intent.context_subject)
    if intent.domain is None and not intent.context_subject:
        if not topics.topics and shape in ("", "paragraph", "sentence"):
            return _legacy(spec, dataclasses.replace(prof, kind="generic"), intent, cond, rng)
        if topics.topics:
            vocab = TOPIC_VOCAB
    if literal and (speaker in ("customer", "agent", "reviewer") or shape in ("message", "chat", "note")):
        topics = dataclasses.replace(topics, topics=(literal,))  # said in so many words; an article is steered only
    pen = Pen(rng, vocab, topics, speaker, _tone(prof, cond, rng))
    sep = " "
    if shape == "sentence":
        sents = pen.one()
    elif shape == "chat":
        sents = pen.message(_counts(intent, (1, 2)), chat=True)
    elif shape == "message" or (kind in ("message", "reply") and shape in ("", "paragraph")):
        sents = pen.message(_counts(intent, (1, 2) if speaker in ("customer", "agent") else (2, 3)))
        if speaker == "customer" and prof.angry and len(sents) > 2:
            sents.insert(len(sents) - 2, choose(rng, pb.ANGRY_LINES))
        if speaker == "customer" and intent.context_role and rng.random() < 0.4:
            sents.insert(1, "I'm a long-time " + intent.context_role + ".")
    elif shape == "note" or (kind == "note" and not shape):
        sents = pen.note(_counts(intent, (1, 2)))
    elif shape == "body":
        per = (2, 3) if intent.short else (3, 4)
        paras = pen.body(intent.paragraphs or (2 if intent.short else 3), per)
        text = "\n\n".join(" ".join(p) for p in paras)
        sents, sep = [text], "\n\n"
    else:
        sents = pen.sentences(_counts(intent, (2, 4)))
    if sep == " " and (intent.sentences is not None or intent.words is not None):
        sents = _apply_counts(sents, intent, pen.sentence, keep_last=shape in ("message", "note"))
    return fit(sents, min_length=spec.min_length, max_length=spec.max_length, more=pen.sentence,
               compact=lambda: _compact(pen), rng=rng)
