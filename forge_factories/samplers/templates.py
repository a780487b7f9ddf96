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
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from itertools import compress
from typing import Any

from forge_factories.samplers.placeholders import (
    Flat,
    Part,
    _escape,
    compile_literal,
    literal_fields,
    part_column,
)
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
        return FormatSampler(self, table, digits=digits, letters=letters, post=post, tokens=tokens)


class FormatSampler:
    """``parse(random_element(table))`` for a column (see :meth:`Templates.formats`).

    On first use it tries to flatten itself (:func:`flatten`): nested format tokens expanded
    into one weighted table of flat templates over shared leaf columns, so a value is one
    ``str.format`` of leaf values and no rows are grouped by format; when that does not
    apply it fills each format's rows as a group (:meth:`Templates.fill`).
    """

    __slots__ = ("_flat", "digits", "letters", "post", "table", "templates", "tokens")

    def __init__(self, templates: Templates, table: Table, *, digits: bool, letters: str | None,
                 post: Callable[[str], str] | None, tokens: Callable[[str], str] | None) -> None:
        self.templates, self.table = templates, table
        self.digits, self.letters, self.post, self.tokens = digits, letters, post, tokens
        self._flat: Flattened | None | bool = None

    @property
    def plain(self) -> bool:
        """Its formats hold tokens only: no placeholders, nothing applied to tokens or values."""
        return not (self.digits or self.letters or self.post or self.tokens)

    def __call__(self, n: int, rng: random.Random) -> list[Any]:
        if self._flat is None:
            self._flat = flatten(self) or False
        if self._flat:
            values = self._flat.fill(n, rng)  # type: ignore[union-attr]
        else:
            values = self.templates.fill(self.table.pick_str(n, rng), rng, digits=self.digits,
                                         letters=self.letters, tokens=self.tokens)
        return list(map(self.post, values)) if self.post is not None else values


#: Flattening gives up past this many flat templates (nested tables multiply).
_MAX_FLAT = 2048
#: How deep nested format tokens are expanded.
_MAX_DEPTH = 4
#: A leaf column of a flat template: ``("token", name)`` or ``("part", placeholder)``.
_Leaf = tuple[str, Any]
#: One alternative while flattening: its probability and its fields (literals, leaves with their spec).
_Alt = tuple[float, list[Any]]


#: A leaf column used by templates picked less often than this is drawn only for their rows.
_SPARSE = 0.3


class Flattened:
    """Flat templates (weighted) whose fields index shared leaf columns.

    A leaf column used by the templates most rows pick is drawn for every row (a row whose
    template does not use it ignores it: ``str.format`` reads only the fields it names); one
    that only rare templates use (:data:`_SPARSE`) is drawn for their rows only. Either way
    a row's fields are independent draws of their token or placeholder.
    """

    __slots__ = ("leaves", "sparse", "table", "templates", "tokens")

    def __init__(self, templates: Templates, table: Table, leaves: list[_Leaf],
                 sparse: dict[int, frozenset[str]], tokens: Callable[[str], str] | None) -> None:
        self.templates, self.table, self.leaves, self.tokens = templates, table, leaves, tokens
        #: Leaf index -> the templates that use it, for the leaves drawn only where used.
        self.sparse = sparse

    def fill(self, n: int, rng: random.Random) -> list[str]:
        """``n`` values: a flat template each, its leaves drawn as columns."""
        chosen = self.table.pick(n, rng)
        memo = _Memo(self.tokens) if self.tokens is not None else None
        columns: list[Any] = []
        for i, (kind, what) in enumerate(self.leaves):
            users = self.sparse.get(i)
            rows: list[int] | None = None
            m = n
            if users is not None:
                rows = list(compress(range(n), map(users.__contains__, chosen)))
                m = len(rows)
            if kind == "part":
                values: Any = part_column(what, m, rng)
            else:
                values = self.templates.column(what, m, rng)
                if memo is not None:
                    values = list(map(memo.__getitem__, values))
            if rows is not None:
                full: list[Any] = [None] * n
                deque(map(full.__setitem__, rows, values), maxlen=0)
                values = full
            columns.append(values)
        if len(self.table.keys) == 1:
            return list(map(chosen[0].format, *columns))
        return list(map(str.format, chosen, *columns))


