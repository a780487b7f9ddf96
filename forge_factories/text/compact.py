"""Short complete phrases of a field's kind, for a ``max_length`` too small for a sentence."""

from __future__ import annotations

from forge_factories.text import phrasebook as pb
from forge_factories.text.compose_people import _order_ref
from forge_factories.text.compose_things import (
    _REVIEW_TITLES,
    _TICKET_SUBJECTS,
    _TONE_ADJECTIVES,
    _company_name,
    _own_product_name,
    _product_entry,
    _street,
)
from forge_factories.text.scene import Scene, between, cap, choose, uncap

_TINY_TITLES: tuple[str, ...] = ("Notes", "Update", "Basics", "Guide", "Recap", "Q&A", "Tips")
_TINY_PRODUCT: tuple[str, ...] = ("Durable.", "Compact.", "Handy.", "Sturdy.", "Sleek.", "New.")
_SHORT_JOBS: tuple[str, ...] = (
    "Chef", "Nurse", "Pilot", "Baker", "Coder", "Tutor", "Vet", "Actor", "Poet", "Medic", "Coach", "Plumber",
)


def compact(s: Scene) -> list[str]:
    """Short complete phrases of the scene's kind, for a ``max_length`` too small for a sentence."""
    rng, kind = s.rng, s.profile.kind
    if kind in ("bio", "profession"):
        job = uncap(s.cond.profession()) or choose(rng, pb.PROFESSIONS)
        yrs = str(s.cond.years() or between(rng, 2, 25))
        out = [cap(job) + " with " + yrs + " years of experience.", cap(job) + ", " + yrs + " years.",
               cap(job) + " based in " + (s.cond.city() or choose(rng, pb.CITIES)) + ".", cap(job) + "."]
        name = s.cond.person_name()
        if name:
            out.append(name + ", " + job + ".")
        return out + [j + "." for j in rng.sample(_SHORT_JOBS, 3)]
    subject = s.profile.subject
    if kind == "review" or (kind in ("title", "summary") and subject == "review"):
        tone = s.tone if s.tone in _TONE_ADJECTIVES else "mixed"
        adjs, aspects = _TONE_ADJECTIVES[tone], rng.sample(pb.ASPECTS, 4)
        out = [choose(rng, adjs) + " " + a + "." for a in aspects] + [t + "." for t in _REVIEW_TITLES[tone]]
        if kind == "title":
            return [t.rstrip(".") for t in out]
        return out + list(_SHORT_BY_TONE[tone])
    if kind in ("title", "headline"):
        if subject == "message":
            return list(rng.sample(_TICKET_SUBJECTS, 5))
        if subject == "product":
            return [choose(rng, pb.BRANDS) + " " + " ".join(w.capitalize() for w in choose(rng, pb.PRODUCTS)[0].split())
                    for _ in range(3)]
        topic = choose(rng, pb.TOPICS)
        return [cap(topic), "Notes on " + topic, "Why " + topic + " matters", "On " + topic, cap(topic) + " 101",
                cap(choose(rng, pb.TOPICS)), *_TINY_TITLES]
    if kind == "slogan":
        return [choose(rng, pb.SLOGAN_ADJECTIVES) + " " + choose(rng, pb.SLOGAN_NOUNS) + "." for _ in range(4)]
    if kind in ("message", "reply"):
        return [t + "." for t in rng.sample(_TICKET_SUBJECTS, 5)] + ["Order " + _order_ref(s) + " missing.",
                                                                    "Help, please.", "Refund?", "Help!"]
    if kind == "product_description":
        given = _own_product_name(s)
        entry = _product_entry(s, given) if given else choose(rng, pb.PRODUCTS)
        noun = entry[0] if entry else "essential"
        uses = entry[3] if entry else pb.GENERIC_USES
        adj = cap(choose(rng, pb.PRODUCT_ADJECTIVES))
        out = [adj + " " + noun + " for " + choose(rng, uses) + ".", adj + " " + noun + "."]
        return ([given + ": " + adj.lower() + " " + noun + " for " + choose(rng, uses) + ".", given + "."] if given
                else []) + out + list(_TINY_PRODUCT)
    if kind == "company_description":
        name = _company_name(s)
        industry = choose(rng, pb.INDUSTRIES)
        return [name + ", " + industry + " since " + str(between(rng, 1978, 2019)) + ".", name + ", " + industry + ".",
                cap(industry) + " company.", name + "."]
    if kind == "event_description":
        etype = choose(rng, pb.EVENT_TYPES)
        return [cap(etype) + " on " + choose(rng, pb.TOPICS) + " in " + choose(rng, pb.CITIES) + ".",
                cap(etype) + " in " + choose(rng, pb.CITIES) + ".", cap(etype) + ".", "Talks.", "Meetup."]
    if kind == "note":
        return [choose(rng, pb.NOTE_ACTIONS) + " " + choose(rng, pb.NOTE_WHEN) + ".", choose(rng, pb.NOTE_ACTIONS) + "."]
    if kind in ("address", "street", "city"):
        street, place = _street(s), s.cond.city() or choose(rng, pb.CITIES)
        return ([street + ", " + place, street] if kind != "city" else []) + [place, choose(rng, pb.CITIES)]
    if kind == "reason":
        return [r + "." for r in rng.sample(pb.REASONS, 5)] + ["Moved.", "Too pricey.", "Not needed."]
    return [choose(rng, pb.GENERIC_SUBJECTS) + " " + choose(rng, pb.GENERIC_PREDICATES) + ".",
            cap(choose(rng, pb.TOPICS)) + ".", *pb.SHORT_GENERIC]


_SHORT_BY_TONE: dict[str, tuple[str, ...]] = {
    "positive": pb.SHORT_POS, "mixed": pb.SHORT_MIX, "negative": pb.SHORT_NEG,
}
