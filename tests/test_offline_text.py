"""The offline text composer: determinism, variety, bounds, tone, language, conditioning."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from forge_factories.text.classify import profile
from forge_factories.text.language import resolve
from forge_factories.text.offline import offline_text
from forge_factories.text.spec import FieldSpec
from forge_factories.text.textfit import fit

DOCS = Path(__file__).resolve().parent.parent / "docs" / "offline.md"


def write(spec: FieldSpec, cond: dict[str, Any] | None = None, *, seed: int | str = 0, context: str | None = None,
          locale: str | None = None, model: str = "app.models.Thing") -> str:
    return offline_text(spec, cond or {}, context=context, locale=locale, rng=random.Random(seed), model=model)


# (spec, conditioning, model, context): one of each kind of field
CASES: list[tuple[FieldSpec, dict[str, Any], str, str | None]] = [
    (FieldSpec("bio"), {"name": "Ana Lopez"}, "app.User", None),
    (FieldSpec("bio"), {}, "app.User", None),
    (FieldSpec("text", "a {rating}-star review of {product.name}"), {"rating": 2, "product.name": "Aurora Kettle"},
     "app.Review", "angry holiday customers"),
    (FieldSpec("review"), {}, "app.Review", None),
    (FieldSpec("message"), {"customer.first_name": "Priya"}, "app.Ticket", None),
    (FieldSpec("reply"), {"name": "Zoe"}, "app.Ticket", None),
    (FieldSpec("description"), {}, "app.Product", "holiday"),
    (FieldSpec("description"), {}, "app.Company", None),
    (FieldSpec("description"), {}, "app.Event", None),
    (FieldSpec("title"), {}, "app.Post", None),
    (FieldSpec("title"), {"rating": 5}, "app.Review", None),
    (FieldSpec("subject"), {}, "app.Ticket", None),
    (FieldSpec("headline"), {}, "app.Story", None),
    (FieldSpec("summary"), {}, "app.Report", None),
    (FieldSpec("slogan"), {}, "app.Brand", None),
    (FieldSpec("note"), {}, "app.Order", None),
    (FieldSpec("address"), {}, "app.Customer", None),
    (FieldSpec("job_title"), {}, "app.Employee", None),
    (FieldSpec("whatever_field"), {}, "app.Thing", None),
    (FieldSpec("cancellation_reason"), {}, "app.Order", None),
]
LANG_CASES: list[tuple[FieldSpec, dict[str, Any], str, str | None]] = [(FieldSpec("bio", language=lang), {"name": "Ana Lopez"}, "app.User", None) for lang in ("fr", "de", "es")]
ALL_CASES = CASES + LANG_CASES + [
    (FieldSpec("review", language="de"), {"rating": 1}, "app.Review", None),
    (FieldSpec("message", language="es"), {}, "app.Ticket", None),
    (FieldSpec("description", language="fr"), {}, "app.Product", None),
    (FieldSpec("reply", language="de"), {}, "app.Ticket", None),
    (FieldSpec("title", language="es"), {"rating": 5}, "app.Review", None),
]


def _id(case: tuple[FieldSpec, dict[str, Any], str, str | None]) -> str:
    spec, _, model, _ = case
    return f"{model.rsplit('.', 1)[-1]}.{spec.name}" + (f"[{spec.language}]" if spec.language else "")


# --------------------------------------------------------------------------- determinism
@pytest.mark.parametrize("case", ALL_CASES, ids=_id)
def test_same_rng_seed_same_text(case: tuple[FieldSpec, dict[str, Any], str, str | None]) -> None:
    spec, cond, model, context = case
    first = [write(spec, cond, seed=s, context=context, model=model) for s in range(20)]
    again = [write(spec, cond, seed=s, context=context, model=model) for s in range(20)]
    assert first == again
    assert len(set(first)) > 1  # and the seed matters


def test_does_not_touch_the_global_random() -> None:
    spec, cond = FieldSpec("bio"), {"name": "Ana Lopez"}
    random.seed(1)
    state = random.getstate()
    one = write(spec, cond, seed=5)
    assert random.getstate() == state
    random.seed(999)
    assert write(spec, cond, seed=5) == one


def test_faker_languages_are_deterministic_too() -> None:
    spec = FieldSpec("bio", language="it")
    values = [write(spec, seed=s) for s in range(10)]
    write(FieldSpec("bio", language="it"), seed=123)  # the cached Faker is reseeded per call
    assert [write(spec, seed=s) for s in range(10)] == values
    assert len(set(values)) == 10


_SCRIPT = """
import random
from forge_factories.text.offline import offline_text
from forge_factories.text.spec import FieldSpec
specs = [(FieldSpec("bio"), {"name": "Ana Lopez"}, "app.User"), (FieldSpec("review"), {"rating": 2}, "app.Review"),
         (FieldSpec("message"), {}, "app.Ticket"), (FieldSpec("description", max_length=90), {}, "app.Product"),
         (FieldSpec("bio", language="de"), {}, "app.User"), (FieldSpec("bio", language="it"), {}, "app.User")]
