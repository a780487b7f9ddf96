"""Permission gates: allowed, refused headless (never prompting), prompted on a real TTY."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from forge_factories.governance import ForgePermissionError, check_permissions, headless_reason
from forge_factories.governance.gates import CI_VARS


class CustomerProfile(BaseModel):
    id: int
    ssn: str
    salary: float


class SecurityTest(BaseModel):
    id: int
    sql_injection: str


class SafeUser(BaseModel):
    id: int
    name: str
    shipping_address: str


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for var in (*CI_VARS, "FORGE_ALLOW_PII", "FORGE_ALLOW_DANGEROUS", "FORGE_FLAG_PERMISSIONS"):
        monkeypatch.delenv(var, raising=False)
    yield


def test_safe_model_needs_nothing() -> None:
    decision = check_permissions(SafeUser)
    assert decision.allowed == frozenset() and decision.sensitive == ()


def test_pii_refused_then_allowed_by_argument_or_env(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ForgePermissionError) as info:
        check_permissions(CustomerProfile)
    message = str(info.value)
    assert "ssn (national_id)" in message and "salary (salary)" in message
    assert "allow_pii=True" in message and "FORGE_ALLOW_PII=1" in message
    assert info.value.fields == ("ssn", "salary")
    assert isinstance(info.value, PermissionError)

    assert check_permissions(CustomerProfile, allow_pii=True).allowed == {"ssn", "salary"}
    monkeypatch.setenv("FORGE_ALLOW_PII", "1")  # read at call time
    decision = check_permissions(CustomerProfile)
    assert decision.pii_allowed and "FORGE_ALLOW_PII=1" in decision.how
    with pytest.raises(ForgePermissionError):  # an explicit False beats the environment
        check_permissions(CustomerProfile, allow_pii=False)


def test_fields_limits_the_check() -> None:
    assert check_permissions(CustomerProfile, fields=["id"]).sensitive == ()


def test_dangerous_refused_headless_under_pytest_capture() -> None:
    # sys.stdin is pytest's capture object here: reading it would raise OSError.
    assert headless_reason() is not None
    with pytest.raises(ForgePermissionError) as info:
        check_permissions(SecurityTest)
    message = str(info.value)
    assert "sql_injection (attack_payload)" in message
    assert "allow_dangerous=True" in message and "FORGE_ALLOW_DANGEROUS=1" in message
    assert "not asking because stdin is not a terminal" in message
    assert info.value.__context__ is None  # no OSError from a read attempt underneath


def test_dangerous_allowed_explicitly(monkeypatch: pytest.MonkeyPatch) -> None:
    assert check_permissions(SecurityTest, allow_dangerous=True).allowed == {"sql_injection"}
    monkeypatch.setenv("FORGE_ALLOW_DANGEROUS", "yes")
    assert check_permissions(SecurityTest).dangerous_allowed


def test_flag_off_disables_gates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORGE_FLAG_PERMISSIONS", "0")
    assert check_permissions(CustomerProfile).allowed == {"ssn", "salary"}


@pytest.fixture
def tty() -> Iterator[tuple[int, io.TextIOWrapper]]:
    master, slave = pty.openpty()
    stream = open(slave, encoding="utf-8", closefd=True)  # noqa: SIM115 - closed below
    try:
        yield master, stream
    finally:
        stream.close()
        os.close(master)


def _read_all(fd: int) -> str:
    import select

    out = b""
    while select.select([fd], [], [], 0.2)[0]:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    return out.decode()


def test_prompted_on_a_fake_tty_and_confirmed(tty: tuple[int, io.TextIOWrapper]) -> None:
    master, stream = tty
    assert stream.isatty() and headless_reason(stream) is None
    os.write(master, b"y\n")
    prompt = io.StringIO()
    decision = check_permissions(SecurityTest, stdin=stream, stderr=prompt)
    assert decision.allowed == {"sql_injection"} and decision.how == "confirmed at the prompt"
    assert "sql_injection" in prompt.getvalue() and "[y/N]" in prompt.getvalue()


def test_prompted_on_a_fake_tty_and_declined(tty: tuple[int, io.TextIOWrapper]) -> None:
    master, stream = tty
    os.write(master, b"\n")  # just Enter: the default is No
    with pytest.raises(ForgePermissionError, match="declined at the prompt"):
        check_permissions(SecurityTest, stdin=stream, stderr=io.StringIO())


def test_ci_and_interactive_false_never_prompt(tty: tuple[int, io.TextIOWrapper], monkeypatch: pytest.MonkeyPatch) -> None:
    _, stream = tty
    with pytest.raises(ForgePermissionError, match="interactive=False"):
        check_permissions(SecurityTest, stdin=stream, interactive=False)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    with pytest.raises(ForgePermissionError, match=r"running in CI \(GITHUB_ACTIONS is set\)"):
        check_permissions(SecurityTest, stdin=stream)


def test_real_process_on_a_pty_is_prompted() -> None:
    """End to end: a child process whose stdin/stderr is a terminal gets the question."""
    script = textwrap.dedent("""
        from pydantic import BaseModel
        from forge_factories.governance import check_permissions

        class SecurityTest(BaseModel):
            id: int
            xss_payload: str

        decision = check_permissions(SecurityTest)
        print("ALLOWED", sorted(decision.allowed), flush=True)
    """)
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in CI_VARS and not k.startswith("FORGE_ALLOW")}
    try:
        proc = subprocess.Popen([sys.executable, "-c", script], stdin=slave, stdout=slave, stderr=slave,
                                env=env, cwd=os.getcwd())
        os.close(slave)
        seen = ""
        for _ in range(100):
            seen += _read_all(master)
            if "[y/N]" in seen:
                break
        assert "xss_payload" in seen and "[y/N]" in seen
        os.write(master, b"yes\n")
        assert proc.wait(timeout=60) == 0
        seen += _read_all(master)
        assert "ALLOWED ['xss_payload']" in seen
    finally:
        os.close(master)
