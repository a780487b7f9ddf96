"""forge_factories._compat: private APIs of other packages stay behind probes with public fallbacks.

* every probe finds its private API on the installed versions (``.ci/newest`` runs this on
  the newest releases inside the caps, so a release that changes one fails here);
* each fallback, forced by setting its probe's cached result to ``False``, gives what the
  private route gives (or, where docs/compat.md says so, the documented lesser result);
* no module outside ``forge_factories/_compat/`` touches the private names moved there.
The ORM fallbacks are checked on every backend in ``tests/orm/test_compat_orm.py``.
"""

from __future__ import annotations

import ast
import random
from pathlib import Path
from typing import Any

import attrs
import factory as stock_factory
import pytest
from faker import Faker

import forge_factories as factory
from forge_factories import _compat
from forge_factories._compat import attrs as compat_attrs
from forge_factories._compat import factory_boy as compat_fb
from forge_factories._compat import faker as compat_faker
from forge_factories._compat import pytest as compat_pytest
from forge_factories._compat import stdlib
from forge_factories._compat.regex_tree import RegexSyntaxError

PACKAGE = Path(factory.__file__).resolve().parent

#: The private names moved into _compat: no other module of the package may touch them.
PRIVATE_NAMES = {
    "_save_impl", "_register_persistent", "_sa_instance_state", "_backslash_escapes",  # SQLAlchemy
    "_prepare_related_fields_for_save",  # Django
    "_factory_map", "_re_token", "__use_weighting__",  # Faker
    "_FAKER_REGISTRY", "_DEFAULT_LOCALE", "_get_faker", "_defaults", "_counter",  # factory_boy
    "_randbelow", "c_make_encoder", "_parser", "_constants",  # CPython
    "_validators",  # attrs
    "_idlist",  # pytest
    "_copy_base",  # psycopg
}
PRIVATE_MODULES = {"re._parser", "re._constants", "sre_parse", "sre_constants", "sre_compile", "_pytest",
                   "psycopg._copy_base"}


def private_uses(source: str) -> list[str]:
    """``line: name`` of each use of a :data:`PRIVATE_NAMES` name or :data:`PRIVATE_MODULES` module, by line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Attribute):
            names = [node.attr]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
                "getattr", "hasattr", "setattr", "delattr") and len(node.args) > 1:
            arg = node.args[1]
            names = [arg.value] if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else []
        elif isinstance(node, ast.ImportFrom) and not node.level:
            module = node.module or ""
            names = [module] + [f"{module}.{a.name}" for a in node.names] + [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:  # the first private one of the node
            if name in PRIVATE_NAMES or name in PRIVATE_MODULES or name.split(".")[0] in PRIVATE_MODULES:
                found.append((getattr(node, "lineno", 0), name))
                break
    return [f"{line}: {name}" for line, name in sorted(found, key=lambda item: item[0])]


def test_the_scan_sees_each_kind_of_private_use() -> None:
    source = ("import sre_parse\nfrom re import _parser\nfrom faker.generator import _re_token\n"
              "x = fake._factory_map\ny = getattr(meta, '_counter', None)\nfrom _pytest.python import CallSpec\n"
              "ok = obj._meta\nfine = getattr(meta, 'counter_reference')\n")
    assert private_uses(source) == [
        "1: sre_parse", "2: re._parser", "3: _re_token", "4: _factory_map", "5: _counter", "6: _pytest.python"]


def test_no_module_outside_compat_touches_a_moved_private_name() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "_compat" in path.relative_to(PACKAGE).parts:
            continue
        offenders += [f"{path.relative_to(PACKAGE)}:{use}" for use in private_uses(path.read_text())]
    assert offenders == [], "private API outside forge_factories/_compat/ (move it there): " + ", ".join(offenders)


def test_every_probe_finds_its_private_api_on_the_installed_versions() -> None:
    report = _compat.report()
    assert len(report) >= 16
    assert {name: ok for name, ok in report.items() if not ok} == {}


def test_docs_compat_lists_every_probe_and_moved_name() -> None:
    doc = (PACKAGE.parent / "docs" / "compat.md").read_text()
    assert [name for name in _compat.load_all() if f"| `{name}` |" not in doc] == []
    assert [name for name in PRIVATE_NAMES if name not in doc] == []


def test_importing_compat_runs_no_probe() -> None:
    import subprocess
    import sys

    code = ("import forge_factories, forge_factories._compat as c; c.load_all(); "
            "print(sorted(n for n, p in c.probes().items() if p.result is not None))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_a_probe_that_raises_or_answers_false_selects_the_fallback() -> None:
    def broken() -> bool:
        raise AttributeError("gone")

    calls: list[int] = []

    def counted() -> bool:
        calls.append(1)
        return False

    assert _compat.Probe("test.broken", broken)() is False
    lazy = _compat.Probe("test.false", counted)
    assert calls == [] and lazy() is False and lazy() is False and calls == [1]  # run once, at first use
    for name in ("test.broken", "test.false"):
        del _compat._PROBES[name]


@pytest.fixture
def fallback(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``fallback(probe)``: that probe fails for the rest of the test."""
    def force(probe: _compat.Probe) -> None:
        monkeypatch.setattr(probe, "result", False)

    return force


