"""Offline text fits its field (issue 15): kind, speaker, length cues, topic, domains, determinism."""

from __future__ import annotations

import hashlib
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from forge_factories.text.domains import category_for, domains, vocab_for
from forge_factories.text.intent import read_intent
from forge_factories.text.offline import offline_text
from forge_factories.text.spec import FieldSpec
from tests.test_offline_corpus import CORPUS
from tests.test_offline_corpus import write as corpus_write

ROOT = Path(__file__).resolve().parent.parent
_WORD = re.compile(r"[A-Za-z0-9'-]+")
_END = re.compile(r"[.!?](?:\s|$)")


def write(name: str, instruction: str | None = None, values: dict[str, Any] | None = None, *, seed: int | str = 0,
          context: str | None = None, model: str = "app.Thing", **bounds: Any) -> str:
    spec = FieldSpec(name, instruction, **bounds)
    return offline_text(spec, values or {}, context=context, locale=None, rng=random.Random(seed), model=model)


def words(text: str) -> int:
    return len(_WORD.findall(text))


def sentences(text: str) -> int:
    return len(_END.findall(text.strip()))


# --------------------------------------------------------------------------- kind of text
def test_a_product_name_is_a_name_of_its_category() -> None:
    books = category_for(("books",), "books").nouns
    for i in range(200):
        text = write("name", "the name of a {category} product", {"category": "books"}, seed=i,
                     model="shop.Product", max_length=120)
        assert not re.search(r"[.!?]", text) and 1 <= words(text) <= 6, text
        assert any(noun in text for noun in books), text
        assert "Yoga" not in text and "Blanket" not in text


def test_an_unknown_category_names_the_product_in_its_own_words() -> None:
    for i in range(30):
        text = write("name", "the name of a {category} product", {"category": "aquarium supplies"}, seed=i,
                     model="shop.Product")
        assert "Aquarium Supplies" in text and "." not in text, text


@pytest.mark.parametrize(("instruction", "model", "n"), [
    ("a three-paragraph announcement of {event.name}", "events.Event", 3),
    ("a blog post body", "blog.Post", 3),
    ("an article in two paragraphs", "news.Article", 2),
])
def test_bodies_have_their_paragraphs(instruction: str, model: str, n: int) -> None:
    for i in range(50):
        text = write("body", instruction, {"event.name": "Spring Makers Fair"}, seed=i, model=model)
        paras = text.split("\n\n")
        assert len(paras) == n and all(sentences(p) >= 2 for p in paras), text
        if "event.name" in instruction:
            assert "Spring Makers Fair" in text


def test_one_sentence_means_one_sentence_every_time() -> None:
    for i in range(1000):
        text = write("bio", "a one-sentence bio", {"name": "Tom Becker"}, seed=i, model="app.User",
                     context="users of a budgeting app")
        assert sentences(text) == 1, text


def test_the_context_shows_in_a_bio() -> None:
    texts = [write("bio", "a one-sentence bio", seed=i, model="app.User", context="users of a budgeting app")
             for i in range(100)]
    assert sum("budgeting app" in t for t in texts) >= 90


def test_two_words_and_under_50_words() -> None:
    for i in range(200):
        label = write("memo", "two words describing the payment", seed=i, model="finance.Transaction")
        assert words(label) == 2 and "." not in label, label
        post = write("text", "a social media post under 50 words", seed=i, model="social.Post",
                     context="fans of a local football club")
        assert 1 <= words(post) < 50, post


def test_short_is_shorter() -> None:
    short = [words(write("description", "a short description of the venue", seed=i, model="events.Event"))
             for i in range(100)]
    full = [words(write("description", "a description of the venue", seed=i, model="events.Event"))
            for i in range(100)]
    assert sum(short) < sum(full)


@pytest.mark.parametrize(("instruction", "model"), [
    ("a listing description", "realestate.Listing"),
    ("a three-paragraph article about the season", "sport.Match"),
    ("the patient's message to the clinic", "health.Message"),
    ("a delivery note left by {user.name}", "logistics.Delivery"),
])
@pytest.mark.parametrize(("low", "high"), [(None, 60), (None, 140), (200, None), (120, 400)])
def test_length_bounds_without_cutting_a_word_or_sentence(instruction: str, model: str, low: int | None,
                                                          high: int | None) -> None:
    for i in range(40):
        text = write("text", instruction, {"user.name": "Maya Patel"}, seed=i, model=model, min_length=low,
                     max_length=high)
        if high is not None:
            assert len(text) <= high, text
        if low is not None:
            assert len(text) >= low, text
        assert text.rstrip()[-1] in ".!?" or text.split()[-1] == "Maya", text


