"""English sentence composers, one per kind of field (bio, review, support message, ...).

Each composer returns a list of sentences built from the phrase tables by drawing only from
the scene's ``rng``; :func:`extra_sentence` supplies more sentences of the same kind when a
``min_length`` asks for longer text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from . import phrasebook as pb
from .classify import Profile
from .conditioning import Conditioning

T = TypeVar("T")
_PRODUCT_SLOT = re.compile("@[Pp]")
_VOWEL_SOUND = ("a", "e", "i", "o", "u")
_TICKET_SUBJECTS: tuple[str, ...] = (
    "Problem with my order", "Refund request", "Charged twice", "Cannot log in", "Missing item in delivery",
    "Wrong size received", "Password reset not working", "Invoice address incorrect", "Where is my parcel?",
    "Subscription cancelled but still billed", "App keeps logging me out", "Damaged on arrival",
)
_TAKEAWAYS: tuple[str, ...] = (
    "start small and measure", "consistency beats intensity", "write things down early",
    "ask users before building", "plan for the boring parts", "cheap fixes first, big changes later",
)
_SUBTITLES: tuple[str, ...] = (
    "a practical checklist", "what we learned", "notes from year one", "a field guide", "the honest version",
    "lessons from the trenches", "a step-by-step plan", "myths and facts", "what actually works",
    "a beginner's view", "five common mistakes", "questions to ask first",
)
_DOCS: tuple[str, ...] = ("article", "guide", "report", "post", "note", "briefing")
_COMPANY_SUFFIXES: tuple[str, ...] = ("Labs", "Studio", "Group", "& Sons", "Works", "Collective", "Partners")


def choose(rng: random.Random, options: Sequence[T]) -> T:
    """One element of ``options`` (cheaper than ``rng.choice``; same rng, same result)."""
    return options[int(rng.random() * len(options))]


def between(rng: random.Random, low: int, high: int) -> int:
    """An int in ``[low, high]`` (cheaper than ``rng.randint``)."""
    return low + int(rng.random() * (high - low + 1))


def two(rng: random.Random, options: Sequence[T]) -> tuple[T, T]:
    """Two different elements of ``options`` (at least two)."""
    n = len(options)
    i = int(rng.random() * n)
    j = int(rng.random() * (n - 1))
    return options[i], options[j + 1 if j >= i else j]


def article(word: str) -> str:
    """``word`` with "a" or "an" in front (by its first sound, roughly)."""
    lowered = word.lower()
    vowel = lowered[:1] in _VOWEL_SOUND and not lowered.startswith(("one", "uni", "use", "eu", "ux"))
    return ("an " if vowel or lowered.startswith(("hour", "honest")) else "a ") + word


def uncap(text: str | None) -> str | None:
    """A job title for mid-sentence use: "Chartered accountant" -> "chartered accountant" ("UX ..." kept)."""
    if text and text[:1].isupper() and text[1:2].islower():
        return text[:1].lower() + text[1:]
    return text


def cap(text: str) -> str:
    """``text`` with its first character upper-cased (the rest untouched)."""
    return text[:1].upper() + text[1:]


class Scene:
    """Everything a composer needs for one value: the rng, the field profile and conditioning."""

    __slots__ = ("rng", "profile", "cond", "tone", "_product")

    def __init__(self, rng: random.Random, profile: Profile, cond: Conditioning) -> None:
        self.rng = rng
        self.profile = profile
        self.cond = cond
        self.tone = self._tone()
        self._product: str | None = None

    def _tone(self) -> str:
        """positive / mixed / negative: a rating decides, else the instruction/context mood."""
        if self.profile.kind in ("review", "summary", "title") or self.profile.subject == "review":
            value = self.cond.rating()
            if value is not None:
                return "negative" if value <= 2.5 else "mixed" if value < 3.5 else "positive"
        if self.profile.mood is not None:
            return self.profile.mood
        if self.profile.kind == "review" or self.profile.subject == "review":
            roll = self.rng.random()
            return "positive" if roll < 0.55 else "mixed" if roll < 0.75 else "negative"
        return "neutral"

    def product(self) -> str:
        """The product's name from the conditioning, else a generic reference ("it", "this")."""
        if self._product is None:
            self._product = self.cond.product_name() or choose(self.rng, pb.REVIEW_SUBJECTS)
        return self._product

    def fill(self, template: str) -> str:
        """Replace the ``@`` slots of a phrase-table template (never user data) with values."""
        if "@" not in template:
            return template
        rng = self.rng
        if "@a" in template:
            a, b = two(rng, pb.ASPECTS)
            template = template.replace("@a", a).replace("@b", b)
        if "@n" in template:
            template = template.replace("@n", str(between(rng, 3, 20)))
        if "@w" in template:
            template = template.replace("@w", str(between(rng, 2, 12)))
        if "@d" in template:
            template = template.replace("@d", str(between(rng, 2, 30)))
        if "@r" in template:
            template = template.replace("@r", choose(rng, pb.RELATIVES))
        # the product may come from user data: inserted last, so nothing in it is ever replaced
        if "@p" in template or "@P" in template:
            product = self.product()
            template = _PRODUCT_SLOT.sub(lambda m: cap(product) if m.group(0) == "@P" else product, template)
        return template

    def flavour(self, table: Mapping[str, tuple[str, ...]]) -> str | None:
        """A context-flavoured sentence (e.g. holiday) for this kind, when the context has one."""
        for name in self.profile.flavours:
            options = table.get(name)
            if options:
                return self.fill(choose(self.rng, options))
        return None


