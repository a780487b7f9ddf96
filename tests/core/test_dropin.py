"""``import forge_factories as factory`` is a drop-in for factory_boy."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import factory as stock

import forge_factories as ff
from forge_factories.core import base as ffb

#: factory_boy submodules forge does not mirror: ``forge migrate`` keeps ``factory.base.X`` and
#: ``from factory import declarations`` pointing at factory_boy (forge's own modules live in core/).
NOT_MIRRORED = {"base", "declarations", "helpers"}


def test_every_public_factory_boy_name_is_exported() -> None:
    public = {n for n in dir(stock) if not n.startswith("_")}
    missing = sorted(n for n in public - NOT_MIRRORED if not hasattr(ff, n))
    assert missing == []
    assert public >= NOT_MIRRORED  # still factory_boy's submodules: the exclusion is not stale


def test_factory_classes_are_the_forge_ones_and_generic() -> None:
    assert ff.Factory is ffb.AIFactory
    assert issubclass(ff.Factory, stock.Factory)
    assert issubclass(ff.DictFactory, stock.base.BaseDictFactory)
    assert issubclass(ff.ListFactory, stock.base.BaseListFactory)
    assert ff.StubFactory is ffb.AIStubFactory
    alias: Any = ff.Factory[dict]  # Generic[T], as factory.Factory[User] is used in suites
    assert alias is not None


def test_declarations_and_helpers_are_factory_boys() -> None:
    assert ff.SubFactory is stock.SubFactory
    assert ff.Faker is stock.Faker
    assert ff.fuzzy is stock.fuzzy

    class P:
        def __init__(self, **kw: Any) -> None:
            self.__dict__.update(kw)

    made = ff.make_factory(P, a=ff.Sequence(int))
    assert issubclass(made, ffb.AIFactory)
    assert ff.build(P, a=3).a == 3
    assert [p.a for p in ff.build_batch(P, 2, a=ff.Sequence(lambda n: n * 10))] == [0, 10]
    assert ff.DictFactory(a=1) == {"a": 1}
    assert ff.ListFactory(**{"0": "x"}) == ["x"]
    assert ff.StubFactory.build(a=1).a == 1


def test_importing_has_no_side_effects(tmp_path: Any) -> None:
    code = (
        "import os, socket, sys\n"
        "opened = []\n"
        "socket.socket.connect = lambda *a, **k: opened.append(a)\n"
        "before = set(os.listdir('.'))\n"
        "import forge_factories, forge_factories.llm.providers, forge_factories.core.base\n"
        "assert set(os.listdir('.')) == before, 'import created files'\n"
        "assert not opened, 'import opened a connection'\n"
        "assert not {'anthropic', 'openai', 'httpx2'} & set(sys.modules), 'import loaded an LLM SDK'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True, env={"HOME": str(tmp_path), "PATH": ""})


def test_context_reaches_a_factory_without_semantic_fields_as_on_factory_boy() -> None:
    """``context=`` is the generation context only where the tree has a semantic field."""
    import factory as stock

    import forge_factories as forge

    class Stock(stock.DictFactory):
        name = "x"

    class Ours(forge.DictFactory):
        name = "x"

    class Semantic(forge.DictFactory):
        name = "x"
        bio = forge.SemanticAttribute("a one-sentence bio")

    assert Ours(context="request-ctx") == Stock(context="request-ctx") == {"name": "x", "context": "request-ctx"}
    assert Ours.build_batch(2, context="c") == [{"name": "x", "context": "c"}] * 2
    assert "context" not in Semantic(context="angry customers")  # the generation context
    assert Ours(forge_context="c") == {"name": "x"}  # forge_context= is always the generation context
