"""Memory: safe topic names, files created lazily, re-read every call, rules reach the prompt."""

from __future__ import annotations

import json
import random
import warnings
from pathlib import Path

import factory
import pytest
from pydantic import BaseModel, Field

import forge_factories as ff
from forge_factories.common.errors import ForgeWarning
from forge_factories.governance import (
    GovernedProvider,
    Memory,
    MemoryRuleError,
    apply_constraints,
    with_rules,
)
from forge_factories.governance.memory import find_project_root, validate_topic
from forge_factories.llm.providers.recording import RecordingProvider
from forge_factories.llm.request import SemanticItem, SemanticRequest
from forge_factories.text.spec import FieldSpec


@pytest.fixture
def memory(tmp_path: Path) -> Memory:
    return Memory(root=tmp_path / ".forge")


@pytest.mark.parametrize("topic", [
    "../escape", "..", ".", "a/b", "a\\b", "/etc/passwd", "", " ", "a.b", ".hidden", "x" * 65,
    "nul", "CON", "com1", "index", "topic\x00", "tab\tname", "ünïcode", "-leading-dash",
])
def test_bad_topics_are_refused_and_nothing_is_written(memory: Memory, topic: str, tmp_path: Path) -> None:
    with pytest.raises(MemoryRuleError):
        memory.add_rule(topic, "age between 18 and 120")
    with pytest.raises(MemoryRuleError):
        memory.rules(topic)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("topic", "normalised"), [("User", "user"), ("orders_2024", "orders_2024"),
                                                   ("financial-rules", "financial-rules")])
def test_good_topics(topic: str, normalised: str) -> None:
    assert validate_topic(topic) == normalised


def test_nothing_is_created_until_the_first_write(memory: Memory, tmp_path: Path) -> None:
    assert memory.topics() == [] and memory.rules() == [] and memory.rules("user") == []
    assert memory.stats() == {"topics": 0, "rules": 0, "total_kb": 0.0}
    assert not memory.remove("user")
    assert list(tmp_path.iterdir()) == []
    memory.add_rule("financial", "Users under 18 get restricted account type")
    assert sorted(p.name for p in (tmp_path / ".forge" / "memory").iterdir()) == [".lock", "financial.md", "index.json"]


def test_add_list_remove_persisted_as_index_plus_topic_files(memory: Memory) -> None:
    memory.add_rule("financial", "Users under 18 get restricted account type")
    memory.add_rule("user", "Israeli phone numbers use format 05x-xxx-xxxx")
    memory.add_rule("user", "age between 18 and 120")
    memory.add_rule("user", "age between 18 and 120")  # duplicates are stored once
    assert memory.topics() == ["financial", "user"]
    assert memory.rules("USER") == ["Israeli phone numbers use format 05x-xxx-xxxx", "age between 18 and 120"]
    index = json.loads((memory.directory / "index.json").read_text())
    assert index == {"version": 1, "topics": {"financial": "financial.md", "user": "user.md"}}
    assert (memory.directory / "user.md").read_text() == (
        "# user\n\n- Israeli phone numbers use format 05x-xxx-xxxx\n- age between 18 and 120\n")
    assert Memory(root=memory.root).rules("user") == memory.rules("user")  # another instance sees it
    assert memory.remove("user", "age between 18 and 120")
    assert memory.rules("user") == ["Israeli phone numbers use format 05x-xxx-xxxx"]
    assert memory.remove("financial")
    assert memory.topics() == ["user"] and not (memory.directory / "financial.md").exists()
    assert memory.stats()["topics"] == 1 and memory.stats()["rules"] == 1


def test_files_are_re_read_on_every_call(memory: Memory) -> None:
    memory.add_rule("user", "age between 18 and 120")
    path = memory.directory / "user.md"
    path.write_text(path.read_text() + "- status in [active, suspended]\n")
    assert memory.rules("user") == ["age between 18 and 120", "status in [active, suspended]"]


def test_a_hand_edited_index_cannot_point_outside(memory: Memory, tmp_path: Path) -> None:
    memory.add_rule("user", "age >= 18")
    (memory.directory / "index.json").write_text(json.dumps({"topics": {"../../evil": "x", "user": "user.md"}}))
    assert memory.topics() == ["user"]


