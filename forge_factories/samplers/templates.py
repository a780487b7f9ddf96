"""Faker's ``{{token}}`` formats resolved column by column, nested tokens included.

A provider method of the locale is reproduced column-wise only when it is one of the
implementations listed in a ``FORMS`` table (keyed by the function's module and qualified
name): ``Provider.city`` of ``faker.providers.address`` picks ``city_formats`` and parses
them, ``Provider.postcode`` of ``faker.providers.address.en_US`` draws ``randint(501, 99950)``,
and so on. A locale that overrides a method with something else (de_DE's ``city_name``...)
gets that token from its own Faker, seeded once per column from the column's generator.

A format column picks each row's format, groups the rows by format, and for each group
draws one column per token (recursively: ``address`` -> ``street_address`` ->
``building_number``, ``street_name`` -> ``last_name``...) and per placeholder run, then
joins them with ``map(template.format, *columns)``.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable, Mapping
from typing import Any

from forge_factories.samplers.placeholders import Flat, Part, compile_literal, part_column
from forge_factories.samplers.tables import FakerTables, Sampler, Table, scatter

TOKEN = re.compile(r"\{\{\s*(\w+)\s*\}\}")

#: ``builder(templates, provider)`` -> a column sampler for the provider's method, or ``None``.
FormBuilder = Callable[["Templates", Any], "Sampler | None"]


def method_key(method: Any) -> str:
    """``"module:Qualname"`` of a bound provider method (the key of a ``FORMS`` table)."""
    func = getattr(method, "__func__", method)
    return f"{getattr(func, '__module__', '')}:{getattr(func, '__qualname__', '')}"


class _Memo(dict[str, str]):
    """``fn(value)`` for each value seen, computed once (a bounded cache for ``map``)."""

    def __init__(self, fn: Callable[[str], str]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: str) -> str:
        value = self.fn(key)
        if len(self) < 100_000:
            self[key] = value
        return value


class Format:
    """One ``{{token}}`` format compiled to a template with positional fields."""

    __slots__ = ("parts", "template")

    def __init__(self, fmt: str, *, digits: bool, letters: str | None) -> None:
        pieces = TOKEN.split(fmt)
        template: list[str] = []
        self.parts: list[Part] = []
        for i, piece in enumerate(pieces):
            if i % 2:
                template.append(f"{{{len(self.parts)}}}")
                self.parts.append(Part("token", name=piece))
                continue
            literal, parts = compile_literal(piece, digits=digits, letters=letters, start=len(self.parts))
            template.append(literal)
            self.parts.extend(parts)
        self.template = "".join(template)


class Templates:
    """Column forms of one locale's provider methods, with a seeded-Faker fallback."""

    def __init__(self, tables: FakerTables, forms: Mapping[str, FormBuilder]) -> None:
        self.tables = tables
        self.forms = forms
        self._samplers: dict[str, Sampler] = {}
        self._known: dict[str, Sampler | None] = {}
        self._formats: dict[tuple[str, bool, str | None], Format] = {}

    # -- tokens
    def known(self, name: str) -> Sampler | None:
        """The column form of the locale's ``name`` method, when it is one reproduced here."""
        if name not in self._known:
            method = self.tables.method(name)
            builder = self.forms.get(method_key(method)) if method is not None else None
            self._known[name] = builder(self, method.__self__) if builder is not None else None
        return self._known[name]

    def sampler_for(self, name: str) -> Sampler:
        """A column sampler of token ``name``: its column form, else the locale's Faker."""
        found = self._samplers.get(name)
        if found is None:
            found = self._samplers[name] = self.known(name) or self.faker_column(name)
        return found

    def column(self, name: str, n: int, rng: random.Random) -> list[str]:
        """``n`` values of token ``name``, as strings."""
        values = self.sampler_for(name)(n, rng)
        return values if all(type(v) is str for v in values[:1]) else list(map(str, values))

    def faker_column(self, name: str) -> Sampler:
        """``name`` from the locale's own Faker, seeded once per column from the column's generator."""
        fake = self.tables.fake

        def sample(n: int, rng: random.Random) -> list[Any]:
            fake.seed_instance(rng.getrandbits(64))  # from rng: the same values in every process
            return [str(fake.format(name)) for _ in range(n)]

        return sample

    # -- formats
    def compiled(self, fmt: str, *, digits: bool = False, letters: str | None = None) -> Format:
        """The cached :class:`Format` of ``fmt``."""
        key = (fmt, digits, letters)
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = Format(fmt, digits=digits, letters=letters)
        return found

    def fill(self, chosen: list[str], rng: random.Random, *, digits: bool = False,
             letters: str | None = None, tokens: Callable[[str], str] | None = None) -> list[str]:
        """Each row's format in ``chosen`` filled: tokens (their values through ``tokens`` when
        given) and, with ``digits``/``letters``, placeholders."""
        memo = _Memo(tokens) if tokens is not None else None

        def token(name: str, m: int) -> list[str]:
            values = self.column(name, m, rng)
            return list(map(memo.__getitem__, values)) if memo is not None else values

        def group(fmt: str, m: int) -> list[str]:
            compiled = self.compiled(fmt, digits=digits, letters=letters)
            if not compiled.parts:
                return [compiled.template.format()] * m
            columns = [token(p.name, m) if p.kind == "token" else part_column(p, m, rng) for p in compiled.parts]
            return list(map(compiled.template.format, *columns))

        return scatter(chosen, group)

    def formats(self, data: Any, *, digits: bool = False, letters: str | None = None,
                post: Callable[[str], str] | None = None, tokens: Callable[[str], str] | None = None
                ) -> Sampler | None:
        """A sampler of ``parse(random_element(data))`` (``None`` for an empty table); ``post`` is
        applied to each value, ``tokens`` to each token's value before it is joined in."""
        if not data:
            return None
        if isinstance(data, str):
            data = (data,)
        table = Table(data)
        if (digits or letters) and not any(TOKEN.search(str(k)) for k in table.keys):
            flat = Flat.of(table, letters, digits)  # placeholders only: no grouping by format
            if flat is not None:
                return flat.fill if post is None else (lambda n, rng: list(map(post, flat.fill(n, rng))))

        def sample(n: int, rng: random.Random) -> list[Any]:
            values = self.fill(table.pick_str(n, rng), rng, digits=digits, letters=letters, tokens=tokens)
            return list(map(post, values)) if post is not None else values

        return sample


