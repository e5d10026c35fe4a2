"""Batch runs on a real Dask LocalCluster (2 worker processes) with the real pipeline: the same rows, ids and
merged events as a single-process ingest of the same corpus; re-runs skip finished shards; a worker killed
mid-run (SIGKILL to its process) loses and doubles nothing; worker memory is limited and reported; the CLI.

The corpus is the store's test corpus plus the 20 examples: 31 articles, one repeated file, two bad items.
"""

import json
import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sitroom.store.distributed import connect, ingest_on_cluster, plan_shards
from sitroom.errors import Errors, InputError, SitroomError
from sitroom.read.readers import read_items
from sitroom.settings import SETTINGS
from sitroom.store.ingest import ingest
from sitroom.store.merge import MergeSettings, merge_store
from sitroom.store.parquet import import_parquet
from sitroom.store.rows import COLUMNS
from sitroom.store.store import Store

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [ROOT / "tests" / "corpus", *sorted((ROOT / "examples").glob("*.txt"))]
MERGE = MergeSettings(days=1, km=50.0, fatalities="latest", similarity=0.6)
WORKER_MEMORY = 3 * 2**30
DISTRIBUTED_SETTINGS = ("dask", "shard_size", "shards", "worker_memory")


def snapshot(db: Path) -> dict:
    """Every row the store holds for the articles and the merge, but the ingest time."""
    with Store(db, read_only=True) as store:
        tables = {}
        for table, columns in COLUMNS.items():
            kept = ", ".join(c for c in columns if c != "ingested_at")
            tables[table] = store.con.execute(f"SELECT {kept} FROM {table} ORDER BY ALL").fetchall()
        for table in ("syndication", "clusters", "cluster_members"):
            tables[table] = store.con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        return tables


