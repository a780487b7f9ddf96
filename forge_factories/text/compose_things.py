"""English composers for things and short fields: products, companies, events, titles, notes."""

from __future__ import annotations

from forge_factories.text import phrasebook as pb
from forge_factories.text.compose_people import _order_ref
from forge_factories.text.domains import category_of_name
from forge_factories.text.scene import Scene, article, between, cap, choose, two

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
_TONE_ADJECTIVES: dict[str, tuple[str, ...]] = {
    "positive": ("Great", "Superb", "Excellent", "Lovely", "Solid"),
    "mixed": ("Decent", "Okay", "Average", "Passable"),
    "negative": ("Poor", "Awful", "Weak", "Flimsy", "Terrible"),
}
_REVIEW_TITLES: dict[str, tuple[str, ...]] = {
    "positive": pb.REVIEW_TITLES_POS, "mixed": pb.REVIEW_TITLES_MIX, "negative": pb.REVIEW_TITLES_NEG,
}


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


def _noun_of(name: str | None) -> str | None:
    """What a product name names, for mid-sentence use: "Giant Building Blocks" -> "building blocks"."""
    if not name:
        return None
    words = name.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return None
    return " ".join(words[-2:] if len(words) >= 3 else words[-1:]).lower()


def _product_description(s: Scene) -> list[str]:
    rng = s.rng
    given = _own_product_name(s)
    entry = _product_entry(s, given)
    noun = entry[0] if entry else _noun_of(given) or choose(rng, ("everyday essential", "design", "companion"))
    cat = category_of_name(given) if given and not entry else None
    features = entry[2] if entry else cat.features if cat and cat.features else pb.GENERIC_FEATURES
    uses = entry[3] if entry else cat.uses if cat and cat.uses else pb.GENERIC_USES
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