# -- builders shared by the provider modules


def table_form(attr: str) -> FormBuilder:
    """``random_element(self.<attr>)``."""
    def build(_t: Templates, provider: Any) -> Sampler | None:
        data = getattr(provider, attr, None)
        return Table(data).pick_str if data else None

    return build


def formats_form(attr: str, *, digits: bool = False, letters: str | None = None,
                 post: Callable[[str], str] | None = None, tokens: Callable[[str], str] | None = None) -> FormBuilder:
    """``parse(random_element(self.<attr>))``, placeholders of the formats filled when asked."""
    def build(t: Templates, provider: Any) -> Sampler | None:
        return t.formats(getattr(provider, attr, None), digits=digits, letters=letters, post=post, tokens=tokens)

    return build


def numerify_form(attr: str) -> FormBuilder:
    """``numerify(random_element(self.<attr>))``."""
    return formats_form(attr, digits=True)


def bothify_form(attr: str, post: Callable[[str], str] | None = None) -> FormBuilder:
    """``bothify(random_element(self.<attr>))``."""
    return formats_form(attr, digits=True, letters=string.ascii_letters, post=post)


def table_or(attr: str, fallback: str) -> FormBuilder:
    """``random_element(self.<attr>)`` when the locale has the table, else the ``fallback`` method."""
    def build(t: Templates, provider: Any) -> Sampler | None:
        data = getattr(provider, attr, None)
        return Table(data).pick_str if data else t.sampler_for(fallback)

    return build


class SamplerBase:
    """What the sampler mixins of the provider modules share: the locale's tables and forms."""

    tables: FakerTables
    templates: Templates
