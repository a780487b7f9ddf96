"""``forge migrate --semantic``: which fields get a SemanticAttribute, its instruction and max_length."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("libcst")

import forge_factories  # noqa: E402
from forge_factories.migrate.driver import migrate_source  # noqa: E402
from forge_factories.migrate.semantic import free_text_kind, instruction  # noqa: E402

FACTORIES = """\
import factory
from factory import fuzzy


class ArticleFactory(factory.Factory):
    class Meta:
        model = dict

    title = factory.Faker("company")
    category = fuzzy.FuzzyChoice(["news", "sport"])
    body = factory.Faker("paragraph")  # the text
    teaser = factory.Faker("sentence")
    slogan = factory.Faker("catch_phrase")
    notes = factory.Faker("text")
    blurb = fuzzy.FuzzyText(length=12)
    description = factory.Sequence(lambda n: "Description %d" % n)
    email = factory.Sequence(lambda n: "user%d@example.com" % n)
    code = factory.Sequence(lambda n: f"Code {n}")
    author = factory.Faker("name")
"""


def semantic(source: str, tmp_path: Path | None = None, name: str = "factories.py",
             import_models: bool = True) -> tuple[str, list[str]]:
    path = None
    if tmp_path is not None:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return migrate_source(textwrap.dedent(source), semantic=True, path=path, import_models=import_models)


def test_free_text_fields_are_proposed_and_others_left_alone() -> None:
    new, notes = semantic(FACTORIES)
    lines = {line.split("=")[0].strip(): line.strip() for line in new.splitlines() if " = " in line}
    proposed = {k for k, v in lines.items() if "factory.SemanticAttribute(" in v}
    assert proposed == {"body", "teaser", "slogan", "notes", "blurb", "description"}
    assert lines["body"] == ('body = factory.SemanticAttribute("Body of the article {title} (category: {category}), '
                             'one paragraph")  # the text')
    assert lines["teaser"].endswith('one sentence")  # forge migrate: was factory.Faker("sentence")')
    assert lines["email"] == 'email = factory.Sequence(lambda n: "user%d@example.com" % n)'
    assert lines["code"] == 'code = factory.Sequence(lambda n: f"Code {n}")'
    assert len([n for n in notes if "proposed SemanticAttribute" in n]) == 6
    assert semantic(new)[0] == new  # a second run changes nothing


def test_the_proposals_are_valid_declarations(monkeypatch: pytest.MonkeyPatch) -> None:
    """The migrated factory defines and builds (offline), references resolved, texts are strings."""
    new, _ = semantic(FACTORIES)
    namespace: dict[str, object] = {}
    exec(compile(new, "<migrated>", "exec"), namespace)  # noqa: S102
    factory_cls = namespace["ArticleFactory"]
    declarations = factory_cls._meta.declarations  # type: ignore[attr-defined]
    assert isinstance(declarations["body"], forge_factories.SemanticAttribute)
    forge_factories.configure(provider="offline")
    article = factory_cls.build()  # type: ignore[attr-defined]
    assert all(isinstance(article[k], str) and article[k] for k in ("body", "teaser", "slogan", "description"))


@pytest.mark.parametrize(("name", "code", "kind"), [
    ("x", 'Faker("text")', "a few sentences"),
    ("x", "Faker('sentence', nb_words=4)", "one sentence"),
    ("x", 'factory.Faker("name")', None),
    ("x", "fuzzy.FuzzyText()", "a short phrase"),
    ("short_description", 'Sequence(lambda n: "Short description {}".format(n))', "a short phrase"),
    ("title", 'Sequence(lambda n: "Title " + str(n))', "a short phrase"),
    ("title", 'Sequence(lambda n: "http://x/%d" % n)', None),
    ("username", 'Sequence(lambda n: "User %d" % n)', None),
    ("comment", "Sequence(lambda n: n)", None),
])
def test_free_text_kinds(name: str, code: str, kind: str | None) -> None:
    import libcst as cst

    assert free_text_kind(name, cst.parse_expression(code)) == kind


def test_without_a_model_field_the_faker_bound_is_kept() -> None:
    new, _ = semantic("import factory\nclass NoteFactory(factory.Factory):\n"
                      "    class Meta:\n        model = dict\n    text = factory.Faker('text', max_nb_chars=140)\n")
    assert 'text = factory.SemanticAttribute("Text of a note, a few sentences", max_length=140)' in new


def test_instruction_wording() -> None:
    assert instruction("bio", "user profile", "one paragraph", []) == "Bio of a user profile, one paragraph"
    assert instruction("review_text", "product", "one sentence", ["name", "brand"]) == (
        "Review text of the product {name} (brand: {brand}), one sentence")


DJANGO_MODELS = """\
from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=80)
    description = models.TextField()
    tagline = models.CharField("tag line", max_length=120)

    class Meta:
        app_label = "shop"
"""

DJANGO_FACTORIES = """\
import factory
from factory.django import DjangoModelFactory

from shop.models import Product


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Faker("company")
    description = factory.Faker("paragraph")
    tagline = factory.Faker("catch_phrase")
