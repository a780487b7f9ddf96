"""Seed the example shop database.

    python seed.py                                   # SQLite file shop.sqlite3 here
    python seed.py postgresql+psycopg://postgres@127.0.0.1:5432/test --schema shop_demo
    python seed.py sqlite:///other.db --reviews 5000 --context "a garden centre"

Offline by default (``--provider offline``): no key, no network, the same output for the
same ``--seed``. ``--provider`` accepts any forge provider name when you do want an LLM.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import Any

from shop_factories import CustomerFactory, OrderFactory, ProductFactory, ReviewFactory
from shop_models import Base, Customer, Order, Product, Review
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

import forge_factories
from forge_factories.orm.seed_schema import seed_session


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", default="sqlite:///shop.sqlite3", help="SQLAlchemy database URL")
    parser.add_argument("--schema", help="PostgreSQL schema to create and use")
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--products", type=int, default=20)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--reviews", type=int, default=100)
    parser.add_argument("--context", default="customers of a small online homeware shop")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--provider", default="offline")
    parser.add_argument("--drop", action="store_true", help="drop the shop tables when done")
    return parser.parse_args(argv)


def engine_for(url: str, schema: str | None) -> Any:
    if not schema:
        return create_engine(url)
    if not url.startswith("postgresql"):
        raise SystemExit("--schema is only supported on PostgreSQL")
    with create_engine(url).begin() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    return create_engine(url, connect_args={"options": f"-c search_path={schema}"})


def provider_from(name: str) -> Any:
    if name == "offline":
        from forge_factories.llm.providers import OfflineProvider

        return OfflineProvider()
    return name


SAMPLE_ROWS = 3


def _wrapped(text: str, indent: str = "      ") -> str:
    return textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)


def print_sample(session: Session, counts: dict[str, int | None]) -> None:
    """Print the first rows of each table, text included: what the seeding really wrote."""
    print(f"\nCustomers ({SAMPLE_ROWS} of {counts['Customer']})")
    for customer in session.scalars(select(Customer).order_by(Customer.id).limit(SAMPLE_ROWS)):
        print(f"  {customer.name}, {customer.city} <{customer.email}>")
        print(_wrapped(customer.bio))
    print(f"\nProducts ({SAMPLE_ROWS} of {counts['Product']})")
    for product in session.scalars(select(Product).order_by(Product.id).limit(SAMPLE_ROWS)):
        print(f"  {product.name} [{product.category}, {product.price_cents / 100:.2f}]")
        print(_wrapped(product.description))
    print(f"\nOrders ({SAMPLE_ROWS} of {counts['Order']})")
    for order in session.scalars(select(Order).order_by(Order.id).limit(SAMPLE_ROWS)):
        print(f"  #{order.id}: {order.customer.name} ordered {order.quantity} x {order.product.name}")
    print(f"\nReviews ({SAMPLE_ROWS} of {counts['Review']})")
    for review in session.scalars(select(Review).order_by(Review.id).limit(SAMPLE_ROWS)):
        print(f"  {review.rating}/5 for {review.order.product.name}: {review.title}")
        print(_wrapped(review.body))


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    engine = engine_for(args.url, args.schema)
    Base.metadata.create_all(engine)
    forge_factories.configure(provider=provider_from(args.provider))
    forge_factories.seed(args.seed)
    plan = {
        CustomerFactory: args.customers,
        ProductFactory: args.products,
        OrderFactory: args.orders,
        ReviewFactory: args.reviews,
    }
    with Session(engine) as session:
        created = seed_session(session, plan, context=args.context)
        print(", ".join(f"{f.__name__}: {len(objs)}" for f, objs in created.items()))
    with Session(engine) as session:
        counts = {m.__name__: session.scalar(select(func.count()).select_from(m))
                  for m in (Customer, Product, Order, Review)}
        print("rows:", ", ".join(f"{k}={v}" for k, v in counts.items()))
        print_sample(session, counts)
    if args.drop:
        Base.metadata.drop_all(engine)
        if args.schema:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{args.schema}" CASCADE'))
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
