"""Faker's placeholders (``numerify``, ``lexify``, ``bothify``) filled a whole column at a time.

Faker's placeholders: ``#`` a digit, ``%`` a digit 1-9, ``$`` a digit 2-9, ``!`` a digit or
nothing (even odds), ``@`` a digit 1-9 or nothing, ``?`` a letter. A text of these is compiled
once into a ``str.format`` template that reads the ``i``-th character of per-row random strings
(``"(###) %##"`` -> ``"({0[0]}{0[1]}{0[2]}) {1[0]}{0[3]}{0[4]}"``); the random characters of a
whole column are drawn at once from random bytes (``bytes.translate``, in C) and the rows are
``map(str.format, templates, *strings)``: no loop per character, no grouping by format. Texts
with ``!``/``@`` fill each placeholder run as a column instead. The values follow Faker's
distribution for each placeholder; they are not the characters Faker would draw for the same seed.
"""

from __future__ import annotations

import random
import string
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from forge_factories.samplers.tables import Table, group_rows, scaled_ints, scatter, uniform_ints

DIGITS = "#%$!@"
LETTER = "?"
#: The widest ``#`` run drawn as one integer (a double holds 15 decimal digits exactly).
_MAX_RUN = 15
_OPTIONAL = {"!": tuple("0123456789") + ("",) * 10, "@": tuple("123456789") + ("",) * 9}
_OFFSET = {"%": (1, 9), "$": (2, 8)}


@dataclass(frozen=True)
class Part:
    """One field of a compiled template: a ``{{token}}`` or a placeholder run."""

    kind: str  # "token" | "number" | "choice" | "letters"
    name: str = ""  # token: the provider name
    span: int = 0  # number: draws in [0, span)
    offset: int = 0  # number: added to the draw
    width: int = 0  # letters: how many
    choices: tuple[str, ...] = ()  # choice: drawn uniformly
    letters: str = ""  # letters: the alphabet


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def literal_fields(text: str, *, digits: bool = True, letters: str | None = None) -> list[str | tuple[Part, str]]:
    """``text`` cut into escaped literal runs (``str.format`` syntax) and placeholder parts, each
    part with the format spec its field takes (``"05d"`` for a run of five ``#``, else ``""``)."""
    out: list[str | tuple[Part, str]] = []
    i = 0
    while i < len(text):
        c = text[i]
        j = i + 1
        if digits and c == "#":
            while j < len(text) and text[j] == "#" and j - i < _MAX_RUN:
                j += 1
            out.append((Part("number", span=10 ** (j - i)), f"0{j - i}d"))
        elif digits and c in _OFFSET:
            out.append((Part("number", offset=_OFFSET[c][0], span=_OFFSET[c][1]), ""))
        elif digits and c in _OPTIONAL:
            out.append((Part("choice", choices=_OPTIONAL[c]), ""))
        elif letters and c == LETTER:
            while j < len(text) and text[j] == LETTER:
                j += 1
            out.append((Part("letters", width=j - i, letters=letters), ""))
        else:
            while j < len(text) and not ((digits and text[j] in DIGITS) or (letters and text[j] == LETTER)):
                j += 1
            out.append(_escape(text[i:j]))
        i = j
    return out


def compile_literal(text: str, *, digits: bool = True, letters: str | None = None,
                    start: int = 0) -> tuple[str, list[Part]]:
    """``text`` as a ``str.format`` template with positional fields (numbered from ``start``),
    and its placeholder parts."""
    out: list[str] = []
    parts: list[Part] = []
    for field in literal_fields(text, digits=digits, letters=letters):
        if isinstance(field, str):
            out.append(field)
            continue
        part, spec = field
        out.append(f"{{{start + len(parts)}:{spec}}}" if spec else f"{{{start + len(parts)}}}")
        parts.append(part)
    return "".join(out), parts


def letter_column(n: int, rng: random.Random, width: int, letters: str) -> list[str]:
    """``n`` strings of ``width`` letters drawn uniformly from ``letters``."""
    if width == 1:
        return list(map(letters.__getitem__, scaled_ints(rng, n, len(letters))))
    flat = "".join(map(letters.__getitem__, scaled_ints(rng, n * width, len(letters))))
    bounds = range(0, n * width, width)
    return list(map(flat.__getitem__, map(slice, bounds, range(width, n * width + width, width))))


def part_column(part: Part, n: int, rng: random.Random) -> Iterator[Any] | list[Any]:
    """The values of a placeholder part for ``n`` rows."""
    if part.kind == "number":
        ints = scaled_ints(rng, n, part.span)
        return list(map(part.offset.__add__, ints) if part.offset else ints)
    if part.kind == "choice":
        return list(map(part.choices.__getitem__, scaled_ints(rng, n, len(part.choices))))
    if part.kind == "letters":
        return letter_column(n, rng, part.width, part.letters)
    raise ValueError(f"not a placeholder part: {part!r}")