def failures(report) -> list:
    return sorted((Path(f.path).name, f.line, f.code) for f in report.failures)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The corpus ingested in this process, without Dask."""
    db = tmp_path_factory.mktemp("single") / "single.duckdb"
    with Store(db) as store:
        report = ingest(store, read_items(INPUTS), batch_size=4)
        merge_store(store, MERGE)
    assert report.stored == 30 and report.failed == 2
    return snapshot(db), report


@pytest.fixture(scope="module")
def client():
    with connect("local:2", f"{WORKER_MEMORY}B") as dask_client:
        dask_client.wait_for_workers(2, timeout=60)
        yield dask_client


def cluster_ingest(client, folder: Path, db: Path, shard_size: int = 3, on_step=None):
    with Store(db) as store:
        report = ingest_on_cluster(client, read_items(INPUTS), folder / "shards", store=store,
                                   shard_size=shard_size, batch_size=2, on_step=on_step)
        merge_store(store, MERGE)
    return report


def tasks_on_scheduler(dask_scheduler) -> int:
    return sum(1 for key in dask_scheduler.tasks if str(key).startswith("sitroom-shard-"))


def test_same_events_and_ids_as_one_process(client, reference, tmp_path):
    expected, single = reference
    seen = []
    report = cluster_ingest(client, tmp_path, tmp_path / "dask.duckdb",
                            on_step=lambda step: seen.append(client.run_on_scheduler(tasks_on_scheduler)))
    assert seen and max(seen) <= 4, "at most two shards per worker thread are on the cluster at a time"
    assert (report.stored, report.skipped, report.failed, report.events) == (
        single.stored, single.skipped, single.failed, single.events)
    assert failures(report) == failures(single)
    assert report.shards == report.shards_run == 10 and report.shards_failed == 0
    assert len(report.workers) == 2, "both workers ran shards"
    got = snapshot(tmp_path / "dask.duckdb")
    for table in expected:
        assert got[table] == expected[table], table


def test_rerun_skips_finished_shards(client, reference, tmp_path):
    db = tmp_path / "dask.duckdb"
    first = cluster_ingest(client, tmp_path, db)
    again = cluster_ingest(client, tmp_path, db)                      # same store: nothing to do
    assert again.shards_run == 0 and again.shards_reused == first.shards
    assert (again.stored, again.failed, again.skipped) == (0, 2, 31)  # failures are reported again
    gone = sorted((tmp_path / "shards").glob("shard-*"))[3]
    os.rename(gone, tmp_path / "shards" / ".partial" / "half-written")  # as if it had not been renamed yet
    fresh = cluster_ingest(client, tmp_path, tmp_path / "fresh.duckdb")  # new store, shards kept
    assert fresh.shards_run == 1 and fresh.shards_reused == first.shards - 1
    assert snapshot(tmp_path / "fresh.duckdb") == reference[0] == snapshot(db)
    # Cut another way, into the same folder, without a store: every article is now in two shards.
    resized = ingest_on_cluster(client, read_items(INPUTS), tmp_path / "shards", shard_size=5, batch_size=2)
    assert resized.shards_run == resized.shards == 6 and resized.stored == 30
    with Store(tmp_path / "both.duckdb") as store:
        added = import_parquet(store, [tmp_path / "shards"])
        merge_store(store, MERGE)
    assert added["articles"] == 30 and snapshot(tmp_path / "both.duckdb") == reference[0]


def test_shard_ids_follow_the_input():
    def ids(size: int) -> list[str]:
        return [s.id for s in plan_shards(read_items(INPUTS), size, lambda f: None, lambda: None)]
    assert ids(3) == ids(3) and len(ids(3)) == 10 and len(set(ids(3))) == 10
    assert ids(4) != ids(3)


def test_worker_killed_mid_run_loses_and_doubles_nothing(client, reference, tmp_path):
    killed = {}

    def kill_a_busy_worker(step):
        if killed or step.kind != "stored":
            return
        busy = {address: keys for address, keys in client.processing().items() if keys}
        address = min(busy)
        killed.update(pid=client.run(os.getpid, workers=[address])[address], tasks=busy[address],
                      done=step.report.read)
        os.kill(killed["pid"], signal.SIGKILL)

    report = cluster_ingest(client, tmp_path, tmp_path / "killed.duckdb", shard_size=2,
                            on_step=kill_a_busy_worker)
    assert killed["tasks"] and killed["done"] < 31, "the worker was killed while it had shards to run"
    with pytest.raises(ProcessLookupError):
        os.kill(killed["pid"], 0)
    assert report.shards_failed == 0 and report.shards_run == report.shards == 15
    assert (report.stored, report.failed) == (30, 2)
    assert snapshot(tmp_path / "killed.duckdb") == reference[0]
    client.wait_for_workers(2, timeout=60)   # the nanny restarted it, for the tests after this one


def test_worker_memory_is_limited_and_reported(client, tmp_path):
    report = cluster_ingest(client, tmp_path, tmp_path / "memory.duckdb")
    assert report.workers
    for memory in report.workers.values():
        assert memory.limit == WORKER_MEMORY
        assert 100e6 < memory.peak < WORKER_MEMORY


def test_errors_come_back_from_worker_processes_whole():
    for error in (SitroomError("E113", name="a.txt", reason="ValueError: x"),
                  InputError("E103", name="f.jsonl", line=3, reason="r")):
        copy = pickle.loads(pickle.dumps(error))
        assert (type(copy), copy.code, copy.details, str(copy)) == (type(error), error.code, error.details,
                                                                     str(error))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitroom", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=240, check=False)


def test_cli_leaves_a_parquet_dataset_that_import_parquet_loads(reference, tmp_path):
    shards, db = tmp_path / "out", tmp_path / "cli.duckdb"
    run = run_cli("ingest", *map(str, INPUTS), "--dask", "local:1", "--shards", str(shards), "--no-store",
                  "--shard-size", "8")
    assert run.returncode == 1, run.stderr                               # two bad items
    assert "E103" in run.stderr and "E104" in run.stderr and "peak memory per worker" in run.stderr
    manifests = [json.loads(p.read_text()) for p in shards.glob("shard-*/shard.json")]
    assert sum(m["rows"]["articles"] for m in manifests) == 30
    loaded = run_cli("import-parquet", str(shards), "--db", str(db))
    assert loaded.returncode == 0, loaded.stderr
    with Store(db) as store:
        merge_store(store, MERGE)
    assert snapshot(db) == reference[0]


def test_cli_usage_errors():
    assert run_cli("ingest", "examples", "--dask", "nowhere").returncode == 2
    both = run_cli("ingest", "examples", "--dask", "local:1", "--workers", "2")
    assert both.returncode == 2 and "--dask local:N" in both.stderr


def test_settings_and_errors_are_documented():
    doc = (ROOT / "docs" / "distributed.md").read_text(encoding="utf-8")
    for name in DISTRIBUTED_SETTINGS:
        setting = SETTINGS[name]
        [row] = [line for line in doc.splitlines() if line.startswith(f"| `{name}` |")]
        assert f"`{setting.env}`" in row and f"--{name.replace('_', '-')}" in row, name
    for code in (c for c in vars(Errors) if c.startswith("E3")):
        assert code in doc, code
