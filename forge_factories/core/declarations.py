"""``SemanticAttribute``: a field whose text comes from a semantic provider, in batches."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from types import FrameType
from typing import Any

from factory import declarations as fb_declarations

from forge_factories.common.errors import ForgeConfigError, SemanticDeclarationError
from forge_factories.text.spec import FieldSpec, template_problem

Fallback = str | Callable[[Mapping[str, Any]], str] | None


def _positive_int(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ForgeConfigError(f"SemanticAttribute({name}=...) must be a non-negative int, got {value!r}")
    return value


def _strings(name: str, value: Iterable[Any] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        raise ForgeConfigError(f"SemanticAttribute({name}=...) must be a sequence of strings, not one string")
    items = tuple(value)
    bad = [v for v in items if not isinstance(v, str)]
    if bad:
        raise ForgeConfigError(f"SemanticAttribute({name}=...) must hold strings, got {bad[0]!r}")
    return items


def _in_class_body(declaration: Any) -> bool:
    """Whether ``declaration`` is being constructed directly in a class body (``bio = SemanticAttribute(...)``)."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_code.co_name == "__init__" and frame.f_locals.get("self") is declaration:
        frame = frame.f_back  # a subclass's __init__
    return frame is not None and "__qualname__" in frame.f_locals and "__module__" in frame.f_locals


def definition_problems(
    instruction: str | None, max_length: int | None, min_length: int | None, choices: tuple[str, ...] | None,
) -> list[str]:
    """What makes a declaration unusable whatever the provider: bad bounds, choices, template."""
    problems: list[str] = []
    if max_length is not None and min_length is not None and min_length > max_length:
        problems.append(f"min_length={min_length} is greater than max_length={max_length}")
    for choice in choices or ():
        if max_length is not None and len(choice) > max_length:
            problems.append(f"choice {choice!r} is {len(choice)} characters long, over max_length={max_length}")
        elif min_length is not None and len(choice) < min_length:
            problems.append(f"choice {choice!r} is {len(choice)} characters long, under min_length={min_length}")
    template = template_problem(instruction)
    if template is not None:
        problems.append(template)
    return problems


class SemanticAttribute(fb_declarations.BaseDeclaration):
    """Realistic free text for a field (bio, review, ticket message, product description).

    ``instruction`` briefs the writer and may reference other resolved fields of the same
    object, nested ones included: ``"a {rating}-star review of {product.name}"``. Those
    values (and any named in ``depends_on``) condition each item's request. All values of
    one ``create_batch``/``build_batch`` call are resolved together, one provider request per
    (factory, context) group and chunk.

    ``max_length``/``min_length``/``choices`` are hard constraints every value is validated
    against; ``language`` (e.g. ``"fr"``) and ``examples`` guide the writer; ``fallback`` (a
    string, or a callable receiving the conditioning values) is written instead of offline
    text when a provider cannot produce a valid value under the ``fallback`` policy.
    Values of a free-text field are unique within a batch (a repeat is asked again);
    ``unique=False`` lets them repeat (cities, job titles). ``choices`` fields may always repeat.
    """

    #: Marks a semantic declaration for layers below the core (the lock file checks it by this flag).
    forge_semantic = True

    def __init__(
        self,
        instruction: str | None = None,
        *,
        max_length: int | None = None,
        min_length: int | None = None,
        choices: Iterable[str] | None = None,
        language: str | None = None,
        examples: Iterable[str] | None = None,
        fallback: Fallback = None,
        depends_on: Iterable[str] = (),
        unique: bool = True,
    ) -> None:
        super().__init__()
        if instruction is not None and not isinstance(instruction, str):
            raise ForgeConfigError(f"SemanticAttribute(instruction=...) must be a string, got {instruction!r}")
        self.instruction = instruction
        self.max_length = _positive_int("max_length", max_length)
        self.min_length = _positive_int("min_length", min_length)
        self.choices = _strings("choices", choices)
        if self.choices is not None and not self.choices:
            raise ForgeConfigError("SemanticAttribute(choices=...) must not be empty")
        #: Problems found at construction; in a class body they are raised when the class is
        #: complete (naming factory and field), elsewhere at once.
        self._problems = definition_problems(self.instruction, self.max_length, self.min_length, self.choices)
        self._owner = "?"
        if self._problems and not _in_class_body(self):
            raise ForgeConfigError(f"SemanticAttribute: {'; '.join(self._problems)}")
        if language is not None and not isinstance(language, str):
            raise ForgeConfigError(f"SemanticAttribute(language=...) must be a string, got {language!r}")
        self.language = language
        self.examples = _strings("examples", examples) or ()
        if fallback is not None and not (isinstance(fallback, str) or callable(fallback)):
            raise ForgeConfigError(f"SemanticAttribute(fallback=...) must be a string or callable, got {fallback!r}")
        self.fallback = fallback
        self.depends_on = _strings("depends_on", depends_on) or ()
        if not isinstance(unique, bool):
            raise ForgeConfigError(f"SemanticAttribute(unique=...) must be True or False, got {unique!r}")
        self.unique = unique
        self.name: str | None = None

    def __set_name__(self, owner: type, name: str) -> None:
        if self.name is None:
            self.name = name
        self._owner = owner.__qualname__
        forge = any(c.__name__ == "ForgeOptionsMixin" for c in type(getattr(owner, "_meta", None)).__mro__)
        if not forge:  # a forge factory checks its fields when it is complete: a clearer error
            self.check_definition(owner.__qualname__, name)

    def check_definition(self, owner: str, name: str) -> None:
        """Raise :class:`ForgeConfigError` naming ``owner.name`` if this declaration is unusable."""
        if self._problems:
            raise ForgeConfigError(f"{owner}.{name}: SemanticAttribute {'; '.join(self._problems)}")

    def spec(self, name: str) -> FieldSpec:
        """The forge-owned field spec of this declaration when it fills field ``name``."""
        if self._problems:
            self.check_definition(self._owner, name)
        return FieldSpec(
            name=name,
            instruction=self.instruction,
            max_length=self.max_length,
            min_length=self.min_length,
            choices=self.choices,
            language=self.language,
            examples=self.examples,
            depends_on=self.depends_on,
            unique=self.unique,
        )

    @property
    def references(self) -> tuple[str, ...]:
        """Fields this declaration's value is conditioned on."""
        return self.spec(self.name or "?").references

    def fallback_value(self, conditioning: Mapping[str, Any]) -> str | None:
        """The user-supplied fallback for one item, if any."""
        if self.fallback is None:
            return None
        if isinstance(self.fallback, str):
            return self.fallback
        return str(self.fallback(conditioning))

    def evaluate(self, instance: Any, step: Any, extra: dict[str, Any]) -> Any:
        """Return the value for this object, pausing the batch until it is known."""
        if _semantic_resolver is None:
            raise SemanticDeclarationError("SemanticAttribute needs the batch engine (import forge_factories)")
        return _semantic_resolver(self, instance, step)

    def __repr__(self) -> str:
        return f"SemanticAttribute({self.instruction!r})"


_semantic_resolver: Callable[[SemanticAttribute, Any, Any], Any] | None = None


def use_semantic_resolver(resolver: Callable[[SemanticAttribute, Any, Any], Any]) -> None:
    """Set what :meth:`SemanticAttribute.evaluate` calls (the batch engine registers itself)."""
    global _semantic_resolver
    _semantic_resolver = resolver