#: The per-row random strings a flat template reads: argument 0 digits, 1 digits 1-9, 2 digits 2-9, 3 letters.
_FLAT = {"#": (0, string.digits), "%": (1, "123456789"), "$": (2, "23456789")}
_LETTERS_ARG = 3


def compile_flat(text: str, letters: str | None, digits: bool = True) -> tuple[str, list[int]] | None:
    """``text`` as a template reading its placeholders from per-row random strings, and how many
    characters of each string it reads; ``None`` when a placeholder needs a column (``!``, ``@``)."""
    out: list[str] = []
    used = [0, 0, 0, 0]
    for c in text:
        if digits and c in _FLAT:
            arg = _FLAT[c][0]
        elif letters and c == LETTER:
            arg = _LETTERS_ARG
        elif digits and c in _OPTIONAL:
            return None
        else:
            out.append(_escape(c))
            continue
        out.append(f"{{{arg}[{used[arg]}]}}")
        used[arg] += 1
    return "".join(out), used


def random_text(rng: random.Random, n: int, width: int, alphabet: str) -> str:
    """``n * width`` characters drawn uniformly from ``alphabet``, as one string."""
    total = n * width
    if alphabet.isascii() and len(alphabet) <= 256:
        keep = 256 - 256 % len(alphabet)
        table = bytes(ord(alphabet[b % len(alphabet)]) for b in range(256))
        drop = bytes(range(keep, 256))
        raw = b""
        while len(raw) < total:
            raw += rng.randbytes((total - len(raw)) * 256 // keep + 16).translate(table, drop)
        return raw[:total].decode("ascii")
    return "".join(map(alphabet.__getitem__, uniform_ints(rng, total, len(alphabet))))


def random_strings(rng: random.Random, n: int, width: int, alphabet: str) -> list[str]:
    """``n`` strings of ``width`` characters drawn uniformly from ``alphabet``."""
    if not width:
        return [""] * n
    flat = random_text(rng, n, width, alphabet)
    if width == 1:
        return list(flat)
    total = n * width
    return list(map(flat.__getitem__, map(slice, range(0, total, width), range(width, total + width, width))))


def compile_positions(text: str, letters: str | None, digits: bool = True) -> tuple[bytes, list[tuple[int, int, int]]] | None:
    """An ASCII flat ``text`` as its bytes and, for each placeholder, ``(position, argument, index)``:
    the character at ``position`` is character ``index`` of the row's random string ``argument``
    (as :func:`compile_flat` reads them); ``None`` when ``text`` is not ASCII or needs columns."""
    if not text.isascii():
        return None
    used = [0, 0, 0, 0]
    places: list[tuple[int, int, int]] = []
    for pos, c in enumerate(text):
        if digits and c in _FLAT:
            arg = _FLAT[c][0]
        elif letters and c == LETTER:
            arg = _LETTERS_ARG
        elif digits and c in _OPTIONAL:
            return None
        else:
            continue
        places.append((pos, arg, used[arg]))
        used[arg] += 1
    return text.encode("ascii"), places


def fill_positions(text: bytes, places: list[tuple[int, int, int]], rows: list[int] | None, n: int,
                   flats: list[bytes], widths: list[int]) -> list[str]:
    """The rows ``rows`` (all ``n`` when ``None``) of an ASCII template filled from the per-row random
    strings ``flats[arg]`` (``widths[arg]`` characters a row), with C-level slice assignments."""
    m = n if rows is None else len(rows)
    size = len(text)
    buf = bytearray(text * m)
    mine: dict[int, bytes] = {}  # each argument's strings of these rows, back to back
    for pos, arg, index in places:
        width = widths[arg]
        flat = flats[arg] if rows is None else mine.get(arg)
        if flat is None:
            starts = list(map(width.__mul__, rows))  # type: ignore[arg-type]
            flat = mine[arg] = b"".join(map(flats[arg].__getitem__, map(slice, starts, map(width.__add__, starts))))
        buf[pos::size] = flat[index::width]
    joined = buf.decode("ascii")
    total = m * size
    return list(map(joined.__getitem__, map(slice, range(0, total, size), range(size, total + size, size))))


class Flat:
    """Placeholder texts (one, or a weighted table of them) filled row by row from random strings."""

    __slots__ = ("letters", "places", "templates", "widths")

    def __init__(self, templates: Table, widths: list[int], letters: str | None,
                 places: dict[str, tuple[bytes, list[tuple[int, int, int]]] | None] | None = None) -> None:
        self.templates, self.widths, self.letters = templates, widths, letters
        #: Each template's ASCII form for :func:`fill_positions` (``None``: filled with ``str.format``).
        self.places = places or {}

    @classmethod
    def of(cls, texts: Table, letters: str | None, digits: bool = True) -> Flat | None:
        """The flat form of a table of texts, or ``None`` when one of them needs columns."""
        compiled = [compile_flat(str(t), letters, digits) for t in texts.keys]
        if any(c is None for c in compiled):
            return None
        done = [c for c in compiled if c is not None]
        widths = [max(c[1][i] for c in done) for i in range(4)]
        templates = Table.of(c[0] for c in done)
        templates.cum = texts.cum
        places = {c[0]: compile_positions(str(t), letters, digits) for c, t in zip(done, texts.keys, strict=True)}
        return cls(templates, widths, letters, places)

    def fill(self, n: int, rng: random.Random) -> list[str]:
        """``n`` rows: a text each (weighted), its placeholders filled.

        The random strings are drawn for every row as one flat run per kind; ASCII templates
        are filled a group of rows at a time (:func:`fill_positions`), others with ``str.format``.
        """
        templates = self.templates.pick(n, rng)
        alphabets = [_FLAT["#"][1], _FLAT["%"][1], _FLAT["$"][1], self.letters or ""]
        flats = [random_text(rng, n, w, a) if w else "" for w, a in zip(self.widths, alphabets, strict=True)]
        groups = group_rows(templates)
        if any(self.places.get(t) is None for t in groups) or not all(map(str.isascii, flats)):
            widths = self.widths
            strings = [list(map(f.__getitem__, map(slice, range(0, n * w, w), range(w, n * w + w, w)))) if w
                       else repeat("") for f, w in zip(flats, widths, strict=True)]
            return list(map(str.format, templates, *strings))
        raw = [f.encode("ascii") for f in flats]
        if len(groups) == 1:
            text, places = self.places[templates[0]]  # type: ignore[misc]
            return fill_positions(text, places, None, n, raw, self.widths)
        out: list[Any] = [None] * n
        for template, rows in groups.items():
            text, places = self.places[template]  # type: ignore[misc]
            deque(map(out.__setitem__, rows, fill_positions(text, places, rows, n, raw, self.widths)), maxlen=0)
        return out


class Pattern:
    """A text with placeholders, compiled once, filled for whole columns."""

    __slots__ = ("flat", "parts", "template")

    def __init__(self, text: str, *, digits: bool = True, letters: str | None = None) -> None:
        self.template, self.parts = compile_literal(text, digits=digits, letters=letters)
        self.flat = Flat.of(Table.of([text]), letters, digits) if self.parts else None

    def fill(self, n: int, rng: random.Random) -> list[str]:
        """``n`` filled copies of the text."""
        if not self.parts:
            return [self.template.format()] * n
        if self.flat is not None:
            return self.flat.fill(n, rng)
        columns = [part_column(p, n, rng) for p in self.parts]
        return list(map(self.template.format, *columns))


_PATTERNS: dict[tuple[str, bool, str | None], Pattern] = {}


def pattern(text: str, *, digits: bool = True, letters: str | None = None) -> Pattern:
    """The cached :class:`Pattern` of ``text``."""
    key = (text, digits, letters)
    found = _PATTERNS.get(key)
    if found is None:
        found = Pattern(text, digits=digits, letters=letters)
        if len(_PATTERNS) < 4096:
            _PATTERNS[key] = found
    return found


def fill_texts(texts: list[str], rng: random.Random, *, digits: bool = True,
               letters: str | None = None) -> list[str]:
    """Fill the placeholders of a column of (few distinct) texts, grouped by text."""
    return scatter(texts, lambda text, m: pattern(text, digits=digits, letters=letters).fill(m, rng))


def numerify(text: str, rng: random.Random) -> str:
    """Faker's ``numerify`` for one text: ``#`` ``%`` ``$`` ``!`` ``@``."""
    return pattern(text).fill(1, rng)[0]


def lexify(text: str, rng: random.Random, letters: str = string.ascii_letters) -> str:
    """Faker's ``lexify`` for one text: ``?`` is a letter of ``letters``."""
    return pattern(text, digits=False, letters=letters).fill(1, rng)[0]


def bothify_sampler(text: str, *, digits: bool = True, letters: str | None = string.ascii_letters,
                    post: Callable[[str], str] | None = None) -> Callable[[int, random.Random], list[str]]:
    """A column sampler of ``text`` with its placeholders filled (``post`` applied to each value)."""
    compiled = pattern(text, digits=digits, letters=letters)
    if post is None:
        return compiled.fill
    return lambda n, rng: list(map(post, compiled.fill(n, rng)))
