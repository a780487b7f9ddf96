"""CPython internals: ``re._parser``, ``random.Random._randbelow``, ``json.encoder.c_make_encoder``."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

from . import Probe
from .regex_tree import OPS, RegexSyntaxError
from .regex_tree import parse as _parse_public

__all__ = ["RE_OPS", "RegexSyntaxError", "below_bits", "c_dict_encoder", "parse_regex", "randbelow"]

#: The opcodes of :func:`parse_regex` trees (``RE_OPS.LITERAL``, ``RE_OPS.MAXREPEAT``...).
RE_OPS = OPS


# -- re._parser -----------------------------------------------------------------------------------

def _sre_parse(pattern: str) -> Any:
    from re import _parser  # type: ignore[attr-defined]

    return _parser.parse(pattern)


def _neutral(node: Any, constant_type: type) -> Any:
    """CPython's parse tree with its opcode constants replaced by :data:`RE_OPS`'s (same shape)."""
    if type(node) is constant_type:
        return getattr(OPS, str(node))
    if isinstance(node, tuple):
        return tuple(_neutral(item, constant_type) for item in node)
    if isinstance(node, list) or hasattr(node, "data"):
        return [_neutral(item, constant_type) for item in (node.data if hasattr(node, "data") else node)]
    return node


def _sre_tree(pattern: str) -> list[Any]:
    from re import _constants  # type: ignore[attr-defined]

    return list(_neutral(_sre_parse(pattern), type(_constants.LITERAL)))


def _check_sre() -> bool:
    probe = r"a[^0-9x]{2,}(?P<n>b|c)\1\d+?$"
    return _sre_tree(probe) == _parse_public(probe)


SRE_PARSE = Probe("stdlib.re._parser", _check_sre)


_PARSED: dict[tuple[str, bool], list[Any]] = {}


def parse_regex(pattern: str) -> list[Any]:
    """The parse tree of ``pattern``: ``[(op, argument), ...]`` with :data:`RE_OPS` opcodes.

    Fast and complete: CPython's ``re._parser``. Fallback: :mod:`.regex_tree`, the same tree
    for the constructs it covers (it raises :class:`RegexSyntaxError` for the others). Trees
    are cached per pattern and shared: read them, never change them.
    """
    private = SRE_PARSE()
    tree = _PARSED.get((pattern, private))
    if tree is None:
        tree = _sre_tree(pattern) if private else _parse_public(pattern)
        if len(_PARSED) >= 1024:
            _PARSED.clear()
        _PARSED[(pattern, private)] = tree
    return tree


# -- random.Random._randbelow ---------------------------------------------------------------------

_stock_randint = random.Random.randint
#: class -> whether it keeps ``random.Random``'s ``randint`` and ``_randbelow`` (checked once per class)
_RANDBELOW_OK: dict[type, bool] = {}


def _check_randbelow() -> bool:
    below = random.Random(20240601)._randbelow  # type: ignore[attr-defined]
    twin = random.Random(20240601)
    return all(below(n) == twin.randint(0, n - 1) for n in (10, 10, 3, 7, 10, 256, 10, 2) * 8)


RANDBELOW = Probe("stdlib.random.Random._randbelow", _check_randbelow)


def randbelow(rnd: random.Random) -> Callable[[int], int] | None:
    """``n -> rnd.randint(0, n - 1)`` without ``randint``'s argument checks (the same draws).

    ``None`` when the caller must call ``rnd.randint`` itself: the probe failed, or ``rnd``'s
    class overrides ``randint`` or ``_randbelow``.
    """
    cls = type(rnd)
    ok = _RANDBELOW_OK.get(cls)
    if ok is None:
        ok = _RANDBELOW_OK[cls] = (cls.randint is _stock_randint
                                   and getattr(cls, "_randbelow", None) is random.Random._randbelow)  # type: ignore[attr-defined]
    return rnd._randbelow if ok and (RANDBELOW.result or RANDBELOW()) else None  # type: ignore[attr-defined]


def _check_below_bits() -> bool:
    rnd, twin = random.Random(20240602), random.Random(20240602)
    bits = rnd.getrandbits
    for n in (10, 3, 7, 1, 256, 1000, 2, 10) * 8:
        k = n.bit_length()
        r = bits(k)
        while r >= n:
            r = bits(k)
        if r != twin._randbelow(n):  # type: ignore[attr-defined]
            return False
    return True


BELOW_BITS = Probe("stdlib.random.Random._randbelow_with_getrandbits", _check_below_bits)
_WITH_BITS: Any = getattr(random.Random, "_randbelow_with_getrandbits", None)


def below_bits(rnd: random.Random) -> Callable[[int], int] | None:
    """``rnd.getrandbits`` when ``rnd._randbelow(n)`` is: ``k = n.bit_length()``, then
    ``getrandbits(k)`` drawn until below ``n`` (CPython's ``_randbelow_with_getrandbits``),
    so a caller can draw the same numbers inline. ``None``: the caller calls ``_randbelow``.
    """
    cls = type(rnd)
    if (_WITH_BITS is None or getattr(cls, "_randbelow", None) is not _WITH_BITS
            or cls.getrandbits is not random.Random.getrandbits):
        return None
    return rnd.getrandbits if BELOW_BITS.result or BELOW_BITS() else None


# -- json.encoder.c_make_encoder ------------------------------------------------------------------

_C_ENCODERS: dict[Callable[[Any], Any], Callable[[Any, int], Any]] = {}


def _make_c_encoder(default: Callable[[Any], Any]) -> Callable[[Any, int], Any]:
    from json import encoder

    encode_str = getattr(encoder, "c_encode_basestring", None) or encoder.py_encode_basestring
    make = encoder.c_make_encoder  # type: ignore[attr-defined]
    if make is None:
        raise RuntimeError("json.encoder.c_make_encoder is None (no _json C module)")
    # markers, default, encoder, indent, key sep, item sep, sort_keys, skipkeys, allow_nan
    return make(None, default, encode_str, None, ":", ",", False, False, False)


def _check_c_encoder() -> bool:
    def default(value: Any) -> Any:
        if isinstance(value, set):
            return sorted(value)
        raise TypeError(type(value).__name__)

    sample = {"a": [1, 2.5, "é\n", None, True], "b": {"c": {3, 1}}, "d": -0.0}
    fast = "".join(_make_c_encoder(default)(sample, 0))
    expected = json.dumps(sample, default=default, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    try:
        "".join(_make_c_encoder(default)({"nan": float("nan")}, 0))
    except ValueError:
        return fast == expected
    return False


C_ENCODER = Probe("stdlib.json.encoder.c_make_encoder", _check_c_encoder)


def c_dict_encoder(default: Callable[[Any], Any]) -> Callable[[Any, int], Any] | None:
    """CPython's C encoder for ``default``, built once (``JSONEncoder.encode`` rebuilds it per call).

    ``"".join(encoder(a_dict, 0))`` is the text of ``json.JSONEncoder(ensure_ascii=False,
    default=default, separators=(",", ":"), allow_nan=False).encode(a_dict)``. ``None`` when
    the probe failed: the caller uses that ``JSONEncoder``.
    """
    encode = _C_ENCODERS.get(default)
    if encode is not None and C_ENCODER.result:  # built once the probe passed
        return encode
    if not C_ENCODER():
        return None
    if encode is None:
        encode = _C_ENCODERS[default] = _make_c_encoder(default)
    return encode
