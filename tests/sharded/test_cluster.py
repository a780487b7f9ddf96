"""On a 2-worker LocalCluster: the same rows and files as a single-process run, whatever K."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from forge_factories.cli import main
from forge_factories.common.errors import ForgeConfigError
from forge_factories.datasets.sharded import to_dask, write_dataset
from tests.sharded.factories import (
    Account,
    CustomerFactory,
    DyingFactory,
    FlakyFactory,
    InvoiceFactory,
    OrderFactory,
    Payment,
)

N = 2_350
BLOCK = 200  # 12 blocks: K = 1, 3, 5 and 12 all cut them differently


def data_bytes(directory: Path, fmt: str) -> bytes:
    """The rows of every part in order (CSV headers, one per part, left out)."""
    out = b""
    for part in sorted(directory.glob(f"part-*.{fmt}")):
        data = part.read_bytes()
        out += data.split(b"\n", 1)[1] if fmt == "csv" else data
    return out


def read_parquet(directory: Path) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    return pa.concat_tables([pq.read_table(p) for p in sorted(directory.glob("part-*.parquet"))])


def test_dataframe_on_the_cluster_equals_the_single_process_one(client: Any) -> None:
    single = to_dask(CustomerFactory, N, seed=11, partitions=1, block_rows=BLOCK).compute(scheduler="sync")
    sharded = to_dask(CustomerFactory, N, seed=11, partitions=5, block_rows=BLOCK)
    assert sharded.npartitions == 5
    result = client.compute(sharded).result()
    assert result.equals(single)
    assert list(result.index) == list(range(N))
    assert str(result.dtypes["joined"]) == "timestamp[us][pyarrow]"


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_text_files_are_byte_identical_whatever_k_workers_or_scheduler(client: Any, tmp_path: Path,
                                                                       fmt: str) -> None:
    single = write_dataset(CustomerFactory, N, tmp_path / "k1", format=fmt, seed=3, partitions=1,
                           scheduler="sync", block_rows=BLOCK)
    assert [p["rows"] for p in single.parts] == [N]
    expected = data_bytes(tmp_path / "k1", fmt)
    for k in (3, 12, 50):
        result = write_dataset(CustomerFactory, N, tmp_path / f"k{k}", format=fmt, seed=3, partitions=k,
                               scheduler=client, block_rows=BLOCK)
        assert len(result.parts) == min(k, 12)
        assert sum(p["rows"] for p in result.parts) == N
        assert data_bytes(tmp_path / f"k{k}", fmt) == expected
    threads = write_dataset(CustomerFactory, N, tmp_path / "threads", format=fmt, seed=3, partitions=4,
                            scheduler="threads", block_rows=BLOCK)
    assert data_bytes(Path(threads.directory), fmt) == expected
    other = write_dataset(CustomerFactory, N, tmp_path / "seed4", format=fmt, seed=4, partitions=1,
                          scheduler="sync", block_rows=BLOCK)
    assert data_bytes(Path(other.directory), fmt) != expected


def test_parquet_tables_are_equal_whatever_k_with_the_models_types(client: Any, tmp_path: Path) -> None:
    import pyarrow as pa

    write_dataset(InvoiceFactory, N, tmp_path / "k1", seed=8, partitions=1, scheduler="sync", block_rows=BLOCK)
    write_dataset(InvoiceFactory, N, tmp_path / "k4", seed=8, partitions=4, scheduler=client, block_rows=BLOCK)
    one, four = read_parquet(tmp_path / "k1"), read_parquet(tmp_path / "k4")
    assert four.equals(one) and four.num_rows == N
    types = dict(zip(four.schema.names, four.schema.types, strict=True))
    assert types["id"] == pa.int64() and types["paid"] == pa.bool_() and types["issued"] == pa.date32()
    assert types["ratio"] == pa.float64()  # the model says float, though every value is 1
    assert pa.types.is_decimal(types["amount"]) and types["amount"].scale == 2
    assert four.column("number").to_pylist()[:2] == ["INV-000000", "INV-000001"]


def test_foreign_keys_are_valid_across_partitions_without_a_registry(client: Any, tmp_path: Path) -> None:
    write_dataset(CustomerFactory, 700, tmp_path / "customers", format="jsonl", seed=2, partitions=3,
                  scheduler=client, block_rows=BLOCK)
    write_dataset(OrderFactory, N, tmp_path / "orders", format="jsonl", seed=2, partitions=5,
                  scheduler=client, parents={CustomerFactory: 700}, block_rows=BLOCK)
    ids = {json.loads(line)["id"] for line in data_bytes(tmp_path / "customers", "jsonl").splitlines()}
    refs = [json.loads(line)["customer_id"] for line in data_bytes(tmp_path / "orders", "jsonl").splitlines()]
    assert len(refs) == N and set(refs) <= ids and len(set(refs)) > 500


def test_models_with_auto_factories_give_the_same_rows_in_worker_processes(client: Any, tmp_path: Path) -> None:
    single = write_dataset(Payment, N, tmp_path / "k1", format="jsonl", seed=4, parents={Account: 50},
                           scheduler="sync", block_rows=BLOCK)
    sharded = write_dataset(Payment, N, tmp_path / "k5", format="jsonl", seed=4, partitions=5,
                            parents={Account: 50}, scheduler=client, block_rows=BLOCK)
    assert data_bytes(Path(sharded.directory), "jsonl") == data_bytes(Path(single.directory), "jsonl")


def test_a_failed_partition_is_retried_without_duplicated_rows(client: Any, tmp_path: Path) -> None:
    marker = Path(client.run(lambda: __import__("os").environ["FORGE_TEST_FLAKY_DIR"]).popitem()[1])
    (marker / "failed-once").unlink(missing_ok=True)
    # row 250 is in block 2 of partition 1 (blocks 2-3 of 100 rows): block 2's rows are already in its
    # temporary file when it fails the first time
    result = write_dataset(FlakyFactory, 400, tmp_path / "flaky", format="jsonl", seed=1, partitions=2,
                           scheduler=client, block_rows=100)
    assert (marker / "failed-once").exists()
    assert [p["rows"] for p in result.parts] == [200, 200]
    single = write_dataset(FlakyFactory, 400, tmp_path / "single", format="jsonl", seed=1, partitions=1,
                           scheduler="sync", block_rows=100)
    assert data_bytes(tmp_path / "flaky", "jsonl") == data_bytes(Path(single.directory), "jsonl")
    assert sorted(p.name for p in (tmp_path / "flaky").iterdir()) == [
        "_forge_manifest.json", "part-00000.jsonl", "part-00001.jsonl"]  # no temporary left


def test_a_partition_whose_worker_dies_mid_file_runs_again_elsewhere(client: Any, tmp_path: Path) -> None:
    marker = Path(client.run(lambda: __import__("os").environ["FORGE_TEST_FLAKY_DIR"]).popitem()[1])
    (marker / "died-once").unlink(missing_ok=True)
    result = write_dataset(DyingFactory, 400, tmp_path / "dying", format="jsonl", seed=1, partitions=2,
                           scheduler=client, block_rows=100)
    assert (marker / "died-once").exists()  # the worker really died once
    client.wait_for_workers(2)
    lines = data_bytes(tmp_path / "dying", "jsonl").splitlines()
    assert [json.loads(line)["id"] for line in lines] == list(range(400))
    assert [p["rows"] for p in result.parts] == [200, 200]
    assert sorted(p.name for p in (tmp_path / "dying").iterdir()) == [
        "_forge_manifest.json", "part-00000.jsonl", "part-00001.jsonl"]  # the dead attempt's temporary is gone


def test_without_retries_the_failure_surfaces_and_no_part_file_is_half_written(client: Any,
                                                                               tmp_path: Path) -> None:
    marker = Path(client.run(lambda: __import__("os").environ["FORGE_TEST_FLAKY_DIR"]).popitem()[1])
    (marker / "failed-once").unlink(missing_ok=True)
    with pytest.raises(RuntimeError, match="simulated"):
        write_dataset(FlakyFactory, 400, tmp_path / "flaky", format="parquet", seed=1, partitions=1,
                      scheduler=client, block_rows=100, retries=0)
    assert [p.name for p in (tmp_path / "flaky").iterdir()] == []


def test_cli_on_a_scheduler_address_matches_the_api(client: Any, tmp_path: Path, capsys: Any) -> None:
    address = client.scheduler.address
    code = main(["generate", "tests.sharded.factories:OrderFactory", "-n", "2_350", "--format", "csv",
                 "-o", str(tmp_path / "cli"), "--partitions", "4", "--scheduler", address, "--seed", "6",
                 "--parent", "tests.sharded.factories:CustomerFactory=90"])
    assert code == 0
    assert "wrote 2350 records to 1 csv files" in capsys.readouterr().out  # 2,350 rows fill one block
    api = write_dataset(OrderFactory, 2_350, tmp_path / "api", format="csv", seed=6, scheduler="sync",
                        parents={CustomerFactory: 90})
    assert (tmp_path / "cli" / "part-00000.csv").read_bytes() == Path(api.files[0]).read_bytes()
    manifest = json.loads((tmp_path / "cli" / "_forge_manifest.json").read_text())
    assert manifest["seed"] == 6 and manifest["count"] == 2_350


def test_cli_refuses_a_non_empty_directory_and_a_missing_parent_count(tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "old.txt").write_text("x")
    args = ["generate", "tests.sharded.factories:CustomerFactory", "-n", "10", "--format", "jsonl",
            "--partitions", "2", "--scheduler", "sync", "-o"]
    assert main([*args, str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["generate", "tests.sharded.factories:OrderFactory", "-n", "10", "--format", "parquet",
                 "--scheduler", "sync", "-o", str(tmp_path / "o")]) == 2
    assert "--parent module:CustomerFactory=N" in capsys.readouterr().err
    with pytest.raises(ForgeConfigError):
        write_dataset(CustomerFactory, 10, tmp_path / "x", format="sql")


def test_cli_output_named_dot_parquet_is_a_sharded_parquet_directory(tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "customers.parquet"
    assert main(["generate", "tests.sharded.factories:CustomerFactory", "-n", "300", "-o", str(out),
                 "--seed", "5", "-q"]) == 0
    assert capsys.readouterr().out == ""
    api = write_dataset(CustomerFactory, 300, tmp_path / "api", seed=5, scheduler="sync")
    assert read_parquet(out).equals(read_parquet(Path(api.directory)))


def test_cli_rejects_zero_partitions(capsys: Any, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", "tests.sharded.factories:CustomerFactory", "-n", "3", "-o", str(tmp_path / "o"),
              "--partitions", "0"])
    assert exit_info.value.code == 2
    assert "must be >= 1" in capsys.readouterr().err
