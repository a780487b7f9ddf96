"""Fit composed sentences into ``min_length`` / ``max_length``, ending cleanly."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from forge_factories.text.phrasebook import DANGLING

_ENDS = ".!?。！？"
_TRIM = " ,;:-–—"
#: Give up avoiding repeated sentences after this many draws (tiny tables, huge min_length).
_FRESH_TRIES = 12


def _join(text: str, sentence: str) -> str:
    if not text:
        return sentence
    if text[-1] not in _ENDS:
        text += "."
    return text + " " + sentence


def extend(text: str, min_length: int, more: Callable[[], str]) -> str:
    """Append sentences from ``more()`` until ``text`` is at least ``min_length`` long."""
    misses = 0
    while len(text) < min_length:
        sentence = more()
        if not sentence or (sentence in text and misses < _FRESH_TRIES):
            misses += 1
            if misses > 4 * _FRESH_TRIES:
                break
            continue
        text = _join(text, sentence)
    return text


def sentence_cut(text: str, max_length: int, lo: int = 1) -> str | None:
    """The longest run of whole sentences of ``text`` within ``[lo, max_length]`` characters."""
    best = -1
    gaps = (" ", "\n") if "\n" in text else (" ",)
    for mark in _ENDS:
        for gap in gaps:
            idx = text.rfind(mark + gap, 0, max_length)
            if idx > best:
                best = idx
    if best >= 0 and best + 1 >= lo:
        return text[: best + 1]
    return None


def word_cut(text: str, max_length: int, lo: int = 1) -> str | None:
    """``text`` cut at its last word boundary that fits, dangling words dropped, a full stop added."""
    idx = text.rfind(" ", 0, max_length)
    if idx <= 0:
        return None
    piece = text[:idx].rstrip(_TRIM)
    trimmed = piece
    while " " in trimmed:
        head, _, last = trimmed.rpartition(" ")
        if last.lower().strip(_TRIM) not in DANGLING:
            break
        trimmed = head.rstrip(_TRIM)
    for candidate in (trimmed, piece):
        if not candidate or (" " not in candidate and candidate.lower() in DANGLING):
            continue
        if candidate[-1] not in _ENDS and len(candidate) < max_length:
            candidate += "."
        if lo <= len(candidate) <= max_length:
            return candidate
    return None


def _pick_compact(options: Sequence[str], lo: int, max_length: int, rng: random.Random) -> str | None:
    fitting = [p for p in options if lo <= len(p) <= max_length]
    if not fitting:
        return None
    roomy = [p for p in fitting if 2 * len(p) >= max_length]
    return rng.choice(roomy) if roomy else max(fitting, key=len)


def fit(
    sentences: Sequence[str],
    *,
    min_length: int | None,
    max_length: int | None,
    more: Callable[[], str],
    compact: Callable[[], Sequence[str]],
    rng: random.Random,
) -> str:
    """Join ``sentences`` and honour the bounds.

    Too short: more sentences from ``more()``. Too long: keep the whole sentences that fit;
    when not even the first one fits, a ``compact()`` phrase of the same kind that fits; else
    a cut at the last word boundary (dangling "and"/"the" dropped, a full stop added); else a
    hard cut.
    """
    text = " ".join(s for s in sentences if s)
    if min_length:
        text = extend(text, min_length, more)
    if max_length is None or len(text) <= max_length:
        return text
    if max_length <= 0:
        return ""
    lo = max(min_length or 1, 1)
    cut = sentence_cut(text, max_length, lo)
    if cut is not None:
        return cut
    cut = _pick_compact(compact(), lo, max_length, rng) or word_cut(text, max_length, lo)
    if cut is not None:
        return cut
    hard = text[:max_length]
    stripped = hard.rstrip(_TRIM)
    return stripped if len(stripped) >= lo else hard
