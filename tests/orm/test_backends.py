"""A missing database server skips loudly outside CI and fails under CI."""

from __future__ import annotations

import pytest

from . import backends


def test_missing_server_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setitem(backends._status, "mariadb", "OperationalError: connection refused")
    monkeypatch.setattr(backends, "SKIPPED", {})
    with pytest.raises(pytest.skip.Exception, match="!!! mariadb server not reachable"):
        backends.require("mariadb")
    assert "mariadb" in backends.SKIPPED


def test_missing_server_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "1")
    monkeypatch.setitem(backends._status, "postgresql", "OperationalError: connection refused")
    with pytest.raises(pytest.fail.Exception, match="CI: postgresql server not reachable"):
        backends.require("postgresql")


def test_sqlite_is_always_there() -> None:
    assert backends.unavailable("sqlite") is None
