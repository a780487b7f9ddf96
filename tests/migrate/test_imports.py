"""Import rewriting: every way a module reaches factory_boy, and what is left alone."""

from __future__ import annotations

import textwrap

import pytest

pytest.importorskip("libcst")

from forge_factories.migrate.compat import provides, same_object  # noqa: E402
from forge_factories.migrate.driver import migrate_source  # noqa: E402


def migrate(source: str) -> tuple[str, list[str]]:
    return migrate_source(textwrap.dedent(source))


@pytest.mark.parametrize(("before", "after"), [
    ("import factory\nx = factory.Faker('name')\n", "import forge_factories as factory\nx = factory.Faker('name')\n"),
    ("import factory as fb\nx = fb.Sequence(str)\n", "import forge_factories as fb\nx = fb.Sequence(str)\n"),
    ("import factory.django\nclass F(factory.django.DjangoModelFactory): pass\n",
     "import forge_factories as factory\nclass F(factory.django.DjangoModelFactory): pass\n"),
    ("import factory.django as fd\nB = fd.DjangoModelFactory\n",
     "import forge_factories.django as fd\nB = fd.DjangoModelFactory\n"),
    ("import factory.fuzzy\nx = factory.fuzzy.FuzzyText()\n",
     "import forge_factories as factory\nx = factory.fuzzy.FuzzyText()\n"),
    ("from factory import Faker, SubFactory\n", "from forge_factories import Faker, SubFactory\n"),
    ("from factory import fuzzy\nx = fuzzy.FuzzyInteger(1, 3)\n",
     "from forge_factories import fuzzy\nx = fuzzy.FuzzyInteger(1, 3)\n"),
    ("from factory.django import DjangoModelFactory, mute_signals\n",
     "from forge_factories.django import DjangoModelFactory, mute_signals\n"),
    ("from factory.alchemy import SQLAlchemyModelFactory as Base\n",
     "from forge_factories.alchemy import SQLAlchemyModelFactory as Base\n"),
    ("from factory import Factory as F, django\nB = django.DjangoModelFactory\n",
     "from forge_factories import Factory as F, django\nB = django.DjangoModelFactory\n"),
])
def test_rewrites(before: str, after: str) -> None:
    new, notes = migrate(before)
    assert new == after
    assert notes == []
    assert migrate(new) == (new, [])  # a second run changes nothing


def test_every_name_moved_works_as_before() -> None:
    """The rewritten module runs, and its factories are forge factories."""
    new, _ = migrate("""\
        import factory
        from factory import Faker, fuzzy

        class UserFactory(factory.Factory):
            class Meta:
                model = dict
            name = Faker("name")
            n = factory.Sequence(lambda n: n)
            code = fuzzy.FuzzyText(length=4)
        """)
    namespace: dict[str, object] = {}
    exec(compile(new, "<migrated>", "exec"), namespace)  # noqa: S102
    import forge_factories

    factory_cls = namespace["UserFactory"]
    assert issubclass(factory_cls, forge_factories.AIFactory)  # type: ignore[arg-type]
    user = factory_cls()  # type: ignore[operator]
    assert set(user) == {"name", "n", "code"} and len(user["code"]) == 4


def test_formatting_and_comments_are_kept() -> None:
    source = """\
        # header comment
        import os, factory  # why: fixtures
        from factory.django import (
            DjangoModelFactory,  # the base
            mute_signals,
        )

        class F(DjangoModelFactory):   # odd spacing kept
            x   =   factory.Faker( "name" )
        """
    new, _ = migrate(source)
    assert new == textwrap.dedent(source).replace(
        "import os, factory  #", "import os, forge_factories as factory  #").replace(
        "from factory.django import (", "from forge_factories.django import (")


def test_repeated_plain_imports_become_one_line() -> None:
    new, _ = migrate("import factory\nimport factory.django\nimport factory.fuzzy\nx = factory.django.mute_signals\n")
    assert new.count("import forge_factories as factory") == 1


