"""A regular expression as a tree of ``(op, argument)`` pairs, parsed without CPython internals.

The tree has the shape of CPython's own parse tree (``re._parser.parse``), with this
module's :data:`OPS` in place of CPython's opcode constants, so code reading it does not
depend on which parser made it. :func:`parse` is the public-API fallback of
:func:`forge_factories._compat.stdlib.parse_regex`: it covers literals, escapes, character
classes, ``.``, repeats (greedy, lazy, possessive), capturing, named, non-capturing and atomic
groups, back references, alternation and anchors, with CPython's simplifications (a common
prefix of alternatives factored out, single characters alternatives as one class, a
one-character class as a literal) and lookarounds. Conditionals, scoped flags and verbose
patterns raise :class:`RegexSyntaxError`. The pattern is expected to compile (``re.compile``
checks it first): malformed input gets an error, not always CPython's message.
"""

from __future__ import annotations

import string
from typing import Any


class Op(int):
    """A named opcode of the tree (an ``int``, as CPython's are)."""

    name: str

    def __new__(cls, value: int, name: str) -> Op:
        self = super().__new__(cls, value)
        self.name = name
        return self

    def __repr__(self) -> str:
        return self.name

    __str__ = __repr__


_NAMES = ["LITERAL", "NOT_LITERAL", "ANY", "IN", "NEGATE", "RANGE", "CATEGORY", "MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT", "SUBPATTERN", "ATOMIC_GROUP", "BRANCH", "GROUPREF", "GROUPREF_EXISTS", "AT", "ASSERT", "ASSERT_NOT", "AT_BEGINNING", "AT_BEGINNING_STRING", "AT_BOUNDARY", "AT_NON_BOUNDARY", "AT_END", "AT_END_STRING", "CATEGORY_DIGIT", "CATEGORY_NOT_DIGIT", "CATEGORY_SPACE", "CATEGORY_NOT_SPACE", "CATEGORY_WORD", "CATEGORY_NOT_WORD"]


class _Ops:
    """Namespace of the opcodes (``OPS.LITERAL``...); ``OPS.MAXREPEAT`` marks an open repeat."""

    def __init__(self) -> None:
        for i, name in enumerate(_NAMES, 1):
            setattr(self, name, Op(i, name))
        self.MAXREPEAT = Op(2**32 - 1, "MAXREPEAT")

    def __getattr__(self, name: str) -> Any:  # an opcode this tree never holds
        raise AttributeError(name)


OPS: Any = _Ops()
_O = OPS


class RegexSyntaxError(ValueError):
    """The pattern is malformed or uses a construct :func:`parse` does not cover."""


_CATEGORIES = {
    "d": _O.CATEGORY_DIGIT, "D": _O.CATEGORY_NOT_DIGIT, "s": _O.CATEGORY_SPACE,
    "S": _O.CATEGORY_NOT_SPACE, "w": _O.CATEGORY_WORD, "W": _O.CATEGORY_NOT_WORD,
}
_ANCHORS = {"A": _O.AT_BEGINNING_STRING, "b": _O.AT_BOUNDARY, "B": _O.AT_NON_BOUNDARY, "Z": _O.AT_END_STRING}
_CONTROL = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
_GLOBAL_FLAGS = "aiLmsu"  # not "x": verbose patterns read differently
_REPEATS = (_O.MAX_REPEAT, _O.MIN_REPEAT, _O.POSSESSIVE_REPEAT)


