"""Faker instances whose weighted picks reuse cached cumulative weights.

Faker recomputes the cumulative weights of its data tables (thousands of first names,
last names, cities...) on every weighted pick. ``random.choices(population,
cum_weights=...)`` with the weights accumulated once gives the very same values (same
random draws, same bisect), several times faster.

* :func:`get_faker` returns forge's own, permanently patched instances (auto factories).
* :func:`shared_fakers_patched` patches factory_boy's shared Faker instances (the ones
  ``factory.Faker`` declarations call) only while at least one such block is open: forge
  factories open one around each call, so they give stock factory_boy's values faster, and
  every attribute it set is removed when the last block closes.
"""

from __future__ import annotations

import contextlib
import math
import random
import threading
from bisect import bisect_right as bisect
from collections import OrderedDict
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import Any

from faker import Faker
from faker.generator import Generator

from forge_factories._compat.factory_boy import shared_fakers
from forge_factories._compat.faker import generators, provider_weighting, template_token
from forge_factories._compat.stdlib import below_bits, randbelow
from forge_factories.core.declaration_tree import TreeQuery
from forge_factories.core.fastfaker_extras import provider_extras

_lock = threading.Lock()
_fakers: dict[str, Faker] = {}
_stock_choices = random.Random.choices
_stock_choice = random.Random.choice
_floor = math.floor
_DIGITS = "0123456789"
_INF = math.inf


def _fast_picks(provider: Any) -> tuple[Callable[..., Sequence[Any]], Callable[..., Any]]:
    """``random_elements`` and ``random_element`` of ``provider`` with the same draws, fewer steps.

    Weighted picks reuse cumulative weights accumulated once per table; picks from a list,
    tuple or string draw as ``random.Random.choice``/``choices`` do, without Faker's layers.
    """
    original = provider.random_elements
    cache: dict[int, tuple[Any, tuple[Any, ...], list[float], float, int]] = {}

    def weights(elements: Any) -> tuple[Any, tuple[Any, ...], list[float], float, int]:
        entry = cache.get(id(elements))
        if entry is None or entry[0] is not elements:
            keys = tuple(elements.keys())
            cum = list(accumulate(elements.values()))
            entry = (elements, keys, cum, cum[-1] + 0.0 if cum else 0.0, len(keys) - 1)
            cache[id(elements)] = entry
        return entry

    def random_elements(
        elements: Any = ("a", "b", "c"),
        length: int | None = None,
        unique: bool = False,
        use_weighting: bool | None = None,
    ) -> Sequence[Any]:
        rnd = provider.generator.random
        if not unique and isinstance(elements, (tuple, list, str)):
            if length == 1:
                return [rnd.choice(elements)]  # what choices_distribution does for one unweighted pick
            if type(length) is int and elements and type(rnd).choices is _stock_choices:
                n, draw = len(elements) + 0.0, rnd.random  # random.Random.choices without weights, inlined
                return [elements[_floor(draw() * n)] for _ in range(length)]
            return original(elements, length, unique, use_weighting)
        weighted = use_weighting if use_weighting is not None else provider_weighting(provider)
        if unique or not weighted or not isinstance(elements, OrderedDict):
            return original(elements, length, unique, use_weighting)
        if length is None:
            length = rnd.randint(1, len(elements))
        _, keys, cum, total, hi = weights(elements)
        if type(rnd).choices is not _stock_choices or not 0.0 < total < _INF:
            return rnd.choices(keys, cum_weights=cum, k=length)
        draw = rnd.random  # random.Random.choices with cum_weights, inlined: the same draws and bisect
        return [keys[bisect(cum, draw() * total, 0, hi)] for _ in range(length)]

    drawer: list[Any] = [None, None, False]  # the generator's random, its inline choice bits, stock choices

    def random_element(elements: Any = ("a", "b", "c")) -> Any:
        rnd = provider.generator.random
        if rnd is not drawer[0]:
            drawer[:] = [rnd, _choice_bits(rnd), type(rnd).choices is _stock_choices]
        if isinstance(elements, (tuple, list, str)):
            n, bits = len(elements), drawer[1]
            if bits is not None and n:  # random.Random.choice, inlined: the same getrandbits draws
                k = n.bit_length()
                r = bits(k)
                while r >= n:
                    r = bits(k)
                return elements[r]
            return rnd.choice(elements)
        if type(elements) is OrderedDict and drawer[2] and provider_weighting(provider):
            entry = cache.get(id(elements))
            if entry is None or entry[0] is not elements:
                entry = weights(elements)
            total = entry[3]
            if 0.0 < total < _INF:
                return entry[1][bisect(entry[2], rnd.random() * total, 0, entry[4])]
        return random_elements(elements, length=1)[0]

    return random_elements, random_element


