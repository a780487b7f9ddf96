"""Fixtures of the ``forge migrate`` tests: helpers to run the codemod and published sdists.

``data/`` holds suites the tests migrate; it is never collected here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

collect_ignore_glob = ["data/*"]

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_suite: migrates a published suite and runs it (slow)")


def _cache_root(factory: pytest.TempPathFactory) -> Path:
    """A directory kept across runs under pytest's temporary root (``pytest-of-USER``)."""
    base = factory.getbasetemp()
    for parent in (base, *base.parents):
        if parent.name.startswith("pytest-of-"):
            return parent / "forge-migrate-sdists"
    return base / "forge-migrate-sdists"


@pytest.fixture(scope="session")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """``sdist(name, version)``: the unpacked published source distribution (downloaded once).

    The download goes through pip. When the package index cannot be reached the test is
    skipped with the reason, unless ``CI`` is set: then it fails.
    """
    cache = _cache_root(tmp_path_factory)
    cache.mkdir(parents=True, exist_ok=True)

    def get(name: str, version: str) -> Path:
        wanted = cache / f"{name}-{version}"
        if not wanted.is_dir():
            with tempfile.TemporaryDirectory(dir=cache) as tmp:
                out = subprocess.run(
                    [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                     f"{name}=={version}", "-d", tmp], capture_output=True, text=True, timeout=600)
                archives = sorted(Path(tmp).glob("*.tar.gz"))
                if out.returncode != 0 or not archives:
                    reason = (f"cannot download the {name}=={version} sdist from the package index: "
                              f"{(out.stderr or out.stdout).strip()[-500:]}")
                    if os.environ.get("CI"):
                        pytest.fail(reason)
                    pytest.skip(f"PACKAGE INDEX UNREACHABLE - {reason}")
                with tarfile.open(archives[0]) as tar:
                    if hasattr(tarfile, "data_filter"):
                        tar.extractall(tmp, filter="data")
                    else:  # pragma: no cover - Python < 3.11.4
                        tar.extractall(tmp)  # noqa: S202 - a published sdist
                (unpacked,) = [p for p in Path(tmp).iterdir() if p.is_dir()]
                try:
                    unpacked.rename(wanted)
                except OSError:  # another worker got there first
                    assert wanted.is_dir()
        return wanted

    return get


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """``wheel(name, version)``: a pure-Python wheel file (importable from ``PYTHONPATH``)."""
    cache = _cache_root(tmp_path_factory)
    cache.mkdir(parents=True, exist_ok=True)

    def get(name: str, version: str) -> Path:
        found = sorted(cache.glob(f"{name}-{version}-*.whl"))
        if not found:
            out = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary",
                                  ":all:", f"{name}=={version}", "-d", str(cache)],
                                 capture_output=True, text=True, timeout=600)
            found = sorted(cache.glob(f"{name}-{version}-*.whl"))
            if out.returncode != 0 or not found:
                reason = f"cannot download the {name}=={version} wheel: {(out.stderr or out.stdout).strip()[-500:]}"
                if os.environ.get("CI"):
                    pytest.fail(reason)
                pytest.skip(f"PACKAGE INDEX UNREACHABLE - {reason}")
        return found[0]

    return get


@pytest.fixture
def copy_tree(tmp_path: Path) -> Callable[[Path, str], Path]:
    """``copy_tree(src, name)``: a fresh copy of ``src`` under the test's tmp dir."""

    def copy(src: Path, name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
        return dest

    return copy
