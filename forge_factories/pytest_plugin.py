"""pytest plugin (``pytest11`` entry point ``forge_factories``): per-test seeds, store mode, ``forge`` fixture.

* By default only forge's own values are seeded per test (offline/semantic text, lock-file keys,
  the FK registry: :func:`~forge_factories.common.seeding.seed_forge_values`); factory_boy's random,
  Faker, sequences and the clock are left as they are, so stock factories behave as without
  the plugin.
* Opting in (ini ``forge_seed = true`` or ``--forge-seed N``): each test runs under
  ``forge_factories.seed(seed_for_test(N, nodeid), reset_sequences=...)``, so its data does not
  depend on test order, pytest-randomly, pytest-xdist or pytest-repeat. Sequences and
  ``Iterator`` positions are reset only with ini ``forge_reset_sequences = true`` or
  ``--forge-reset-sequences``. ``N`` defaults to ``$FORGE_SEED`` or 0 (shown in the header).
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

from forge_factories._compat.pytest import callspec_id_without
from forge_factories.common.seeding import pin_now, pinned_now, seed_forge_values
from forge_factories.common.seeding import seed as forge_seed
from forge_factories.store import MODES, _env_flag, configure_store, store_settings, wrap_provider
from forge_factories.store.cache import is_offline
from forge_factories.store.lockfile import open_lock
from forge_factories.store.modes import resolve_mode

_STATE = pytest.StashKey["_SessionState"]()
_SEED = pytest.StashKey[int]()
_REPEAT_PARAM = "__pytest_repeat_step_number"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}
# factory_boy's and Faker's random states as this test left them before pytest-randomly reseeds
_snapshot: tuple[Any, Any] | None = None


def seed_for_test(session_seed: int, nodeid: str) -> int:
    """The seed of one test: a stable 32-bit hash of (session seed, test node id)."""
    digest = hashlib.sha256(f"{session_seed}\x00{nodeid}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def seed_nodeid(item: pytest.Item) -> str:
    """The node id a test's seed derives from: pytest-repeat's ``[2-5]`` step left out."""
    callspec = getattr(item, "callspec", None)
    if callspec is None or _REPEAT_PARAM not in callspec.params:
        return item.nodeid
    marker = item.get_closest_marker("repeat")
    count = marker.args[0] if marker is not None and marker.args else getattr(item.config.option, "count", None)
    step = f"{callspec.params[_REPEAT_PARAM] + 1}-{count}"
    rest = callspec_id_without(callspec, step)
    if rest is None:
        return item.nodeid
    name = getattr(item, "originalname", item.name)
    head = item.nodeid[: len(item.nodeid) - len(item.name)] + name
    return f"{head}[{rest}]" if rest else head


def _save_random() -> None:
    global _snapshot
    import factory.random
    import faker.generator

    _snapshot = (factory.random.randgen.getstate(), faker.generator.random.getstate())


def randomly_reseed(_seed: int) -> None:
    """``pytest_randomly.random_seeder`` entry point: put back this test's forge-seeded state.

    pytest-randomly reseeds factory_boy and Faker before each test phase; where forge's
    per-test seeding is on, the state forge set (or the test's fixtures left) wins.
    """
    if _snapshot is None:
        return
    import factory.random
    import faker.generator

    factory.random.randgen.setstate(_snapshot[0])
    faker.generator.random.setstate(_snapshot[1])


@dataclass
class _SessionState:
    seed: int
    mode: str | None
    lock_path: Path
    use_cache: bool
    saved_settings: dict[str, Any]
    seed_all: bool = False
    reset_sequences: bool = False
    saved_now: Any = None


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
        from forge_factories.llm.providers.selection import get_provider

        return wrap_provider(get_provider(None))

    @property
    def mode(self) -> str:
        """The mode the default provider runs in (offline / replay / record / live)."""
        from forge_factories.llm.providers.selection import get_provider

        inner = get_provider(None)
        return resolve_mode(self.configured_mode, live_provider=not is_offline(inner),
                            lock_exists=self.lock_path.is_file())


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("forge", "forge_factories test data")
    group.addoption("--forge-seed", type=int, default=None, metavar="N",
                    help="seed every factory per test from session seed N (default: forge's own values only, "
                         "session seed $FORGE_SEED or 0)")
    group.addoption("--forge-reset-sequences", action="store_true", default=None,
                    help="with per-test seeding, also reset factory sequences and Iterators before each test")
    group.addoption("--forge-mode", choices=MODES, default=None,
                    help="semantic value mode: offline, replay, record or live (default: $FORGE_MODE or automatic)")
    group.addoption("--forge-lock", default=None, metavar="PATH",
                    help="record/replay lock file (default: $FORGE_LOCK_FILE or <rootdir>/forge.lock.jsonl)")
    group.addoption("--forge-cache", action="store_true", default=False,
                    help="use the LLM response cache during the test run (off by default)")
    parser.addini("forge_seed", type="string", default="",
                  help="true: seed factory_boy, Faker and the clock per test (default: forge's own values only)")
    parser.addini("forge_reset_sequences", type="string", default="",
                  help="true: with forge_seed, also reset factory sequences and Iterators before each test")


def _ini_flag(config: pytest.Config, name: str) -> bool:
    raw = str(config.getini(name)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise pytest.UsageError(f"ini option {name} must be true or false, got {raw!r}")


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
    seed_all = config.getoption("forge_seed") is not None or _ini_flag(config, "forge_seed")
    reset = bool(config.getoption("forge_reset_sequences")) or _ini_flag(config, "forge_reset_sequences")
    state = _SessionState(seed=_session_seed(config), mode=mode, lock_path=lock_path, use_cache=use_cache,
                          saved_settings=dict(vars(store_settings)), seed_all=seed_all,
                          reset_sequences=seed_all and reset, saved_now=pinned_now())
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
        if state.seed_all:
            pin_now(state.saved_now)


def pytest_report_header(config: pytest.Config) -> str:
    state = config.stash[_STATE]
    mode = state.mode or os.environ.get("FORGE_MODE") or "auto"
    cache = state.use_cache or bool(_env_flag("FORGE_CACHE"))
    seeding = ("all+sequences" if state.reset_sequences else "all") if state.seed_all else "forge"
    return (f"forge_factories: seed={state.seed} mode={mode} lock={state.lock_path} "
            f"cache={'on' if cache else 'off'} seeding={seeding}")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    global _snapshot
    state = item.config.stash[_STATE]
    value = seed_for_test(state.seed, seed_nodeid(item))
    item.stash[_SEED] = value
    _snapshot = None
    if not state.seed_all:
        seed_forge_values(value)
        return
    forge_seed(value, reset_sequences=state.reset_sequences)
    _save_random()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    if _snapshot is not None:
        _save_random()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    if _snapshot is not None:
        _save_random()


@pytest.hookimpl(trylast=True)
def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    global _snapshot
    _snapshot = None


@pytest.fixture
def forge(request: pytest.FixtureRequest) -> ForgeFixture:
    """This test's forge settings: ``seed``, ``session_seed``, ``mode``, ``lock_path``, ``provider``."""
    state = request.config.stash[_STATE]
    node = request.node
    value = node.stash.get(_SEED, None)
    if value is None:
        value = seed_for_test(state.seed, seed_nodeid(node))
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
