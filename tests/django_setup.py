"""One Django configuration for every test directory (settings can be configured only once).

Called lazily (at a test directory's conftest import or inside a test), never from the root
conftest: configuring Django before pytest-django's ``pytest_configure`` would switch that
plugin on for the whole session, including the inner pytest runs of the plugin tests.
"""

from __future__ import annotations

from typing import Any


def configure_django() -> Any:
    """Configure Django with the ORM suite's databases and apps, unless already configured.

    SQLite ``default``, plus ``postgresql`` and ``mariadb`` aliases in private schemas (see
    ``tests/orm/backends.py``); other directories use ``default`` or models with an explicit
    ``app_label``. Returns ``django.conf.settings``.
    """
    import django
    from django.conf import settings

    try:
        import pymysql

        pymysql.version_info = (2, 2, 1, "final", 0)  # Django checks the mysqlclient version
        pymysql.install_as_MySQLdb()
    except ImportError:  # pragma: no cover - PyMySQL is a dev dependency
        pass
    if not settings.configured:
        from tests.orm import backends

        settings.configure(
            DATABASES=backends.django_databases(),
            INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "tests.orm.djapp"],
            USE_TZ=True,
            DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        )
        django.setup()
    return settings
