"""pytest plugin (``pytest11`` entry point ``forge_factories``): per-test seeds, store mode, ``forge`` fixture.

* ``--forge-seed N`` (default ``$FORGE_SEED`` or 0, shown in the header): each test runs under
  ``forge_factories.seed(seed_for_test(N, nodeid))``, so its data does not depend on test order
  or pytest-xdist; ``seed()`` also resets factory sequences and the FK registry.
* ``--forge-mode {offline,replay,record,live}`` (default ``$FORGE_MODE`` or automatic).
* ``--forge-lock PATH`` (default ``$FORGE_LOCK_FILE`` or ``forge.lock.jsonl`` in the rootdir).
* ``--forge-cache``: use the response cache during the run (off by default under pytest:
  the lock file is the test-time record; this keeps request counts reproducible).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .seeding import seed as forge_seed
from .store import MODES, _env_flag, configure_store, store_settings, wrap_provider
from .store.cache import is_offline
from .store.lockfile import open_lock
from .store.modes import resolve_mode

_STATE = pytest.StashKey["_SessionState"]()
_SEED = pytest.StashKey[int]()


def seed_for_test(session_seed: int, nodeid: str) -> int:
    """The seed of one test: a stable 32-bit hash of (session seed, test node id)."""
    digest = hashlib.sha256(f"{session_seed}\x00{nodeid}".encode()).digest()
    return int.from_bytes(digest[:4], "big")




@dataclass
class _SessionState:
    seed: int
    mode: str | None
    lock_path: Path
    use_cache: bool
    saved_settings: dict[str, Any]


@dataclass(frozen=True)
class ForgeFixture:
    """What the ``forge`` fixture returns.

    ``seed``: this test's seed (already applied); ``session_seed``: the ``--forge-seed``
    value; ``lock_path``: the lock file of the run; ``mode``: the store mode the default
    provider runs in; ``provider``: the default provider, wrapped by the store.
    """

    seed: int
    session_seed: int
    lock_path: Path
    configured_mode: str | None

    @property
    def provider(self) -> Any:
        """The default semantic provider (``configure(provider=...)`` or automatic) seen through the store."""
        from .providers.base import get_provider

        return wrap_provider(get_provider(None))

    @property
    def mode(self) -> str:
        """The mode the default provider runs in (offline / replay / record / live)."""
        from .providers.base import get_provider

        inner = get_provider(None)
        return resolve_mode(self.configured_mode, live_provider=not is_offline(inner),
                            lock_exists=self.lock_path.is_file())


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("forge", "forge_factories test data")
    group.addoption("--forge-seed", type=int, default=None, metavar="N",
                    help="session seed for forge_factories (default: $FORGE_SEED or 0)")
    group.addoption("--forge-mode", choices=MODES, default=None,
                    help="semantic value mode: offline, replay, record or live (default: $FORGE_MODE or automatic)")
    group.addoption("--forge-lock", default=None, metavar="PATH",
                    help="record/replay lock file (default: $FORGE_LOCK_FILE or <rootdir>/forge.lock.jsonl)")
    group.addoption("--forge-cache", action="store_true", default=False,
                    help="use the LLM response cache during the test run (off by default)")


def _session_seed(config: pytest.Config) -> int:
    value = config.getoption("forge_seed")
    if value is not None:
        return int(value)
    env = os.environ.get("FORGE_SEED", "").strip()
    if env:
        try:
            return int(env)
        except ValueError:
            raise pytest.UsageError(f"FORGE_SEED must be an integer, got {env!r}") from None
    return 0


def _absolute(config: pytest.Config, path: str | Path) -> Path:
    path = Path(path).expanduser()
    return path if path.is_absolute() else config.invocation_params.dir / path


def pytest_configure(config: pytest.Config) -> None:
    option_lock = config.getoption("forge_lock")
    env_lock = os.environ.get("FORGE_LOCK_FILE")
    default_lock = config.rootpath / "forge.lock.jsonl"
    lock_path = _absolute(config, option_lock or env_lock or default_lock)
    mode = config.getoption("forge_mode")
    use_cache = bool(config.getoption("forge_cache"))
    state = _SessionState(seed=_session_seed(config), mode=mode, lock_path=lock_path, use_cache=use_cache,
                          saved_settings=dict(vars(store_settings)))
    config.stash[_STATE] = state
    # command-line options win over the environment; the plugin's own defaults do not
    configure_store(
        mode=mode,
        lock_path=lock_path if option_lock else None,
        default_lock_path=default_lock,
        use_cache=True if use_cache else None,
        default_use_cache=False,
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is not None:
        configure_store(**state.saved_settings)


def pytest_report_header(config: pytest.Config) -> str:
    state = config.stash[_STATE]
    mode = state.mode or os.environ.get("FORGE_MODE") or "auto"
    cache = state.use_cache or bool(_env_flag("FORGE_CACHE"))
    return f"forge_factories: seed={state.seed} mode={mode} lock={state.lock_path} cache={'on' if cache else 'off'}"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    state = item.config.stash[_STATE]
    value = seed_for_test(state.seed, item.nodeid)
    item.stash[_SEED] = value
    forge_seed(value)


@pytest.fixture
def forge(request: pytest.FixtureRequest) -> ForgeFixture:
    """This test's forge settings: ``seed``, ``session_seed``, ``mode``, ``lock_path``, ``provider``."""
    state = request.config.stash[_STATE]
    node = request.node
    value = node.stash.get(_SEED, None)
    if value is None:
        value = seed_for_test(state.seed, node.nodeid)
    return ForgeFixture(seed=value, session_seed=state.seed, lock_path=state.lock_path, configured_mode=state.mode)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    lock = open_lock(state.lock_path)
    if not (lock.stale or lock.missing):
        return
    terminalreporter.section("forge_factories lock file")
    terminalreporter.write_line(
        f"{state.lock_path}: {len(lock.missing)} missing and {len(lock.stale)} stale value(s) seen in this run"
    )
    for key in sorted(lock.stale, key=str)[:20]:
        terminalreporter.write_line(f"  stale: {key}")
    for key in sorted(lock.missing, key=str)[:20]:
        terminalreporter.write_line(f"  missing: {key}")
    terminalreporter.write_line("  record them with --forge-mode=record; drop stale ones with store.lockfile.prune()")