def _choice_bits(rnd: random.Random) -> Callable[[int], int] | None:
    """``rnd.getrandbits`` when ``rnd.choice(seq)`` draws ``seq[rnd._randbelow(len(seq))]`` with
    CPython's getrandbits loop (so it can be inlined), else ``None``."""
    return below_bits(rnd) if type(rnd).choice is _stock_choice else None


def _fast_numerify(provider: Any) -> Callable[[str], str]:
    """``numerify`` drawing its ``#`` digits without a regex callback (same draws, same order)."""
    original = provider.numerify
    drawer: list[Any] = [None, None]  # the generator's random and its inline digit bits

    def numerify(text: str = "###") -> str:
        if "#" in text:
            rnd = provider.generator.random
            if rnd is not drawer[0]:  # randint(0, 9) is _randbelow(10): inlined when it is the getrandbits loop
                drawer[:] = [rnd, below_bits(rnd) if randbelow(rnd) is not None else None]
            pieces = text.split("#")
            out = [pieces[0]]
            bits = drawer[1]
            if bits is not None:
                for piece in pieces[1:]:
                    r = bits(4)
                    while r >= 10:
                        r = bits(4)
                    out.append(_DIGITS[r])
                    out.append(piece)
            else:
                for piece in pieces[1:]:
                    out.append(str(rnd.randint(0, 9)))
                    out.append(piece)
            text = "".join(out)
        if "%" in text or "$" in text or "!" in text or "@" in text:
            return original(text)
        return text

    return numerify


def _fast_parse(generator: Any) -> Callable[[str], str]:
    """``generator.parse`` with each template split once (same formatter calls, same order)."""
    original = generator.parse
    token_re = template_token()
    if token_re is None:
        return original
    templates: dict[str, list[tuple[bool, str]] | None] = {}

    def compile_template(text: str) -> list[tuple[bool, str]] | None:
        parts: list[tuple[bool, str]] = []
        pos = 0
        for match in token_re.finditer(text):
            if match.group(2):  # an argument group: leave it to Faker
                return None
            if match.start() > pos:
                parts.append((False, text[pos:match.start()]))
            parts.append((True, match.group(1)))
            pos = match.end()
        if pos < len(text):
            parts.append((False, text[pos:]))
        return parts

    direct = type(generator).format is Generator.format and type(generator).get_formatter is Generator.get_formatter

    def parse(text: str) -> str:
        try:
            parts = templates[text]
        except KeyError:
            parts = templates[text] = compile_template(text)
        if parts is None:
            return original(text)
        if not direct or "format" in vars(generator) or "get_formatter" in vars(generator):
            return "".join(str(generator.format(value)) if token else value for token, value in parts)
        pieces = []
        for token, value in parts:
            if token:  # what Generator.format does: the attribute of that name, called
                formatter = getattr(generator, value, None)
                pieces.append(str(formatter() if formatter is not None else generator.format(value)))
            else:
                pieces.append(value)
        return "".join(pieces)

    return parse


def _replacements(fake: Faker) -> list[tuple[Any, dict[str, Any]]]:
    """``(object, {attribute: fast function})`` for the generators and providers of ``fake``."""
    out: list[tuple[Any, dict[str, Any]]] = []
    for generator in generators(fake):
        out.append((generator, {"parse": _fast_parse(generator)}))
        for provider in generator.providers:
            many, one = _fast_picks(provider)
            functions: dict[str, Any] = {"random_elements": many, "random_element": one, "numerify": _fast_numerify(provider)}
            functions.update(provider_extras(provider))
            out.append((provider, functions))
    return out