"""


def test_django_max_length_read_statically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "models.py").write_text(DJANGO_MODELS)
    new, _ = semantic(DJANGO_FACTORIES, tmp_path, "shop/factories.py")
    assert 'tagline = factory.SemanticAttribute("Tagline of the product {name}, a catch phrase", max_length=120)' in new
    assert 'description = factory.SemanticAttribute("Description of the product {name}, one paragraph")' in new


ALCHEMY_MODELS = """\
from sqlalchemy import Column, Integer, String, Unicode
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

LENGTH = 40


class Base(DeclarativeBase):
    pass


class Post(Base):
    __tablename__ = "post"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(length=60))
    summary = Column("summary_text", Unicode(200))
    caption = Column(String(LENGTH))
    body = Column(String)
"""

ALCHEMY_FACTORIES = """\
import factory
from factory.alchemy import SQLAlchemyModelFactory

from {module} import Post


class PostFactory(SQLAlchemyModelFactory):
    class Meta:
        model = Post

    title = factory.Faker("sentence")
    summary = factory.Faker("paragraph")
    caption = factory.Faker("catch_phrase")
    body = factory.Faker("text")
"""


@pytest.mark.parametrize("import_models", [True, False])
def test_sqlalchemy_max_length_by_import_else_statically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         import_models: bool) -> None:
    """``String(LENGTH)`` is known only by importing the model; literals are read either way."""
    pytest.importorskip("sqlalchemy")
    module = f"blog_models_{import_models}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, module, raising=False)
    (tmp_path / f"{module}.py").write_text(ALCHEMY_MODELS)
    new, _ = semantic(ALCHEMY_FACTORIES.replace("{module}", module), tmp_path, import_models=import_models)
    lengths = {line.split("=")[0].strip(): line for line in new.splitlines() if "SemanticAttribute(" in line}
    assert "max_length=60)" in lengths["title"]
    assert "max_length=200)" in lengths["summary"]
    assert ("max_length=40)" in lengths["caption"]) is import_models
    assert "max_length" not in lengths["body"]
    assert (module in sys.modules) is import_models
    sys.modules.pop(module, None)


def test_relative_model_import_and_model_in_the_same_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    pkg = tmp_path / "relpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "models.py").write_text("class Note:\n    text = CharField(max_length=33)\n")
    source = """\
        import factory
        from .models import Note


        class Local:
            label = CharField(max_length=12)


        class NoteFactory(factory.Factory):
            class Meta:
                model = Note
            text = factory.Faker("text")


        class LocalFactory(factory.Factory):
            class Meta:
                model = Local
            label = factory.Faker("sentence")
        """
    new, _ = semantic(source, pkg, "factories.py", import_models=False)
    assert 'factory.SemanticAttribute("Text of a note, a few sentences", max_length=33)' in new
    assert 'factory.SemanticAttribute("Label of a local, one sentence", max_length=12)' in new


def test_stock_factories_and_from_imports(tmp_path: Path) -> None:
    """A kept factory_boy import is not given SemanticAttribute; ``from forge_factories import`` gains it."""
    kept = "import factory\nV = factory.__version__\nclass F(factory.Factory):\n    t = factory.Faker('text')\n"
    assert semantic(kept)[0] == kept
    new, _ = semantic("from factory import Factory, Faker\nclass F(Factory):\n    t = Faker('text')\n")
    assert new.splitlines()[:3] == [
        "from forge_factories import Factory, Faker, SemanticAttribute",
        "class F(Factory):",
        "    t = SemanticAttribute(\"T of a f, a few sentences\")  # forge migrate: was Faker('text')"]
    new, _ = semantic("from factory.django import DjangoModelFactory as D\nfrom factory import Faker\n"
                      "class PostFactory(D):\n    text = Faker('text')\n")
    assert "from forge_factories import Faker, SemanticAttribute\n" in new


def test_django_max_length_by_importing_the_model(tmp_path: Path) -> None:
    """With DJANGO_SETTINGS_MODULE set, the model is imported (Django set up) and asked."""
    import os
    import subprocess

    pytest.importorskip("django")
    root = Path(__file__).resolve().parents[2]
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "models.py").write_text(
        "from django.db import models\n\nLEN = 77\n\n\nclass Review(models.Model):\n"
        "    headline = models.CharField(max_length=LEN)\n\n    class Meta:\n        app_label = 'lib'\n")
    (tmp_path / "proj_settings.py").write_text("INSTALLED_APPS = ['lib']\nSECRET_KEY = 'x'\n")
    (tmp_path / "factories.py").write_text(
        "import factory\nfrom lib.models import Review\n\n\nclass ReviewFactory(factory.django.DjangoModelFactory):\n"
        "    class Meta:\n        model = Review\n\n    headline = factory.Faker('sentence')\n")
    env = dict(os.environ, PYTHONPATH=str(root), DJANGO_SETTINGS_MODULE="proj_settings")
    runs = {}
    for flag in ([], ["--no-import"]):
        out = subprocess.run([sys.executable, "-m", "forge_factories.cli", "migrate", "--semantic", *flag,
                              "factories.py"], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        runs[bool(flag)] = out.stdout
    assert '+    headline = factory.SemanticAttribute("Headline of a review, one sentence", max_length=77)' in runs[False]
    assert '+    headline = factory.SemanticAttribute("Headline of a review, one sentence")' in runs[True]
