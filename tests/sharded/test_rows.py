"""Rows as a function of (seed, row number), in one process: blocks, layouts, keys, iterators."""

from __future__ import annotations

import subprocess
import sys

import factory
import pytest

from forge_factories.common.errors import ForgeConfigError
from forge_factories.datasets.sharded import ParentKey, ShardSpec, block, key_function, layout
from forge_factories.datasets.sharded.blocks import iter_blocks
from tests.sharded.factories import CustomerFactory, InvoiceFactory, OrderFactory


def rows(spec: ShardSpec) -> list[dict]:
    return [row for chunk in iter_blocks(spec, 0, spec.blocks) for row in chunk]


def test_layout_covers_every_block_once_whatever_k() -> None:
    for blocks in (0, 1, 5, 17):
        for k in (1, 2, 3, 7, 40):
            parts = layout(blocks, k)
            assert parts[0][0] == 0 and parts[-1][1] == blocks
            assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))
            assert len(parts) == max(1, min(k, blocks))
            assert all(first < stop for first, stop in parts) or blocks == 0
    with pytest.raises(ForgeConfigError):
        layout(3, 0)


def test_a_block_is_the_same_whatever_ran_before_and_sequences_are_row_numbers() -> None:
    spec = ShardSpec(CustomerFactory, 250, seed=7, block_rows=100)
    first = block(spec, 1)
    block(spec, 0), block(spec, 2), CustomerFactory.build_batch(3)
    assert block(spec, 1) == first
    assert [r["id"] for r in first] == list(range(101, 201))
    assert [r["tier"] for r in first[:3]] == ["pro", "team", "free"]  # Iterator by row number: 100 % 3 == 1
    assert len(block(spec, 2)) == 50
    assert first[0]["label"] == f"{first[0]['name']} <{first[0]['email']}>"


def test_seed_changes_rows_block_size_is_part_of_the_seed() -> None:
    a = rows(ShardSpec(CustomerFactory, 300, seed=1, block_rows=100))
    assert rows(ShardSpec(CustomerFactory, 300, seed=1, block_rows=100)) == a
    assert rows(ShardSpec(CustomerFactory, 300, seed=2, block_rows=100)) != a
    assert [r["id"] for r in rows(ShardSpec(CustomerFactory, 300, seed=1, block_rows=150))] == [r["id"] for r in a]


def test_lazy_functions_drawing_from_factory_random_are_seeded_per_block_and_state_is_restored() -> None:
    spec = ShardSpec(InvoiceFactory, 40, seed=3, block_rows=20)
    import faker.generator

    factory.random.reseed_random(99)
    before = factory.random.randgen.random(), faker.generator.random.random()
    factory.random.reseed_random(99)
    one = block(spec, 1)
    after = factory.random.randgen.random(), faker.generator.random.random()
    assert after == before  # the caller's random sequences are untouched
    factory.random.reseed_random(12345)
    assert block(spec, 1) == one
    assert len({r["amount"] for r in one}) > 10


def test_parent_keys_are_the_parents_key_function_over_the_parent_count() -> None:
    parents = rows(ShardSpec(CustomerFactory, 120, seed=5, block_rows=50))
    ids = {r["id"] for r in parents}
    orders = rows(ShardSpec(OrderFactory, 2_000, seed=5, block_rows=300, parents=((CustomerFactory, 120),)))
    refs = [r["customer_id"] for r in orders]
    assert set(refs) <= ids
    assert len(set(refs)) > 100  # spread over the parents, not one key
    assert key_function(CustomerFactory, "id")(0) == parents[0]["id"]


def test_parent_count_missing_or_key_not_a_sequence_fails_with_the_reason() -> None:
    with pytest.raises(ForgeConfigError, match="count of CustomerFactory rows"):
        block(ShardSpec(OrderFactory, 10, seed=1), 0)
    with pytest.raises(ForgeConfigError, match=r"CustomerFactory.email must be a factory.Sequence"):
        key_function(CustomerFactory, "email")