for spec, cond, model in specs:
    for i in range(5):
        print(offline_text(spec, cond, context="angry holiday customers", locale=None,
                           rng=random.Random(f"42|{i}"), model=model))
"""


def test_byte_identical_across_processes_with_different_hash_seeds() -> None:
    import os
    import subprocess
    import sys

    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True, check=True,
                              cwd=str(DOCS.parent.parent))
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and len(outputs[0].splitlines()) == 30


# --------------------------------------------------------------------------- variety
@pytest.mark.parametrize("case", CASES[:9] + LANG_CASES, ids=_id)
def test_200_values_are_distinct(case: tuple[FieldSpec, dict[str, Any], str, str | None]) -> None:
    spec, cond, model, context = case
    values = [write(spec, cond, seed=f"v{i}", context=context, model=model) for i in range(200)]
    if spec.language:  # the smaller hand-written banks: nearly all distinct
        assert len(set(values)) >= 190
    else:
        assert len(set(values)) == 200


def test_sentence_count_varies() -> None:
    counts = {write(FieldSpec("bio"), seed=i).count(". ") for i in range(100)}
    assert len(counts) >= 3


# --------------------------------------------------------------------------- never placeholders
@pytest.mark.parametrize("case", ALL_CASES, ids=_id)
def test_reads_like_text_not_a_placeholder(case: tuple[FieldSpec, dict[str, Any], str, str | None]) -> None:
    spec, cond, model, context = case
    for i in range(60):
        text = write(spec, cond, seed=i, context=context, model=model)
        assert text and text == text.strip() and "  " not in text
        assert "lorem" not in text.lower() and "ipsum" not in text.lower()
        assert "placeholder" not in text.lower() and "[" not in text
        assert not re.search(r"@[a-zA-Z]", text), text  # no unfilled slot
        assert "{" not in text and "}" not in text


# --------------------------------------------------------------------------- kinds
@pytest.mark.parametrize(
    ("name", "instruction", "model", "kind"),
    [
        ("bio", None, "app.User", "bio"),
        ("about_me", None, "app.Thing", "bio"),
        ("description", None, "app.models.UserProfile", "bio"),
        ("text", "a {rating}-star review of {product.name}", "app.Thing", "review"),
        ("comment", None, "app.Review", "review"),
        ("comment", None, "app.Ticket", "message"),
        ("body", None, "app.SupportTicket", "message"),
        ("description", None, "shop.models.Product", "product_description"),
        ("details", None, "app.Company", "company_description"),
        ("description", None, "app.Task", "generic"),
        ("job_title", None, "app.Employee", "profession"),
        ("tagline", None, "app.Brand", "slogan"),
        ("shipping_address", None, "app.Order", "address"),
        ("headline", None, "app.Thing", "headline"),
        ("cancellation_reason", None, "app.Order", "reason"),
        ("internal_notes", None, "app.Order", "note"),
        ("about", None, "app.Member", "bio"),
        ("about", None, "app.Company", "company_description"),
        ("zzz", None, "app.Thing", "generic"),
    ],
)
def test_field_kind_from_name_instruction_and_model(name: str, instruction: str | None, model: str, kind: str) -> None:
    assert profile(name, instruction, model, None).kind == kind


def test_bio_reads_like_a_bio() -> None:
    for i in range(50):
        text = write(FieldSpec("bio"), seed=i, model="app.User")
        assert re.search(r"\b\d+ years\b", text), text  # years of experience
        assert len(text.split(". ")) >= 2


def test_support_message_reads_like_one() -> None:
    for i in range(50):
        text = write(FieldSpec("message"), seed=i, model="app.Ticket")
        assert "?" in text or "please" in text.lower() or "thank" in text.lower(), text


def test_first_and_third_person_on_request() -> None:
    cond = {"name": "Zanele Okafor"}
    for i in range(30):
        third = write(FieldSpec("bio", "a third person bio of {name}"), cond, seed=i, model="app.User")
        assert "Zanele Okafor" in third and not re.search(r"\bI('m|'ve)?\b", third), third
        first = write(FieldSpec("bio", "a first person bio"), cond, seed=i, model="app.User")
        assert re.search(r"\b(I|I'm|I've|My|me)\b", first), first


# --------------------------------------------------------------------------- conditioning
def test_name_is_used_in_bio() -> None:
    cond = {"first_name": "Zanele", "last_name": "Okafor"}
    texts = [write(FieldSpec("bio"), cond, seed=i, model="app.User") for i in range(100)]
    assert sum("Zanele" in t for t in texts) >= 50
    assert all("Ana" not in t for t in texts)  # no other person's name slips in


def test_product_name_is_used_in_review_and_description() -> None:
    cond = {"rating": 4, "product.name": "Aurora Kettle"}
    reviews = [write(FieldSpec("review"), cond, seed=i, model="app.Review") for i in range(100)]
    assert sum("Aurora Kettle" in t for t in reviews) >= 40
    described = [write(FieldSpec("description"), {"name": "Trailblazer Running Shoe"}, seed=i, model="app.Product")
                 for i in range(20)]
    assert all("Trailblazer Running Shoe" in t for t in described)
    assert sum("running shoe" in t for t in described) >= 15  # features of the matching product type


def test_message_signed_with_the_customers_first_name() -> None:
    texts = [write(FieldSpec("message"), {"customer.first_name": "Priya"}, seed=i, model="app.Ticket") for i in range(30)]
    assert all(t.endswith(" Priya") for t in texts)


@pytest.mark.parametrize("language", [None, "fr"])
def test_conditioning_values_are_inserted_verbatim_never_expanded(language: str | None) -> None:
    product = "Gizmo @a @n @p {0} %s"
    spec = FieldSpec("review", language=language)
    texts = [write(spec, {"rating": 5, "product.name": product, "name": "Zed @f @c"}, seed=i, model="app.Review")
             for i in range(60)]
    assert sum(product in t for t in texts) >= 10
    for text in texts:
        without = text.replace(product, "").replace("Zed @f @c", "")
        assert "@" not in without and "{" not in without


def test_odd_conditioning_values_are_ignored_safely() -> None:
    class Obj:
        def __str__(self) -> str:
            return "{__class__}"

    cond = {"name": Obj(), "rating": "n/a", "product.name": None, "user.name": "   ", "years_experience": True}
    for i in range(30):
        text = write(FieldSpec("bio"), cond, seed=i, model="app.User")
        assert "{" not in text and "None" not in text and "True" not in text


# --------------------------------------------------------------------------- review tone
POSITIVE = ("love", "impressed", "exceeded", "highly recommend", "recommended without", "fantastic", "worth every penny", "superb",
            "highlight", "glad", "won me over", "best purchase", "very happy", "does exactly what it promises")
NEGATIVE = ("disappointed", "not worth", "i regret", "stopped working", "fell apart", "poor", "skip", "letdown",
            "returning", "would not buy", "save your money", "expected much better", "nothing like the photos",
            "reality is different", "cannot recommend", "unacceptable", "flimsy")
MIXED = ("decent", "mixed feelings", "okay", "does the job", "not bad", "caveats", "middle of the road",
         "good points", "disappointing")


def _tone(text: str) -> tuple[bool, bool, bool]:
    low = text.lower()
    return (any(m in low for m in POSITIVE), any(m in low for m in NEGATIVE), any(m in low for m in MIXED))


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5, "1", "4 stars", "2/5", 2.0, 9, 90])
def test_review_tone_agrees_with_rating(rating: Any) -> None:
    spec = FieldSpec("text", "a {rating}-star review of {product.name}")
    value = float(str(rating).split()[0].split("/")[0])
    stars = value / 20 if value > 10 else value / 2 if value > 5 else value
    for i in range(80):
        text = write(spec, {"rating": rating, "product.name": "Aurora Kettle"}, seed=i, model="app.Review",
                     context="happy holiday shoppers")  # the rating wins over the context's mood
        pos, neg, mixed = _tone(text)
        if stars <= 2:
            assert neg and not pos, text
        elif stars >= 4:
            assert pos and not neg, text
        else:
            assert mixed and not pos, text


@pytest.mark.parametrize("where", ["instruction", "context"])
def test_angry_means_negative_without_a_rating(where: str) -> None:
    spec = FieldSpec("review", "an angry review" if where == "instruction" else None)
    context = "angry holiday customers" if where == "context" else None
    texts = [write(spec, {}, seed=i, context=context, model="app.Review") for i in range(60)]
    for text in texts:
        pos, neg, _ = _tone(text)
        assert neg and not pos, text
    angry = ("furious", "unacceptable", "annoyed", "waste of time", "angry")
    assert sum(any(a in t.lower() for a in angry) for t in texts) == len(texts)


def test_context_adds_flavour_but_is_never_executed() -> None:
    spec = FieldSpec("review")
    holiday = [write(spec, {"rating": 5}, seed=i, context="holiday shoppers", model="app.Review") for i in range(60)]
    assert sum(bool(re.search(r"holiday|christmas", t, re.I)) for t in holiday) >= 20
    evil = "{__import__('os').system('echo hacked')} {0} {rating!r} %s"
    for i in range(30):
        text = write(spec, {"rating": 5}, seed=i, context=evil, model="app.Review")
        assert "hacked" not in text and "{" not in text and "%s" not in text
    braces = FieldSpec("message", "Ticket about {product.name} {0} {}")
    assert write(braces, {"product.name": "{x}"}, seed=1, model="app.Ticket")


def test_angry_support_message() -> None:
    texts = [write(FieldSpec("message"), {}, seed=i, context="angry customers", model="app.Ticket") for i in range(40)]
    angry = ("unacceptable", "third time", "waiting far too long", "cancel my account", "no help",
             "proper answer today")
    assert all(any(a in t for a in angry) for t in texts)


# --------------------------------------------------------------------------- choices
def test_choices_pick_one_of_them() -> None:
    spec = FieldSpec("status", choices=("open", "pending", "closed"))
    values = [write(spec, seed=i) for i in range(100)]
    assert set(values) == {"open", "pending", "closed"}


def test_choices_follow_the_rating_when_they_name_a_tone() -> None:
    spec = FieldSpec("sentiment", choices=("Positive", "Neutral", "Negative"))
    assert {write(spec, {"rating": 1}, seed=i) for i in range(30)} == {"Negative"}
    assert {write(spec, {"rating": 3}, seed=i) for i in range(30)} == {"Neutral"}
    assert {write(spec, {"rating": 5}, seed=i) for i in range(30)} == {"Positive"}
    assert {write(spec, {}, seed=i, context="angry customers") for i in range(30)} == {"Negative"}


# --------------------------------------------------------------------------- length bounds
MAXES = [1, 2, 3, 5, 8, 12, 15, 20, 25, 40, 60, 80, 120, 200, 400]
MINS = [None, 1, 5, 12, 30, 60, 150, 500]
DANGLING = {"a", "an", "the", "and", "or", "with", "of", "to", "for", "my", "et", "und", "y", "de"}


@pytest.mark.parametrize("case", ALL_CASES, ids=_id)
def test_length_bounds_always_hold(case: tuple[FieldSpec, dict[str, Any], str, str | None]) -> None:
    base, cond, model, context = case
    for max_length in [*MAXES, None]:
        for min_length in MINS:
            if min_length is not None and max_length is not None and min_length > max_length:
                continue
            spec = FieldSpec(base.name, base.instruction, max_length=max_length, min_length=min_length,
                             language=base.language)
            for i in range(4):
                text = write(spec, cond, seed=i, context=context, model=model)
                assert text.strip(), (max_length, min_length)
                if max_length is not None:
                    assert len(text) <= max_length, (max_length, text)
                if min_length is not None:
                    assert len(text) >= min_length, (min_length, text)


@pytest.mark.parametrize("max_length", [12, 20, 30, 45, 70, 100])
def test_trimmed_text_ends_cleanly(max_length: int) -> None:
    for case in CASES[:9] + LANG_CASES:
        base, cond, model, context = case
        spec = FieldSpec(base.name, base.instruction, max_length=max_length, language=base.language)
        for i in range(15):
            text = write(spec, cond, seed=i, context=context, model=model)
            assert text[-1] in ".!?" or text[-1].isalnum(), text
            assert text.split()[-1].strip(".,").lower() not in DANGLING, text


def test_tiny_max_length_still_reads_like_the_kind() -> None:
    bios = {write(FieldSpec("bio", max_length=12), seed=i, model="app.User") for i in range(30)}
    assert all(b.endswith(".") and len(b) <= 12 for b in bios) and len(bios) > 3
    reviews = {write(FieldSpec("review", max_length=20), {"rating": 1}, seed=i, model="app.Review") for i in range(30)}
    negative_words = {"Poor", "Awful", "Weak", "Flimsy", "Terrible", "Bad.", "Broken.", "Avoid", "Avoid.", "Not",
                      "Broke", "Very", "Would"}
    assert all(_tone(r)[1] or r.split()[0] in negative_words for r in reviews), reviews
    assert not any(_tone(r)[0] for r in reviews), reviews


def test_min_length_extends_with_sentences_of_the_same_kind() -> None:
    text = write(FieldSpec("review", min_length=1500), {"rating": 5}, seed=3, model="app.Review")
    assert len(text) >= 1500
    pos, neg, _ = _tone(text)
    assert pos and not neg
    assert text.count(". ") >= 15


def test_fit_hard_cut_when_no_boundary_fits() -> None:
    text = fit(["Supercalifragilistic"], min_length=None, max_length=6, more=lambda: "", compact=lambda: (),
               rng=random.Random(0))
    assert text == "Superc"


# --------------------------------------------------------------------------- language
STOPWORDS = {
    "fr": {"le", "la", "les", "et", "de", "des", "je", "un", "une", "est", "pour", "dans", "du", "en", "à", "ma",
           "mon", "pas", "vous", "ne", "il", "ce", "comme", "tout", "au", "avec", "sur"},
    "de": {"der", "die", "das", "und", "ich", "ist", "mit", "nicht", "in", "im", "seit", "für", "zu", "den", "dem",
           "es", "wird", "auf", "aus", "ein", "eine", "vor", "sind", "noch", "mein", "meine", "von"},
    "es": {"el", "la", "los", "las", "y", "de", "que", "es", "en", "muy", "con", "mi", "por", "del", "no", "se",
           "lo", "una", "un", "al", "para", "me"},
}
ENGLISH = {"the", "and", "with", "is", "my", "for", "of", "years", "it"}


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


@pytest.mark.parametrize("lang", ["fr", "de", "es"])
@pytest.mark.parametrize("field", ["bio", "review", "message", "reply", "description", "notes"])
def test_hand_written_languages(lang: str, field: str) -> None:
    model = {"review": "app.Review", "message": "app.Ticket", "reply": "app.Ticket", "description": "app.Product"}.get(
        field, "app.User")
    total = 0
    for i in range(25):
        text = write(FieldSpec(field, language=lang), {"name": "Ana Lopez", "rating": 2}, seed=i, model=model)
        words = _words(text)
        hits = sum(w in STOPWORDS[lang] for w in words)
        assert hits >= 1, text
        assert sum(w in ENGLISH for w in words) == 0, text
        total += hits
    assert total >= 50


@pytest.mark.parametrize(("language", "locale", "code"), [
    (None, "fr_FR", "fr"), ("German", None, "de"), ("es-MX", None, "es"), ("de_AT", "en_US", "de"),
    (None, "en_GB", "en"), (None, None, "en"), ("klingon", None, "en"),
])
def test_language_resolution(language: str | None, locale: str | None, code: str) -> None:
    assert resolve(language, locale).code == code


def test_locale_is_used_when_spec_has_no_language() -> None:
    text = write(FieldSpec("bio"), {"name": "Ana Lopez"}, seed=1, locale="de_DE", model="app.User")
    assert sum(w in STOPWORDS["de"] for w in _words(text)) >= 2


@pytest.mark.parametrize(("lang", "stopwords"), [
    ("it", {"il", "la", "di", "e", "che", "non", "un", "per", "una", "in", "a", "con", "del", "si", "lo"}),
    ("nl", {"de", "het", "een", "en", "van", "in", "is", "op", "niet", "te", "dat", "zijn", "met", "ik"}),
])
def test_faker_word_list_languages(lang: str, stopwords: set[str]) -> None:
    loc = resolve(lang, None).locale
    assert loc is not None and loc.startswith(lang + "_")
    texts = [write(FieldSpec("bio", language=lang, max_length=200), seed=i) for i in range(20)]
    words = [w for t in texts for w in _words(t)]
    assert sum(w in ENGLISH for w in words) <= len(words) // 50  # not English
    assert all(len(t) <= 200 for t in texts)
    from faker import Faker

    vocab = set(Faker(loc).get_words_list())
    assert sum(w in vocab for w in words) >= 0.9 * len(words)  # real words of that language's list
    assert any(w in stopwords or len(w) > 3 for w in words)


def test_language_without_a_faker_word_list_falls_back_to_english() -> None:
    assert resolve("pt", None).code == "en"
    text = write(FieldSpec("bio", language="pt"), seed=2, model="app.User")
    assert "lorem" not in text.lower() and sum(w in ENGLISH for w in _words(text)) >= 1


# --------------------------------------------------------------------------- through the provider
def test_offline_provider_batch_is_varied_and_reproducible() -> None:
    import forge_factories as factory
    from forge_factories import SemanticAttribute

    class ProfileFactory(factory.AIDictFactory):
        name = factory.Sequence(lambda n: f"Person {n}")
        bio = SemanticAttribute("a short bio of {name}", max_length=200)

    factory.seed(11)
    first = [p["bio"] for p in ProfileFactory.build_batch(50)]
    factory.seed(11)
    again = [p["bio"] for p in ProfileFactory.build_batch(50)]
    assert first == again
    assert len(set(first)) == 50 and all(len(b) <= 200 for b in first)


# --------------------------------------------------------------------------- docs
def test_docs_examples_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, str(DOCS), "exec"), {"__name__": "docs_offline"})


def test_a_profile_headline_of_a_person_is_a_career_line_not_news() -> None:
    """A User's "profile headline" reads like a profile (its job, a place, years), is varied
    (hundreds of values even with 4 jobs), and never comes from the news-headline vocabulary (which had ~60 values,
    so a batch re-wrote each value up to 8 times looking for a new one)."""
    spec = FieldSpec(name="headline", instruction="a profile headline", max_length=80)
    jobs = ["Nurse", "Data engineer", "Teacher", "Architect"]
    values = [offline_text(spec, {"name": f"Person {i}", "job": jobs[i % 4]}, context=None, locale=None,
                           rng=random.Random(i), model="User") for i in range(2000)]
    assert len(set(values)) >= 600
    assert all(len(v) <= 80 for v in values)
    assert sum(any(job in v for job in jobs) for v in values) >= 1500  # the person's own job
    news = {"Local Team Wins Cup", "New School Opens Its Doors", "Rail Strike Called Off"}
    assert not any(n in v for v in values for n in news)


def test_a_field_whose_values_ran_out_is_not_rewritten_eight_times_per_item(monkeypatch: pytest.MonkeyPatch) -> None:
    """The offline provider re-writes a value that repeats an earlier one (up to 8 times); once
    every try of a write repeats, the field has no room left and later items get one write."""
    from forge_factories.llm.providers import offline as offline_provider
    from forge_factories.llm.request import SemanticItem, SemanticRequest

    calls = []
    real = offline_provider.offline_text

    def counted(*args: Any, **kwargs: Any) -> str:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(offline_provider, "offline_text", counted)
    spec = FieldSpec(name="status", instruction=None, choices=None, max_length=12)
    items = tuple(SemanticItem(index=i, key=str(i), fields=("status",), conditioning={}) for i in range(2000))
    request = SemanticRequest(factory="t.TicketFactory", model="Ticket", context=None, specs=(spec,),
                              items=items, seed=1)
    result = offline_provider.OfflineProvider().fill(request)
    distinct = {v["status"] for v in result.values.values()}
    assert len(result.values) == 2000
    assert len(distinct) < 2000  # the field really runs out of values
    assert len(calls) < 2000 + 8 * len(distinct) + 8 * 20  # not ~8 writes for every item past that
