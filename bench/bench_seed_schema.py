"""Schema seeding and the FK registry at scale (issue 12), beside the peers in the same run.

    python bench/bench_seed_schema.py [--backend postgresql|sqlite] [--big 100000] [--registry 1000000]

1. The four-table plan ``{Customer: 500, Product: 300, Order: 2_000, OrderLine: 10_000}``
   (order lines UNIQUE(order_id, product_id); customers and orders carry offline semantic
   text) seeded end to end by ``seed_session``; beside it, the same rows written by plain
   bulk inserts (SQLAlchemy Core ``insert`` executemany of the rows forge produced) and by
   stock factory_boy (per-row flush, parents handed out by ``factory.Iterator``).
2. 10,000 orders seeded over 100 and over ``--big`` existing customers (a plan holding
   only the child factory): the per-row cost must not grow with the parents (target: the
   two within 1.3x). Best of two interleaved runs each.
3. The registry's memory for ``--registry`` saved parents (tracemalloc; target 100 MB) and
   the cost of a pick with 100 vs that many parents.

PostgreSQL: 127.0.0.1:5432, user postgres, database test, a private schema dropped at the end.
"""

from __future__ import annotations

import argparse
import gc
import os
import secrets
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import factory as stock  # noqa: E402
import factory.alchemy  # noqa: E402,F401
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, create_engine, insert, text  # noqa: E402
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship  # noqa: E402

import forge_factories as forge  # noqa: E402
from forge_factories.alchemy import SQLAlchemyModelFactory  # noqa: E402
from forge_factories.core import registry  # noqa: E402
from forge_factories.llm.providers import OfflineProvider  # noqa: E402
from forge_factories.orm.seed_schema import seed_session  # noqa: E402

SCHEMA = f"bench_seed_{os.getpid()}_{secrets.token_hex(3)}"


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "bs_customer"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200), unique=True)
    bio: Mapped[str] = mapped_column(Text)


class Product(Base):
    __tablename__ = "bs_product"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    price_cents: Mapped[int] = mapped_column(Integer)


class Order(Base):
    __tablename__ = "bs_order"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("bs_customer.id"))
    note: Mapped[str] = mapped_column(Text)
    customer: Mapped[Customer] = relationship()