@pytest.mark.parametrize(("source", "why"), [
    ("import factory\nv = factory.__version__\n", "uses factory.__version__"),
    ("import factory\nfrom factory import base\nB = factory.base.Factory\n", "uses factory.base.Factory"),
    ("import factory\nfactory.Factory = object\n", "assigns to factory.Factory"),
    ("import factory.django\nx = factory.django.DEFAULT_DB_ALIAS\n", "factory.django.DEFAULT_DB_ALIAS"),
    ("from factory import *\n", "names unknown"),
])
def test_unsafe_uses_keep_the_import(source: str, why: str) -> None:
    new, notes = migrate(source)
    assert new == source
    assert any(why in note for note in notes), notes


def test_assigning_to_an_attribute_of_a_shared_object_is_fine() -> None:
    new, notes = migrate("import factory\nfactory.Faker._FAKER_REGISTRY = {}\n")
    assert new.startswith("import forge_factories as factory\n") and notes == []


def test_a_partly_movable_from_import_is_split() -> None:
    new, notes = migrate("""\
        from factory import base, Faker, errors  # mixed
        A = base.Factory
        B = errors.FactoryError
        """)
    assert new.splitlines()[:2] == ["from factory import base  # mixed",
                                    "from forge_factories import Faker, errors"]
    assert [n.split(":")[0] for n in notes] == ["1"]


def test_a_parameter_named_factory_is_not_the_module() -> None:
    source = """\
        import factory

        def build(factory):
            return factory.__version__   # a parameter, not factory_boy

        class F(factory.Factory):
            pass
        """
    new, notes = migrate(source)
    assert new.startswith("import forge_factories as factory\n") and notes == []


def test_imports_in_functions_and_other_modules_are_left_alone() -> None:
    source = """\
        import factoryx
        from myapp import factory
        from factory.fuzzy import FuzzyText
        from .factory import thing

        def f():
            import factory
            return factory.Faker("name")
        """
    new, _ = migrate(source)
    assert new == textwrap.dedent(source).replace("    import factory\n", "    import forge_factories as factory\n")


def test_public_names_imported_from_factory_boy_submodules() -> None:
    """Names forge re-exports as the very same object move; internals and other names stay."""
    new, notes = migrate("""\
        from factory.faker import Faker
        from factory.declarations import LazyAttribute, deepgetattr
        from factory.fuzzy import FuzzyText
        from factory.base import Factory
        from factory.helpers import post_generation
        """)
    assert new.splitlines() == [
        "from forge_factories import Faker",
        "from factory.declarations import deepgetattr",
        "from forge_factories import LazyAttribute",
        "from factory.fuzzy import FuzzyText",
        "from factory.base import Factory",  # forge's Factory is a subclass: isinstance checks would change
        "from forge_factories import post_generation",
    ]
    assert notes == []


def test_compat_table() -> None:
    assert provides("factory", ("Faker",)) and provides("factory", ("Factory", "_meta"))
    assert provides("factory", ("django", "DjangoModelFactory"))
    assert provides("factory", ("fuzzy",)) and provides("factory", ("errors", "FactoryError"))
    assert not provides("factory", ("base",)) and not provides("factory", ("declarations", "LazyAttribute"))
    assert not provides("factory", ("django",))  # the module itself differs
    assert not provides("factory", ("__version__",)) and not provides("factory", ("no_such_name",))
    assert not provides("factory.fuzzy", ("FuzzyText",))  # not a module forge mirrors
    assert same_object("factory", ("Faker",)) and not same_object("factory", ("Factory",))


def test_a_file_that_does_not_parse_is_an_error() -> None:
    from forge_factories.migrate.driver import MigrateError

    with pytest.raises(MigrateError, match="cannot parse"):
        migrate_source("import factory\ndef (:\n")