# -- CPython ----------------------------------------------------------------------------------------

#: Patterns of forge's tests and docs, plus each construct the fallback parser covers.
REGEXES = [
    r"[A-Z]{3}-\d{4}", r"^[a-z0-9._%+-]+@[a-z0-9-]+\.(com|org|net)$", r"\d{5}(-\d{4})?", r"SKU-[A-Z0-9]{8}",
    r"^\+?1?\d{9,15}$", r"[A-Z][a-z]+ [A-Z][a-z]+", r"(ab|ac|ad)+", r"a|b|[cd]|e", r"(?:x|y){2,4}z*?",
    r"(?P<word>[a-z]{2})-(?P=word)", r"(a)(b)\2\1", r"\bfoo\b\s+\W?\S\w*", r"[^aeiou\d]{3}", r"[]a-]", r"[\d\-.]",
    r"(?>ab|a)c++", r"\x41\u00e9\t\0\101[\x30-\x39]", r"a{,3}b{2}c{1,}d{}", r"x(?=y)(?!z)(?<=x)", r"(?i)abc",
    r"(?#comment)q.", r"\A\d\Z", r"(a|ab)(c|bcd)(d*)", r"[^a]", r"[a]", r"\.\*\\",
]


@pytest.mark.parametrize("pattern", REGEXES)
def test_regex_fallback_parses_as_cpython_does(pattern: str) -> None:
    assert stdlib._parse_public(pattern) == stdlib._sre_tree(pattern)


def test_regex_fallback_draws_the_same_strings(fallback: Any) -> None:
    from forge_factories.common.patterns import PatternError, pattern_generator

    def draws() -> list[str]:
        out = []
        for pattern in REGEXES:
            try:
                generate = pattern_generator(pattern, max_length=40)
                out += [generate(random.Random(n)) for n in range(5)]
            except PatternError as exc:  # lookarounds: unsupported by the generator either way
                out.append(f"error {type(exc).__name__}")
        return out

    fast = draws()
    fallback(stdlib.SRE_PARSE)
    assert draws() == fast
    assert sum(item.startswith("error") for item in fast) == 1


def test_regex_fallback_refuses_what_it_does_not_cover_as_a_pattern_error(fallback: Any) -> None:
    from forge_factories.common.patterns import PatternError, pattern_generator

    with pytest.raises(RegexSyntaxError):
        stdlib._parse_public(r"(?x) a b")
    fallback(stdlib.SRE_PARSE)
    with pytest.raises(PatternError, match="verbose|unsupported"):
        pattern_generator(r"(a)?(?(1)b|c)")


def test_randbelow_fallback_gives_the_same_digits(fallback: Any) -> None:
    from forge_factories.core.fastfaker import patch_faker

    def digits() -> list[str]:
        fake = patch_faker(Faker("en_US"))
        fake.seed_instance(11)
        return [fake.numerify("###-##-####") for _ in range(50)]

    assert stdlib.randbelow(random.Random(1)) is not None
    fast = digits()
    fallback(stdlib.RANDBELOW)
    assert stdlib.randbelow(random.Random(1)) is None
    assert digits() == fast


def test_inline_choice_fallback_gives_the_same_picks(fallback: Any) -> None:
    from forge_factories.core.fastfaker import patch_faker

    def picks() -> list[str]:
        fake = patch_faker(Faker("en_US"))
        fake.seed_instance(12)
        return [fake.numerify("##-#") + fake.random_element("abcdefghijk") + fake.color_name() for _ in range(80)]

    assert stdlib.below_bits(random.Random(1)) is not None
    fast = picks()
    fallback(stdlib.BELOW_BITS)
    assert stdlib.below_bits(random.Random(1)) is None
    assert picks() == fast


