"""Issue 12 on SQLAlchemy: parents across sessions and rollbacks, existing rows, unique sets, seeding again.

Runs on SQLite, PostgreSQL and MariaDB with real commits (each test empties its tables).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

import forge_factories as factory
from forge_factories import seed
from forge_factories.common.errors import ForgeConfigError
from forge_factories.core import registry
from forge_factories.llm.providers import OfflineProvider
from forge_factories.orm.seed_schema import seed_session

from . import backends
from . import seedshop_sa as S

_ENGINES: dict[str, Any] = {}


def _engine(backend: str) -> Any:
    if backend not in _ENGINES:
        kwargs: dict[str, Any] = {}
        if backend == "postgresql":
            kwargs["connect_args"] = {"options": f"-c search_path={backends.PRIVATE}"}
        url = backends.sqlalchemy_url(backend).replace("_sa.sqlite3", "_shop.sqlite3")
        engine = create_engine(url, **kwargs)
        S.Base.metadata.create_all(engine)
        _ENGINES[backend] = engine
    return _ENGINES[backend]


def _empty(engine: Any) -> None:
    with Session(engine) as session:
        for model in S.TABLES_CHILDREN_FIRST:
            session.execute(model.__table__.delete())
        session.commit()


@pytest.fixture(params=backends.BACKENDS)
def engine(request: pytest.FixtureRequest) -> Iterator[Any]:
    backends.require(request.param)
    eng = _engine(request.param)
    _empty(eng)
    previous = factory.settings.provider
    factory.configure(provider=OfflineProvider())
    seed(3)
    yield eng
    for fac in S.ALL_FACTORIES:
        fac._meta.sqlalchemy_session = None
    factory.configure(provider=previous)
    registry.clear_registry()
    _empty(eng)


def _use(session: Session) -> None:
    for fac in S.ALL_FACTORIES:
        fac._meta.sqlalchemy_session = session


def _count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)))


def test_a_second_session_reloads_parents_of_the_first(engine: Any) -> None:
    with Session(engine) as first:
        seeded = seed_session(first, {S.CustomerFactory: 5, S.OrderFactory: 20})
        customer_ids = {c.id for c in seeded[S.CustomerFactory]}
    with Session(engine) as second:
        _use(second)
        orders = S.ReusingOrderFactory.create_batch(10)  # its note reads {customer.name}
        assert all(o.customer in second for o in orders)
        assert {o.customer.id for o in orders} <= customer_ids
        assert all(o.note for o in orders)
        second.commit()
        assert _count(second, S.Customer) == 5


def test_a_rolled_back_batch_leaves_no_parent_behind(engine: Any) -> None:
    with Session(engine) as session:
        _use(session)
        with pytest.raises(RuntimeError), session.begin_nested():
            S.CustomerFactory.create_batch(10)
            raise RuntimeError("the test's own failure after the batch was saved")
        # The rows are gone; the registry's keys for them do not load and are not reused.
        orders = S.ReusingOrderFactory.create_batch(4)
        session.commit()
        assert _count(session, S.Customer) == 4
        assert len({o.customer.id for o in orders}) == 4


def test_a_failing_seed_rolls_the_registry_back(engine: Any) -> None:
    with Session(engine) as session:
        with pytest.raises(ForgeConfigError):
            # Profiles need distinct customers: 6 cannot fit 5, found before anything is written.
            seed_session(session, {S.CustomerFactory: 5, S.ProfileFactory: 6})
        assert registry.counts().get("Customer", 0) == 0
        assert _count(session, S.Customer) == 0


def test_a_child_only_plan_uses_the_rows_already_there(engine: Any) -> None:
    with Session(engine) as session:
        first = seed_session(session, {S.CustomerFactory: 30})
        ids = {c.id for c in first[S.CustomerFactory]}
    registry.clear_registry()  # a new process: only the database knows the customers
    with Session(engine) as session:
        orders = seed_session(session, {S.OrderFactory: 200})[S.OrderFactory]
        assert _count(session, S.Customer) == 30
        assert {o.customer_id for o in orders} <= ids
        assert len({o.customer_id for o in orders}) > 20  # drawn over the whole table
    with Session(engine) as session:
        seed_session(session, {S.OrderFactory: 5}, existing_parents=False)
        assert _count(session, S.Customer) == 35


def test_composite_unique_parents_are_distinct_and_counted_before_writing(engine: Any) -> None:
    with Session(engine) as session:
        created = seed_session(session, {S.OrderFactory: 10, S.ProductFactory: 5, S.OrderLineFactory: 50})
        pairs = {(line.order_id, line.product_id) for line in created[S.OrderLineFactory]}
        assert len(pairs) == 50
    with Session(engine) as session, pytest.raises(ForgeConfigError) as info:
        seed_session(session, {S.OrderFactory: 10, S.ProductFactory: 5, S.OrderLineFactory: 51})
    message = str(info.value)
    assert "OrderLineFactory asks 51 rows" in message and "uq_ss_line_order_product" in message
    assert "at most 50" in message and "10 Order x 5 Product" in message
    with Session(engine) as session:
        assert _count(session, S.Order) == 10  # the failed plan wrote nothing
        # Child-only plan over the stored rows: the 50 stored pairs are full, one more cannot fit.
        with pytest.raises(ForgeConfigError, match=r"at most 0 distinct .*50 already stored"):
            seed_session(session, {S.OrderLineFactory: 1})


def test_one_to_one_parents_are_distinct(engine: Any) -> None:
    with Session(engine) as session:
        created = seed_session(session, {S.CustomerFactory: 8, S.ProfileFactory: 8})
        assert len({p.customer_id for p in created[S.ProfileFactory]}) == 8


def test_seeding_twice_continues_sequences_and_reset_starts_over(engine: Any) -> None:
    plan = {S.CustomerFactory: 20, S.ProductFactory: 5, S.OrderFactory: 40, S.OrderLineFactory: 60}
    seed(42)
    with Session(engine) as session:
        first = seed_session(session, plan)
        first_emails = [c.email for c in first[S.CustomerFactory]]
        first_names = [c.name for c in first[S.CustomerFactory]]
    with Session(engine) as session:  # the same seed again on the non-empty database
        seed(42)
        seed_session(session, plan)
        assert _count(session, S.Customer) == 40 and _count(session, S.OrderLine) == 120
        emails = session.scalars(select(S.Customer.email)).all()
        assert len(set(emails)) == 40
    with Session(engine) as session:
        seed(42)
        again = seed_session(session, plan, reset=True)
        assert _count(session, S.Customer) == 20 and _count(session, S.OrderLine) == 60
        assert [c.email for c in again[S.CustomerFactory]] == first_emails
        assert [c.name for c in again[S.CustomerFactory]] == first_names


def test_a_model_without_a_table_fails_before_the_first_insert(engine: Any) -> None:
    with Session(engine) as session, pytest.raises(ForgeConfigError, match="ss_ghost_never_created.*GhostFactory"):
        seed_session(session, {S.CustomerFactory: 3, S.GhostFactory: 2})
    with Session(engine) as session:
        assert _count(session, S.Customer) == 0


def test_a_declaration_reading_a_parent_key_sees_it_as_on_stock_factory_boy(engine: Any) -> None:
    import factory as stock

    class StockAuthorFactory(stock.alchemy.SQLAlchemyModelFactory):
        class Meta:
            model = S.Author
            sqlalchemy_session_persistence = "flush"

        name = stock.Faker("name")

    class StockBookFactory(stock.alchemy.SQLAlchemyModelFactory):
        class Meta:
            model = S.Book
            sqlalchemy_session_persistence = "flush"

        author = stock.SubFactory(StockAuthorFactory)
        label = stock.LazyAttribute(lambda o: f"book of author {o.author.id}")

    with Session(engine) as session:
        _use(session)
        StockAuthorFactory._meta.sqlalchemy_session = StockBookFactory._meta.sqlalchemy_session = session
        expected = StockBookFactory.create()
        assert expected.label == f"book of author {expected.author.id}"  # what users rely on
        single = S.BookFactory.create()
        batch = S.BookFactory.create_batch(20)
        for book in [single, *batch]:
            assert book.author.id is not None and book.label == f"book of author {book.author.id}"
        assert len({b.author.id for b in batch}) == 20
        session.rollback()


def test_single_unique_columns_get_distinct_values_also_against_stored_rows(engine: Any) -> None:
    from forge_factories.common.errors import ForgeError

    with Session(engine) as session:
        first = seed_session(session, {S.CouponFactory: 400})[S.CouponFactory]
        assert len({c.code for c in first}) == 400  # Faker alone repeats codes among 400 of 1,000
    with Session(engine) as session:
        seed_session(session, {S.CouponFactory: 400})  # again: none of the 400 stored codes
        assert len(set(session.scalars(select(S.Coupon.code)))) == 800
    with Session(engine) as session, pytest.raises(ForgeError, match=r"CouponFactory\.code gave .* again"):
        seed_session(session, {S.CouponFactory: 300})  # 1,000 codes cannot hold 1,100 rows
    with Session(engine) as session:
        assert _count(session, S.Coupon) == 800  # the failed run wrote nothing