def _weights(table: Table) -> list[float]:
    """The probability of each key of ``table``."""
    if table.cum is None:
        return [1 / len(table.keys)] * len(table.keys)
    total = table.cum[-1]
    return [(b - a) / total for a, b in zip([0.0, *table.cum[:-1]], table.cum, strict=True)]


def _expand(templates: Templates, table: Table, top: FormatSampler | None, depth: int) -> list[_Alt] | None:
    """The flat alternatives of a table of formats, ``None`` when one of its tokens has no
    column form (its Faker fallback would run for every row) or there are too many."""
    alts: list[_Alt] = []
    digits, letters = (top.digits, top.letters) if top is not None else (False, None)
    expand_tokens = top is None or top.tokens is None
    for fmt, weight in zip(table.keys, _weights(table), strict=True):
        current: list[_Alt] = [(weight, [])]
        for i, piece in enumerate(TOKEN.split(str(fmt))):
            if not i % 2:
                fields = literal_fields(piece, digits=digits, letters=letters) if digits or letters else [_escape(piece)]
                for _w, out in current:
                    out.extend(("part", f) if isinstance(f, tuple) else f for f in fields)
                continue
            sampler = templates.known(piece)
            if sampler is None:
                return None
            if expand_tokens and depth < _MAX_DEPTH and isinstance(sampler, FormatSampler) and sampler.plain:
                inner = _expand(templates, sampler.table, None, depth + 1)
                if inner is None:
                    return None
                current = [(w * v, [*out, *more]) for w, out in current for v, more in inner]
            else:
                for _w, out in current:
                    out.append(("token", piece))
            if len(current) > _MAX_FLAT:
                return None
        alts.extend(current)
        if len(alts) > _MAX_FLAT:
            return None
    return alts


def flatten(sampler: FormatSampler) -> Flattened | None:
    """``sampler`` as flat templates over shared leaf columns (:class:`Flattened`), or ``None``
    when it does not pay: a token without a column form, too many templates, or leaf columns
    that would be drawn mostly for nothing (more than twice the expected fields of a row, plus two)."""
    alts = _expand(sampler.templates, sampler.table, sampler, 0)
    if not alts:
        return None
    leaves: dict[tuple[Any, ...], int] = {}
    weights: dict[str, float] = {}
    usage: dict[int, float] = {}
    users: dict[int, set[str]] = {}
    expected = 0.0
    for weight, fields in alts:
        seen: dict[Any, int] = {}
        out: list[str] = []
        used: list[int] = []
        for f in fields:
            if isinstance(f, str):
                out.append(f)
                continue
            kind, what = f
            spec = ""
            if kind == "part":
                what, spec = what
            key = (kind, what)
            occurrence = seen[key] = seen.get(key, -1) + 1
            index = leaves.setdefault((kind, what, occurrence), len(leaves))
            out.append(f"{{{index}:{spec}}}" if spec else f"{{{index}}}")
            used.append(index)
            expected += weight
        template = "".join(out)
        weights[template] = weights.get(template, 0.0) + weight
        for index in used:
            usage[index] = usage.get(index, 0.0) + weight
            users.setdefault(index, set()).add(template)
    sparse = {i: frozenset(users[i]) for i, p in usage.items() if p < _SPARSE and len(users[i]) < len(weights)}
    if len(leaves) - len(sparse) > 2 * expected + 2:
        return None
    return Flattened(sampler.templates, Table(OrderedDict(weights)), [(k, w) for k, w, _o in leaves],
                     sparse, sampler.tokens)


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