def _uniq(items: list[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0
        self.groups = 1  # the next group number
        self.names: dict[str, int] = {}
        self.open: set[int] = set()

    def error(self, message: str) -> RegexSyntaxError:
        return RegexSyntaxError(f"{message} at position {self.pos} in {self.text!r}")

    def peek(self) -> str | None:
        return self.text[self.pos] if self.pos < len(self.text) else None

    def take(self) -> str | None:
        char = self.peek()
        if char is not None:
            self.pos += 1
        return char

    def match(self, char: str) -> bool:
        if self.peek() == char:
            self.pos += 1
            return True
        return False

    # -- alternation and sequences
    def alternation(self) -> list[Any]:
        items = [self.sequence()]
        while self.match("|"):
            items.append(self.sequence())
        if len(items) == 1:
            return items[0]
        out: list[Any] = []
        while all(items) and all(item[0] == items[0][0] for item in items):
            out.append(items[0][0])
            for item in items:
                del item[0]
        chars: list[Any] = []
        for item in items:
            if len(item) != 1:
                break
            op, av = item[0]
            if op is _O.LITERAL:
                chars.append((op, av))
            elif op is _O.IN and av[0][0] is not _O.NEGATE:
                chars.extend(av)
            else:
                break
        else:
            out.append((_O.IN, _uniq(chars)))
            return out
        out.append((_O.BRANCH, (None, items)))
        return out

    def sequence(self) -> list[Any]:
        out: list[Any] = []
        while (char := self.peek()) is not None and char not in "|)":
            self.pos += 1
            if char == "\\":
                out.append(self.escape(in_class=False))
            elif char == "[":
                out.append(self.char_class())
            elif char in "*+?{":
                if not self.repeat(char, out):
                    out.append((_O.LITERAL, ord(char)))
            elif char == ".":
                out.append((_O.ANY, None))
            elif char == "(":
                self.group(out)
            elif char == "^":
                out.append((_O.AT, _O.AT_BEGINNING))
            elif char == "$":
                out.append((_O.AT, _O.AT_END))
            else:
                out.append((_O.LITERAL, ord(char)))
        for i in range(len(out) - 1, -1, -1):  # non-capturing groups are inlined
            op, av = out[i]
            if op is _O.SUBPATTERN and av[0] is None:
                out[i:i + 1] = av[3]
        return out

    # -- items
    def escape(self, in_class: bool) -> tuple[Any, Any]:
        char = self.take()
        if char is None:
            raise self.error("bad escape (end of pattern)")
        if in_class and char in _CONTROL:
            return _O.LITERAL, ord(_CONTROL[char])
        if char in _CATEGORIES:
            return _O.IN, [(_O.CATEGORY, _CATEGORIES[char])]
        if not in_class and char in _ANCHORS:
            return _O.AT, _ANCHORS[char]
        if char in _CONTROL:
            return _O.LITERAL, ord(_CONTROL[char])
        if char in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[char]
            digits = self.text[self.pos:self.pos + width]
            if len(digits) != width or any(c not in string.hexdigits for c in digits):
                raise self.error(f"incomplete escape \\{char}{digits}")
            self.pos += width
            return _O.LITERAL, int(digits, 16)
        if char in string.digits:
            return self.numeric_escape(char, in_class)
        if char in string.ascii_letters:
            raise self.error(f"bad escape \\{char}")
        return _O.LITERAL, ord(char)

    def numeric_escape(self, first: str, in_class: bool) -> tuple[Any, Any]:
        octal = "01234567"
        if in_class or first == "0":
            if first not in octal:
                raise self.error(f"bad escape \\{first}")
            digits = first
            while len(digits) < 3 and (self.peek() or "") in octal and (self.peek() or ""):
                digits += self.take() or ""
            return _O.LITERAL, int(digits, 8)
        digits = first
        if (self.peek() or "") in string.digits and self.peek():
            digits += self.take() or ""
            if digits[0] in octal and digits[1] in octal and (self.peek() or "") in octal and self.peek():
                return _O.LITERAL, int(digits + (self.take() or ""), 8)
        group = int(digits)
        if group >= self.groups or group in self.open:
            raise self.error(f"invalid group reference {group}")
        return _O.GROUPREF, group

    def char_class(self) -> tuple[Any, Any]:
        negate = self.match("^")
        items: list[Any] = []
        while True:
            char = self.take()
            if char is None:
                raise self.error("unterminated character set")
            if char == "]" and items:
                break
            code: tuple[Any, Any] = self.escape(in_class=True) if char == "\\" else (_O.LITERAL, ord(char))
            if self.match("-"):
                end = self.take()
                if end is None:
                    raise self.error("unterminated character set")
                if end == "]":
                    items.extend([code[1][0] if code[0] is _O.IN else code, (_O.LITERAL, ord("-"))])
                    break
                high: tuple[Any, Any] = self.escape(in_class=True) if end == "\\" else (_O.LITERAL, ord(end))
                if code[0] is not _O.LITERAL or high[0] is not _O.LITERAL or high[1] < code[1]:
                    raise self.error(f"bad character range {chr(code[1]) if code[0] is _O.LITERAL else ''}-{end}")
                items.append((_O.RANGE, (code[1], high[1])))
            else:
                items.append(code[1][0] if code[0] is _O.IN else code)
        items = _uniq(items)
        if len(items) == 1 and items[0][0] is _O.LITERAL:
            return (_O.NOT_LITERAL, items[0][1]) if negate else items[0]
        return _O.IN, ([(_O.NEGATE, None)] if negate else []) + items

    def repeat(self, char: str, out: list[Any]) -> bool:
        start = self.pos
        if char == "{":
            if self.peek() == "}":
                return False
            lo = hi = ""
            while (self.peek() or "x") in string.digits:
                lo += self.take() or ""
            if self.match(","):
                while (self.peek() or "x") in string.digits:
                    hi += self.take() or ""
            else:
                hi = lo
            if not self.match("}"):
                self.pos = start
                return False
            low = int(lo) if lo else 0
            high: Any = int(hi) if hi else _O.MAXREPEAT
            if high is not _O.MAXREPEAT and high < low:
                raise self.error("min repeat greater than max repeat")
        else:
            low, high = {"?": (0, 1), "*": (0, _O.MAXREPEAT), "+": (1, _O.MAXREPEAT)}[char]
        if not out or out[-1][0] is _O.AT:
            raise self.error("nothing to repeat")
        if out[-1][0] in _REPEATS:
            raise self.error("multiple repeat")
        item: list[Any] = out[-1:]
        if item[0][0] is _O.SUBPATTERN and item[0][1][0] is None:
            item = item[0][1][3]
        kind = _O.MIN_REPEAT if self.match("?") else _O.POSSESSIVE_REPEAT if self.match("+") else _O.MAX_REPEAT
        out[-1] = (kind, (low, high, item))
        return True

    def _global_flags(self, first: str) -> bool:
        """Skip ``(?ims)``-style flags for the whole pattern (they add nothing to the tree)."""
        end = _global_flags_end(self.text, self.pos)
        if end < 0:
            return False
        self.pos = end + 1
        return True

    def group(self, out: list[Any]) -> None:
        name: str | None = None
        capture, atomic = True, False
        if self.match("?"):
            kind = self.take()
            if kind == "P" and self.match("<"):
                end = self.text.find(">", self.pos)
                name = self.text[self.pos:end] if end >= 0 else ""
                if not name.isidentifier():
                    raise self.error(f"bad group name {name!r}")
                self.pos = end + 1
            elif kind == "P" and self.match("="):
                end = self.text.find(")", self.pos)
                ref = self.text[self.pos:end] if end >= 0 else ""
                if ref not in self.names or self.names[ref] in self.open:
                    raise self.error(f"unknown group name {ref!r}")
                self.pos = end + 1
                out.append((_O.GROUPREF, self.names[ref]))
                return
            elif kind == ":":
                capture = False
            elif kind == ">":
                capture, atomic = False, True
            elif kind in ("=", "!") or (kind == "<" and self.peek() in ("=", "!")):
                direction = 1 if kind != "<" else -1
                positive = (kind if kind != "<" else self.take()) == "="
                body = self.alternation()
                if not self.match(")"):
                    raise self.error("missing ), unterminated subpattern")
                out.append((_O.ASSERT if positive else _O.ASSERT_NOT, (direction, body)))
                return
            elif kind is not None and kind in _GLOBAL_FLAGS and self._global_flags(kind):
                return
            elif kind == "#":
                end = self.text.find(")", self.pos)
                if end < 0:
                    raise self.error("missing ), unterminated comment")
                self.pos = end + 1
                return
            else:
                raise self.error(f"unsupported group (?{kind or ''}")
        group: int | None = None
        if capture:
            group = self.groups
            self.groups += 1
            self.open.add(group)
            if name is not None:
                if name in self.names:
                    raise self.error(f"redefinition of group name {name!r}")
                self.names[name] = group
        body = self.alternation()
        if not self.match(")"):
            raise self.error("missing ), unterminated subpattern")
        if group is not None:
            self.open.discard(group)
        out.append((_O.ATOMIC_GROUP, body) if atomic else (_O.SUBPATTERN, (group, 0, 0, body)))


def _global_flags_end(text: str, pos: int) -> int:
    end = pos
    while end < len(text) and text[end] in _GLOBAL_FLAGS:
        end += 1
    return end if end < len(text) and text[end] == ")" else -1


def parse(pattern: str) -> list[Any]:
    """The tree of ``pattern`` (raises :class:`RegexSyntaxError`)."""
    parser = _Parser(pattern)
    tree = parser.alternation()
    if parser.peek() is not None:
        raise parser.error("unbalanced parenthesis")
    return tree
