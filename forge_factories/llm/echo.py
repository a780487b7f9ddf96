"""Spot a value that repeats the request's own instructions (an echoed system prompt).

A model that obeys an instruction injected in the data may answer with forge's prompt
instead of a value. A value holding any run of :data:`SHINGLE_WORDS` consecutive words of
forge's fixed instruction text, or one of the data block's markers, is rejected like any
invalid value. The field briefs written in a factory are not counted: a value may quote them.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Consecutive words of the instructions that make a value an echo.
SHINGLE_WORDS = 8

_WORDS = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORDS.findall(unicodedata.normalize("NFKC", text).casefold())


@functools.lru_cache(maxsize=1)
def _instruction_shingles() -> frozenset[tuple[str, ...]]:
    from forge_factories.llm.planner import INSTRUCTION_TEXT

    shingles: set[tuple[str, ...]] = set()
    for line in INSTRUCTION_TEXT:
        words = _words(line)
        shingles.update(tuple(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))
    return frozenset(shingles)


@functools.lru_cache(maxsize=4096)  # the engine checks again what the provider checked
def echoes_instructions(value: str) -> bool:
    """Whether ``value`` repeats a run of forge's instructions or a data-block marker."""
    if "forge_data" in value.casefold():
        return True
    words = _words(value)
    if len(words) < SHINGLE_WORDS:
        return False
    shingles = _instruction_shingles()
    return any(tuple(words[i:i + SHINGLE_WORDS]) in shingles for i in range(len(words) - SHINGLE_WORDS + 1))