# --------------------------------------------------------------------------- bio
def _bio(s: Scene) -> list[str]:
    rng, cond = s.rng, s.cond
    name, first = cond.person_name(), cond.first_name()
    job = uncap(cond.profession()) or choose(rng, pb.PROFESSIONS)
    yrs = str(cond.years() or between(rng, 2, 25))
    place = cond.city() or (choose(rng, pb.CITIES) if rng.random() < 0.6 else None)
    in_place = " in " + place if place else ""
    voice = s.profile.voice or (3 if name and rng.random() < 0.6 else 1)
    if voice == 3 and not name and rng.random() < 0.5:
        voice = 0  # headline style: "Passionate nurse with 8 years..."
    pick = int(rng.random() * (3 if s.profile.voice == 1 else 4))
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
    out = [opener]
    rest = [_bio_focus(s, voice, first), _bio_interests(s, voice, first)]
    if rng.random() < 0.5:
        rest.reverse()
    keep = between(rng, 1, 2)
    out.extend(rest[:keep])
    if rng.random() < 0.45:
        out.append(choose(rng, pb.BIO_CLOSERS))
    return out


def _bio_focus(s: Scene, voice: int, first: str | None) -> str:
    rng = s.rng
    if voice == 1:
        return choose(rng, ("I care most about ", "My work centres on ", "Colleagues know me for ",
                           "What drives me: ")) + choose(rng, pb.FOCUS) + "."
    if voice == 3 and first:
        return first + choose(rng, (" is known for ", " puts a lot of weight on ", " is valued for ")) + \
            choose(rng, pb.FOCUS_THIRD) + "."
    return "Known for " + choose(rng, pb.FOCUS_THIRD) + "."


def _bio_interests(s: Scene, voice: int, first: str | None) -> str:
    rng = s.rng
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
        return _bio_interests(s, voice, first)
    if roll == 1:
        return _bio_focus(s, voice, first)
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


# --------------------------------------------------------------------------- product / company / event
_ProductEntry = tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _product_entry(s: Scene, name: str | None) -> _ProductEntry | None:
    if name:
        lowered = name.lower()
        for entry in pb.PRODUCTS:
            if entry[0].split()[-1] in lowered:
                return entry
        return None
    return choose(s.rng, pb.PRODUCTS)


def _own_product_name(s: Scene) -> str | None:
    """The product's name: a product reference, else the record's own ``name``/``title``."""
    return s.cond.product_name() or (s.cond.own_name() if s.profile.subject == "product" else None)


