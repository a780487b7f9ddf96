"""Short values: names, titles, labels, slugs, codes and numbers (no sentence punctuation).

A ``{category}`` bounds a product name's nouns (``books`` gives a field guide, never a yoga
mat); a referenced topic becomes the title; otherwise the domain's own names are used.
"""

from __future__ import annotations

import random

from forge_factories.text import phrasebook as pb
from forge_factories.text.classify import tokens
from forge_factories.text.domains import Vocab, category_for
from forge_factories.text.scene import between, cap, choose
from forge_factories.text.topic import Topics, mid

_TOPIC_TITLES: tuple[str, ...] = ("@Topic", "Notes on @topic", "@Topic, explained", "Update on @topic",
                                  "A guide to @topic", "@Topic: what to know")
_DANGLING = frozenset(("a", "an", "the", "of", "for", "and", "or", "to", "in", "on", "at", "with", "&", "by"))
_BRANDS: tuple[str, ...] = tuple(b.rstrip(".") for b in pb.BRANDS)


def _words_ok(text: str, words: tuple[int, int] | None) -> bool:
    return words is None or words[0] <= len(text.split()) <= words[1]


def trim_words(text: str, max_words: int) -> str:
    """``text`` cut to ``max_words`` whole words, never ending on "of"/"the"/"and"."""
    parts = text.replace(":", "").split()[:max_words]
    while len(parts) > 1 and parts[-1].lower() in _DANGLING:
        parts.pop()
    return " ".join(parts).rstrip(",;-")


def fit_name(text: str, max_length: int | None) -> str:
    """``text`` within ``max_length`` by dropping whole words from the end (no full stop added)."""
    if max_length is None or len(text) <= max_length:
        return text
    parts = text.split()
    while len(parts) > 1 and (len(" ".join(parts)) > max_length or parts[-1].lower() in _DANGLING):
        parts.pop()
    short = " ".join(parts).rstrip(",:;-")
    return short if len(short) <= max_length else short[:max_length].rstrip(" ,:;-")


def _product(rng: random.Random, topics: Topics) -> str:
    cat = category_for(tokens(topics.category), topics.category or "")
    noun = choose(rng, cat.nouns)
    roll = rng.random()
    if roll < 0.4:
        return choose(rng, _BRANDS) + " " + noun
    if roll < 0.8:
        return choose(rng, cat.adj) + " " + noun
    return choose(rng, _BRANDS) + " " + choose(rng, cat.adj) + " " + noun


def _candidate(rng: random.Random, vocab: Vocab, topics: Topics, shape: str, product: bool) -> str:
    if topics.category and product:
        return _product(rng, topics)
    if topics.topics and shape == "name":
        topic = topics.topics[0]
        if len(topic.split()) > 4:
            return cap(topic)
        title = choose(rng, _TOPIC_TITLES)
        return title.replace("@Topic", cap(topic)).replace("@topic", mid(topic))
    if shape == "label":
        roll = rng.random()
        if roll < 0.5:
            return choose(rng, vocab.adj) + " " + choose(rng, vocab.things)
        return cap(choose(rng, vocab.things))
    name = choose(rng, vocab.names)
    if rng.random() < 0.4 and name.split()[0] not in vocab.adj:
        return choose(rng, vocab.adj) + " " + name
    return name


def write_name(
    rng: random.Random, vocab: Vocab, topics: Topics, shape: str, words: tuple[int, int] | None, product: bool
) -> str:
    """A name / title / label / slug of the domain (word-count cue honoured when one is given)."""
    text = ""
    for _ in range(8):
        text = _candidate(rng, vocab, topics, shape, product)
        if _words_ok(text, words):
            break
    else:
        if words is not None:
            if len(text.split()) > words[1]:
                text = trim_words(text, words[1])
            while len(text.split()) < words[0]:
                text = choose(rng, vocab.adj) + " " + text
    if shape == "label":
        text = cap(text)
    if shape == "slug":
        text = "-".join(w.strip(".,:;'&").lower() for w in text.split() if w.strip(".,:;'&"))
    return text


def write_code(rng: random.Random, vocab: Vocab, shape: str) -> str:
    """A reference code (``TR-48213``) or a plain number."""
    if shape == "number":
        return str(between(rng, 10000, 9999999))
    prefix = (vocab.name or "ref")[:2].upper()
    return prefix + "-" + str(between(rng, 10000, 99999))