class OrderLine(Base):
    __tablename__ = "bs_order_line"
    __table_args__ = (UniqueConstraint("order_id", "product_id", name="uq_bs_line"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("bs_order.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("bs_product.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    order: Mapped[Order] = relationship()
    product: Mapped[Product] = relationship()


TABLES = [Customer, Product, Order, OrderLine]


class CustomerFactory(SQLAlchemyModelFactory[Customer]):
    class Meta:
        model = Customer

    name = forge.Faker("name")
    email = forge.Sequence(lambda n: f"customer{n}@example.com")
    bio = forge.SemanticAttribute("a one-sentence bio of {name}", max_length=300)


class ProductFactory(SQLAlchemyModelFactory[Product]):
    class Meta:
        model = Product

    name = forge.Faker("catch_phrase")
    price_cents = forge.Faker("pyint", min_value=199, max_value=19999)


class OrderFactory(SQLAlchemyModelFactory[Order]):
    class Meta:
        model = Order

    customer = forge.SubFactory(CustomerFactory)
    note = forge.SemanticAttribute("a delivery note left by {customer.name}", max_length=300)


class OrderLineFactory(SQLAlchemyModelFactory[OrderLine]):
    class Meta:
        model = OrderLine

    order = forge.SubFactory(OrderFactory)
    product = forge.SubFactory(ProductFactory)
    quantity = forge.Faker("pyint", min_value=1, max_value=5)


PLAN = {CustomerFactory: 500, ProductFactory: 300, OrderFactory: 2_000, OrderLineFactory: 10_000}


def engine_for(backend: str) -> Any:
    if backend == "sqlite":
        return create_engine(f"sqlite:///{tempfile.gettempdir()}/{SCHEMA}.sqlite3")
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
    admin.dispose()
    return create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test",
                         connect_args={"options": f"-c search_path={SCHEMA}"})


def fresh(engine: Any) -> None:
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)


def rows_of(objs: Sequence[Any], model: Any) -> list[dict[str, Any]]:
    names = [c.name for c in model.__table__.columns if c.name != "id"]
    return [{n: getattr(o, n) for n in names} for o in objs]


def bench_plan(engine: Any) -> dict[str, float]:
    fresh(engine)
    forge.seed(42)
    registry.clear_registry()
    with Session(engine) as session:
        start = time.perf_counter()
        created = seed_session(session, PLAN)
        forge_s = time.perf_counter() - start
        pairs = {(x.order_id, x.product_id) for x in created[OrderLineFactory]}
        assert len(pairs) == PLAN[OrderLineFactory], "composite unique violated"
        rows = {f._meta.model: rows_of(objs, f._meta.model) for f, objs in created.items()}
    fresh(engine)
    with engine.begin() as conn:  # the same rows (their foreign keys as written) by plain bulk inserts
        start = time.perf_counter()
        for model in TABLES:
            conn.execute(insert(model), rows[model])
        plain_s = time.perf_counter() - start
    fresh(engine)
    stock_s = bench_stock(engine)
    return {"forge": forge_s, "plain": plain_s, "stock": stock_s}


def bench_stock(engine: Any) -> float:
    """Stock factory_boy: each factory's parents handed out from the created lists by Iterator."""
    with Session(engine) as session:
        def make(model: Any, decls: Mapping[str, Any]) -> Any:
            meta = type("Meta", (), {"model": model, "sqlalchemy_session": session,
                                     "sqlalchemy_session_persistence": "flush"})
            return type(f"Stock{model.__name__}", (stock.alchemy.SQLAlchemyModelFactory,), {"Meta": meta, **decls})

        start = time.perf_counter()
        customers = make(Customer, {"name": stock.Faker("name"),
                                    "email": stock.Sequence(lambda n: f"customer{n}@example.com"),
                                    "bio": stock.Faker("sentence")}).create_batch(PLAN[CustomerFactory])
        products = make(Product, {"name": stock.Faker("catch_phrase"),
                                  "price_cents": stock.Faker("pyint", min_value=199, max_value=19999)}
                        ).create_batch(PLAN[ProductFactory])
        orders = make(Order, {"customer": stock.Iterator(customers), "note": stock.Faker("sentence")}
                      ).create_batch(PLAN[OrderFactory])
        pairs = iter((o, p) for o in orders for p in products[:5])  # distinct pairs, as a user would enumerate them
        line_factory = make(OrderLine, {"quantity": stock.Faker("pyint", min_value=1, max_value=5)})
        for order, product in (next(pairs) for _ in range(PLAN[OrderLineFactory])):
            line_factory.create(order=order, product=product)
        session.commit()
        return time.perf_counter() - start


def bench_child_only(engine: Any, parents: int) -> float:
    """10,000 orders over ``parents`` existing customers, as a new process would (empty registry)."""
    fresh(engine)
    with engine.begin() as conn:
        conn.execute(insert(Customer), [{"name": f"c{i}", "email": f"c{i}@x.test", "bio": "."} for i in range(parents)])
    forge.seed(1)
    registry.clear_registry()
    gc.collect()  # the setup's garbage (up to 100,000 row dicts) is not the seeding's to collect
    with Session(engine) as session:
        start = time.perf_counter()
        orders = seed_session(session, {OrderFactory: 10_000})[OrderFactory]
        took = time.perf_counter() - start
        assert session.query(Customer).count() == parents and len(orders) == 10_000
    return took


class _Keys:
    token = "bench"

    def load(self, keys: Sequence[Any]) -> dict[Any, Any]:
        return {k: k for k in keys}

    def scan(self) -> list[Any]:
        return []


def bench_registry(size: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for n in (100, size):
        reg = registry.Registry()
        tracemalloc.start()
        for key in range(1, n + 1):
            reg.register_row(Customer, "bench", key)
        current, _peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        source = _Keys()
        start = time.perf_counter()
        for _ in range(50_000):
            reg.pick_row(Customer, "bench", source)
        out[f"pick_us_{n}"] = (time.perf_counter() - start) / 50_000 * 1e6
        out[f"mb_{n}"] = current / 1e6
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="postgresql", choices=["postgresql", "sqlite"])
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--registry", type=int, default=1_000_000)
    args = parser.parse_args()
    forge.configure(provider=OfflineProvider())
    engine = engine_for(args.backend)
    try:
        plan = bench_plan(engine)
        print(f"four-table plan ({sum(PLAN.values()):,} rows) into {args.backend}:")
        print(f"  forge seed_session        {plan['forge']:7.2f} s   (target <= 2 s)")
        print(f"  plain bulk inserts        {plan['plain']:7.2f} s   forge / plain = {plan['forge'] / plan['plain']:.1f}x")
        print(f"  stock factory_boy         {plan['stock']:7.2f} s   stock / forge = {plan['stock'] / plan['forge']:.1f}x")
        runs = [(n, bench_child_only(engine, n)) for n in (100, args.big, 100, args.big)]  # interleaved
        small = min(t for n, t in runs if n == 100)
        big = min(t for n, t in runs if n == args.big)
        print(f"10,000 orders over existing customers: 100 -> {small:.2f} s, {args.big:,} -> {big:.2f} s "
              f"(ratio {big / small:.2f}, target <= 1.3)")
    finally:
        Base.metadata.drop_all(engine)
        if args.backend == "postgresql":
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        engine.dispose()
    reg = bench_registry(args.registry)
    print(f"registry, {args.registry:,} saved parents: {reg[f'mb_{args.registry}']:.1f} MB (target <= 100); "
          f"pick {reg['pick_us_100']:.2f} us with 100 vs {reg[f'pick_us_{args.registry}']:.2f} us with "
          f"{args.registry:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
