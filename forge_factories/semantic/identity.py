"""Item identity in a request: opaque per-item keys, and whether a reply kept them straight.

Each item of a request is sent with an opaque key (``"kq7m2x"``), not its position, so an
answer shifted by one item names a key that was never asked instead of landing silently on
the neighbouring object. A reply is *suspect*, and all its items are asked again, when it
holds an unknown key, a key answered twice, or a value that names another item's given
value (its name, say) and not its own.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .request import SemanticItem

#: The property that carries an item's key, in the request's data block and in the reply.
KEY_FIELD = "_key"

_LETTERS = "abcdefghjkmnpqrstuvwxyz"
#: A reference names its items when at least this share of the request's items have their own
#: value of it, and there are at least :data:`_DISTINCT_MIN` of them (a status, a job do not).
_DISTINCT_SHARE = 0.9
_DISTINCT_MIN = 5
_WORD = re.compile(r"\w")


def item_keys(items: Sequence[SemanticItem], salt: str = "") -> tuple[str, ...]:
    """One opaque key per item (6 characters from a hash of its path, a letter first), unique
    within ``items``."""
    keys: list[str] = []
    used: set[str] = set()
    for item in items:
        attempt = 0
        while True:
            digest = hashlib.blake2b(f"{salt}|{item.key}|{item.index}|{attempt}".encode(), digest_size=6).digest()
            key = _LETTERS[digest[0] % len(_LETTERS)] + base64.b32encode(digest[1:]).decode()[:5].lower()
            if key not in used:
                break
            attempt += 1
        used.add(key)
        keys.append(key)
    return tuple(keys)


@dataclass(frozen=True)
class KeyedReply:
    """A reply's answers by item index, or why the reply as a whole is not trusted."""

    values: dict[int, dict[str, Any]]
    suspect: str | None = None


def match_keys(answers: Iterable[Mapping[str, Any]], keys: Mapping[str, int]) -> KeyedReply:
    """Map each answer to its item by key; an unknown or repeated key makes the reply suspect.

    ``keys`` maps each asked key to its item index. Asked keys with no answer are simply
    missing (a truncated reply keeps its complete items).
    """
    values: dict[int, dict[str, Any]] = {}
    for answer in answers:
        raw = answer.get(KEY_FIELD)
        key = raw if isinstance(raw, str) else None
        index = keys.get(key) if key is not None else None
        if index is None:
            return KeyedReply({}, f"an answer under key {raw!r}, which was not asked")
        if index in values:
            return KeyedReply({}, f"key {key!r} answered twice")
        values[index] = {k: v for k, v in answer.items() if k != KEY_FIELD}
    return KeyedReply(values)


def _telling(given: Any) -> str | None:
    if isinstance(given, str) and len(given.strip()) >= 3 and _WORD.search(given):
        return given.strip()
    return None


def _names_items(ref: str, population: Sequence[SemanticItem]) -> bool:
    """Whether a reference's values tell the items apart (names, titles), unlike a status."""
    values = {_telling(item.conditioning.get(ref)) for item in population}
    values.discard(None)
    return len(values) >= max(_DISTINCT_MIN, _DISTINCT_SHARE * len(population))


def misplaced_value(items: Sequence[SemanticItem], values: Mapping[int, Mapping[str, Any]],
                    population: Sequence[SemanticItem] | None = None) -> str | None:
    """Why an answer seems to belong to another item: it names another item's given value
    (of a reference whose values tell apart the items of ``population``, default ``items``)
    and not its own. ``None`` when none does."""
    by_ref: dict[str, dict[int, str]] = {}
    for item in items:
        for ref, given in item.conditioning.items():
            text = _telling(given)
            if text is not None:
                by_ref.setdefault(ref, {})[item.index] = text
    for ref, owned in by_ref.items():
        folded = {index: given.casefold() for index, given in owned.items()}
        if len(set(folded.values())) < 2 or not _names_items(ref, population or items):
            continue
        alternatives = sorted(set(owned.values()), key=len, reverse=True)
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, alternatives)) + r")(?!\w)", re.IGNORECASE)
        for index, own in folded.items():
            answer = values.get(index)
            if not isinstance(answer, Mapping):
                continue
            for field_name, text in answer.items():
                if not isinstance(text, str):
                    continue
                found = {match.casefold(): match for match in pattern.findall(text)}
                if found and own not in found:
                    other = found[min(found)]
                    return f"the {field_name} answered for {ref}={owned[index]!r} names {ref}={other!r} of another item"
    return None
