"""Fixtures of the Forge / auto-factory tests: Django and SQLAlchemy on SQLite, set up lazily.

Django is configured only when a test needs it (and only if nothing configured it before),
so collecting these tests never changes settings another test directory relies on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


def ensure_django() -> Any:
    """Configure Django (SQLite, USE_TZ) if needed and return the corpus models module."""
    from tests.django_setup import configure_django

    configure_django()
    from tests.forge.corpus import django_models

    return django_models


@pytest.fixture
def dj_corpus(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The Django corpus module, its tables created in ``default``, the test inside a rolled-back atomic."""
    module = ensure_django()
    try:
        blocker = request.getfixturevalue("django_db_blocker")
    except pytest.FixtureLookupError:
        blocker = None
    if blocker is not None:
        blocker.unblock()
    from django.db import connection, transaction

    try:
        existing = set(connection.introspection.table_names())
        missing = [m for m in module.MODELS if m._meta.db_table not in existing]
        if missing:
            with connection.schema_editor() as editor:
                for model in missing:
                    editor.create_model(model)
        with transaction.atomic():
            yield module
            transaction.set_rollback(True)
    finally:
        if blocker is not None:
            blocker.restore()


@pytest.fixture
def sa_session() -> Iterator[Any]:
    """A SQLAlchemy session on a fresh in-memory SQLite database with the corpus tables."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from tests.forge.corpus.alchemy_models import Base

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()