def test_a_name_cut_to_max_length_ends_on_a_whole_word() -> None:
    for i in range(100):
        text = write("title", "a title for an article about {topic}", {"topic": "Harbour Festival Fireworks Night"},
                     seed=i, model="news.Article", max_length=25)
        assert len(text) <= 25 and text.split()[-1].lower() not in ("the", "of", "a", "and", "on"), text
        assert "." not in text


# --------------------------------------------------------------------------- speaker and topic
SUBJECT = "Refund for a blender that arrived broken"


def test_the_customers_message_is_about_its_subject() -> None:
    for i in range(100):
        text = write("message", "the customer's message about {subject}", {"subject": SUBJECT,
                     "customer.first_name": "Priya"}, seed=i, model="support.Ticket")
        assert "refund for a blender that arrived broken" in text.lower(), text
        assert re.search(r"\b(I|my|I'm)\b", text) and text.endswith("Priya"), text


def test_how_support_resolved_is_written_by_support() -> None:
    for i in range(100):
        text = write("resolution", "how support resolved the ticket about {subject}", {"subject": SUBJECT},
                     seed=i, model="support.Ticket")
        assert re.search(r"\bWe have\b", text) and re.search(r"\byou(r)?\b", text), text
        assert "I ordered" not in text and "Could you" not in text, text
        assert "refund for a blender that arrived broken" in text.lower()


def test_a_system_notice_is_impersonal() -> None:
    for i in range(100):
        text = write("notification", "an automated system notification about {order}", {"order": "Order 4471"},
                     seed=i, model="shop.Order")
        assert not re.search(r"\b(I|my|we|We|our)\b", text), text


def test_a_review_writer_speaks_as_a_reviewer() -> None:
    for i in range(100):
        text = write("review", "a {rating}-star review of {hotel.name}", {"rating": 1, "hotel.name": "Seaview Lodge"},
                     seed=i, model="travel.HotelReview")
        assert "Seaview Lodge" in text and re.search(r"\b(I|my)\b", text), text
        assert not re.search(r"\b(impressed|exceeded|happily recommend)\b", text), text  # a 1-star review


def test_a_long_referenced_value_is_never_pasted_cut_off() -> None:
    long_name = ("Upgrade your routine with the Oakline Running Shoe, an eco-friendly companion for daily commutes "
                 "and weekend trails")
    for i in range(100):
        for spec in (FieldSpec("description", "a catalogue description of {name}"),
                     FieldSpec("review", "a {rating}-star review of {product.name}")):
            values = {"name": long_name, "product.name": long_name, "rating": 4}
            text = offline_text(spec, values, context=None, locale=None, rng=random.Random(i), model="shop.Product")
            assert "Upgrade your routine with the Upgrade" not in text
            assert "Oakline Running Shoe, an" not in text or long_name in text, text


# --------------------------------------------------------------------------- domains
def test_25_domains_each_with_its_own_vocabulary() -> None:
    known = domains()
    wanted = {"shop", "reviews", "support", "hr", "health", "finance", "travel", "realestate", "education",
              "software", "logistics", "legal", "restaurant", "events", "social", "games", "news", "science",
              "automotive", "energy", "insurance", "telecom", "government", "nonprofit", "sport"}
    assert wanted <= set(known)
    things = [set(v.things) for v in known.values()]
    for i, a in enumerate(things):
        for b in things[i + 1:]:
            assert len(a & b) <= 2  # each domain mostly its own words


@pytest.mark.parametrize(("context", "domain"), [
    ("a family clinic", "health"), ("users of a budgeting app", "finance"), ("a courier company", "logistics"),
    ("a law firm's contract library", "legal"), ("an Italian trattoria", "restaurant"),
    ("a fantasy role-playing game", "games"), ("a home insurance company", "insurance"),
    ("customers of a broadband provider", "telecom"), ("a local food bank charity", "nonprofit"),
    ("fans of a local football club", "sport"), ("a university research lab", "science"),
])
def test_the_context_names_the_domain(context: str, domain: str) -> None:
    assert read_intent("text", "a short paragraph", "app.Thing", context).domain == domain


