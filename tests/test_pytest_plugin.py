"""The pytest plugin, exercised with pytester: header, per-test seeds, order/xdist/randomly/repeat independence, modes."""

from __future__ import annotations

import importlib.metadata
import json
import re
from pathlib import Path

import pytest

from forge_factories.pytest_plugin import seed_for_test

pytest_plugins = ["pytester"]

_REGISTERED = any(e.value == "forge_factories.pytest_plugin"
                  for e in importlib.metadata.entry_points(group="pytest11"))
# The inner runs test our plugin, not pytest-django: once the outer session has configured
# Django, pytest-django would set up Django's test environment a second time in-process.
PLUGIN_ARGS = ("-p", "no:django") + (() if _REGISTERED else ("-p", "forge_factories.pytest_plugin"))

OPT_IN = "[pytest]\nforge_seed = true\nforge_reset_sequences = true\n"

FACTORIES = """
import json, os, re
import factory
from forge_factories import AIDictFactory, SemanticAttribute


class UserFactory(AIDictFactory):
    name = factory.Faker("name")
    number = factory.Sequence(lambda n: n)
    bio = SemanticAttribute("a short bio of {name}", max_length=200)


def fresh_registry():
    # the FK registry is empty at the start of every test (then this test adds to it)
    from forge_factories.core import registry
    assert registry.counts() == {}
    registry.register(dict, {"from": "a test"})


def dump(request, **data):
    from forge_factories.pytest_plugin import seed_nodeid

    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.nodeid)
    data["key"] = seed_nodeid(request.node)
    data["faker"] = [factory.Faker("name").evaluate(None, None, {"locale": None}) for _ in range(2)]
    with open(os.path.join(os.environ["FORGE_TEST_OUT"], safe + ".json"), "w") as fh:
        json.dump(data, fh, sort_keys=True)
"""

TEST_A = """
from factories import UserFactory, dump, fresh_registry


def test_one(request, forge):
    fresh_registry()
    dump(request, seed=forge.seed, users=UserFactory.build_batch(3))


def test_two(request):
    fresh_registry()
    dump(request, users=UserFactory.build_batch(2))
"""

