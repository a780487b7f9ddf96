"""Domain vocabularies (shop, travel, legal, games, ...) and product categories.

The phrase data lives in package data files (``data/domains.json``, ``data/categories.json``)
read once, on first use (never at import). A field's domain is scored from the words of its
instruction, model, context, field name and reference names; a field with no known domain
gets a vocabulary built from its context's own words (:func:`vocab_for`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

#: How much a keyword counts, by where it was found.
_WEIGHTS = (("instruction", 2.0), ("model", 3.0), ("context", 2.0), ("name", 1.0), ("keys", 0.5))


@dataclass(frozen=True)
class Vocab:
    """The words and sentence templates of one domain (``@t`` topic, ``@x``/``@y`` things, ``@n`` a number)."""

    name: str
    customer: str
    agent: str
    things: tuple[str, ...]
    names: tuple[str, ...]
    adj: tuple[str, ...]
    facts: tuple[str, ...]
    issues: tuple[str, ...]
    asks: tuple[str, ...]
    fixes: tuple[str, ...]


@dataclass(frozen=True)
class Category:
    """Product nouns and adjectives of one catalogue category (``books``, ``garden``...)."""

    name: str
    nouns: tuple[str, ...]
    adj: tuple[str, ...]
    features: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()


def _load(filename: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data", filename).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def domains() -> dict[str, Vocab]:
    """Every known domain's vocabulary, by name (file order)."""
    out: dict[str, Vocab] = {}
    for name, d in _load("domains.json").items():
        out[name] = Vocab(
            name, d["customer"], d["agent"], tuple(d["things"]), tuple(d["names"]), tuple(d["adj"]),
            tuple(d["facts"]), tuple(d["issues"]), tuple(d["asks"]), tuple(d["fixes"]),
        )
    return out


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    """keyword -> the domains it points at (file order)."""
    index: dict[str, list[str]] = {}
    for name, d in _load("domains.json").items():
        for word in d["keywords"]:
            index.setdefault(word, []).append(name)
    return {k: tuple(v) for k, v in index.items()}


def detect_domain(
    instruction: tuple[str, ...], model: tuple[str, ...], context: tuple[str, ...], name: tuple[str, ...],
    keys: tuple[str, ...],
) -> str | None:
    """The best-scoring domain for these words, or ``None`` when no keyword matches."""
    index = _index()
    order = {n: i for i, n in enumerate(domains())}
    scores: dict[str, float] = {}
    for (_, weight), words in zip(_WEIGHTS, (instruction, model, context, name, keys), strict=True):
        for w in words:
            for dom in index.get(w, ()):
                scores[dom] = scores.get(dom, 0.0) + weight
        for a, b in zip(words, words[1:], strict=False):  # "food bank", "real estate"
            for dom in index.get(a + "_" + b, ()):
                scores[dom] = scores.get(dom, 0.0) + 2 * weight
    if not scores:
        return None
    return max(scores, key=lambda d: (scores[d], -order[d]))


_FALLBACK_FACTS: tuple[str, ...] = (
    "Everyone at the @t has signed off the plan.", "The next meeting of the @t is on the first Saturday of the month.",
    "Setting up for the @t takes about @n minutes.", "Feedback on the @t has been positive so far.",
    "Thanks to everyone who helped out at the @t.", "There is a lot planned for the @t this season.",
    "The @x is on track for the end of the month.", "Newcomers to the @t are always welcome.",
)
_FALLBACK_ISSUES: tuple[str, ...] = (
    "the @t is not working as expected", "I have been waiting @n days for an answer about the @t",
    "nobody has replied about the @x",
)
_FALLBACK_ASKS: tuple[str, ...] = ("Could you look into this?", "Please let me know what happens next.",
                                   "Can someone get back to me this week?")
_FALLBACK_FIXES: tuple[str, ...] = ("looked into the @t and fixed the problem", "updated your details",
                                    "passed this to the right team")
_GENERIC_THINGS: tuple[str, ...] = ("plan", "schedule", "update", "request", "rota", "next step")


@lru_cache(maxsize=256)
def vocab_for(domain: str | None, context_words: tuple[str, ...], subject: str | None = None) -> Vocab:
    """The vocabulary of ``domain``; for ``None``, one built from the context's own words.

    ``subject`` is what the context is about ("beekeeping club" in "members of a beekeeping
    club"): the fallback vocabulary's main thing.
    """
    if domain is not None:
        return domains()[domain]
    words = tuple(dict.fromkeys(context_words))[:6]
    main = (subject,) if subject else (" ".join(words[-3:]),) if words else ()
    things = main + _GENERIC_THINGS
    names = tuple(w.capitalize() + " " + s for w in (words or ("Project",)) for s in ("Plan", "Notes", "Guide"))
    adj = ("New", "Weekly", "First", "Main", "Spring", "Open")
    return Vocab("", "member", "team", things, names, adj, _FALLBACK_FACTS, _FALLBACK_ISSUES, _FALLBACK_ASKS,
                 _FALLBACK_FIXES)


@lru_cache(maxsize=1)
def _categories() -> tuple[dict[str, Category], dict[str, str]]:
    cats: dict[str, Category] = {}
    index: dict[str, str] = {}
    for name, d in _load("categories.json").items():
        cats[name] = Category(name, tuple(d["nouns"]), tuple(d["adj"]), tuple(d.get("features", ())),
                              tuple(d.get("uses", ())))
        for word in (name, *d["keywords"]):
            index.setdefault(word, name)
    return cats, index


@lru_cache(maxsize=1024)
def category_of_name(name: str) -> Category | None:
    """The category whose product nouns a product name ends with ("Fable Collected Memoir" -> books)."""
    cats, _ = _categories()
    lowered = name.lower()
    best: tuple[int, Category] | None = None
    for cat in cats.values():
        for noun in cat.nouns:
            if lowered.endswith(noun.lower()) and (best is None or len(noun) > best[0]):
                best = (len(noun), cat)
    return best[1] if best else None


@lru_cache(maxsize=512)
def category_for(words: tuple[str, ...], raw: str) -> Category:
    """The catalogue category named by ``words`` (a ``{category}`` value); unknown ones use its own words."""
    cats, index = _categories()
    for w in words:
        if w in index:
            return cats[index[w]]
    head = " ".join(p.capitalize() for p in raw.split()[:3]) or "Everyday"
    nouns = tuple(head + " " + s for s in ("Set", "Kit", "Essentials", "Starter Pack", "Collection"))
    return Category(raw, nouns, ("Classic", "Everyday", "Deluxe", "Compact", "Premium"))


_TOPIC_FACTS: tuple[str, ...] = (
    "Most people start with the basics of @topic.", "There is no single right way to approach @topic.",
    "A little planning makes @topic much easier.", "The details of @topic are worth getting right.",
    "Questions about @topic come up all the time.", "Everyone approaches @topic a little differently.",
    "It helps to talk @topic through with someone who has done it before.",
    "Small steps with @topic add up over time.",
)
#: The vocabulary of a field with a subject but no known domain and no context: about the subject itself.
TOPIC_VOCAB = Vocab("", "member", "team", ("basics", "first steps", "details", "next steps", "common mistakes"),
                    ("First Steps", "The Basics", "A Practical Guide"), ("New", "Short", "Practical"),
                    _TOPIC_FACTS, _FALLBACK_ISSUES, _FALLBACK_ASKS, _FALLBACK_FIXES)
