"""English composers for people's text: bios, reviews, support messages and replies."""

from __future__ import annotations

import random

from forge_factories.text import phrasebook as pb
from forge_factories.text.scene import Scene, article, between, cap, choose, two, uncap


# --------------------------------------------------------------------------- bio
def _bio(s: Scene) -> list[str]:
    cond = s.cond
    return bio_lines(s.rng, s.profile.voice, cond.person_name(), cond.first_name(), cond.profession(),
                     cond.years(), cond.city())


def bio_lines(rng: random.Random, voice_pref: int | None, name: str | None, first: str | None,
              profession: str | None, years: int | None, city: str | None) -> list[str]:
    """A bio's sentences for a person (any of whom may be unknown); ``voice_pref`` 1 or 3
    fixes first or third person. The draws from ``rng`` are the bio's whole randomness."""
    random_ = rng.random
    job = uncap(profession) or pb.PROFESSIONS[int(random_() * len(pb.PROFESSIONS))]
    yrs = str(years or 2 + int(random_() * 24))
    place = city or (pb.CITIES[int(random_() * len(pb.CITIES))] if random_() < 0.6 else None)
    in_place = " in " + place if place else ""
    voice = voice_pref or (3 if name and random_() < 0.6 else 1)
    if voice == 3 and not name and random_() < 0.5:
        voice = 0  # headline style: "Passionate nurse with 8 years..."
    pick = int(random_() * (3 if voice_pref == 1 else 4))
    if voice == 1:
        if pick == 0 and first and place:
            opener = "Hi, I'm " + first + ", " + article(job) + " based in " + place + "."
        elif pick <= 1:
            opener = "I'm " + article(job) + " with " + yrs + " years of experience" + in_place + "."
        elif pick == 2:
            opener = "I've spent the last " + yrs + " years working as " + article(job) + in_place + "."
        else:
            opener = cap(job) + " by trade, " + yrs + " years in and still curious."
    elif voice == 3 and name:
        if pick == 0:
            opener = name + " is " + article(job) + " with " + yrs + " years of experience" + in_place + "."
        elif pick == 1:
            opener = name + " has worked as " + article(job) + " for " + yrs + " years" + in_place + "."
        elif pick == 2:
            opener = "With " + yrs + " years as " + article(job) + ", " + name + " knows the job inside out."
        else:
            opener = name + " is " + article(job) + (" based in " + place if place else "") + \
                " with more than " + yrs + " years in the field."
    else:
        if pick <= 1:
            opener = "Passionate " + job + " with " + yrs + " years of experience" + in_place + "."
        elif pick == 2:
            opener = "Experienced " + job + (" based in " + place if place else "") + ", " + yrs + \
                " years and counting."
        else:
            opener = cap(job) + " with " + yrs + " years of hands-on experience" + in_place + "."
    focus, interests = bio_focus(rng, voice, first), bio_interests(rng, voice, first)
    if random_() < 0.5:
        out = [opener, interests] if random_() < 0.5 else [opener, interests, focus]
    else:
        out = [opener, focus] if random_() < 0.5 else [opener, focus, interests]
    if random_() < 0.45:
        out.append(pb.BIO_CLOSERS[int(random_() * len(pb.BIO_CLOSERS))])
    return out


_FOCUS_FIRST = ("I care most about ", "My work centres on ", "Colleagues know me for ", "What drives me: ")
_FOCUS_THIRD = (" is known for ", " puts a lot of weight on ", " is valued for ")


def bio_focus(rng: random.Random, voice: int, first: str | None) -> str:
    """What the person cares about, in the bio's voice."""
    random_ = rng.random
    if voice == 1:
        return _FOCUS_FIRST[int(random_() * len(_FOCUS_FIRST))] + pb.FOCUS[int(random_() * len(pb.FOCUS))] + "."
    if voice == 3 and first:
        said = _FOCUS_THIRD[int(random_() * len(_FOCUS_THIRD))]
        return first + said + pb.FOCUS_THIRD[int(random_() * len(pb.FOCUS_THIRD))] + "."
    return "Known for " + pb.FOCUS_THIRD[int(random_() * len(pb.FOCUS_THIRD))] + "."


def bio_interests(rng: random.Random, voice: int, first: str | None) -> str:
    """Two interests outside work, in the bio's voice."""
    i1, i2 = two(rng, pb.INTERESTS)
    pick = int(rng.random() * 3)
    if voice == 1:
        if pick == 0:
            return "Outside work I enjoy " + i1 + " and " + i2 + "."
        if pick == 1:
            return "Weekends usually mean " + i1 + ", " + i2 + " or a good book."
        return "Off the clock: " + i1 + ", " + i2 + " and too much coffee."
    if voice == 3 and first:
        if pick == 0:
            return "Outside work, " + first + " enjoys " + i1 + " and " + i2 + "."
        if pick == 1:
            return "Away from the job, " + first + " spends time on " + i1 + " and " + i2 + "."
        return first + " is also into " + i1 + " and " + i2 + "."
    return ("Into " + i1 + " and " + i2 + ".") if pick == 0 else ("Outside work: " + i1 + ", " + i2 + " and good coffee.")


def _bio_extra(s: Scene) -> str:
    first = s.cond.first_name()
    roll = int(s.rng.random() * 3)
    voice = 1 if s.profile.voice == 1 or not first else 3
    if roll == 0:
        return bio_interests(s.rng, voice, first)
    if roll == 1:
        return bio_focus(s.rng, voice, first)
    return choose(s.rng, pb.BIO_CLOSERS)