TEST_B = """
import pytest
from factories import UserFactory, dump, fresh_registry


@pytest.mark.parametrize("n", [1, 2, 3])
def test_param(request, n):
    fresh_registry()
    dump(request, users=UserFactory.build_batch(n))


def test_fixture(request, forge):
    from forge_factories.llm.providers.offline import OfflineProvider
    assert forge.mode == "offline"
    assert isinstance(forge.provider, OfflineProvider)
    dump(request, seed=forge.seed, session=forge.session_seed, lock=str(forge.lock_path))
"""


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    for name in ("CI", "FORGE_MODE", "FORGE_SEED", "FORGE_LOCK_FILE", "FORGE_CACHE", "FORGE_REPLAY_MISSING"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FORGE_CACHE_DIR", str(pytester.path / "cache"))
    pytester.makepyfile(factories=FACTORIES, test_a=TEST_A, test_b=TEST_B)
    return pytester


def collect(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, name: str, *args: str,
            passed: int = 6, subprocess: bool = False, randomly: bool = False) -> dict[str, dict]:
    """Run the suite; each test's dump keyed by its seed node id (repeats must agree)."""
    out = pytester.path / name
    out.mkdir()
    monkeypatch.setenv("FORGE_TEST_OUT", str(out))
    run = pytester.runpytest_subprocess if subprocess else pytester.runpytest
    result = run(*PLUGIN_ARGS, *(() if randomly else ("-p", "no:randomly")), *args)
    result.assert_outcomes(passed=passed)
    dumps: dict[str, dict] = {}
    for path in sorted(out.iterdir()):
        data = json.loads(path.read_text())
        key = data.pop("key")
        assert dumps.setdefault(key, data) == data, f"repeats of {key} differ"
    return dumps


def test_seed_derivation_is_stable_and_distinct() -> None:
    assert seed_for_test(0, "tests/test_x.py::test_a") == seed_for_test(0, "tests/test_x.py::test_a")
    assert seed_for_test(0, "tests/test_x.py::test_a") != seed_for_test(0, "tests/test_x.py::test_b")
    assert seed_for_test(0, "tests/test_x.py::test_a") != seed_for_test(1, "tests/test_x.py::test_a")
    assert 0 <= seed_for_test(123, "x") < 2**32


def test_same_data_whatever_the_order_or_xdist(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    suite.makeini(OPT_IN)
    forward = collect(suite, monkeypatch, "forward", "test_a.py", "test_b.py", subprocess=True)
    backward = collect(suite, monkeypatch, "backward", "test_b.py::test_fixture", "test_b.py::test_param",
                       "test_a.py::test_two", "test_a.py::test_one")
    assert len(forward) == 6
    assert forward == backward
    one = forward["test_a.py::test_one"]
    assert one["seed"] == seed_for_test(0, "test_a.py::test_one")
    assert [u["number"] for u in one["users"]] == [0, 1, 2]  # sequences reset per test (asked for)
    assert [u["number"] for u in forward["test_a.py::test_two"]["users"]] == [0, 1]
    # different tests get different data
    assert forward["test_a.py::test_two"]["users"][0] != one["users"][0]
    fixture = forward["test_b.py::test_fixture"]
    assert fixture["session"] == 0 and fixture["lock"] == str(suite.path / "forge.lock.jsonl")
    parallel = collect(suite, monkeypatch, "xdist", "-p", "xdist", "-n", "2", "test_b.py", "test_a.py",
                       subprocess=True)
    assert parallel == forward
    reseeded = collect(suite, monkeypatch, "seed5", "--forge-seed", "5")
    assert reseeded["test_a.py::test_one"]["users"] != one["users"]
    assert reseeded["test_a.py::test_one"]["seed"] == seed_for_test(5, "test_a.py::test_one")


def test_same_data_under_randomly_repeat_and_xdist(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    suite.makeini(OPT_IN)
    plain = collect(suite, monkeypatch, "plain", subprocess=True)
    assert len(plain) == 6
    for i, extra in enumerate([("--randomly-seed", "1"), ("--randomly-seed", "2"),
                               ("-p", "repeat", "--count", "2", "--randomly-seed", "3")]):
        passed = 12 if "--count" in extra else 6
        assert collect(suite, monkeypatch, f"randomly{i}", "-p", "randomly", *extra, passed=passed,
                       randomly=True) == plain, extra
    parallel = collect(suite, monkeypatch, "all", "-p", "randomly", "-p", "xdist", "-n", "2", "-p", "repeat",
                       "--count", "3", passed=18, subprocess=True, randomly=True)
    assert parallel == plain


def test_header_shows_seed_and_mode(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORGE_SEED", "17")
    monkeypatch.setenv("FORGE_TEST_OUT", str(suite.path))
    result = suite.runpytest(*PLUGIN_ARGS, "--forge-mode", "offline", "test_a.py")
    result.stdout.fnmatch_lines(["forge_factories: seed=17 mode=offline lock=*forge.lock.jsonl cache=off seeding=forge"])
    result.assert_outcomes(passed=2)
    data = json.loads((suite.path / "test_a.py__test_one.json").read_text())
    assert data["seed"] == seed_for_test(17, "test_a.py::test_one")
    opted = suite.runpytest(*PLUGIN_ARGS, "--forge-seed", "3", "--forge-reset-sequences", "test_a.py")
    opted.stdout.fnmatch_lines(["forge_factories: seed=3 mode=* seeding=all+sequences"])


LIVE_SUITE = """
import factory
import pytest
import forge_factories
from forge_factories import AIDictFactory, SemanticAttribute
from forge_factories.llm.providers.base import FillResult


class Live:
    name = "fakellm"
    model = "fake-1"
    calls = 0

    def fill(self, request):
        if request.seed is None:
            raise AssertionError("the plugin did not seed the test")
        if __import__("os").environ.get("DEAD"):
            raise AssertionError("live provider called")
        Live.calls += 1
        return FillResult(values={i.index: {f: f"{f} of {i.conditioning['name']} ({i.key})" for f in i.fields}
                                  for i in request.items}, source="fakellm")


class UserFactory(AIDictFactory):
    name = factory.Sequence(lambda n: f"user{n}")
    bio = SemanticAttribute("a short bio of {name}", max_length=200)


@pytest.fixture(autouse=True)
def live():
    forge_factories.configure(provider=Live())
    yield
    forge_factories.configure(provider=None)


def test_users(forge):
    # not reset between tests (or pytester's in-process runs): the lock key counts from here
    users = UserFactory.build_batch(2, name="ann")
    assert users[1]["bio"] == "bio of ann (1)"
"""


def test_record_then_replay_through_the_plugin(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CI", "FORGE_MODE", "FORGE_SEED", "FORGE_LOCK_FILE", "FORGE_REPLAY_MISSING"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FORGE_CACHE_DIR", str(pytester.path / "cache"))
    pytester.makepyfile(test_live=LIVE_SUITE)
    lock = pytester.path / "forge.lock.jsonl"

    missing = pytester.runpytest(*PLUGIN_ARGS, "--forge-mode", "replay")
    missing.assert_outcomes(failed=1)
    missing.stdout.fnmatch_lines([
        "*ReplayMissingError: replay: 2 value(s) of test_live.UserFactory are not in*",
        "*test_live.UserFactory.bio item='0' ordinal=0 seed=*",
        "*forge_factories lock file*",
        "*2 missing and 0 stale value(s) seen in this run*",
    ])
    assert not lock.exists()

    recorded = pytester.runpytest(*PLUGIN_ARGS, "--forge-mode", "record")
    recorded.assert_outcomes(passed=1)
    lines = lock.read_text().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["seed"] == seed_for_test(0, "test_live.py::test_users")

    monkeypatch.setenv("DEAD", "1")
    monkeypatch.setenv("CI", "true")  # replay is the CI default
    replayed = pytester.runpytest_subprocess(*PLUGIN_ARGS)
    replayed.assert_outcomes(passed=1)
    replayed.stdout.fnmatch_lines(["forge_factories: seed=0 mode=auto*seeding=forge"])


def test_pytest_doc_example_runs(suite: pytest.Pytester) -> None:
    """The docs/pytest.md example passes twice in a row, by default and opted in, under pytest-randomly too."""
    doc = Path(__file__).resolve().parents[1] / "docs" / "pytest.md"
    blocks = re.findall(r"```python\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1
    suite.makepyfile(test_doc_example=blocks[0])
    for args in [(), (), ("--forge-seed", "3"), ("--forge-seed", "3", "--forge-reset-sequences"),
                 ("-p", "randomly", "--forge-seed", "3")]:
        result = suite.runpytest(*PLUGIN_ARGS, *args, "test_doc_example.py")
        result.assert_outcomes(passed=1)


REPEAT_MARKER = """
import pytest
from forge_factories.pytest_plugin import seed_for_test, seed_nodeid


@pytest.mark.repeat(3)
@pytest.mark.parametrize("n", [1, 2])
def test_x(request, forge, n):
    plain = f"test_marker.py::test_x[{n}]"
    assert request.node.nodeid != plain  # repeated: [1-1-3] ...
    assert seed_nodeid(request.node) == plain
    assert forge.seed == seed_for_test(forge.session_seed, plain)
"""


def test_repeat_marker_and_count_share_the_test_seed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_marker=REPEAT_MARKER)
    pytester.runpytest(*PLUGIN_ARGS, "-p", "repeat", "-p", "no:randomly").assert_outcomes(passed=6)
    pytester.runpytest(*PLUGIN_ARGS, "-p", "repeat", "--count", "5", "-p", "no:randomly").assert_outcomes(passed=6)