def _product_description(s: Scene) -> list[str]:
    rng = s.rng
    given = _own_product_name(s)
    entry = _product_entry(s, given)
    noun = entry[0] if entry else choose(rng, ("everyday essential", "design", "companion"))
    features = entry[2] if entry else pb.GENERIC_FEATURES
    uses = entry[3] if entry else pb.GENERIC_USES
    title = given or (choose(rng, pb.BRANDS) + " " + " ".join(w.capitalize() for w in noun.split()))
    prefix, suffix = choose(rng, pb.PRODUCT_DESC_OPENERS)
    adj = choose(rng, pb.PRODUCT_ADJECTIVES)
    opener = cap(prefix.replace("@use", choose(rng, uses)) + title + suffix.replace("@adj", article(adj))
                 .replace("@noun", noun).replace("@use", choose(rng, uses)))
    out = [opener]
    f = rng.sample(features, 3)
    pick = int(rng.random() * 4)
    if pick == 0:
        out.append("Features include " + f[0] + ", " + f[1] + " and " + f[2] + ".")
    elif pick == 1:
        out.append("Highlights: " + f[0] + ", " + f[1] + " and " + f[2] + ".")
    elif pick == 2:
        out.append("It comes with " + f[0] + " and " + f[1] + ".")
    else:
        out.append("Expect " + f[0] + ", " + f[1] + " and " + f[2] + ".")
    if entry and rng.random() < 0.6:
        material = choose(rng, entry[1])
        out.append(choose(rng, ("Made from ", "Crafted from ", "Built from ")) + material +
                   choose(rng, (" to last for years.", " for everyday durability.", ", it is built to last.")))
    flavour = s.flavour(pb.FLAVOUR_DESCRIPTION)
    if flavour:
        out.append(flavour)
    if rng.random() < 0.6:
        out.append(choose(rng, pb.PRODUCT_DESC_CLOSERS))
    return out


def _product_extra(s: Scene) -> str:
    rng = s.rng
    if rng.random() < 0.5:
        return choose(rng, pb.PRODUCT_DESC_CLOSERS)
    return "It also offers " + choose(rng, pb.GENERIC_FEATURES) + "."


def _company_name(s: Scene) -> str:
    own = s.cond.own_name() if s.profile.subject == "company" else None
    return s.cond.company_name() or own or (choose(s.rng, pb.BRANDS).rstrip(".") + " " + choose(s.rng, _COMPANY_SUFFIXES))


def _company_description(s: Scene) -> list[str]:
    rng = s.rng
    place = s.cond.city() or choose(rng, pb.CITIES)
    out = [_company_name(s) + " is " + article(choose(rng, pb.COMPANY_SIZES)) + " " + choose(rng, pb.INDUSTRIES) +
           " company based in " + place + "."]
    out.append("Founded in " + str(between(rng, 1978, 2019)) + ", it now employs around " +
               str(choose(rng, (12, 25, 40, 80, 150, 300, 1200))) + " people.")
    if rng.random() < 0.7:
        out.append("It is known for " + choose(rng, pb.COMPANY_VALUES) + ".")
    return out


def _company_extra(s: Scene) -> str:
    return "Customers value its " + choose(s.rng, pb.COMPANY_VALUES) + "."


def _event_description(s: Scene) -> list[str]:
    rng = s.rng
    place = s.cond.city() or choose(rng, pb.CITIES)
    out = [choose(rng, ("Join us for ", "Come along to ", "Save the date for ")) + article(choose(rng,
        ("friendly", "hands-on", "relaxed", "one-day", "free"))) + " " + choose(rng, pb.EVENT_TYPES) + " on " +
        choose(rng, pb.TOPICS) + " in " + place + "."]
    out.extend(rng.sample(pb.EVENT_EXTRAS, between(rng, 1, 2)))
    return out


def _event_extra(s: Scene) -> str:
    return choose(s.rng, pb.EVENT_EXTRAS)


# --------------------------------------------------------------------------- short fields
def _title(s: Scene) -> list[str]:
    rng, subject = s.rng, s.profile.subject
    if subject == "review" or s.profile.kind == "review":
        tone = s.tone if s.tone in _TONE_ADJECTIVES else "mixed"
        title = choose(rng, _REVIEW_TITLES[tone])
        if rng.random() < 0.6:
            title = choose(rng, _TONE_ADJECTIVES[tone]) + " " + choose(rng, pb.ASPECTS) + ", " + \
                title[:1].lower() + title[1:]
        return [title]
    if subject == "message":
        text = choose(rng, _TICKET_SUBJECTS)
        return [text + (" (order " + _order_ref(s) + ")" if rng.random() < 0.6 else "")]
    if subject == "product":
        entry = choose(rng, pb.PRODUCTS)
        return [choose(rng, pb.BRANDS) + " " + cap(choose(rng, pb.PRODUCT_ADJECTIVES)) + " " +
                " ".join(w.capitalize() for w in entry[0].split())]
    if subject == "person":
        return [_profession(s)[0]]
    if subject == "company":
        return [_company_name(s)]
    if subject == "event":
        return [" ".join(w.capitalize() for w in choose(rng, pb.TOPICS).split()) + " " +
                choose(rng, pb.EVENT_TYPES).title() + " " + choose(rng, pb.CITIES)]
    prefix, suffix = choose(rng, pb.ARTICLE_TITLES)
    text = prefix.replace("@n", str(between(rng, 3, 12))) + choose(rng, pb.TOPICS) + suffix
    if ":" not in text and rng.random() < 0.5:
        text += ": " + choose(rng, _SUBTITLES)
    return [cap(text)]