# --------------------------------------------------------------------------- review
_REVIEW_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "positive": (pb.REVIEW_POS_OPEN, pb.REVIEW_POS_DETAIL, pb.REVIEW_POS_CLOSE),
    "mixed": (pb.REVIEW_MIX_OPEN, pb.REVIEW_MIX_DETAIL, pb.REVIEW_MIX_CLOSE),
    "negative": (pb.REVIEW_NEG_OPEN, pb.REVIEW_NEG_DETAIL, pb.REVIEW_NEG_CLOSE),
}


def _review_tables(s: Scene) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    return _REVIEW_TABLES.get(s.tone, _REVIEW_TABLES["mixed"])


def _review(s: Scene) -> list[str]:
    rng = s.rng
    opens, details, closes = _review_tables(s)
    out = [s.fill(choose(rng, opens))]
    flavour = s.flavour(pb.FLAVOUR_REVIEW)
    if flavour and rng.random() < 0.7:
        out.append(flavour)
    n = between(rng, 1, 2)
    if n:
        out.extend(s.fill(d) for d in rng.sample(details, n))
    if s.tone == "negative" and s.profile.angry:
        out.append(choose(rng, pb.REVIEW_ANGRY))
    close = choose(rng, closes)
    if s.tone == "positive" and close == "Five stars from me." and (s.cond.rating() or 5) < 4.5:
        close = "Highly recommend."
    if close:
        out.append(s.fill(close))
    if len(out) == 1:
        out.append(s.fill(choose(rng, details)))
    return out


def _review_extra(s: Scene) -> str:
    return s.fill(choose(s.rng, _review_tables(s)[1]))


# --------------------------------------------------------------------------- support messages
def _order_ref(s: Scene) -> str:
    ref = s.cond.order_ref()
    if ref:
        return ref if ref.startswith("#") else "#" + ref
    return "#" + str(between(s.rng, 10000, 999999))


def _message(s: Scene) -> list[str]:
    rng, prof = s.rng, s.profile
    out: list[str] = []
    greet = choose(rng, pb.GREETINGS)
    if s.tone == "positive":
        out.append(choose(rng, pb.POSITIVE_MESSAGES))
        if rng.random() < 0.5:
            out.append(choose(rng, ("Keep up the good work.", "Much appreciated.", "You made my week.")))
    else:
        product = s.cond.product_name()
        pick = int(rng.random() * 4)
        if pick == 0 or (pick == 1 and product):
            what = product or "a parcel"
            out.append("I ordered " + what + " on " + choose(rng, pb.WEEKDAYS) + " and " + choose(rng, pb.PROBLEMS) + ".")
        elif pick == 1:
            out.append("About order " + _order_ref(s) + ": " + choose(rng, pb.PROBLEMS) + ".")
        elif pick == 2:
            out.append("Since " + choose(rng, pb.WEEKDAYS) + ", " + choose(rng, pb.ACCOUNT_PROBLEMS) + ".")
        else:
            out.append(cap(choose(rng, pb.ACCOUNT_PROBLEMS)) + ".")
        flavour = s.flavour(pb.FLAVOUR_MESSAGE)
        if flavour:
            out.append(flavour)
        if s.tone == "negative" or prof.angry:
            out.extend(rng.sample(pb.ANGRY_LINES, 2 if prof.angry else 1))
        elif rng.random() < 0.35:
            out.append(choose(rng, ("I have already tried logging out and back in.", "I attached a screenshot.",
                                   "I checked my spam folder too.", "Nothing has changed since yesterday.")))
        out.append(choose(rng, pb.REQUESTS))
    first = s.cond.first_name()
    if first:
        out.append(choose(rng, pb.SIGN_OFFS) + " " + first)
    elif rng.random() < 0.5:
        out.append(choose(rng, ("Thanks.", "Thank you.", "Thanks in advance.")))
    if greet:
        out[0] = after_greeting(greet, out[0])
    return out


def after_greeting(greeting: str, sentence: str) -> str:
    """``"Hi team, the app..."``: the greeting and the first sentence, de-capitalised, on one line."""
    if sentence.startswith(("I ", "I'")):
        return greeting + " " + sentence
    return greeting + " " + sentence[:1].lower() + sentence[1:]


def _message_extra(s: Scene) -> str:
    if s.tone == "negative" or s.profile.angry:
        return choose(s.rng, pb.ANGRY_LINES + pb.REQUESTS)
    return choose(s.rng, pb.REQUESTS + ("I attached a screenshot.", "I checked my spam folder too."))


def _reply(s: Scene) -> list[str]:
    rng = s.rng
    first = s.cond.first_name()
    out = [choose(rng, pb.REPLY_OPENERS) + (", " + first if first else "") + "."]
    checked = rng.random() < 0.7
    if checked:
        out.append("I have checked order " + _order_ref(s) + " and " + choose(rng, pb.REPLY_ACTIONS) + ".")
    out.extend(rng.sample(pb.REPLY_BODIES, between(rng, 1, 2)))
    if not checked or rng.random() < 0.3:
        out.append("You will hear from us within " + str(between(rng, 2, 48)) + " hours.")
    if rng.random() < 0.7:
        out.append(choose(rng, pb.REPLY_CLOSERS))
    return out


def _reply_extra(s: Scene) -> str:
    return choose(s.rng, pb.REPLY_BODIES + pb.REPLY_CLOSERS)