@pytest.mark.parametrize("rule", ["", "   ", "two\nlines", "x" * 501, "age: int", "email is a string",
                                  "`age` has type integer", "nickname: str | None"])
def test_schema_only_and_malformed_rules_are_refused(memory: Memory, rule: str) -> None:
    with pytest.raises(MemoryRuleError):
        memory.add_rule("user", rule)


def test_default_root_is_the_project_forge_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    sub = tmp_path / "pkg" / "deep"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert find_project_root() == tmp_path
    assert Memory().root == tmp_path / ".forge"


class User(BaseModel):
    name: str
    age: int = Field(ge=0, le=200)
    status: str
    bio: str = ""


def test_stale_rules_are_reported_and_left_out(memory: Memory) -> None:
    memory.add_rule("user", "age between 18 and 120")
    memory.add_rule("user", "nickname max length 12")  # User has no nickname any more
    memory.add_rule("user", "Mention the `nickname` in the bio")  # free text naming a missing field
    memory.add_rule("orders", "Order.total >= 0")  # about another model
    memory.add_rule("general", "loyalty_points >= 0")  # unscoped: other models may have it
    memory.add_rule("general", "Bios are written in British English")
    check = memory.check(User)
    assert check.rules == ("Bios are written in British English", "age between 18 and 120")
    assert [r for r, _ in check.stale] == ["nickname max length 12", "Mention the `nickname` in the bio"]
    assert all("no field 'nickname'" in why for _, why in check.stale)
    assert [r for r, _ in check.not_applicable] == ["loyalty_points >= 0", "Order.total >= 0"]
    with pytest.warns(ForgeWarning, match="2 stale rule"):
        assert memory.prompt_rules(User) == check.rules


def _request(rules: tuple[str, ...] = ()) -> SemanticRequest:
    return SemanticRequest(factory="tests.UserFactory", model="User", context=None,
                           specs=(FieldSpec("bio", "A bio of {name}"),),
                           items=(SemanticItem(0, "0", ("bio",), {"name": "Ada"}),), rules=rules)


def test_with_rules_helper(memory: Memory) -> None:
    assert with_rules(_request(), memory, User).rules == ()
    memory.add_rule("user", "age between 18 and 120")
    request = with_rules(_request(("keep me",)), memory, User)
    assert request.rules == ("keep me", "age between 18 and 120")


def test_a_rule_reaches_the_prompt_of_the_next_call(memory: Memory) -> None:
    recorder = RecordingProvider()
    governed = GovernedProvider(recorder, memory=memory, model=User)

    class UserFactory(ff.AIFactory):
        class Meta:
            model = User
            forge_provider = governed

        name = factory.Sequence(lambda n: f"user{n}")
        age = 30
        status = "active"
        bio = ff.SemanticAttribute("A short bio of {name}")

    UserFactory.build_batch(3)
    assert recorder.requests[-1].rules == ()
    memory.add_rule("user", "Bios never mention the user's employer")
    UserFactory.build_batch(3)
    assert recorder.requests[-1].rules == ("Bios never mention the user's employer",)
    assert len(recorder.requests) == 2 and len(recorder.requests[-1].items) == 3


def test_a_bounds_rule_holds_offline(memory: Memory) -> None:
    """A plain factory_boy factory; its generator applies the memory's constraints."""
    memory.add_rule("user", "age between 18 and 120")
    memory.add_rule("user", "status in [active, suspended]")
    memory.add_rule("user", "name matches ^[A-Z][a-z]{2,9}$")
    rng = random.Random(42)

    class UserFactory(factory.Factory):
        class Meta:
            model = User

        name = factory.Faker("user_name")
        age = factory.Faker("pyint", min_value=0, max_value=200)
        status = factory.Iterator(["active", "deleted", "pending"])

        @classmethod
        def _adjust_kwargs(cls, **kwargs: object) -> dict[str, object]:
            return apply_constraints(kwargs, memory.constraints_for(User), rng)

    users = UserFactory.build_batch(300)
    assert all(18 <= u.age <= 120 for u in users)
    assert {u.status for u in users} == {"active", "suspended"}
    assert all(u.name[0].isupper() and u.name[1:].islower() and 3 <= len(u.name) <= 10 for u in users)
    assert len({u.age for u in users}) > 20  # still varied, not clamped to one value


