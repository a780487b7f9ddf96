"""What kind of text a field wants, read from its name, instruction, model and context.

Pure keyword matching on lower-cased word tokens: instructions and context strings are data,
never templates. Results are cached per (name, instruction, model, context, conditioning keys).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_WORD = re.compile(r"[a-z]+")
_REF = re.compile(r"\{[^{}]*\}")

#: Field-name tokens that say what the text is (weight 4 in the name, 2 in the instruction).
STRONG: dict[str, str] = {
    "bio": "bio", "bios": "bio", "biography": "bio", "aboutme": "bio", "me": "bio", "autobiography": "bio",
    "review": "review", "reviews": "review", "testimonial": "review", "feedback": "review", "opinion": "review",
    "ticket": "message", "message": "message", "msg": "message", "complaint": "message", "inquiry": "message",
    "enquiry": "message", "question": "message", "support": "message",
    "reply": "reply", "response": "reply", "answer": "reply",
    "description": "description", "desc": "description", "blurb": "description",
    "title": "title", "subject": "title", "heading": "title",
    "headline": "headline", "news": "headline",
    "slogan": "slogan", "tagline": "slogan", "motto": "slogan", "catchphrase": "slogan", "strapline": "slogan",
    "summary": "summary", "abstract": "summary", "excerpt": "summary", "synopsis": "summary", "tldr": "summary",
    "overview": "summary",
    "note": "note", "notes": "note", "memo": "note", "remark": "note", "remarks": "note", "reason": "reason",
    "cancellation": "reason",
    "address": "address", "street": "street", "city": "city", "town": "city", "location": "city",
    "job": "profession", "occupation": "profession", "profession": "profession",
}
#: Field-name tokens that hint at a kind but yield to the model's subject (weight 1).
WEAK: dict[str, str] = {
    "comment": "message", "comments": "message", "details": "description", "name": "title",
    "label": "title", "caption": "title", "body": "text", "text": "text", "content": "text",
    "about": "text", "profile": "text", "intro": "text", "introduction": "text",
}
#: Model / instruction / conditioning tokens naming what the record is about.
SUBJECTS: dict[str, str] = {
    "product": "product", "products": "product", "item": "product", "listing": "product", "sku": "product",
    "offer": "product", "goods": "product", "merchandise": "product", "gadget": "product",
    "company": "company", "organisation": "company", "organization": "company", "business": "company",
    "employer": "company", "vendor": "company", "supplier": "company", "brand": "company", "shop": "company",
    "store": "company", "startup": "company", "firm": "company", "agency": "company",
    "event": "event", "meetup": "event", "conference": "event", "workshop": "event", "webinar": "event",
    "ticket": "message", "support": "message", "complaint": "message", "inquiry": "message",
    "enquiry": "message", "message": "message", "chat": "message", "helpdesk": "message",
    "review": "review", "reviews": "review", "rating": "review", "testimonial": "review",
    "post": "article", "article": "article", "blog": "article", "story": "article", "page": "article",
    "user": "person", "person": "person", "customer": "person", "author": "person", "member": "person",
    "employee": "person", "speaker": "person", "candidate": "person", "profile": "person", "people": "person",
    "staff": "person", "player": "person", "student": "person", "doctor": "person", "patient": "person",
}
#: The kind a subject suggests when the field name is not decisive.
SUBJECT_KIND: dict[str, str] = {
    "product": "description", "company": "description", "event": "description", "message": "message",
    "review": "review", "person": "bio",
}
#: (abstract kind, subject) -> concrete kind.
RESOLVE: dict[tuple[str, str], str] = {
    ("description", "product"): "product_description", ("description", "company"): "company_description",
    ("description", "event"): "event_description", ("description", "person"): "bio",
    ("description", "message"): "message", ("description", "review"): "review",
    ("text", "product"): "product_description", ("text", "company"): "company_description",
    ("text", "event"): "event_description", ("text", "person"): "bio", ("text", "message"): "message",
    ("text", "review"): "review",
}
NEGATIVE: frozenset[str] = frozenset((
    "angry", "furious", "frustrated", "annoyed", "upset", "disappointed", "negative", "unhappy", "irate",
    "dissatisfied", "terrible", "harsh", "critical", "complaining", "outraged", "livid", "bad",
))
ANGRY: frozenset[str] = frozenset(("angry", "furious", "irate", "outraged", "livid", "enraged", "mad"))
POSITIVE: frozenset[str] = frozenset((
    "happy", "delighted", "satisfied", "positive", "glowing", "loyal", "enthusiastic", "thrilled", "pleased",
    "rave", "praising", "grateful", "excited",
))
MIXED: frozenset[str] = frozenset(("mixed", "neutral", "lukewarm", "balanced", "ambivalent"))
FLAVOURS: dict[str, str] = {
    "holiday": "holiday", "holidays": "holiday", "christmas": "holiday", "xmas": "holiday",
    "festive": "holiday", "gift": "holiday", "gifts": "holiday", "hanukkah": "holiday",
    "travel": "travel", "travellers": "travel", "travelers": "travel", "vacation": "travel",
    "summer": "travel", "trip": "travel", "beach": "travel",
    "sale": "sale", "sales": "sale", "discount": "sale", "friday": "sale", "bargain": "sale",
    "business": "business", "enterprise": "business", "office": "business", "corporate": "business",
    "family": "family", "families": "family", "parents": "family", "kids": "family", "children": "family",
}
_FLAVOUR_ORDER: tuple[str, ...] = ("holiday", "travel", "sale", "business", "family")
_KIND_ORDER: tuple[str, ...] = (
    "profession", "review", "bio", "reply", "message", "reason", "headline", "slogan", "summary", "title", "note",
    "street", "address", "city", "description", "text",
)


def tokens(text: str | None) -> tuple[str, ...]:
    """Lower-case word tokens of an identifier or phrase (``reviewText`` -> ``review``, ``text``)."""
    if not text:
        return ()
    return tuple(_WORD.findall(_CAMEL.sub(r"\1 \2", text).lower()))


@dataclass(frozen=True)
class Profile:
    """How to write one field: its ``kind``, the record's ``subject``, tone and flavours.

    ``mood`` is ``"negative"``, ``"mixed"``, ``"positive"`` or ``None`` (from the instruction,
    else the context); ``voice`` is 1 or 3 when the instruction asks for first/third person.
    """

    kind: str
    subject: str
    mood: str | None
    angry: bool
    flavours: tuple[str, ...]
    voice: int | None


def _mood(words: tuple[str, ...]) -> str | None:
    if any(w in NEGATIVE for w in words):
        return "negative"
    if any(w in MIXED for w in words):
        return "mixed"
    if any(w in POSITIVE for w in words):
        return "positive"
    return None


def _voice(words: tuple[str, ...]) -> int | None:
    for a, b in zip(words, words[1:], strict=False):
        if b == "person" and a in ("first", "1st"):
            return 1
        if b == "person" and a in ("third", "3rd"):
            return 3
    return None


def _subject(model: tuple[str, ...], instruction: tuple[str, ...], keys: tuple[str, ...]) -> str:
    scores: dict[str, float] = {}
    for words, weight in ((model, 2.0), (instruction, 1.0), (keys, 0.5)):
        for w in words:
            subject = SUBJECTS.get(w)
            if subject is not None:
                scores[subject] = scores.get(subject, 0.0) + weight
    if not scores:
        return ""
    return max(scores, key=lambda s: (scores[s], s))


@lru_cache(maxsize=2048)
def profile(
    name: str, instruction: str | None, model: str, context: str | None, keys: tuple[str, ...] = ()
) -> Profile:
    """Classify a field (cached: every argument is hashable and the result is immutable)."""
    name_words = tokens(name)
    instr_words = tokens(_REF.sub(" ", instruction)) if instruction else ()
    model_words = tokens(model.rsplit(".", 1)[-1])
    key_words = tuple(w for k in keys for w in tokens(k))
    context_words = tokens(context)
    subject = _subject(model_words, instr_words, key_words)

    scores: dict[str, float] = {}
    for w in name_words:
        if w in STRONG:
            scores[STRONG[w]] = scores.get(STRONG[w], 0.0) + 4.0
        elif w in WEAK:
            scores[WEAK[w]] = scores.get(WEAK[w], 0.0) + 1.0
    for w in instr_words:
        if w in STRONG:
            scores[STRONG[w]] = scores.get(STRONG[w], 0.0) + 2.0
    if subject in SUBJECT_KIND:
        sk = SUBJECT_KIND[subject]
        scores[sk] = scores.get(sk, 0.0) + 1.5
    if "job" in name_words or "occupation" in name_words:
        kind = "profession"
    elif scores:
        kind = max(_KIND_ORDER, key=lambda k: (scores.get(k, 0.0), -_KIND_ORDER.index(k)))
    else:
        kind = "generic"
    if kind in ("description", "text"):
        kind = RESOLVE.get((kind, subject), "generic")

    mood = _mood(instr_words) or _mood(context_words)
    angry = any(w in ANGRY for w in instr_words + context_words)
    found = {FLAVOURS[w] for w in instr_words + context_words if w in FLAVOURS}
    flavours = tuple(f for f in _FLAVOUR_ORDER if f in found)
    return Profile(kind, subject, mood, angry, flavours, _voice(instr_words))