_Installed = list[tuple[dict[str, Any], dict[str, Any]]]


def _install(replacements: list[tuple[Any, dict[str, Any]]]) -> _Installed:
    """Set the fast functions (on an object where none of their names is set on the instance yet).

    Returns what was set, as ``(instance __dict__, {name: function})``, for :func:`_uninstall`.
    """
    done: _Installed = []
    for owner, functions in replacements:
        attrs = vars(owner)
        if attrs.keys().isdisjoint(functions):
            attrs.update(functions)
            done.append((attrs, functions))
    return done


def _uninstall(done: _Installed) -> None:
    """Remove what :func:`_install` set (an attribute replaced since then is left alone)."""
    for attrs, functions in done:
        for name, function in functions.items():
            if attrs.get(name) is function:
                del attrs[name]


def patch_faker(fake: Faker) -> Faker:
    """Give every provider of ``fake`` the cached-weights ``random_elements`` and template cache (same output).

    Permanent: for instances forge owns (:func:`get_faker`); see :func:`shared_fakers_patched`
    for factory_boy's shared ones.
    """
    _install(_replacements(fake))
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


class _SharedPatch:
    """The reference-counted patch of factory_boy's shared Faker instances (one per process)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.installed: _Installed = []
        #: fast functions per shared instance, kept between blocks (their weight caches too)
        self.replacements: dict[int, tuple[Faker, list[tuple[Any, dict[str, Any]]]]] = {}

    def enter(self) -> None:
        with self.lock:
            if self.depth == 0:
                self.installed = self._install_all()
            self.depth += 1

    def exit(self) -> None:
        with self.lock:
            self.depth -= 1
            if self.depth == 0:
                installed, self.installed = self.installed, []
                _uninstall(installed)

    def _install_all(self) -> _Installed:
        done: _Installed = []
        for fake in shared_fakers(include_default=True):
            if not isinstance(fake, Faker):  # a stand-in a suite registered (factory_boy's own tests do)
                continue
            known = self.replacements.get(id(fake))
            if known is None or known[0] is not fake:
                known = self.replacements[id(fake)] = (fake, _replacements(fake))
            done.extend(_install(known[1]))
        return done


_shared = _SharedPatch()


class shared_fakers_patched:  # noqa: N801 - used like a function: ``with shared_fakers_patched():``
    """Inside the block, factory_boy's shared Faker instances use the cached-weight functions.

    Same values as stock Faker. Blocks nest and may overlap across threads: the patch is set
    when the first opens and removed, attribute by attribute, when the last closes. Locales
    whose instance factory_boy first creates inside a block are patched from the next block on.
    """

    __slots__ = ()

    def __enter__(self) -> None:
        _shared.enter()

    def __exit__(self, *exc: object) -> None:
        _shared.exit()


def shared_patch_active() -> bool:
    """Whether factory_boy's shared Faker instances are patched right now."""
    return _shared.depth > 0


# -- which forge calls open a block --------------------------------------------------------------

def _is_faker(value: Any) -> bool:
    from factory.faker import Faker as FakerDeclaration

    return isinstance(value, FakerDeclaration)


#: Whether ``factory_cls`` or a factory it reaches declares a ``factory.Faker`` field (cached).
tree_uses_faker = TreeQuery(_is_faker)


def faker_scope(factory_cls: Any, params: dict[str, Any]) -> contextlib.AbstractContextManager[None]:
    """The block a forge factory call runs in: :func:`shared_fakers_patched` when Faker fields are built.

    A factory tree without ``factory.Faker`` declarations (nor in ``params``) pays nothing.
    """
    if _shared.depth or tree_uses_faker(factory_cls) or any(
            tree_uses_faker.declaration(v) for v in params.values()):
        return shared_fakers_patched()
    return contextlib.nullcontext()
