"""Item identity in a request: opaque per-item keys, and whether a reply kept them straight.

Each item of a request is sent with an opaque key (``"kq7m2x"``), not its position, so an
answer shifted by one item names a key that was never asked instead of landing silently on
the neighbouring object. A reply is *suspect*, and all its items are asked again, when it
holds an unknown key, a key answered twice, or a value that names another item's given
value (its name, say) and not its own.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forge_factories.llm.request import SemanticItem

#: The property that carries an item's key, in the request's data block and in the reply.
KEY_FIELD = "_key"

_LETTERS = "abcdefghjkmnpqrstuvwxyz"
#: A reference names its items when at least this share of the request's items have their own
#: value of it, and there are at least :data:`_DISTINCT_MIN` of them (a status, a job do not).
_DISTINCT_SHARE = 0.9
_DISTINCT_MIN = 5
#: Answers of one reply naming another item (and not their own) that make the reply suspect.
MISPLACED_MIN = 2
_WORDS = re.compile(r"\w+")


def item_keys(items: Sequence[SemanticItem], salt: str = "") -> tuple[str, ...]:
    """One opaque key per item (6 characters from a hash of its path, a letter first), unique
    within ``items``."""
    keys: list[str] = []
    used: set[str] = set()
    for item in items:
        attempt = 0
        while True:
            digest = hashlib.blake2b(f"{salt}|{item.key}|{item.index}|{attempt}".encode(), digest_size=4)
            key = _LETTERS[digest.digest()[0] % len(_LETTERS)] + digest.hexdigest()[2:7]
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
        key = raw.strip() if isinstance(raw, str) else None  # stray spaces are no other key
        index = keys.get(key) if key is not None else None
        if index is None:
            return KeyedReply({}, f"an answer under key {raw!r}, which was not asked")
        if index in values:
            return KeyedReply({}, f"key {key!r} answered twice")
        values[index] = {k: v for k, v in answer.items() if k != KEY_FIELD}
    return KeyedReply(values)


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORDS.findall(text.casefold()))


def _telling(given: Any) -> tuple[str, ...] | None:
    """A given value as words, when it can name an item (a string of 3+ characters with a word)."""
    if isinstance(given, str) and len(given.strip()) >= 3:
        return _words(given) or None
    return None


def naming_refs(population: Sequence[SemanticItem]) -> tuple[str, ...]:
    """The references whose values tell the items apart (names, titles), unlike a status:
    at least 90% of the items have their own value, and at least 5 values."""
    values: dict[str, set[str]] = {}
    for item in population:
        for ref, given in item.conditioning.items():
            if isinstance(given, str):
                values.setdefault(ref, set()).add(given.strip().casefold())
    wanted = max(_DISTINCT_MIN, _DISTINCT_SHARE * len(population))
    return tuple(ref for ref, seen in values.items()
                 if len(seen) >= wanted and sum(_telling(v) is not None for v in seen) >= wanted)


def misplaced_value(items: Sequence[SemanticItem], values: Mapping[int, Mapping[str, Any]],
                    refs: Sequence[str] | None = None) -> str | None:
    """Why answers seem to belong to other items: at least :data:`MISPLACED_MIN` answers each
    name another item's value of a naming reference (``refs``, default :func:`naming_refs` of
    ``items``) and not their own. Values are compared as whole words, case-insensitively. One
    such answer alone is taken for a mention (a review comparing two products of the batch);
    answers moved between items come at least in pairs. ``None`` when nothing is misplaced."""
    misplaced: dict[int, str] = {}
    for ref in naming_refs(items) if refs is None else refs:
        owned: dict[int, tuple[str, ...]] = {}
        written: dict[tuple[str, ...], str] = {}
        for item in items:
            given = item.conditioning.get(ref)
            words = _telling(given)
            if words is not None:
                owned[item.index] = words
                written[words] = str(given)
        if len(written) < 2:
            continue
        known = set(written)
        lengths = sorted({len(words) for words in known})
        for index, own in owned.items():
            answer = values.get(index)
            if index in misplaced or not isinstance(answer, Mapping):
                continue
            for field_name, text in answer.items():
                if not isinstance(text, str):
                    continue
                said = _words(text)
                if f" {' '.join(own)} " in f" {' '.join(said)} ":  # names its own: fine (the common case)
                    continue
                found = {said[k:k + n] for n in lengths for k in range(len(said) - n + 1)} & known
                if found:
                    misplaced[index] = (f"the {field_name} answered for {ref}={written[own]!r} names "
                                        f"{ref}={written[min(found)]!r} of another item")
                    break
    if len(misplaced) < MISPLACED_MIN:
        return None
    more = len(misplaced) - 1
    return misplaced[min(misplaced)] + (f" (and {more} more answer{'s' if more > 1 else ''})" if more else "")