def test_an_unknown_domain_uses_the_contexts_own_words() -> None:
    intent = read_intent("update", "a short update for members", "app.Thing", "members of a beekeeping club")
    assert intent.domain is None
    assert intent.context_subject == "beekeeping club"
    assert vocab_for(None, intent.context_words, intent.context_subject).things[0] == "beekeeping club"
    texts = [write("update", "a short update for members", seed=i, context="members of a beekeeping club")
             for i in range(50)]
    assert sum("beekeeping" in t or "club" in t for t in texts) >= 40
    for other in ("refund", "deployment", "boss fight", "tariff", "prescription"):
        assert not any(other in t for t in texts)


# --------------------------------------------------------------------------- determinism
_SCRIPT = """
import hashlib
from tests.test_offline_corpus import CORPUS, write
digest = hashlib.sha256()
for case in CORPUS:
    digest.update(write(case, 0).encode())
print(digest.hexdigest())
"""


def test_the_corpus_is_byte_identical_across_processes() -> None:
    outputs = set()
    for hash_seed in ("3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True, check=True, cwd=str(ROOT),
                              text=True)
        outputs.add(done.stdout.strip())
    here = hashlib.sha256()
    for case in CORPUS:
        here.update(corpus_write(case, 0).encode())
    assert outputs == {here.hexdigest()}


# --------------------------------------------------------------------------- the demo
def test_the_sqlalchemy_demo_prints_a_readable_sample(tmp_path: Path) -> None:
    pytest.importorskip("sqlalchemy")
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    done = subprocess.run(
        [sys.executable, str(ROOT / "example_sqlalchemy" / "seed.py"), url, "--customers", "6", "--products", "4",
         "--orders", "8", "--reviews", "5"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")})
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for section in ("Customers (3 of 6)", "Products (3 of 4)", "Orders (3 of 8)", "Reviews (3 of 5)"):
        assert section in out, out
    products = [line for line in out.splitlines() if line.startswith("  ") and "[" in line and "]" in line]
    assert len(products) == 3
    for line in products:
        name = line.strip().split(" [", 1)[0]
        assert "." not in name and len(name.split()) <= 6, line  # a name, not a marketing sentence
        assert out.count(name + " " + name) == 0  # no description that pastes the name twice over


@pytest.mark.parametrize("language", ["fr", "de", "es", "it"])
def test_one_sentence_in_other_languages_too(language: str) -> None:
    for i in range(100):
        spec = FieldSpec("bio", "a one-sentence bio", language=language)
        text = offline_text(spec, {"name": "Ana Lopez"}, context=None, locale=None, rng=random.Random(i),
                            model="app.User")
        assert sentences(text) == 1, text


def test_the_head_noun_decides_the_shape() -> None:
    for i in range(50):
        headline = write("title", "an article headline", seed=i, model="news.Article")
        assert "." not in headline and words(headline) <= 8, headline
        body = write("body", "a blog post body", seed=i, model="blog.Post", context="readers of a finance blog")
        assert body.count("\n\n") >= 1, body
        summary = write("summary", "a one-sentence summary of {course.title}", {"course.title": "Intro to Statistics"},
                        seed=i, model="edu.Course")
        assert sentences(summary) == 1 and "Intro to Statistics" in summary, summary


def test_a_message_to_someone_greets_them() -> None:
    for i in range(30):
        text = write("email_body", "a welcome email to {user.first_name}", {"user.first_name": "Sam"}, seed=i,
                     model="app.Email", context="a meal-kit startup")
        assert re.match(r"(Hi|Hello|Dear) Sam,", text), text


def test_a_literal_subject_steers_the_text() -> None:
    for i in range(50):
        text = write("message", "an angry message from {customer.name} about a late delivery",
                     {"customer.name": "Leo Park"}, seed=i, model="shop.Ticket")
        assert "a late delivery" in text and text.endswith("Leo"), text
        assert re.search(r"(?i)late|delivery|order|parcel", text.split("a late delivery", 1)[1]), text


def test_a_subject_without_a_domain_is_written_about_itself() -> None:
    texts = [write("content", "a paragraph about {topic}", {"topic": "remote work"}, seed=i, model="blog.Post")
             for i in range(50)]
    assert all(t.count("remote work") >= 2 for t in texts), texts[:3]
    assert not any(re.search(r"\bthe (plan|schedule|request)\b", t) for t in texts)
