"""Recognise secret *values* whatever the field is called (a leaf module: no forge imports).

A value is secret when it holds a URL with a password, a PEM block, a JWT, a key with a
well-known prefix (Stripe ``sk_live_``, OpenAI/Anthropic ``sk-``, AWS ``AKIA``, GitHub
``ghp_``, Slack ``xoxb-``, Google ``AIza``...), a ``password=...`` pair, a bearer token, or a
long high-entropy token (32+ characters mixing upper case, lower case and digits). Hex
strings (commit ids, digests) and UUIDs are not secrets.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

_PATTERNS = (
    # scheme://user:password@host (the user may be empty: redis://:pw@host)
    r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@]*:[^\s/@]+@",
    r"-----BEGIN [A-Z0-9 ]{3,60}-----",
    r"\beyJ[A-Za-z0-9_\-]{6,}\.eyJ[A-Za-z0-9_\-]{6,}\.[A-Za-z0-9_\-]*",
    r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}",
    r"\bwhsec_[A-Za-z0-9+/=]{16,}",
    r"\bsk-[A-Za-z0-9_\-]{20,}",
    r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",
    r"\bgh[pousr]_[A-Za-z0-9]{30,}",
    r"\bgithub_pat_[A-Za-z0-9_]{20,}",
    r"\bglpat-[A-Za-z0-9_\-]{20,}",
    r"\bxox[abposr]-[A-Za-z0-9\-]{10,}",
    r"\bAIza[0-9A-Za-z_\-]{30,}",
    r"\bSG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}",
    r"\bhf_[A-Za-z0-9]{30,}",
    r"\bnpm_[A-Za-z0-9]{30,}",
    # password=..., api_key: ... (the value has a digit or a symbol: "secret: Santa" is prose)
    r"\b(?i:password|passwd|pwd|secret|api[_-]?key|access[_-]?key|accountkey|token)\s*[=:]\s*"
    r"(?=[^\s;,&]*[0-9!@#$%^*_+\-])[^\s;,&]{6,}",
    r"\b(?i:bearer)\s+[A-Za-z0-9._~+/\-]{16,}",
)
_SECRET = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))
#: Substrings one of which every pattern above needs: most values skip the regex (~35 us).
_TRIGGERS = ("://", "-----BEGIN", "eyJ", "sk_", "rk_", "whsec_", "sk-", "AKIA", "ASIA", "p_", "o_", "u_", "s_",
             "r_", "github_pat_", "glpat-", "xox", "AIza", "SG.", "hf_", "npm_", "=", ":", "earer")
_TOKEN = re.compile(r"[A-Za-z0-9+=_\-.]{32,}")
_HEX = re.compile(r"[0-9a-fA-F\-]+")
_MIN_ENTROPY = 4.0  # bits per character
#: Share of neighbouring characters of different classes (upper/lower/digit): ~0.6 in a random
#: base62 token, ~0.3 in a camelCase identifier.
_MIN_SWITCHES = 0.4


def _entropy(text: str) -> float:
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


def _high_entropy(token: str) -> bool:
    if _HEX.fullmatch(token):  # digests, commit ids, UUIDs
        return False
    classes = [2 if c.isdigit() else 1 if c.isupper() else 0 if c.islower() else 3 for c in token]
    if not {0, 1, 2} <= set(classes):
        return False
    switches = sum(a != b for a, b in zip(classes, classes[1:], strict=False)) / (len(token) - 1)
    return switches >= _MIN_SWITCHES and _entropy(token) >= _MIN_ENTROPY


def secret_reason(value: Any) -> str | None:
    """Why ``value`` (a string, or a mapping/sequence holding strings) looks like a secret, else ``None``."""
    if isinstance(value, str):
        if len(value) < 8:
            return None
        if any(t in value for t in _TRIGGERS) and _SECRET.search(value) is not None:
            return "a credential pattern"
        for token in _TOKEN.findall(value):
            if _high_entropy(token.strip("=.-_")):
                return "a long high-entropy token"
        return None
    if isinstance(value, Mapping):
        return next((r for v in value.values() if (r := secret_reason(v)) is not None), None)
    if isinstance(value, list | tuple | set | frozenset):
        return next((r for v in value if (r := secret_reason(v)) is not None), None)
    return None


def looks_secret(value: Any) -> bool:
    """Whether ``value`` holds something that must not leave the process (see the module docstring)."""
    return secret_reason(value) is not None
