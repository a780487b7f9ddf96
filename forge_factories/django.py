"""Django adapter: ``AIDjangoModelFactory`` (alias ``DjangoModelFactory``) with bulk ``create_batch``.

``create_batch(n)`` builds the n objects (and their SubFactory parents) unsaved, then saves
each factory's objects with one ``bulk_create`` (parents first), then runs post_generation
and RelatedFactory with primary keys set. :func:`bulk_capable_reason` says why a factory
falls back to factory_boy's per-row ``_create``.
"""

from forge_factories.orm.django_factory import (  # noqa: F401 - the public home of these names
    AIDjangoModelFactory,
    AIDjangoOptions,
    DjangoModelFactory,
    DjangoOptions,
    FileField,
    ImageField,
    Password,
    bulk_capable_reason,
    mute_signals,
)

__all__ = ["AIDjangoModelFactory", "AIDjangoOptions", "DjangoModelFactory", "FileField", "ImageField", "Password", "bulk_capable_reason", "mute_signals"]