def _person_headline(s: Scene) -> str:
    rng = s.rng
    job = cap(s.cond.profession() or choose(rng, pb.SENIORITY) + choose(rng, pb.PROFESSIONS))
    pick = int(rng.random() * 4)
    if pick == 0:
        return job + " | " + cap(choose(rng, pb.FOCUS_THIRD))
    if pick == 1:
        return job + " based in " + (s.cond.city() or choose(rng, pb.CITIES))
    if pick == 2:
        return job + " with " + str(s.cond.years() or between(rng, 3, 25)) + "+ years of experience"
    return job + " at " + _company_name(s) + " | " + cap(choose(rng, pb.INTERESTS))


def _headline(s: Scene) -> list[str]:
    rng = s.rng
    if s.profile.subject == "person":
        return [_person_headline(s)]
    text = choose(rng, pb.HEADLINE_SUBJECTS) + " " + choose(rng, pb.HEADLINE_VERBS) + " " + choose(rng, pb.TOPICS)
    if rng.random() < 0.4:
        text = choose(rng, pb.CITIES) + ": " + text[:1].lower() + text[1:]
    return [text]


def _summary(s: Scene) -> list[str]:
    rng = s.rng
    if s.profile.subject == "review":
        a, b = two(rng, pb.ASPECTS)
        lead = {"positive": "Happy customer: praises the ", "negative": "Unhappy customer: complains about the "}
        return [lead.get(s.tone, "Mixed verdict: likes the ") + a + (" and the " if s.tone != "mixed" else
                                                                        " but not the ") + b + "."]
    topic = choose(rng, pb.TOPICS)
    pick = int(rng.random() * 3)
    if pick == 0:
        x, y = two(rng, pb.TOPICS)
        out = ["This " + choose(rng, _DOCS) + " covers " + topic + ", with practical notes on " + x + " and " + y + "."]
    elif pick == 1:
        out = ["An overview of " + topic + ": what worked, what did not, and what comes next."]
    else:
        out = ["Key points on " + topic + ", from first steps to common mistakes."]
    if rng.random() < 0.5:
        out.append("Key takeaway: " + choose(rng, _TAKEAWAYS) + ".")
    return out


def _slogan(s: Scene) -> list[str]:
    rng = s.rng
    roll = rng.random()
    if roll < 0.4:
        return [choose(rng, pb.SLOGAN_A) + " " + choose(rng, pb.SLOGAN_B) + "."]
    if roll < 0.75:
        return [choose(rng, pb.SLOGAN_ADJECTIVES) + " " + choose(rng, pb.SLOGAN_NOUNS) + " for " +
                choose(rng, pb.SLOGAN_B) + "."]
    a, b = choose(rng, pb.SLOGAN_PAIRS)
    return [a + " " + b]


def _note(s: Scene) -> list[str]:
    rng = s.rng
    first = s.cond.first_name()
    action = choose(rng, pb.NOTE_ACTIONS)
    about = choose(rng, pb.NOTE_ABOUT)
    if first and action == "Call back":
        action = "Call " + first + " back"
    elif first and action == "Follow up":
        action = "Follow up with " + first
    out = [action + (" " + about if about else "") + " " + choose(rng, pb.NOTE_WHEN) + "."]
    if rng.random() < 0.5:
        out.append(choose(rng, pb.NOTE_EXTRAS))
    return out


def _reason(s: Scene) -> list[str]:
    rng = s.rng
    out = [choose(rng, pb.REASONS) + "."]
    if rng.random() < 0.5:
        out.append(choose(rng, pb.REASON_DETAILS))
    return out


def _reason_extra(s: Scene) -> str:
    return choose(s.rng, pb.REASON_DETAILS)


def _note_extra(s: Scene) -> str:
    return choose(s.rng, pb.NOTE_EXTRAS)


