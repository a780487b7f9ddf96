"""Settings of the example shop: SQLite by default, PostgreSQL with FORGE_EXAMPLE_DATABASE_URL.

``FORGE_EXAMPLE_SQLITE_PATH`` moves the SQLite file (default: shop.sqlite3 next to manage.py).

``FORGE_EXAMPLE_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test`` switches to
PostgreSQL (pytest-django creates and drops its own ``test_...`` database there).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "example-only-not-secret"  # noqa: S105 - an offline example project
DEBUG = False
USE_TZ = True
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "store"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _database(url: str | None) -> dict[str, object]:
    if not url:
        path = os.environ.get("FORGE_EXAMPLE_SQLITE_PATH") or BASE_DIR / "shop.sqlite3"
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"FORGE_EXAMPLE_DATABASE_URL: only postgresql:// URLs are supported, got {parts.scheme}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/") or "postgres",
        "USER": parts.username or "postgres",
        "PASSWORD": parts.password or "",
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": parts.port or 5432,
        # a private test database per process: others may share the server
        "TEST": {"NAME": f"test_forge_example_{os.getpid()}"},
    }


DATABASES = {"default": _database(os.environ.get("FORGE_EXAMPLE_DATABASE_URL"))}
