"""SQLAlchemy adapter: ``AISQLAlchemyModelFactory`` (alias ``SQLAlchemyModelFactory``).

``create_batch(n)`` builds the n objects (and their SubFactory parents) unsaved, then adds
each factory's objects to the session and flushes them once (parents first), honouring
``sqlalchemy_session_persistence``, then runs post_generation and RelatedFactory.
"""

from forge_factories.orm.alchemy_factory import (  # noqa: F401 - the public home of these names
    AISQLAlchemyModelFactory,
    AISQLAlchemyOptions,
    SQLAlchemyModelFactory,
    bulk_capable_reason,
)

__all__ = ["AISQLAlchemyModelFactory", "AISQLAlchemyOptions", "SQLAlchemyModelFactory", "bulk_capable_reason"]