def test_rules_never_store_model_fields(memory: Memory) -> None:
    memory.add_rule("user", "age between 18 and 120")
    stored = "".join(p.read_text() for p in memory.directory.iterdir())
    for name in User.model_fields:
        if name != "age":  # only what the user wrote is stored
            assert name not in stored
    assert "int" not in stored


def test_warnings_clean_when_no_stale(memory: Memory) -> None:
    memory.add_rule("user", "age >= 21")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert memory.prompt_rules(User) == ("age >= 21",)


def test_import_and_construction_have_no_side_effects(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "pyproject.toml").write_text("")
    code = "import forge_factories.governance as g; m = g.Memory(); m.rules(); print(m.root)"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(tmp_path / ".forge")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml"]


def test_concurrent_writers_lose_no_rule(memory: Memory) -> None:
    import threading

    def writer(w: int) -> None:
        own = Memory(root=memory.root)
        for i in range(10):
            own.add_rule(f"topic{w % 3}", f"rule {w}-{i} is kept")

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert memory.topics() == ["topic0", "topic1", "topic2"]
    assert len(memory.rules()) == 60


def test_nested_paths_and_qualified_rules(memory: Memory) -> None:
    class Item(BaseModel):
        price: float
        product: User

    memory.add_rule("general", "product.age >= 30")  # about the nested User, not Item.price/age
    memory.add_rule("general", "Item.price between 1 and 9")
    memory.add_rule("general", "User.age <= 40")
    constraints = memory.constraints_for(Item)
    assert set(constraints) == {"price"} and (constraints["price"].lower, constraints["price"].upper) == (1, 9)
    assert memory.check(Item).rules == ("product.age >= 30", "Item.price between 1 and 9")
    assert memory.constraints_for(User)["age"].upper == 40


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\v", "\f", "\x1c", "\t", "\u00a0  "])
def test_unicode_line_breaks_are_normalised_and_never_split_a_rule(memory: Memory, sep: str) -> None:
    stored = memory.add_rule("user", f"age >= 18{sep}and age <= 120")
    assert stored == "age >= 18 and age <= 120"
    assert memory.rules("user") == [stored]
    assert memory.remove("user", f"age >= 18{sep}and age <= 120")
    assert memory.rules("user") == []


def test_a_hand_written_separator_does_not_split_on_read_back(memory: Memory) -> None:
    memory.add_rule("user", "age >= 18")
    path = memory.directory / "user.md"
    path.write_text(path.read_text(encoding="utf-8") + "- name is\u2028not empty\r\n", encoding="utf-8")
    assert memory.rules("user") == ["age >= 18", "name is not empty"]


def test_a_symlinked_memory_directory_is_refused(memory: Memory, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    memory.root.mkdir()
    memory.directory.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(MemoryRuleError, match="symbolic link"):
        memory.add_rule("user", "age >= 18")
    with pytest.raises(MemoryRuleError, match="symbolic link"):
        memory.rules()
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_forge_dir_index_or_lock_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    with pytest.raises(MemoryRuleError, match="symbolic link"):
        Memory(root=tmp_path / "linked").add_rule("user", "age >= 18")
    assert list(real.iterdir()) == []
    memory = Memory(root=tmp_path / ".forge")
    memory.add_rule("user", "age >= 18")
    target = tmp_path / "outside-lock"
    lock = memory.directory / ".lock"
    lock.unlink()
    lock.symlink_to(target)
    with pytest.raises(MemoryRuleError, match="symbolic link"):
        memory.add_rule("user", "age <= 120")
    assert not target.exists()
    index = memory.directory / "index.json"
    index.rename(tmp_path / "index-real.json")
    index.symlink_to(tmp_path / "index-real.json")
    with pytest.raises(MemoryRuleError, match="symbolic link"):
        memory.topics()
