"""A suite of stock factory_boy factories runs the same with the forge plugin loaded or not.

The suites below never import forge_factories; each run is a subprocess, with the plugin
loaded from its entry point (or ``-p forge_factories.pytest_plugin`` where it is not installed)
and with ``-p no:forge_factories``.
"""

from __future__ import annotations

import importlib.metadata

import pytest

pytest_plugins = ["pytester"]

_REGISTERED = any(e.value == "forge_factories.pytest_plugin"
                  for e in importlib.metadata.entry_points(group="pytest11"))
PLUGIN_ON = ("-p", "no:django") + (() if _REGISTERED else ("-p", "forge_factories.pytest_plugin"))
PLUGIN_OFF = ("-p", "no:django", "-p", "no:forge_factories")

# the minimal case: test_second's sequence number must differ from test_first's
MINIMAL = """
import factory


class F(factory.DictFactory):
    n = factory.Sequence(lambda n: n)


kept = []


def test_first():
    kept.append(F())


def test_second():
    assert F()["n"] != kept[0]["n"]
"""

# order-free checks (pytest-randomly may shuffle): sequences, factory_boy's random, Faker's clock
STOCK = """
import datetime
import unittest

import factory
import factory.random
import faker.providers.date_time as faker_dates


class F(factory.DictFactory):
    n = factory.Sequence(lambda n: n)
    colour = factory.Iterator(["red", "green", "blue"])


seen = []
colours = []
state = {}


def check(config):
    row = F()
    seen.append(row["n"])
    colours.append(row["colour"])
    assert len(set(seen)) == len(seen), seen  # no sequence restarted
    assert colours == (["red", "green", "blue"] * 3)[: len(colours)], colours  # no Iterator restarted
    assert faker_dates.datetime is datetime.datetime  # Faker's clock is the real one
    if not config.pluginmanager.hasplugin("randomly"):
        # nothing reseeded factory_boy's random between tests
        if state:
            assert factory.random.randgen.getstate() == state["random"]
        state["random"] = factory.random.randgen.getstate()


def test_one(request):
    check(request.config)


def test_two(request):
    check(request.config)


class WithClassData(unittest.TestCase):
    # like Django's setUpTestData: a row made once for the class
    @classmethod
    def setUpClass(cls):
        cls.row = F()

    def test_a(self):
        self.assertNotEqual(F()["n"], self.row["n"])

    def test_b(self):
        self.assertNotEqual(F()["n"], self.row["n"])
"""


@pytest.fixture
def stock(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    for name in ("CI", "FORGE_MODE", "FORGE_SEED", "FORGE_LOCK_FILE", "FORGE_CACHE"):
        monkeypatch.delenv(name, raising=False)
    pytester.makepyfile(test_minimal=MINIMAL, test_stock=STOCK)
    return pytester


@pytest.mark.parametrize("plugin", [PLUGIN_ON, PLUGIN_OFF], ids=["forge-on", "forge-off"])
def test_minimal_case_passes_with_and_without_the_plugin(stock: pytest.Pytester, plugin: tuple[str, ...]) -> None:
    result = stock.runpytest_subprocess(*plugin, "-p", "no:randomly", "test_minimal.py")
    result.assert_outcomes(passed=2)
    header = [line for line in result.outlines if line.startswith("forge_factories:")]
    assert header == ([] if plugin is PLUGIN_OFF else [header[0]])
    if plugin is PLUGIN_ON:
        assert header[0].endswith("seeding=forge")


@pytest.mark.parametrize("plugin", [PLUGIN_ON, PLUGIN_OFF], ids=["forge-on", "forge-off"])
@pytest.mark.parametrize("extra", [("-p", "no:randomly"), ("-p", "randomly", "--randomly-seed", "7"),
                                   ("-p", "no:randomly", "-p", "xdist", "-n", "2", "--dist", "loadfile")],
                         ids=["plain", "randomly", "xdist"])
def test_stock_suite_unchanged_by_the_plugin(stock: pytest.Pytester, plugin: tuple[str, ...],
                                             extra: tuple[str, ...]) -> None:
    result = stock.runpytest_subprocess(*plugin, *extra, "test_stock.py")
    result.assert_outcomes(passed=4)


def test_sequences_reset_only_when_asked(stock: pytest.Pytester) -> None:
    # seeding every factory per test, sequences kept: the suite still passes
    seeded = stock.runpytest_subprocess(*PLUGIN_ON, "-p", "no:randomly", "--forge-seed", "1", "test_minimal.py")
    seeded.assert_outcomes(passed=2)
    seeded.stdout.fnmatch_lines(["forge_factories: seed=1 *seeding=all"])
    # asked to reset sequences: the minimal case fails, as it should
    reset = stock.runpytest_subprocess(*PLUGIN_ON, "-p", "no:randomly", "--forge-seed", "1",
                                       "--forge-reset-sequences", "test_minimal.py")
    reset.assert_outcomes(passed=1, failed=1)
    stock.makeini("[pytest]\nforge_seed = true\nforge_reset_sequences = true\n")
    by_ini = stock.runpytest_subprocess(*PLUGIN_ON, "-p", "no:randomly", "test_minimal.py")
    by_ini.assert_outcomes(passed=1, failed=1)
    by_ini.stdout.fnmatch_lines(["forge_factories: seed=0 *seeding=all+sequences"])
    unplugged = stock.runpytest_subprocess(*PLUGIN_OFF, "-p", "no:randomly", "test_minimal.py")
    unplugged.assert_outcomes(passed=2)  # the ini options mean nothing without the plugin


def test_bad_ini_value_is_a_usage_error(stock: pytest.Pytester) -> None:
    stock.makeini("[pytest]\nforge_seed = maybe\n")
    result = stock.runpytest_subprocess(*PLUGIN_ON, "-p", "no:randomly", "test_minimal.py")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*forge_seed must be true or false*"])


def test_pyproject_toml_booleans_opt_in(stock: pytest.Pytester) -> None:
    stock.makepyprojecttoml("[tool.pytest.ini_options]\nforge_seed = true\nforge_reset_sequences = false\n")
    result = stock.runpytest_subprocess(*PLUGIN_ON, "-p", "no:randomly", "-v", "test_minimal.py")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["forge_factories: seed=0 *seeding=all"])
