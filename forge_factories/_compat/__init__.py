"""Every use of another package's private API, each behind a probe with a public-API fallback.

One module per package: :mod:`.stdlib` (CPython), :mod:`.faker`, :mod:`.factory_boy`,
:mod:`.sqlalchemy`, :mod:`.django`, :mod:`.attrs`, :mod:`.pytest`, :mod:`.psycopg`. Each private use is a small
function here; its :class:`Probe` checks, once and at first use (importing this package runs
no check), that the private API is there and behaves as expected. When it is not, the
function takes a public route instead (slower, or, where docs/compat.md says so, less
thorough). No module outside this package touches those private names
(``tests/test_compat.py`` scans for them). ``docs/compat.md`` lists every entry: what is
used, why, the probe, the fallback and the versions tested.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

_log = logging.getLogger("forge_factories.compat")
_PROBES: dict[str, Probe] = {}
#: compat module -> the distribution's import name (``None``: the standard library)
_MODULES = {"stdlib": None, "faker": "faker", "factory_boy": "factory", "sqlalchemy": "sqlalchemy",
            "django": "django", "attrs": "attrs", "pytest": "pytest", "psycopg": "psycopg"}


class Probe:
    """A check run once, at first use, that a private API is present and behaves as expected.

    ``probe()`` is ``True`` when the fast private route may be taken. The check may raise:
    any exception counts as a failed probe. ``result`` holds the cached answer (``None``
    before the first call); tests set it to ``False`` to force the public fallback.
    """

    def __init__(self, name: str, check: Callable[[], bool]) -> None:
        self.name = name
        self.check = check
        self.result: bool | None = None
        self._lock = threading.Lock()
        _PROBES[name] = self

    def __call__(self) -> bool:
        result = self.result
        if result is None:
            with self._lock:
                result = self.result
                if result is None:
                    result = self.result = self._run()
        return result

    def _run(self) -> bool:
        try:
            ok = bool(self.check())
        except Exception as exc:  # noqa: BLE001 - a missing or changed private API fails the probe
            _log.info("private API %s unusable (%s: %s): public fallback in use", self.name, type(exc).__name__, exc)
            return False
        if not ok:
            _log.info("private API %s behaves differently: public fallback in use", self.name)
        return ok

    def __repr__(self) -> str:
        return f"Probe({self.name!r}, result={self.result!r})"


def probes() -> dict[str, Probe]:
    """Every probe declared so far (a module of this package declares its own on import)."""
    return dict(_PROBES)


def load_all() -> dict[str, Probe]:
    """Import every compat module whose package is installed and return all their probes."""
    import importlib
    import importlib.util

    for name, package in _MODULES.items():
        if package is None or importlib.util.find_spec(package) is not None:
            importlib.import_module(f"{__name__}.{name}")
    return probes()


def report() -> dict[str, bool]:
    """``{probe name: whether the private route is in use}`` for every installed package (runs the probes)."""
    return {name: probe() for name, probe in sorted(load_all().items())}
