"""Faker instances whose weighted picks reuse cached cumulative weights.

Faker recomputes the cumulative weights of its data tables (thousands of first names,
last names, cities...) on every weighted pick. ``random.choices(population,
cum_weights=...)`` with the weights accumulated once gives the very same values (same
random draws, same bisect), several times faster. Only the Faker instances returned by
:func:`get_faker` are patched; nothing global is changed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import Any

from faker import Faker
from faker.generator import _re_token

_lock = threading.Lock()
_fakers: dict[str, Faker] = {}


def _fast_random_elements(provider: Any) -> Callable[..., Sequence[Any]]:
    original = provider.random_elements
    cache: dict[int, tuple[Any, tuple[Any, ...], list[float]]] = {}

    def random_elements(
        elements: Any = ("a", "b", "c"),
        length: int | None = None,
        unique: bool = False,
        use_weighting: bool | None = None,
    ) -> Sequence[Any]:
        rnd = provider.generator.random
        if length == 1 and not unique and isinstance(elements, (tuple, list, str)):
            return [rnd.choice(elements)]  # what choices_distribution does for one unweighted pick
        weighted = use_weighting if use_weighting is not None else provider.__use_weighting__
        if unique or not weighted or not isinstance(elements, OrderedDict):
            return original(elements, length, unique, use_weighting)
        if length is None:
            length = rnd.randint(1, len(elements))
        entry = cache.get(id(elements))
        if entry is None or entry[0] is not elements:
            keys = tuple(elements.keys())
            entry = (elements, keys, list(accumulate(elements.values())))
            cache[id(elements)] = entry
        return rnd.choices(entry[1], cum_weights=entry[2], k=length)

    return random_elements


def _fast_numerify(provider: Any) -> Callable[[str], str]:
    """``numerify`` drawing its ``#`` digits without a regex callback (same draws, same order)."""
    original = provider.numerify

    def numerify(text: str = "###") -> str:
        if "#" in text:
            rnd = provider.generator.random
            pieces = text.split("#")
            out = [pieces[0]]
            for piece in pieces[1:]:
                out.append(str(rnd.randint(0, 9)))
                out.append(piece)
            text = "".join(out)
        if "%" in text or "$" in text or "!" in text or "@" in text:
            return original(text)
        return text

    return numerify


def _fast_random_element(provider: Any) -> Callable[..., Any]:
    many = provider.random_elements

    def random_element(elements: Any = ("a", "b", "c")) -> Any:
        if isinstance(elements, (tuple, list, str)):
            return provider.generator.random.choice(elements)
        return many(elements, length=1)[0]

    return random_element


def _fast_parse(generator: Any) -> Callable[[str], str]:
    """``generator.parse`` with each template split once (same formatter calls, same order)."""
    original = generator.parse
    templates: dict[str, list[tuple[bool, str]] | None] = {}

    def compile_template(text: str) -> list[tuple[bool, str]] | None:
        parts: list[tuple[bool, str]] = []
        pos = 0
        for match in _re_token.finditer(text):
            if match.group(2):  # an argument group: leave it to Faker
                return None
            if match.start() > pos:
                parts.append((False, text[pos:match.start()]))
            parts.append((True, match.group(1)))
            pos = match.end()
        if pos < len(text):
            parts.append((False, text[pos:]))
        return parts

    def parse(text: str) -> str:
        try:
            parts = templates[text]
        except KeyError:
            parts = templates[text] = compile_template(text)
        if parts is None:
            return original(text)
        return "".join(str(generator.format(value)) if token else value for token, value in parts)

    return parse


def patch_faker(fake: Faker) -> Faker:
    """Give every provider of ``fake`` the cached-weights ``random_elements`` and template cache (same output)."""
    for generator in fake._factory_map.values():
        if "parse" not in vars(generator):
            generator.parse = _fast_parse(generator)
        for provider in generator.providers:
            if "random_elements" not in vars(provider):
                provider.random_elements = _fast_random_elements(provider)
                provider.random_element = _fast_random_element(provider)
                provider.numerify = _fast_numerify(provider)
    return fake


def get_faker(locale: str | None = None) -> Faker:
    """A patched Faker for ``locale`` (default ``en_US``), drawing from Faker's shared random.

    Faker's shared random is the one ``factory.random.reseed_random`` (and so
    :func:`forge_factories.seed`) seeds, so values are reproducible under a seed.
    """
    key = locale or "en_US"
    with _lock:
        fake = _fakers.get(key)
        if fake is None:
            fake = patch_faker(Faker(key))
            _fakers[key] = fake
    return fake
