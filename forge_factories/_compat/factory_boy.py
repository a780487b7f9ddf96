"""factory_boy internals: the shared Faker registry, ``Faker`` arguments, sequence counters.

The batch engine also subclasses ``factory.builder.StepBuilder``/``BuildStep`` and extends
``FactoryOptions`` through ``OptionDefault``; those are structural (no fallback can stand in
for them), guarded by the ``factory-boy<3.4`` pin and factory_boy's own suite in CI
(docs/compat.md).
"""

from __future__ import annotations

from typing import Any

import factory
import faker

from . import Probe

__all__ = [
    "declaration_arguments", "default_faker_locale", "faker_for_locale", "forget_sequence", "get_sequence",
    "sequence_started", "set_sequence", "shared_fakers", "skip_sequences",
]

_FakerDeclaration: Any = factory.Faker


# -- factory.Faker's registry and default locale --------------------------------------------------

def _check_registry() -> bool:
    registry = _FakerDeclaration._FAKER_REGISTRY
    default = _FakerDeclaration._DEFAULT_LOCALE
    fake = _FakerDeclaration._get_faker(default)
    return isinstance(registry, dict) and registry.get(default) is fake and isinstance(fake, faker.Faker)


FAKER_REGISTRY = Probe("factory_boy.Faker._FAKER_REGISTRY", _check_registry)


def shared_fakers(*, include_default: bool = False) -> list[Any]:
    """The Faker instances ``factory.Faker`` declarations draw from (one per locale used so far).

    ``include_default`` creates the default locale's instance first if no declaration has.
    Fallback: ``[]`` (no public API reaches them; docs/compat.md says what that skips).
    """
    if not FAKER_REGISTRY():
        return []
    if include_default:
        _FakerDeclaration._get_faker()
    return list(_FakerDeclaration._FAKER_REGISTRY.values())


def faker_for_locale(locale: str | None) -> Any:
    """The shared Faker instance a ``factory.Faker`` declaration of ``locale`` calls (``None``: the
    default locale), created on first use as factory_boy does. Only when ``FAKER_REGISTRY()`` holds."""
    return _FakerDeclaration._get_faker(locale)


def _check_default_locale() -> bool:
    before = _FakerDeclaration._DEFAULT_LOCALE
    with factory.Faker.override_default_locale("fr_FR"):
        inside = _FakerDeclaration._DEFAULT_LOCALE
    return isinstance(before, str) and inside == "fr_FR" and before == _FakerDeclaration._DEFAULT_LOCALE


DEFAULT_LOCALE = Probe("factory_boy.Faker._DEFAULT_LOCALE", _check_default_locale)


def default_faker_locale() -> str:
    """The locale ``factory.Faker`` uses when none is given (``override_default_locale`` applied).

    Fallback: Faker's configured default (``faker.config.DEFAULT_LOCALE``), which does not
    see an ``override_default_locale`` block.
    """
    if DEFAULT_LOCALE():
        return str(_FakerDeclaration._DEFAULT_LOCALE)
    from faker.config import DEFAULT_LOCALE as configured

    return str(configured)


def _check_arguments() -> bool:
    fake: Any = factory.Faker("pyint", min_value=3, locale="fr_FR")
    sub: Any = factory.SubFactory(factory.DictFactory, name="x")
    return fake._defaults == {"locale": "fr_FR", "min_value": 3} and sub._defaults == {"name": "x"}


DECLARATION_ARGUMENTS = Probe("factory_boy.BaseDeclaration._defaults", _check_arguments)


def declaration_arguments(decl: Any) -> dict[str, Any] | None:
    """The keyword arguments a declaration was given (``factory.Faker``'s ``locale`` included;
    a ``SubFactory``'s overrides), as a copy.

    ``None`` when the probe failed (factory_boy has no public accessor): the caller must not
    assume any (docs/compat.md says what each caller then gives up).
    """
    return dict(decl._defaults) if DECLARATION_ARGUMENTS() else None


# -- sequence counters ----------------------------------------------------------------------------

def _check_counter() -> bool:
    from types import SimpleNamespace

    from factory.base import FactoryOptions

    meta: Any = FactoryOptions()  # a bare options object: no factory class is defined
    counter: Any
    meta.counter_reference = meta
    meta.factory = SimpleNamespace(_setup_next_sequence=lambda: 5)
    if meta._counter is not None or meta.next_sequence() != 5:
        return False
    counter = meta._counter
    if counter.seq != 6:
        return False
    counter.seq = 40
    if meta.next_sequence() != 40:
        return False
    meta._counter = None
    return bool(meta.next_sequence() == 5)


COUNTER = Probe("factory_boy.FactoryOptions._counter", _check_counter)


def sequence_started(meta: Any) -> bool:
    """Whether the factory's sequence counter exists yet. Fallback: ``True`` (unknown)."""
    return meta._counter is not None if COUNTER() else True


def get_sequence(meta: Any, *, create: bool = True) -> int | None:
    """The next sequence number, without taking it (``None``: no counter yet).

    Fallback: ``None`` unless ``create``; then take it with ``next_sequence`` and put it back
    with ``reset_sequence``, which creates the counter (``None`` if the factory's
    ``_setup_next_sequence`` fails, e.g. needing a database).
    """
    if COUNTER():
        counter = meta._counter
        return counter.seq if counter is not None else None
    if not create:
        return None
    try:
        value = meta.next_sequence()
        meta.factory.reset_sequence(value, force=True)
    except Exception:  # noqa: BLE001 - a custom _setup_next_sequence may need a database
        return None
    return int(value)


def set_sequence(meta: Any, value: int) -> None:
    """Make ``value`` the next sequence number, in the counter object descendants share."""
    if COUNTER() and meta._counter is not None:
        meta._counter.seq = value
    else:
        meta.factory.reset_sequence(value, force=True)


def skip_sequences(meta: Any, first: int, n: int) -> bool:
    """After ``next_sequence()`` returned ``first``, take ``first + 1 .. first + n - 1`` in one step.

    ``False`` (nothing done) when the counter is not factory_boy's plain one: the caller
    takes them one by one. Fallback: ``reset_sequence(first + n, force=True)``.
    """
    if not COUNTER():
        meta.factory.reset_sequence(first + n, force=True)
        return True
    counter = meta._counter
    if isinstance(getattr(counter, "seq", None), int) and counter.seq == first + 1:
        counter.seq = first + n
        return True
    return False


def forget_sequence(meta: Any) -> None:
    """Drop the counter so the next use asks ``_setup_next_sequence`` again. Fallback: nothing."""
    if COUNTER():
        meta._counter = None
