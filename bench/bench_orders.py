"""ORM end to end: ``create_batch(N)`` orders, each with its own 10-field user (issue 17).

    python bench/bench_orders.py [--n 10000] [--repeats 2] [--backends sqlite,postgresql,mariadb]

Django models; in each backend, best of REPEATS runs per tool, interleaved (the order rotates
each round), wall-clock time of the whole call inside one transaction:
  * forge ``DjangoModelFactory.create_batch(N)`` on the object executor (the default: bulk
    inserts, cached-weight Faker, factory_boy's values),
  * forge with ``Meta.forge_executor = "columns"`` (the factory's column plan; users made
    column-wise and bulk-inserted first),
  * stock factory_boy ``DjangoModelFactory.create_batch(N)``, the same declarations,
  * model_bakery ``baker.make(Order, _quantity=N, _bulk_create=True)`` with the user's fields
    given the same Faker providers (``user__name=fake.name``...; stock Faker),
  * a loop calling stock Faker for every field, then ``bulk_create`` of users and orders,
  * ``bulk_create`` of pre-built rows (values made before the clock starts: the insert alone).
forge (objects) and factory_boy must save the very same values under the same seed (checked).
Targets: forge at least 5x factory_boy and 2x model_bakery. PostgreSQL 127.0.0.1:5432
(postgres, db test) in a private schema; MariaDB 127.0.0.1:3306 (root) in a private database;
both dropped at the end. The machine may be shared: figures are ratios within one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import django
import pymysql
from django.conf import settings

PRIVATE = f"bench_orders_{os.getpid()}_{secrets.token_hex(3)}"
SQLITE = os.path.join(tempfile.gettempdir(), f"{PRIVATE}.sqlite3")
pymysql.version_info = (2, 2, 1, "final", 0)  # Django checks the mysqlclient version
pymysql.install_as_MySQLdb()
settings.configure(
    DATABASES={
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": SQLITE},
        "postgresql": {"ENGINE": "django.db.backends.postgresql", "NAME": "test", "USER": "postgres",
                       "HOST": "127.0.0.1", "PORT": 5432, "OPTIONS": {"options": f"-c search_path={PRIVATE}"}},
        "mariadb": {"ENGINE": "django.db.backends.mysql", "NAME": PRIVATE, "USER": "root", "PASSWORD": "",
                    "HOST": "127.0.0.1", "PORT": 3306, "OPTIONS": {"charset": "utf8mb4"}},
    },
    INSTALLED_APPS=[], USE_TZ=True, DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

import factory  # noqa: E402
import factory.django  # noqa: E402
from django.db import connections, models, transaction  # noqa: E402
from faker import Faker  # noqa: E402
from model_bakery import baker  # noqa: E402

import forge_factories  # noqa: E402
from forge_factories.django import DjangoModelFactory  # noqa: E402


class User(models.Model):
    name = models.CharField(max_length=100)
    email = models.CharField(max_length=120)
    username = models.CharField(max_length=60)
    bio = models.TextField()
    address = models.TextField()
    phone = models.CharField(max_length=40)
    company = models.CharField(max_length=100)
    job = models.CharField(max_length=200)
    birthdate = models.DateField()
    signup = models.DateTimeField()

    class Meta:
        app_label = "bench_orders"
        db_table = "bench_orders_user"


class Order(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE)
    number = models.CharField(max_length=20)
    status = models.CharField(max_length=10)
    total = models.DecimalField(max_digits=8, decimal_places=2)
    placed = models.DateTimeField()

    class Meta:
        app_label = "bench_orders"
        db_table = "bench_orders_order"


ALIAS = {"sqlite": "default"}
START, END = dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2025, 12, 31, tzinfo=dt.UTC)


def user_declarations() -> dict[str, Any]:
    return {
        "name": factory.Faker("name"),
        "email": factory.Faker("email"),
        "username": factory.Faker("user_name"),
        "bio": factory.Faker("paragraph", nb_sentences=2),
        "address": factory.Faker("address"),
        "phone": factory.Faker("phone_number"),
        "company": factory.Faker("company"),
        "job": factory.Faker("job"),
        "birthdate": factory.Faker("date_of_birth", minimum_age=18, maximum_age=90),
        "signup": factory.Faker("date_time_between", start_date=START, end_date=END, tzinfo=dt.UTC),
    }


def order_declarations(user_factory: Any) -> dict[str, Any]:
    return {
        "user": factory.SubFactory(user_factory),
        "number": factory.Sequence(lambda n: f"ORD-{n:08d}"),
        "status": factory.Faker("random_element", elements=["new", "paid", "shipped", "returned"]),
        "total": factory.Faker("pydecimal", left_digits=4, right_digits=2, positive=True),
        "placed": factory.Faker("date_time_between", start_date=START, end_date=END, tzinfo=dt.UTC),
    }


def factories(base: type, alias: str, executor: str | None = None) -> Any:
    def meta(model: Any, **more: Any) -> type:
        return type("Meta", (), {"model": model, "database": alias, **more})

    user_f = type(base)(f"{base.__module__}User", (base,), {"Meta": meta(User), **user_declarations()})
    more = {"forge_executor": executor} if executor else {}
    return type(base)(f"{base.__module__}Order", (base,), {"Meta": meta(Order, **more), **order_declarations(user_f)})


def faker_rows(n: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """``(user fields, order fields)`` for ``n`` orders, stock Faker called per field."""
    fake = Faker()
    out = []
    for i in range(n):
        user = {"name": fake.name(), "email": fake.email(), "username": fake.user_name(),
                "bio": fake.paragraph(nb_sentences=2), "address": fake.address(), "phone": fake.phone_number(),
                "company": fake.company(), "job": fake.job(),
                "birthdate": fake.date_of_birth(minimum_age=18, maximum_age=90),
                "signup": fake.date_time_between(start_date=START, end_date=END, tzinfo=dt.UTC)}
        order = {"number": f"ORD-{i:08d}", "status": fake.random_element(["new", "paid", "shipped", "returned"]),
                 "total": fake.pydecimal(left_digits=4, right_digits=2, positive=True),
                 "placed": fake.date_time_between(start_date=START, end_date=END, tzinfo=dt.UTC)}
        out.append((user, order))
    return out


def bulk_rows(alias: str, rows: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    """Model objects from ``rows``, then one ``bulk_create`` for the users and one for the orders."""
    users = User.objects.using(alias).bulk_create([User(**u) for u, _ in rows])
    Order.objects.using(alias).bulk_create([Order(user=u, **o) for u, (_, o) in zip(users, rows, strict=True)])


def bakery_run(alias: str, n: int) -> None:
    fake = Faker()
    users = {
        "user__name": fake.name, "user__email": fake.email, "user__username": fake.user_name,
        "user__bio": lambda: fake.paragraph(nb_sentences=2), "user__address": fake.address,
        "user__phone": fake.phone_number, "user__company": fake.company, "user__job": fake.job,
        "user__birthdate": lambda: fake.date_of_birth(minimum_age=18, maximum_age=90),
        "user__signup": lambda: fake.date_time_between(start_date=START, end_date=END, tzinfo=dt.UTC),
    }
    baker.make(Order, _quantity=n, _bulk_create=True, _using=alias,
               status=lambda: fake.random_element(["new", "paid", "shipped", "returned"]),
               total=lambda: fake.pydecimal(left_digits=4, right_digits=2, positive=True),
               placed=lambda: fake.date_time_between(start_date=START, end_date=END, tzinfo=dt.UTC), **users)


def saved(alias: str) -> list[tuple[Any, ...]]:
    """What the run saved, in insertion order (the values compared between forge and factory_boy)."""
    orders = Order.objects.using(alias).select_related("user").order_by("pk")
    return [(o.number, o.status, o.total, o.placed, o.user.name, o.user.email, o.user.username, o.user.bio,
             o.user.address, o.user.phone, o.user.company, o.user.job, o.user.birthdate, o.user.signup)
            for o in orders]


def timed(alias: str, n: int, run: Callable[[], Any]) -> float:
    forge_factories.seed(1)
    start = time.perf_counter()
    with transaction.atomic(using=alias):
        run()
    elapsed = time.perf_counter() - start
    assert Order.objects.using(alias).count() == n and User.objects.using(alias).count() == n
    return elapsed


def reset(alias: str) -> None:
    Order.objects.using(alias).all().delete()
    User.objects.using(alias).all().delete()


def bench_backend(alias: str, n: int, repeats: int) -> dict[str, float]:
    prebuilt = faker_rows(n)  # made before any clock starts
    runs: dict[str, Callable[[], Any]] = {
        "forge objects": lambda: factories(DjangoModelFactory, alias).create_batch(n),
        "forge columns": lambda: factories(DjangoModelFactory, alias, "columns").create_batch(n),
        "factory_boy": lambda: factories(factory.django.DjangoModelFactory, alias).create_batch(n),
        "model_bakery": lambda: bakery_run(alias, n),
        "Faker loop + bulk_create": lambda: bulk_rows(alias, faker_rows(n)),
        "bulk_create pre-built": lambda: bulk_rows(alias, prebuilt),
    }
    names = list(runs)
    best: dict[str, float] = {}
    values: dict[str, list[tuple[Any, ...]]] = {}
    for round_ in range(repeats):
        turn = round_ % len(names)
        for name in names[turn:] + names[:turn]:
            seconds = timed(alias, n, runs[name])
            best[name] = min(seconds, best.get(name, seconds))
            if round_ == 0 and name in ("forge objects", "factory_boy"):
                values[name] = saved(alias)
            reset(alias)
    if values["forge objects"] != values["factory_boy"]:
        raise SystemExit(f"{alias}: forge and factory_boy saved different values under the same seed")
    return best


def setup(backends: list[str]) -> None:
    if "postgresql" in backends:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{PRIVATE}"')
    if "mariadb" in backends:
        conn = pymysql.connect(host="127.0.0.1", port=3306, user="root", password="")
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{PRIVATE}` CHARACTER SET utf8mb4")
        conn.close()
    for alias in backends:
        with connections[alias].schema_editor() as editor:
            editor.create_model(User)
            editor.create_model(Order)


def teardown(backends: list[str]) -> None:
    for conn in connections.all():
        conn.close()
    if "postgresql" in backends:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{PRIVATE}" CASCADE')
    if "mariadb" in backends:
        mconn = pymysql.connect(host="127.0.0.1", port=3306, user="root", password="")
        with mconn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{PRIVATE}`")
        mconn.close()
    if os.path.exists(SQLITE):
        os.remove(SQLITE)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--backends", default="sqlite,postgresql,mariadb")
    args = parser.parse_args()
    backends = [ALIAS.get(b, b) for b in args.backends.split(",")]
    setup(backends)
    try:
        print(f"create_batch({args.n:,}) orders, each with its own 10-field user; best of {args.repeats}, "
              "interleaved; wall clock")
        for alias in backends:
            best = bench_backend(alias, args.n, args.repeats)
            rate = {k: args.n / v for k, v in best.items()}
            print(f"== {'sqlite' if alias == 'default' else alias} ==")
            for name in best:
                print(f"  {name:<25} {best[name]:7.2f} s {rate[name]:>8,.0f} orders/s")
            for name in ("forge objects", "forge columns"):
                print(f"  {name}: {best['factory_boy'] / best[name]:.2f}x factory_boy (target >= 5x), "
                      f"{best['model_bakery'] / best[name]:.2f}x model_bakery (target >= 2x), "
                      f"{best['Faker loop + bulk_create'] / best[name]:.2f}x Faker loop + bulk_create, "
                      f"{best['bulk_create pre-built'] / best[name]:.2f}x bulk_create of pre-built rows")
            print("  forge objects saved the values factory_boy saved under the same seed: yes")
    finally:
        teardown(backends)
    return 0


if __name__ == "__main__":
    sys.exit(main())
