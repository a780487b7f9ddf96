"""The product brief's ``Forge`` examples, run as written (offline: no test touches the network)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from forge_factories import Forge
from forge_factories.llm.providers.recording import RecordingProvider

from .models import Customer, Order, Payment, Product, Review, User


@pytest.fixture(autouse=True)
def _no_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORGE_OLLAMA_PROBE", "0")


def test_quick_start() -> None:
    forge = Forge(use_ai=False, seed=42)
    users = forge.create_batch(User, count=50, context="SaaS platform users")
    assert isinstance(users, list) and len(users) == 50
    assert [u.id for u in users] == list(range(1, 51))  # sequential ids
    assert all("@" in u.email and u.name for u in users)
    assert len({u.bio for u in users}) == 50  # real text, one per user, no placeholder
    assert not any("placeholder" in u.bio.lower() for u in users)


def test_only_semantic_fields_go_to_the_provider_in_one_batch() -> None:
    recorder = RecordingProvider()
    forge = Forge(seed=1, provider=recorder)
    forge.create_batch(User, count=50, context="SaaS platform users")
    assert len(recorder.requests) == 1
    request = recorder.requests[0]
    assert [s.name for s in request.specs] == ["bio"]
    assert len(request.items) == 50 and request.context == "SaaS platform users"


def test_two_semantic_fields_one_request() -> None:
    class Profile(BaseModel):
        id: int
        name: str
        bio: str
        headline: str

    recorder = RecordingProvider()
    Forge(seed=1, provider=recorder).create_batch(Profile, count=100)
    assert len(recorder.requests) == 1
    assert sorted(s.name for s in recorder.requests[0].specs) == ["bio", "headline"]


def test_ci_mode_is_deterministic() -> None:
    first = [u.model_dump() for u in Forge(use_ai=False, seed=42).create_batch(User, count=500)]
    second = [u.model_dump() for u in Forge(use_ai=False, seed=42).create_batch(User, count=500)]
    other = [u.model_dump() for u in Forge(use_ai=False, seed=43).create_batch(User, count=500)]
    assert first == second
    assert first != other


def test_dev_mode_construction_makes_no_call() -> None:
    forge = Forge(provider_name="anthropic", model="claude-haiku-4-5-20251001")
    assert forge._provider is None  # created on first generation only
    assert "anthropic" in repr(forge)
    assert Forge(use_ai=False).provider.name == "offline"


def test_fk_relationships() -> None:
    forge = Forge(use_ai=False, seed=3)
    customers = forge.create_batch(Customer, count=10)
    orders = forge.create_batch(Order, count=100)
    ids = {c.id for c in customers}
    assert all(o.customer_id in ids for o in orders)
    assert forge.stats()["registry"] == {"Customer": 10, "Order": 100}


def test_swarm() -> None:
    forge = Forge(use_ai=False, seed=5)
    results = forge.swarm(
        models=[User, Order, Product, Payment],
        counts=[10, 50, 100, 30],
        contexts=["SaaS users", "E-commerce orders", None, None],
    )
    assert list(results) == ["User", "Order", "Product", "Payment"]
    assert [len(v) for v in results.values()] == [10, 50, 100, 30]
    order_ids = {o.id for o in results["Order"]}
    assert all(p.order_id in order_ids for p in results["Payment"])


def test_swarm_orders_parents_first() -> None:
    forge = Forge(use_ai=False, seed=5)
    assert forge.dependency_order([Review, Payment, Order, Product, Customer]) == [
        Product, Customer, Review, Order, Payment,
    ]
    results = forge.swarm([Payment, Order, Customer], counts=[20, 10, 5])
    assert list(results) == ["Payment", "Order", "Customer"]
    customer_ids = {c.id for c in results["Customer"]}
    order_ids = {o.id for o in results["Order"]}
    assert all(o.customer_id in customer_ids for o in results["Order"])
    assert all(p.order_id in order_ids for p in results["Payment"])
    # children reused the swarm's parents instead of minting their own
    assert forge.stats()["registry"] == {"Customer": 5, "Order": 10, "Payment": 20}


def test_verbose_provenance(capsys: pytest.CaptureFixture[str]) -> None:
    forge = Forge(use_ai=False, seed=42, verbose=True)
    user = forge.create(User)
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "[structural] id = 1",
        "[faker] name = 'Allison Hill'",
        "[faker] email = 'donaldgarcia@example.net'",
    ]
    assert lines[3] == f"[offline] bio = {user.bio!r}"


def test_stats_and_clear_registry() -> None:
    forge = Forge(use_ai=False, seed=1)
    forge.create_batch(User, count=50)
    forge.create_batch(Customer, count=4)
    stats = forge.stats()
    assert set(stats) == {"registry", "session_tokens", "cache_hits", "usage", "memory", "flags"}
    assert stats["cache_hits"] == 0 and stats["usage"] == {}  # offline: no provider request
    assert stats["registry"] == {"User": 50, "Customer": 4}
    assert isinstance(stats["session_tokens"], int)
    assert isinstance(stats["memory"], dict) and isinstance(stats["flags"], dict)
    forge.clear_registry()
    assert forge.stats()["registry"] == {}
    order = forge.create(Order)  # no customer left: one is generated
    assert forge.stats()["registry"] == {"Customer": 1, "Order": 1}
    assert order.customer_id is not None


def test_create_batch_is_always_a_list() -> None:
    forge = Forge(use_ai=False, seed=1)
    assert forge.create_batch(User, 0) == []
    one = forge.create_batch(User, 1)
    assert isinstance(one, list) and len(one) == 1
    assert forge.create(User, name="Grace Hopper").name == "Grace Hopper"


def test_permission_gates() -> None:
    from forge_factories.governance.gates import ForgePermissionError

    class CustomerProfile(BaseModel):
        id: int
        ssn: str
        salary: float

    with pytest.raises(ForgePermissionError, match="ssn"):
        Forge(use_ai=False, allow_pii=False).create(CustomerProfile)
    profile = Forge(use_ai=False, seed=1, allow_pii=True).create(CustomerProfile)
    assert profile.ssn

    class SecurityTest(BaseModel):
        id: int
        sql_injection: str

    with pytest.raises(ForgePermissionError, match="sql_injection"):
        Forge(use_ai=False, interactive=False).create(SecurityTest)


def test_forge_with_django_models(dj_corpus: Any) -> None:
    forge = Forge(use_ai=False, seed=9)
    authors = forge.create_batch(dj_corpus.DJAuthor, 3)
    books = forge.create_batch(dj_corpus.DJBook, 12)
    assert {b.author_id for b in books} <= {a.pk for a in authors}
    for book in books:
        book.full_clean()
    assert dj_corpus.DJBook.objects.count() == 12


def test_forge_with_sqlalchemy_models(sa_session: Any) -> None:
    from .corpus.alchemy_models import SAAccount, SAOrder

    forge = Forge(use_ai=False, seed=4, sqlalchemy_session=sa_session)
    accounts = forge.create_batch(SAAccount, 4)
    orders = forge.create_batch(SAOrder, 20)
    sa_session.flush()
    assert all(a.id is not None for a in accounts)
    assert {o.account_id for o in orders} <= {a.id for a in accounts}


class _Echo:
    """A stand-in live provider (not offline): numbered text, counts its calls."""

    name = "echo"

    def __init__(self) -> None:
        self.calls = 0

    def fill(self, request: Any) -> dict[int, dict[str, str]]:
        self.calls += 1
        return {item.index: {f: f"{f} text number {self.calls}-{item.index}" for f in item.fields}
                for item in request.items}


def test_use_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("FORGE_CACHE", "1")
    monkeypatch.setenv("FORGE_CACHE_DIR", str(tmp_path / "cache"))
    first, second, third = _Echo(), _Echo(), _Echo()
    a = Forge(seed=1, provider=first).create_batch(User, 5)
    b = Forge(seed=1, provider=second).create_batch(User, 5)
    assert first.calls == 1 and second.calls == 0  # the same request again: served from the cache
    assert [u.bio for u in a] == [u.bio for u in b]
    Forge(seed=1, provider=third, use_cache=False).create_batch(User, 5)
    assert third.calls == 1


def test_auto_detected_provider_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORGE_PROVIDER", "offline")
    forge = Forge(seed=2)
    users = forge.create_batch(User, count=5, context="SaaS platform users")
    assert forge.provider.name == "offline"
    assert len({u.bio for u in users}) == 5


def test_stream_and_large_delegate(tmp_path: Any) -> None:
    import json

    forge = Forge(use_ai=False, seed=6)
    target = tmp_path / "users.jsonl"
    with forge.create_stream(User, 30, str(target)) as stream:
        ids = [user.id for user in stream]
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(ids) == 30 and [r["id"] for r in rows] == ids
    large = forge.create_large(User, 200, seed_ratio=0.05)
    assert len(large) == 200 and len({u.id for u in large}) == 200
    assert all(u.bio for u in large)
