"""dream(): coverage gaps, rule conflicts, the JSON report, the FORGE_FLAG_DREAM gate."""

from __future__ import annotations

import datetime
import enum
import json
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from forge_factories.governance import FeatureDisabledError, Memory, dream
from forge_factories.governance.dream import MAX_SUMMARY_LINES

DAY = datetime.date(2026, 4, 8)


class Status(enum.Enum):
    OPEN = "open"
    PAID = "paid"


class User(BaseModel):
    id: int
    name: str
    age: int
    email: str
    score: float = Field(ge=0, le=1)


class Order(BaseModel):
    total: float
    status: Status
    note: str | None = None
    placed_on: datetime.date


@pytest.fixture
def memory(tmp_path: Path) -> Memory:
    return Memory(root=tmp_path / ".forge")


def test_gated_by_the_flag_read_at_call_time(memory: Memory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORGE_FLAG_DREAM", raising=False)
    with pytest.raises(FeatureDisabledError, match="FORGE_FLAG_DREAM=1"):
        dream([User], memory=memory)
    assert not memory.root.exists()
    monkeypatch.setenv("FORGE_FLAG_DREAM", "1")
    assert dream([User], memory=memory, today=DAY).gaps
    monkeypatch.setenv("FORGE_FLAG_DREAM", "0")
    assert dream([User], memory=memory, force=True, write=False).gaps


def test_brief_report(memory: Memory) -> None:
    report = dream([User, Order], memory=memory, force=True, today=DAY)
    found = [(g.model, g.field, g.kind) for g in report.gaps]
    assert found == [
        ("User", "id", "no_boundary"), ("User", "age", "no_boundary"), ("User", "email", "no_invalid"),
        ("Order", "total", "no_boundary"), ("Order", "placed_on", "no_invalid"),
    ]  # score is bounded by the model itself
    text = report.summary()
    assert text.splitlines()[:3] == ["ForgeDream Report - 2026-04-08", "Coverage gaps found : 5",
                                     "Rule conflicts found : 0"]
    assert "[User.age] no_boundary: No boundary-value rules for numeric field 'age'" in text
    assert "[User.email] no_invalid : No invalid-data rules for well-known field 'email'" in text
    saved = json.loads((memory.root / "coverage_gaps.json").read_text())
    assert saved == report.to_dict() and report.path == memory.root / "coverage_gaps.json"
    assert saved["date"] == "2026-04-08" and len(saved["gaps"]) == 5


def test_rules_close_gaps_and_conflicts_are_found(memory: Memory) -> None:
    memory.add_rule("user", "age between 18 and 120")
    memory.add_rule("user", "id >= 1")
    memory.add_rule("user", "email invalid: not-an-email")
    memory.add_rule("order", "total between 10 and 5000")
    memory.add_rule("order", "total < 5")
    memory.add_rule("order", "status in [open, refunded]")
    memory.add_rule("user", "nickname max length 10")
    report = dream([User, Order], memory=memory, force=True, today=DAY)
    assert [(g.model, g.field, g.kind) for g in report.gaps] == [("Order", "placed_on", "no_invalid")]
    messages = [c.message for c in report.conflicts]
    assert messages == ["total: lower bound 10 is above upper bound 5",
                        "rule allows value(s) the model does not have: refunded"]
    assert report.conflicts[0].rules == ("total between 10 and 5000", "total < 5")
    assert report.stale_rules == [("User", "nickname max length 10", "User has no field 'nickname'")]
    assert "Rule conflicts found : 2" in report.summary() and "Stale rules found : 1" in report.summary()


def test_records_reveal_uncovered_members_and_optionals(memory: Memory) -> None:
    orders = [Order(total=5, status=Status.OPEN, note="x", placed_on=DAY)] * 3
    report = dream([Order], memory=memory, force=True, write=False, records={Order: orders})
    kinds = {(g.field, g.kind): g.message for g in report.gaps}
    assert kinds[("status", "enum_uncovered")] == "Member(s) PAID of 'status' never appear in the records"
    assert ("note", "optional_uncovered") in kinds
    full = [*orders, Order(total=1, status=Status.PAID, note=None, placed_on=DAY)]
    report = dream([Order], memory=memory, force=True, write=False, records={"Order": full})
    assert not {k for k in ((g.field, g.kind) for g in report.gaps) if k[1].endswith("uncovered")}


def test_summary_is_pruned(memory: Memory) -> None:
    models = [type(f"M{i}", (BaseModel,), {"__annotations__": {f"n{j}": int for j in range(30)}}) for i in range(10)]
    report = dream(models, memory=memory, force=True, write=False, today=DAY)
    assert len(report.gaps) == 300
    assert len(report.summary(top=500).splitlines()) <= MAX_SUMMARY_LINES
    assert "... and 280 more" in report.summary()
