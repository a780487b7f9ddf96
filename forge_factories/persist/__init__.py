"""Bulk persistence helpers for the ORM adapters (Django ``bulk_create``, SQLAlchemy flush)."""

from .errors import BulkPersistError
from .locate import first_failing_row

__all__ = ["BulkPersistError", "first_failing_row"]