def test_parent_key_outside_sharded_runs_picks_among_count() -> None:
    class Line(factory.DictFactory):
        customer_id = ParentKey(CustomerFactory, count=3)

    assert {Line()["customer_id"] for _ in range(60)} == {1, 2, 3}


def test_iterators_that_cannot_be_a_function_of_the_row_number_are_refused() -> None:
    class FromGenerator(factory.DictFactory):
        x = factory.Iterator(i for i in range(5))

    class Short(factory.DictFactory):
        x = factory.Iterator([1, 2], cycle=False)

    with pytest.raises(ForgeConfigError, match="cannot be sharded"):
        block(ShardSpec(FromGenerator, 3, seed=1), 0)
    assert [r["x"] for r in block(ShardSpec(Short, 2, seed=1), 0)] == [1, 2]
    with pytest.raises(ForgeConfigError, match="ran out"):
        block(ShardSpec(Short, 3, seed=1), 0)


def test_semantic_fields_are_refused_with_a_clear_message() -> None:
    from forge_factories import AIDictFactory, SemanticAttribute

    class Bio(AIDictFactory):
        name = factory.Faker("name")
        bio = SemanticAttribute("a short bio")

    with pytest.raises(ForgeConfigError, match="semantic fields"):
        block(ShardSpec(Bio, 3, seed=1), 0)


def test_importing_the_package_imports_no_dask_pyarrow_or_pandas() -> None:
    code = ("import sys, forge_factories, forge_factories.datasets.sharded, forge_factories.cli\n"
            "forge_factories.cli.build_parser()\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'dask', 'distributed', 'pyarrow', 'pandas'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_models_foreign_keys_become_parent_keys_of_their_auto_factories() -> None:
    from tests.sharded.factories import Account, Payment

    keys = {key_function(Account, "id")(r) for r in range(40)}
    payments = rows(ShardSpec(Payment, 500, seed=9, block_rows=100, parents=((Account, 40),)))
    refs = {p["account_id"] for p in payments}
    assert refs <= keys and len(refs) > 30
    assert rows(ShardSpec(Payment, 500, seed=9, block_rows=100, parents=((Account, 40),))) == payments
    with pytest.raises(ForgeConfigError, match="count of Account rows"):
        rows(ShardSpec(Payment, 5, seed=9))


def test_faker_date_providers_read_the_same_now_whatever_the_process_pinned() -> None:
    import datetime as dt

    from forge_factories.common.seeding import pin_now, pinned_now

    class Visit(factory.DictFactory):
        day = factory.Faker("date_this_month")  # no column sampler: Faker itself, seeded per block
        at = factory.Faker("past_datetime", start_date="-3d")

    spec = ShardSpec(Visit, 50, seed=2)
    before = pin_now(None)
    try:
        real_clock = block(spec, 0)
        assert pinned_now() is None  # put back as it was
        pin_now(dt.datetime(1999, 3, 1))
        assert block(spec, 0) == real_clock
    finally:
        pin_now(before)


def test_no_rows_still_give_the_factorys_types_and_one_empty_partition() -> None:
    import pyarrow as pa

    from forge_factories.datasets.sharded import to_dask

    frame = to_dask(CustomerFactory, 0, seed=1, partitions=3)
    assert frame.npartitions == 1
    computed = frame.compute(scheduler="sync")
    assert len(computed) == 0
    assert str(computed.dtypes["score"]) == "int64[pyarrow]"
    assert to_dask(CustomerFactory, 25, seed=1, partitions=4).npartitions == 1  # one block: one partition
    assert pa.types.is_boolean(frame._meta.dtypes["active"].pyarrow_dtype)


def test_full_blocks_do_not_depend_on_the_count() -> None:
    longer = rows(ShardSpec(CustomerFactory, 330, seed=6, block_rows=100))
    assert rows(ShardSpec(CustomerFactory, 200, seed=6, block_rows=100)) == longer[:200]
    assert rows(ShardSpec(CustomerFactory, 250, seed=6, block_rows=100))[:200] == longer[:200]