def test_inline_choice_is_not_used_on_a_random_with_its_own_bits() -> None:
    class Bits(random.Random):
        def getrandbits(self, k: int) -> int:
            return 0

    class Floats(random.Random):
        def random(self) -> float:
            return 0.5

    assert stdlib.below_bits(Bits(1)) is None and stdlib.below_bits(Floats(1)) is None


def test_randbelow_is_not_used_on_a_random_that_overrides_randint() -> None:
    class Fixed(random.Random):
        def randint(self, a: int, b: int) -> int:
            return a

    assert stdlib.randbelow(Fixed(1)) is None


def test_json_encoder_fallback_writes_the_same_text(fallback: Any) -> None:
    import datetime as dt
    import decimal

    from forge_factories.common.atomic_files import ExportError
    from forge_factories.datasets.records import dumps, plain

    records = [{"a": "é\n\"", "b": [1, 2.5, None, True], "c": {"d": dt.date(2024, 1, 2)}, "e": decimal.Decimal("1.10")},
               {"n": float("nan")}]

    def written() -> list[str]:
        out = []
        for record in records:
            try:
                out.append(dumps(record))
            except ExportError as exc:
                out.append(f"error: {exc}")
        return out

    assert "".join(stdlib.c_dict_encoder(plain)({"a": [1, "é"]}, 0)) == '{"a":[1,"é"]}'
    fast = written()
    fallback(stdlib.C_ENCODER)
    assert stdlib.c_dict_encoder(plain) is None
    assert written() == fast and fast[1].startswith("error: field 'n' is nan")


# -- Faker --------------------------------------------------------------------------------------------

def _faker_values(fake: Faker) -> list[str]:
    fake.seed_instance(3)
    return [f"{fake.name()}|{fake.address()}|{fake.email()}|{fake.phone_number()}" for _ in range(40)]


def test_faker_fallbacks_give_stock_fakers_values(fallback: Any) -> None:
    from forge_factories.core.fastfaker import patch_faker

    stock = _faker_values(Faker("en_US"))
    assert _faker_values(patch_faker(Faker("en_US"))) == stock
    fallback(compat_faker.FACTORY_MAP)
    fallback(compat_faker.RE_TOKEN)
    fallback(compat_faker.USE_WEIGHTING)
    assert compat_faker.template_token() is None
    assert _faker_values(patch_faker(Faker("en_US"))) == stock


def test_weighting_fallback_leaves_the_draw_to_faker(fallback: Any) -> None:
    from forge_factories.core.fastfaker import patch_faker

    flat = _faker_values(Faker("en_US", use_weighting=False))
    assert _faker_values(patch_faker(Faker("en_US", use_weighting=False))) == flat
    provider = compat_faker.generators(Faker("en_US", use_weighting=False))[0].providers[0]
    assert compat_faker.provider_weighting(provider) is False
    fallback(compat_faker.USE_WEIGHTING)
    assert compat_faker.provider_weighting(provider) is None
    assert _faker_values(patch_faker(Faker("en_US", use_weighting=False))) == flat


def test_faker_generators_fallback_is_the_same_objects(fallback: Any) -> None:
    from forge_factories.samplers import FakerTables

    fake = Faker(["en_US", "de_DE"])
    fast, fast_table = compat_faker.generators(fake), FakerTables("fr_FR").attr("first_names")
    fallback(compat_faker.FACTORY_MAP)
    assert compat_faker.generators(fake) == fast and len(fast) == 2
    assert FakerTables("fr_FR").attr("first_names") == fast_table and fast_table


# -- factory_boy --------------------------------------------------------------------------------------

def test_shared_faker_fallback_leaves_stock_values(fallback: Any) -> None:
    from forge_factories.core.fastfaker import shared_fakers_patched, shared_patch_active

    class Person(factory.DictFactory):
        name = stock_factory.Faker("name")
        city = stock_factory.Faker("city")

    factory.seed(5)
    fast = Person.build_batch(20)
    fallback(compat_fb.FAKER_REGISTRY)
    assert compat_fb.shared_fakers(include_default=True) == []
    factory.seed(5)
    with shared_fakers_patched():
        assert shared_patch_active()
        assert Person.build_batch(20) == fast