def _street(s: Scene) -> str:
    rng = s.rng
    return str(between(rng, 1, 2400)) + " " + choose(rng, pb.STREET_NAMES) + " " + choose(rng, pb.STREET_SUFFIXES)


def _address(s: Scene) -> list[str]:
    rng = s.rng
    line = _street(s)
    if rng.random() < 0.25:
        line += ", Apt " + str(between(rng, 1, 40))
    line += ", " + (s.cond.city() or choose(rng, pb.CITIES))
    if rng.random() < 0.5:
        line += " " + str(between(rng, 10000, 99999))
    return [line]


def _street_only(s: Scene) -> list[str]:
    return [_street(s)]


def _city(s: Scene) -> list[str]:
    rng = s.rng
    place = choose(rng, pb.CITIES)
    return [place + (", " + choose(rng, pb.COUNTRIES) if rng.random() < 0.3 else "")]


def _profession(s: Scene) -> list[str]:
    return [cap(choose(s.rng, pb.SENIORITY) + choose(s.rng, pb.PROFESSIONS))]


# --------------------------------------------------------------------------- generic
def _generic_sentence(s: Scene) -> str:
    rng = s.rng
    if rng.random() < 0.3:
        return choose(rng, pb.GENERIC_NEXT) + " is planned for " + choose(rng, pb.GENERIC_WHEN) + "."
    return choose(rng, pb.GENERIC_SUBJECTS) + " " + choose(rng, pb.GENERIC_PREDICATES) + choose(rng, pb.GENERIC_TAILS) + "."


def _generic(s: Scene) -> list[str]:
    rng = s.rng
    first = choose(rng, pb.GENERIC_SUBJECTS) + " " + choose(rng, pb.GENERIC_PREDICATES) + choose(rng, pb.GENERIC_TAILS) + "."
    out = [first]
    if rng.random() < 0.7:
        out.append(choose(rng, pb.GENERIC_NEXT) + " is planned for " + choose(rng, pb.GENERIC_WHEN) + ".")
    return out


def _generic_extra(s: Scene) -> str:
    return _generic_sentence(s)


# --------------------------------------------------------------------------- compact forms (tight max_length)
_TONE_ADJECTIVES: dict[str, tuple[str, ...]] = {
    "positive": ("Great", "Superb", "Excellent", "Lovely", "Solid"),
    "mixed": ("Decent", "Okay", "Average", "Passable"),
    "negative": ("Poor", "Awful", "Weak", "Flimsy", "Terrible"),
}
_REVIEW_TITLES: dict[str, tuple[str, ...]] = {
    "positive": pb.REVIEW_TITLES_POS, "mixed": pb.REVIEW_TITLES_MIX, "negative": pb.REVIEW_TITLES_NEG,
}
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


Composer = Callable[[Scene], list[str]]
Extra = Callable[[Scene], str]

#: kind -> (first draft, one more sentence of the same kind)
COMPOSERS: dict[str, tuple[Composer, Extra]] = {
    "bio": (_bio, _bio_extra),
    "review": (_review, _review_extra),
    "message": (_message, _message_extra),
    "reply": (_reply, _reply_extra),
    "product_description": (_product_description, _product_extra),
    "company_description": (_company_description, _company_extra),
    "event_description": (_event_description, _event_extra),
    "title": (_title, _generic_extra),
    "headline": (_headline, _generic_extra),
    "summary": (_summary, _generic_extra),
    "slogan": (_slogan, _generic_extra),
    "note": (_note, _note_extra),
    "reason": (_reason, _reason_extra),
    "address": (_address, _note_extra),
    "street": (_street_only, _note_extra),
    "city": (_city, _note_extra),
    "profession": (_profession, _generic_extra),
    "generic": (_generic, _generic_extra),
}

#: Kinds whose text is a short phrase rather than sentences.
SHORT_KINDS: frozenset[str] = frozenset(("title", "headline", "slogan", "address", "street", "city", "profession"))


def compose(s: Scene) -> list[str]:
    """The first draft for the scene's kind (a list of sentences)."""
    return COMPOSERS.get(s.profile.kind, COMPOSERS["generic"])[0](s)


def extra_sentence(s: Scene) -> str:
    """One more sentence of the scene's kind (for ``min_length``)."""
    return COMPOSERS.get(s.profile.kind, COMPOSERS["generic"])[1](s)
