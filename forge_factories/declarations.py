"""``SemanticAttribute``: a field whose text comes from a semantic provider, in batches."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from factory import declarations as fb_declarations

from .errors import ForgeConfigError
from .semantic.spec import FieldSpec

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
    """

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
    ) -> None:
        super().__init__()
        if instruction is not None and not isinstance(instruction, str):
            raise ForgeConfigError(f"SemanticAttribute(instruction=...) must be a string, got {instruction!r}")
        self.instruction = instruction
        self.max_length = _positive_int("max_length", max_length)
        self.min_length = _positive_int("min_length", min_length)
        if self.max_length is not None and self.min_length is not None and self.min_length > self.max_length:
            raise ForgeConfigError(
                f"SemanticAttribute: min_length={self.min_length} is greater than max_length={self.max_length}"
            )
        self.choices = _strings("choices", choices)
        if self.choices is not None and not self.choices:
            raise ForgeConfigError("SemanticAttribute(choices=...) must not be empty")
        if language is not None and not isinstance(language, str):
            raise ForgeConfigError(f"SemanticAttribute(language=...) must be a string, got {language!r}")
        self.language = language
        self.examples = _strings("examples", examples) or ()
        if fallback is not None and not (isinstance(fallback, str) or callable(fallback)):
            raise ForgeConfigError(f"SemanticAttribute(fallback=...) must be a string or callable, got {fallback!r}")
        self.fallback = fallback
        self.depends_on = _strings("depends_on", depends_on) or ()
        self.name: str | None = None

    def __set_name__(self, owner: type, name: str) -> None:
        if self.name is None:
            self.name = name

    def spec(self, name: str) -> FieldSpec:
        """The forge-owned field spec of this declaration when it fills field ``name``."""
        return FieldSpec(
            name=name,
            instruction=self.instruction,
            max_length=self.max_length,
            min_length=self.min_length,
            choices=self.choices,
            language=self.language,
            examples=self.examples,
            depends_on=self.depends_on,
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
        from .batch import resolve_semantic

        return resolve_semantic(self, instance, step)

    def __repr__(self) -> str:
        return f"SemanticAttribute({self.instruction!r})"