def test_default_locale_fallback_is_fakers_default(fallback: Any) -> None:
    with stock_factory.Faker.override_default_locale("de_DE"):
        assert compat_fb.default_faker_locale() == "de_DE"
    fallback(compat_fb.DEFAULT_LOCALE)
    assert compat_fb.default_faker_locale() == "en_US"  # an override_default_locale block is not seen


def test_declaration_arguments_fallback_makes_the_column_path_decline(fallback: Any) -> None:
    from forge_factories.datasets.columns import NotColumnar, faker_column

    decl = stock_factory.Faker("pyint", min_value=3, max_value=9)
    assert compat_fb.declaration_arguments(decl) == {"locale": None, "min_value": 3, "max_value": 9}
    column = faker_column(decl, None)
    assert all(3 <= v <= 9 for v in column(20, random.Random(1), range(20)))
    fallback(compat_fb.DECLARATION_ARGUMENTS)
    assert compat_fb.declaration_arguments(decl) is None
    with pytest.raises(NotColumnar, match="pyint"):
        faker_column(decl, None)


class _Row:
    def __init__(self, n: int) -> None:
        self.n = n


def _sequence_factories() -> tuple[Any, Any]:
    """A factory holding its own sequence counter, and a child sharing it."""
    class Parent(factory.Factory):
        class Meta:
            model = _Row

        n = stock_factory.Sequence(lambda i: i)

    class Child(Parent):
        pass

    assert Parent._meta.counter_reference is Parent._meta and Child._meta.counter_reference is Parent._meta
    return Parent, Child


def _sequence_story() -> list[Any]:
    parent, child = _sequence_factories()
    meta = parent._meta
    out: list[Any] = [compat_fb.sequence_started(meta) or None, compat_fb.get_sequence(meta, create=False)]
    out += [row.n for row in parent.build_batch(3)] + [compat_fb.get_sequence(meta)]
    compat_fb.set_sequence(meta, 10)
    out += [child.build().n, parent.build().n]
    first = meta.next_sequence()
    assert compat_fb.skip_sequences(meta, first, 5)
    out += [first, parent.build().n, child.build().n]
    compat_fb.forget_sequence(meta)
    out.append(parent.build().n)
    return out


def test_sequence_fallbacks_number_the_same(fallback: Any) -> None:
    fast = _sequence_story()
    assert fast == [None, None, 0, 1, 2, 3, 10, 11, 12, 17, 18, 0]
    fallback(compat_fb.COUNTER)
    slow = _sequence_story()
    # the fallback cannot tell an unstarted counter (first two) nor forget one (last)
    assert slow[2:-1] == fast[2:-1] and slow[:2] == [True, None] and slow[-1] == 19


def test_scope_restores_sequences_through_the_fallback(fallback: Any) -> None:
    from forge_factories.core.scope import _capture, _install

    def story() -> list[int]:
        parent, child = _sequence_factories()
        parent.build_batch(2)
        state = _capture()
        first = [parent.build().n, child.build().n]
        _install(state)
        return first + [parent.build().n, child.build().n]

    fast = story()
    assert fast == [2, 3, 2, 3]
    fallback(compat_fb.COUNTER)
    assert story() == fast


# -- attrs, pytest -------------------------------------------------------------------------------------

def test_attrs_and_validator_fallback_gives_the_same_parts(fallback: Any) -> None:
    combined = attrs.validators.and_(attrs.validators.gt(0), attrs.validators.lt(90), attrs.validators.instance_of(int))
    fast = compat_attrs.and_validator_parts(combined)
    fallback(compat_attrs.AND_PARTS)
    assert compat_attrs.and_validator_parts(combined) == fast and len(fast) == 3


def test_pytest_id_fallback_gives_the_same_ids(fallback: Any) -> None:
    from _pytest import python

    cls = getattr(python, "CallSpec", None) or python.CallSpec2
    cases = [(["a", "2-5"], "2-5"), (["2-5"], "2-5"), (["x", "2-5", "y"], "2-5"), (["2-5", "q", "2-5"], "2-5"),
             (["a"], "2-5"), ([], "1-1")]
    fast = [compat_pytest.callspec_id_without(cls(_idlist=ids), part) for ids, part in cases]
    assert fast == ["a", "", "x-y", "2-5-q", None, None]
    fallback(compat_pytest.IDLIST)
    assert [compat_pytest.callspec_id_without(cls(_idlist=ids), part) for ids, part in cases] == fast
