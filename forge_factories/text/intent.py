"""What an instruction asks of a field beyond its kind: shape, speaker, length, domain, topic.

Read from the instruction (with ``{references}`` removed, so a referenced field's *name* never
counts as a cue), else the field name, plus the model name, the context and the reference
names. Pure keyword matching; the result is cached and immutable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from forge_factories.text.classify import tokens
from forge_factories.text.domains import detect_domain

_REF = re.compile(r"\{[^{}]*\}")
_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "couple": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}
_WORD_NUMBER = re.compile(r"[a-z]+|\d+")
#: Instruction / field-name words that say what form the text takes (first one wins).
SHAPES: dict[str, str] = {
    "name": "name", "title": "name", "label": "label", "heading": "name", "headline": "name", "caption": "name",
    "nickname": "name", "tag": "label", "tags": "label", "slug": "slug", "handle": "slug", "username": "slug",
    "sentence": "sentence", "tagline": "sentence", "slogan": "sentence", "motto": "sentence", "liner": "sentence",
    "status": "sentence", "notification": "paragraph", "alert": "paragraph", "update": "paragraph",
    "paragraph": "paragraph", "description": "paragraph", "summary": "paragraph", "abstract": "paragraph",
    "blurb": "paragraph", "overview": "paragraph", "bio": "paragraph", "biography": "paragraph",
    "review": "paragraph", "synopsis": "paragraph", "excerpt": "paragraph", "clause": "paragraph",
    "announcement": "paragraph", "post": "paragraph", "tweet": "sentence", "intro": "paragraph",
    "body": "body", "article": "body", "essay": "body", "story": "body", "blog": "body", "report": "body",
    "newsletter": "body", "chapter": "body", "content": "body",
    "message": "message", "email": "message", "mail": "message", "letter": "message", "reply": "message",
    "response": "message", "answer": "message", "complaint": "message", "enquiry": "message",
    "inquiry": "message", "question": "message", "resolution": "message", "chat": "chat", "dm": "chat",
    "note": "note", "notes": "note", "comment": "note", "comments": "note", "remark": "note", "remarks": "note",
    "memo": "note", "annotation": "note", "instructions": "note",
    "code": "code", "sku": "code", "id": "code", "identifier": "code", "reference": "code", "serial": "code",
    "isbn": "code", "iban": "code", "number": "number", "phone": "number", "postcode": "code", "zip": "code",
    "address": "address", "street": "address", "city": "address", "location": "address",
}
#: Words naming who writes the text.
SPEAKERS: dict[str, str] = {
    "customer": "customer", "customers": "customer", "client": "customer", "buyer": "customer",
    "user": "customer", "users": "customer", "patient": "customer", "policyholder": "customer",
    "guest": "customer", "tenant": "customer", "passenger": "customer", "resident": "customer",
    "member": "customer", "donor": "customer", "subscriber": "customer", "applicant": "customer",
    "traveller": "customer", "traveler": "customer", "recipient": "customer", "caller": "customer",
    "support": "agent", "agent": "agent", "staff": "agent", "helpdesk": "agent", "operator": "agent",
    "representative": "agent", "rep": "agent", "team": "agent", "clinician": "agent", "doctor": "agent",
    "nurse": "agent", "landlord": "agent", "adjuster": "agent", "engineer": "agent", "driver": "agent",
    "author": "author", "blogger": "author", "writer": "author", "journalist": "author", "editor": "author",
    "reporter": "author", "organiser": "author", "organizer": "author", "seller": "author",
    "reviewer": "reviewer", "critic": "reviewer",
    "system": "system", "automated": "system", "automatic": "system", "bot": "system", "log": "system",
    "alert": "system", "notification": "system", "audit": "system",
}
_BY = ("by", "from")
#: "a message about a late delivery": a literal subject (a ``{reference}`` subject is a value instead).
_ABOUT = re.compile(r"\b(?:about|regarding|on the subject of)\s+([A-Za-z][A-Za-z' -]{2,50}?)\s*(?:[,.;]|$)")
_RESOLVE_VERBS = ("resolved", "solved", "fixed", "handled", "answered", "closed", "replied")


@dataclass(frozen=True)
class Intent:
    """How to shape a value: ``shape``, who speaks, length cues, domain and the topic references.

    ``shape`` is ``""`` when nothing says (the field's kind decides); ``words`` / ``sentences``
    are ``(low, high)`` ranges; ``paragraphs`` a count; ``by_ref`` the reference holding the
    writer's name (``"a note left by {user.name}"``).
    """

    shape: str
    speaker: str | None
    by_ref: str | None
    words: tuple[int, int] | None
    sentences: tuple[int, int] | None
    paragraphs: int | None
    short: bool
    domain: str | None
    context_words: tuple[str, ...]
    context_role: str | None
    to_ref: str | None = None
    about: str | None = None

    @property
    def context_subject(self) -> str | None:
        """What the context is about: "beekeeping club" in "members of a beekeeping club"."""
        if not self.context_role:
            return None
        rest = self.context_role.split(" ", 2)[-1]
        head, _, tail = rest.partition(" ")
        return tail if head in ("a", "an", "the", "our", "my") and tail else rest


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _lengths(words: list[str]) -> tuple[tuple[int, int] | None, tuple[int, int] | None, int | None]:
    """Word range, sentence range and paragraph count from cues like "under 50 words"."""
    n_words: tuple[int, int] | None = None
    n_sent: tuple[int, int] | None = None
    paras: int | None = None
    for i, w in enumerate(words):
        unit = w.rstrip("s")
        if unit not in ("word", "sentence", "paragraph", "line"):
            continue
        j = i - 1
        if j >= 0 and words[j] in ("short", "long", "full", "complete", "plain", "single"):
            j -= 1 if words[j] != "single" else 0
        count = _number(words[j]) if j >= 0 else None
        if count is None:
            continue
        before = words[j - 1] if j >= 1 else ""
        before2 = words[j - 2] if j >= 2 else ""
        at_most = before in ("under", "max", "maximum", "within", "below") or (before2, before) in (
            ("at", "most"), ("no", "more"), ("fewer", "than"), ("less", "than"), ("up", "to"))
        at_least = (before2, before) in (("at", "least"), ("more", "than")) or before in ("over", "min", "minimum")
        if unit == "word":
            if at_least:
                n_words = (count, count * 3)
            elif at_most:
                n_words = (max(1, min(count // 3, count - 1)), count - (1 if before in ("under", "below") else 0))
            else:
                n_words = (max(1, count - count // 5), count + count // 5)
        elif unit in ("sentence", "line"):
            n_sent = (count, count * 2) if at_least else (1, count) if at_most else (count, count)
        else:
            paras = count
    return n_words, n_sent, paras


def _speaker(words: list[str], raw: str) -> tuple[str | None, str | None]:
    """(speaker, reference naming the writer) from "how support resolved", "left by {user.name}"."""
    by_ref = None
    match = re.search(r"\b(?:by|from)\s+(?:the\s+)?\{([^{}]+)\}", raw)
    if match:
        by_ref = match.group(1)
    for i, w in enumerate(words):
        if w in _RESOLVE_VERBS and i >= 1 and words[i - 1] in SPEAKERS:
            return SPEAKERS[words[i - 1]], by_ref
    for i, w in enumerate(words):
        if w in _BY and i + 1 < len(words):
            nxt = words[i + 2] if words[i + 1] == "the" and i + 2 < len(words) else words[i + 1]
            if nxt in SPEAKERS:
                return SPEAKERS[nxt], by_ref
    for i, w in enumerate(words):
        if w == "s" and i >= 1 and words[i - 1] in SPEAKERS:  # "the customer's message"
            return SPEAKERS[words[i - 1]], by_ref
    for w in words:
        if w in ("reviewer", "critic", "system", "automated", "bot", "log", "alert", "notification", "author"):
            return SPEAKERS[w], by_ref
    if by_ref:
        return "customer", by_ref
    return None, None


def _role(context: str | None) -> str | None:
    """"users of a budgeting app" -> "user of a budgeting app" (a phrase a bio or message can use)."""
    if not context:
        return None
    match = re.match(r"\s*(?:the\s+)?([A-Za-z-]+?)s\s+(of|at|in)\s+(.{3,60}?)\s*$", context)
    if not match:
        return None
    return match.group(1).lower() + " " + match.group(2) + " " + match.group(3)


_STOP = frozenset((
    "a", "an", "the", "of", "for", "and", "or", "to", "in", "on", "at", "with", "by", "from", "about", "our",
    "your", "their", "its", "my", "this", "that", "who", "which", "small", "big", "new", "local", "online",
    "some", "s", "is", "are", "be", "written", "people", "users", "customers", "fans", "readers",
))


@lru_cache(maxsize=2048)
def read_intent(
    name: str, instruction: str | None, model: str, context: str | None, keys: tuple[str, ...] = ()
) -> Intent:
    """Classify what the instruction (else the field name) asks for (cached)."""
    raw = instruction or ""
    plain = _REF.sub(" ", raw)
    words = list(_WORD_NUMBER.findall(plain.lower().replace("-", " ")))
    name_words = list(tokens(name))
    shape = ""
    for i, w in enumerate(words):
        if w in SHAPES:  # "an article headline", "a blog post body": the last of adjacent shape words
            while i + 1 < len(words) and words[i + 1] in SHAPES:
                i += 1
            shape = SHAPES[words[i]]
            break
    if not shape:
        for w in reversed(name_words):
            if w in SHAPES:
                shape = SHAPES[w]
                break
    n_words, n_sent, paras = _lengths(words)
    if paras and paras > 1:
        shape = "body"
    elif n_sent and shape in ("", "name", "label"):
        shape = "sentence" if n_sent[1] == 1 else "paragraph"
    elif n_sent and n_sent[1] == 1 and shape == "paragraph":  # "a one-sentence summary"
        shape = "sentence"
    speaker, by_ref = _speaker(words, raw)
    if speaker is None and "system" in name_words:
        speaker = "system"
    short = "short" in words or "brief" in words or "quick" in words
    head, _, cls = model.rpartition(".")
    model_words = tokens(cls) + tuple(w for w in tokens(head) if w not in ("app", "apps", "models", "model"))
    ctx = tokens(context)
    key_words = tuple(w for k in keys for w in tokens(k))
    domain = detect_domain(tuple(words), model_words, ctx, tuple(name_words), key_words)
    ctx_words = tuple(w for w in ctx if w not in _STOP and len(w) > 2)
    to = re.search(r"\bto\s+(?:the\s+)?\{([^{}]+)\}", raw)
    about = _ABOUT.search(raw)
    return Intent(shape, speaker, by_ref, n_words, n_sent, paras, short, domain, ctx_words, _role(context),
                  to.group(1) if to else None, about.group(1).strip() if about else None)
