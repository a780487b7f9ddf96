"""What one value is about: its referenced values sorted into topic, writer, category and place.

Values are used whole or not at all: a referenced text longer than :data:`MAX_TOPIC` characters
is never pasted (cut off) into the text; only its content words steer the vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from forge_factories.text.classify import tokens

MAX_TOPIC = 60
_PERSON_PATHS = ("user", "customer", "author", "person", "member", "employee", "patient", "owner", "reviewer",
                 "sender", "client", "player", "student", "agent", "staff", "driver", "contact", "writer",
                 "applicant", "candidate", "guest", "tenant", "host", "speaker", "policyholder", "donor")
_PERSON_LASTS = ("first_name", "last_name", "full_name", "display_name", "username", "author", "customer_name",
                 "author_name", "user_name", "given_name", "surname")
_SKIP_LASTS = ("id", "pk", "email", "phone", "rating", "stars", "score", "price", "amount", "count", "quantity",
               "created", "updated", "date", "url", "slug", "uuid")
_CATEGORY_LASTS = ("category", "categories", "department", "genre", "collection", "kind", "type")
_PLACE_LASTS = ("city", "town", "location", "country", "region", "hometown")
_STOP = frozenset((
    "a", "an", "the", "of", "for", "and", "or", "to", "in", "on", "at", "with", "by", "from", "about", "that",
    "this", "my", "your", "is", "was", "it", "its", "i", "we", "not", "no", "after", "before", "s",
))
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Topics:
    """The referenced values of one item, sorted by the part they play in the text."""

    topics: tuple[str, ...]
    words: tuple[str, ...]
    writer: str | None
    category: str | None
    place: str | None
    addressee: str | None = None


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = _WS.sub(" ", str(value)).strip()
    return text or None


def _is_person(path: str, last: str, model_is_person: bool) -> bool:
    if last in _PERSON_LASTS:
        return True
    if last != "name":
        return False
    head = path.rsplit(".", 1)[-1] if path else ""
    return any(p in head for p in _PERSON_PATHS) or (not path and model_is_person)


def sort_values(
    values: Mapping[str, Any], refs: tuple[str, ...], writer_ref: str | None, model_is_person: bool,
    to_ref: str | None = None,
) -> Topics:
    """Sort the conditioning ``values`` (referenced ones first, in ``refs`` order) into :class:`Topics`.

    Only strings and numbers play a part, so the result is cached on them.
    """
    plain = tuple((str(k), v) for k, v in values.items() if isinstance(v, str | int | float))
    return _sorted(plain, refs, writer_ref, model_is_person, to_ref)


@lru_cache(maxsize=4096)
def _sorted(
    plain: tuple[tuple[str, Any], ...], refs: tuple[str, ...], writer_ref: str | None, model_is_person: bool,
    to_ref: str | None = None,
) -> Topics:
    values = dict(plain)
    ordered = [r for r in refs if r in values] + [k for k in values if k not in refs]
    topics: list[str] = []
    words: list[str] = []
    writer = category = place = addressee = None
    first = last_name = None
    for key in ordered:
        text = _text(values[key])
        if text is None or isinstance(values[key], int | float):
            continue
        path, _, last = str(key).lower().rpartition(".")
        if key == to_ref:
            addressee = text if len(text) <= MAX_TOPIC else None
            continue
        if key == writer_ref or _is_person(path, last, model_is_person):
            if last == "first_name":
                first = first or text
            elif last in ("last_name", "surname"):
                last_name = last_name or text
            elif writer is None and len(text) <= MAX_TOPIC:
                writer = text
            continue
        if last in _SKIP_LASTS or last.endswith("_id"):
            continue
        if last in _CATEGORY_LASTS and category is None and len(text) <= MAX_TOPIC:
            category = text
            continue
        if last in _PLACE_LASTS and place is None and len(text) <= MAX_TOPIC:
            place = text
            continue
        if key not in refs and last not in ("name", "title", "subject", "topic", "product"):
            continue
        if len(text) <= MAX_TOPIC and text[-1:] not in ".!?":
            topics.append(text)
        words.extend(w for w in tokens(text) if w not in _STOP and len(w) > 2)
    if not topics and place is not None and any(r.lower().rpartition(".")[2] in _PLACE_LASTS for r in refs):
        topics.append(place)
    if writer is None and first:
        writer = first + (" " + last_name if last_name else "")
    return Topics(tuple(topics), tuple(dict.fromkeys(words)), writer, category, place, addressee)


def mid(phrase: str) -> str:
    """A referenced phrase for mid-sentence use: "Refund for a blender" -> "refund for a blender".

    Proper names (every long word capitalised, or an acronym first) keep their capitals.
    """
    words = phrase.split()
    if not words or not words[0][:1].isupper():
        return phrase
    if len(words[0]) > 1 and words[0][1:2].isupper():
        return phrase
    long_words = [w for w in words if len(w) > 3]
    if len(words) == 1 or (long_words and all(w[:1].isupper() for w in long_words)):
        return phrase
    return phrase[:1].lower() + phrase[1:]
