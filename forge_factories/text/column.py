"""The offline writer a column at a time: one field's texts for many items in one call.

:func:`offline_column` writes what :func:`~forge_factories.text.offline.offline_text` writes for
each item, drawing from one generator: the same ``rng`` state gives the same texts as calling
``offline_text`` item after item. The field is read once per column (per set of conditioning
keys) instead of once per value, and a field the bio composer writes alone is sent to it
directly.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from forge_factories.text.classify import Profile, profile
from forge_factories.text.compose_people import bio_lines
from forge_factories.text.composer import Scene, compact, extra_sentence
from forge_factories.text.conditioning import Conditioning
from forge_factories.text.intent import read_intent
from forge_factories.text.language import resolve
from forge_factories.text.offline import offline_text
from forge_factories.text.spec import FieldSpec
from forge_factories.text.textfit import fit
from forge_factories.text.writer import plain_bio

#: Draws per item before a duplicate within the column is accepted (as the offline provider).
MAX_TRIES = 8

Write = Callable[[Mapping[str, Any], random.Random], str]


def _bio_writer(spec: FieldSpec, prof: Profile) -> Write:
    """``offline_text`` for a field :func:`~forge_factories.text.writer.plain_bio` accepts."""
    voice, low, high = prof.voice, spec.min_length, spec.max_length

    def write(conditioning: Mapping[str, Any], rng: random.Random) -> str:
        cond = Conditioning(conditioning)
        if conditioning:
            lines = bio_lines(rng, voice, cond.person_name(), cond.first_name(), cond.profession(), cond.years(),
                              cond.city())
        else:
            lines = bio_lines(rng, voice, None, None, None, None, None)
        if not low and high is not None and sum(map(len, lines)) + len(lines) - 1 <= high:
            return " ".join(lines)  # what fit() gives text within the bounds (every line is non-empty)
        scene: list[Scene] = []

        def scene_() -> Scene:  # the composer's scene, only when the bounds need more or less text
            if not scene:
                scene.append(Scene(rng, prof, cond))
            return scene[0]

        return fit(lines, min_length=low, max_length=high, more=lambda: extra_sentence(scene_()),
                   compact=lambda: compact(scene_()), rng=rng)

    return write


def _writer(spec: FieldSpec, keys: tuple[str, ...], context: str | None, locale: str | None, model: str) -> Write:
    """How each item with conditioning ``keys`` gets its text."""
    prof = profile(spec.name, spec.instruction, model or "", context, keys)
    if not spec.choices and resolve(spec.language, locale).code == "en" and \
            plain_bio(spec, prof, read_intent(spec.name, spec.instruction, model or "", context, keys)):
        return _bio_writer(spec, prof)
    return lambda conditioning, rng: offline_text(spec, conditioning, context=context, locale=locale, rng=rng,
                                                  model=model)


def offline_column(
    spec: FieldSpec,
    conditionings: Sequence[Mapping[str, Any]],
    *,
    context: str | None,
    locale: str | None,
    rng: random.Random,
    model: str,
    avoid: set[str] | None = None,
) -> list[str]:
    """One text of ``spec`` per conditioning, distinct within the column (and from ``avoid``,
    which receives the new texts) wherever the spec leaves room for it; ``choices`` repeat freely."""
    used: set[str] = avoid if avoid is not None else set()
    out: list[str] = []
    append, add = out.append, used.add
    repeatable = bool(spec.choices)
    writers: dict[tuple[str, ...], Write] = {}
    last: Mapping[str, Any] | None = None
    write: Write | None = None
    for conditioning in conditionings:
        if conditioning is not last or write is None:  # rows often share one (empty) conditioning
            keys = tuple(conditioning)
            write = writers.get(keys)
            if write is None:
                write = writers[keys] = _writer(spec, keys, context, locale, model)
            last = conditioning
        text = write(conditioning, rng)
        tries = 1
        while not repeatable and text in used and tries < MAX_TRIES:
            text = write(conditioning, rng)
            tries += 1
        add(text)
        append(text)
    return out
