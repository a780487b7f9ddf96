"""Bulk persistence helpers for the ORM adapters (Django ``bulk_create``, SQLAlchemy flush)."""

from forge_factories.orm.persist.errors import BulkPersistError
from forge_factories.orm.persist.locate import first_failing_row

__all__ = ["BulkPersistError", "first_failing_row"]
