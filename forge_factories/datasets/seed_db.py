"""The database ``forge seed`` writes to: its URL, and a psycopg or SQLAlchemy connection opened on use."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from forge_factories.common.errors import ForgeError


class SeedError(ForgeError):
    """The database could not be seeded (connection, missing table, rejected rows)."""


def engine_url(url: str) -> str:
    """``url`` with psycopg 3 / PyMySQL drivers when none is named."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("mysql://"):
        return "mysql+pymysql://" + url[len("mysql://"):]
    if url.startswith("mariadb://"):
        return "mariadb+pymysql://" + url[len("mariadb://"):]
    return url


def psycopg_params(url: sa.URL) -> dict[str, Any] | None:
    """psycopg 3 connection keywords for a single-host ``postgresql+psycopg`` URL, else ``None``
    (the same keywords SQLAlchemy's psycopg dialect would pass)."""
    if url.drivername != "postgresql+psycopg" or "," in (url.host or ""):
        return None
    if any(not isinstance(value, str) for value in url.query.values()):
        return None
    params: dict[str, Any] = url.translate_connect_args(username="user", database="dbname")
    if "port" in params:
        params["port"] = int(params["port"])
    params.update(url.query)
    return params


class _Database:
    """The target database: a psycopg connection when :func:`psycopg_params` applies, and a
    SQLAlchemy engine, each opened on first use."""

    def __init__(self, url: str) -> None:
        try:
            self.url = sa.engine.make_url(engine_url(url))
        except Exception as exc:  # noqa: BLE001 - bad URL: one clear line
            raise SeedError(f"cannot use database URL: {exc}") from None
        self.params = psycopg_params(self.url)
        self._conn: Any = None
        # without the psycopg path the engine is needed anyway: fail early on a URL it cannot use
        self._engine: sa.Engine | None = self._create_engine() if self.params is None else None

    def _create_engine(self) -> sa.Engine:
        try:
            return sa.create_engine(self.url)
        except Exception as exc:  # noqa: BLE001 - unknown dialect, missing driver...: one clear line
            raise SeedError(f"cannot use database URL: {exc}") from None

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine."""
        if self._engine is None:
            self._engine = self._create_engine()
        return self._engine

    @property
    def conn(self) -> Any:
        """The psycopg 3 connection (only when :attr:`params` is set)."""
        if self._conn is None:
            import psycopg

            self._conn = psycopg.connect(**(self.params or {}))
        return self._conn

    def close(self) -> None:
        """Close what was opened."""
        if self._conn is not None:
            self._conn.close()
        if self._engine is not None:
            self._engine.dispose()
