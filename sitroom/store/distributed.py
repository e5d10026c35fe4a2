"""Batch runs on a Dask cluster: the input cut into shards, each shard run through the pipeline on a Dask worker
and written as a Parquet shard, the shards loaded into the store.

    sitroom ingest news/ --dask local:2                 # two worker processes on this machine
    sitroom ingest news/ --dask tcp://scheduler:8786    # a running cluster (dask scheduler / dask worker, …)

This is the local ingest with the process pool swapped for Dask, the same code path from the reader to the
store: the client streams the input (`readers.read_items`) and cuts it into shards with `ingest.batches`
(texts repeated in the input are dropped, as ingest does); a worker turns a shard's Articles into rows with
`ingest.process_batch` and the rows into Parquet with `parquet.write_shard`; the client saves the shard and
loads it with `parquet.import_parquet`, which skips articles already stored. Workers need sitroom[dask]
installed and nothing else: the articles travel with their task and the Parquet comes back with its result,
so no filesystem is shared. A `WorkerPlugin` loads the pipeline once per worker (with the client's extra
knowledge-base and trigger files) and lets one shard at a time use it.

A shard's id is a hash of its articles' content ids in input order, so the same input cut the same way gives
the same shards. A shard is finished when its folder `<shards>/<id>/` exists: it is written under
`<shards>/.partial/` and renamed whole, so a re-run skips finished shards (and shards whose articles are
all stored) and never sees half a shard. A task whose worker dies or is restarted (over its memory limit,
say) is run again on another worker by the scheduler; a task that raises is retried `RETRIES` times; a shard
that still fails is reported (E304) and the run goes on. At most two shards per worker thread are in flight,
so the client's memory is bounded however large the input.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker

from sitroom import __version__
from sitroom.read.article import Article
from sitroom.errors import SitroomError
from sitroom.read.readers import Failure, Item
from sitroom.store.ingest import (
    IngestReport,
    Step,
    _finish_run,
    _record_failure,
    _start_run,
    batches,
    process_batch,
)
from sitroom.store.parquet import import_parquet, write_shard
from sitroom.store.rows import ArticleRows
from sitroom.store.store import Store

log = logging.getLogger(__name__)

PLUGIN_NAME = "sitroom-pipeline"
MANIFEST = "shard.json"
PARTIAL = ".partial"
RETRIES = 2                      # a task that raises; lost workers are the scheduler's allowed-failures (3)
IN_FLIGHT_PER_THREAD = 2
# Extraction settings the workers take from the client; the file-valued ones travel as file contents.
SHIPPED_FILES = ("SITROOM_KB", "SITROOM_TRIGGERS")
SHIPPED_VALUES = ("SITROOM_MIN_CONFIDENCE", "SITROOM_MAX_CHARS")


# ---------------------------------------------------------------------------------------------
# Shards
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shard:
    """Consecutive articles of the input, the unit of work on the cluster and of the Parquet output."""

    id: str
    articles: tuple[Article, ...]

    @property
    def first(self) -> str:
        return self.articles[0].name

    @property
    def last(self) -> str:
        return self.articles[-1].name


def shard_id(number: int, articles: Sequence[Article]) -> str:
    """`shard-<position in the input>-<hash of the articles' content ids>`: sorted names are input order."""
    digest = hashlib.sha256("\n".join(article.id for article in articles).encode("ascii"))
    return f"shard-{number:08d}-{digest.hexdigest()[:16]}"


def plan_shards(items: Iterable[Item], size: int, on_failure: Callable[[Failure], None],
                on_repeat: Callable[[], None]) -> Iterator[Shard]:
    """Shards of `size` articles in input order, lazily; unreadable items go to `on_failure`, texts seen
    before in this input to `on_repeat`. Depends on the input only (not on what a store holds)."""
    number = 0
    for unit in batches(items, size, set(), lambda _: on_repeat()):
        if isinstance(unit, Failure):
            on_failure(unit)
        else:
            yield Shard(shard_id(number, unit), tuple(unit))
            number += 1


@dataclass
class ShardResult:
    """What a worker hands back: the shard's Parquet files, its failures and the worker's memory."""

    shard_id: str
    tables: dict[str, bytes]
    rows: dict[str, int]
    failures: list[Failure]
    worker: str = ""
    peak_memory: int = 0          # bytes, the worker process's peak resident set
    memory_limit: int | None = None
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return self.rows.get("articles", 0)

    @property
    def events(self) -> int:
        return self.rows.get("events", 0)


def finished_shard(folder: Path, shard: str) -> dict | None:
    """The manifest of a finished shard, None when it is not (yet) there."""
    try:
        return json.loads((folder / shard / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save_shard(folder: Path, shard: Shard, result: ShardResult) -> dict:
    """Write the shard under .partial/ and rename it whole into place: present means complete."""
    final = folder / result.shard_id
    partial = folder / PARTIAL / f"{result.shard_id}-{uuid.uuid4().hex[:8]}"
    partial.mkdir(parents=True)
    for name, data in result.tables.items():
        _write_synced(partial / name, data)
    manifest = {"id": result.shard_id, "articles": len(shard.articles), "first": shard.first, "last": shard.last,
                "rows": result.rows, "failures": [_failure_json(f) for f in result.failures],
                "worker": result.worker, "seconds": round(result.seconds, 3), "sitroom_version": __version__}
    _write_synced(partial / MANIFEST, json.dumps(manifest, indent=1, default=str).encode("utf-8"))
    try:
        os.rename(partial, final)
    except OSError:  # another run finished it first: theirs is as good
        shutil.rmtree(partial, ignore_errors=True)
        if finished_shard(folder, result.shard_id) is None:
            raise
    return manifest


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _failure_json(failure: Failure) -> dict:
    return {"path": failure.path, "line": failure.line, "code": failure.code, "details": failure.error.details}


def _failure_from_json(data: dict) -> Failure:
    return Failure(data["path"], data["line"], SitroomError(data["code"], **data["details"]))


# ---------------------------------------------------------------------------------------------
# On the workers
# ---------------------------------------------------------------------------------------------

class PipelinePlugin(WorkerPlugin):
    """Loads the pipeline once per worker, with the client's extraction settings and knowledge files; its
    lock lets one shard at a time use the pipeline (a worker with several threads runs them in turn)."""

    name = PLUGIN_NAME

    def __init__(self, values: dict[str, str], files: dict[str, list[tuple[str, bytes]]]) -> None:
        self.values = values
        self.files = files
        self.lock: threading.Lock | None = None

    async def setup(self, worker) -> None:
        self.lock = threading.Lock()
        for name, value in self.values.items():
            os.environ[name] = value
        for name, files in self.files.items():
            os.environ[name] = os.pathsep.join(self._place(worker, name, files))
        # In a thread: the worker's event loop keeps answering the scheduler while the model loads.
        await asyncio.get_running_loop().run_in_executor(None, _load_pipeline)

    @staticmethod
    def _place(worker, name: str, files: list[tuple[str, bytes]]) -> list[str]:
        folder = Path(worker.local_directory) / "sitroom" / name
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for index, (filename, data) in enumerate(files):
            path = folder / f"{index}-{filename}"
            path.write_bytes(data)
            paths.append(str(path))
        return paths


def _load_pipeline() -> None:
    from sitroom.components.pipeline import kb_files, load_pipeline
    load_pipeline(kb_files())


def pipeline_plugin() -> PipelinePlugin:
    """The plugin carrying this process's extraction settings: values, and the contents of the files named."""
    values = {name: os.environ.get(name, "") for name in SHIPPED_VALUES}  # unset here: unset there too
    files = {}
    for name in SHIPPED_FILES:
        paths = [p for p in os.environ.get(name, "").split(os.pathsep) if p]
        files[name] = [(Path(p).name, Path(p).read_bytes()) for p in paths]
    return PipelinePlugin(values, files)


_UNPLUGGED = threading.Lock()


def run_shard(shard: Shard, min_confidence: float | None, batch_size: int, version: str) -> ShardResult:
    """On a worker: the shard's articles through the pipeline, their rows as Parquet files."""
    if version != __version__:
        raise SitroomError("E305", worker=_worker_address(), found=__version__, expected=version)
    plugin = _plugin()
    started = time.perf_counter()
    with plugin.lock if plugin is not None and plugin.lock is not None else _UNPLUGGED:
        produced = process_batch(list(shard.articles), min_confidence, batch_size)
    rows = [item for item in produced if isinstance(item, ArticleRows)]
    with tempfile.TemporaryDirectory(prefix="sitroom-shard-") as tmp:
        counts = write_shard(rows, Path(tmp))
        tables = {path.name: path.read_bytes() for path in sorted(Path(tmp).glob("*.parquet"))}
    return ShardResult(shard.id, tables, counts, [item for item in produced if isinstance(item, Failure)],
                       worker=_worker_address(), peak_memory=peak_memory(), memory_limit=_memory_limit(),
                       seconds=time.perf_counter() - started)


def _plugin() -> PipelinePlugin | None:
    try:
        return get_worker().plugins.get(PLUGIN_NAME)
    except ValueError:  # not on a worker (called directly)
        return None


def _worker_address() -> str:
    try:
        return get_worker().address
    except ValueError:
        return f"pid {os.getpid()}"


def _memory_limit() -> int | None:
    try:
        return get_worker().memory_manager.memory_limit
    except ValueError:
        return None


def peak_memory() -> int:
    """This process's peak resident set in bytes (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def worker_facts() -> dict:
    """Run on every worker by `client.run` (outside a task)."""
    return {"version": __version__, "peak_memory": peak_memory(), "pid": os.getpid()}


# ---------------------------------------------------------------------------------------------
# The client
# ---------------------------------------------------------------------------------------------

@dataclass
class WorkerMemory:
    peak: int = 0                 # bytes
    limit: int | None = None
    shards: int = 0
    articles: int = 0


@dataclass
class ClusterReport(IngestReport):
    shards: int = 0               # in the input
    shards_run: int = 0           # run on the cluster in this run
    shards_reused: int = 0        # finished by an earlier run (or all their articles stored)
    shards_failed: int = 0
    workers: dict[str, WorkerMemory] = field(default_factory=dict)
    seconds: float = 0.0          # from the first submission to the last shard saved
    shards_dir: str = ""


@contextlib.contextmanager
def connect(address: str, worker_memory: str | None = None) -> Iterator[Client]:
    """A client of the cluster `address`: local, local:N (a LocalCluster of N single-threaded worker
    processes, each limited to `worker_memory`), a scheduler address, or a scheduler file (.json)."""
    workers = local_workers(address)
    if workers:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, memory_limit=worker_memory,
                          dashboard_address=None, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = (Client(scheduler_file=address, timeout="20s") if address.endswith(".json")
                  else Client(address, timeout="20s"))
    except (OSError, ValueError) as err:
        raise SitroomError("E303", address=address, reason=str(err).splitlines()[0][:200]) from None
    with client:
        yield client


def local_workers(address: str) -> int:
    """N for local:N (local: one per core), 0 for a scheduler address or file; E302 for anything else."""
    kind, _, count = address.partition(":")
    if kind == "local":
        if (count and not count.isdigit()) or count == "0":
            raise SitroomError("E302", value=address)
        return int(count) if count else (os.cpu_count() or 1)
    if address.endswith(".json") or "://" in address or ":" in address:
        return 0
    raise SitroomError("E302", value=address)


def check_versions(client: Client) -> None:
    """Fail fast when a worker runs another sitroom (its rows could differ)."""
    for worker, facts in client.run(worker_facts).items():
        if facts["version"] != __version__:
            raise SitroomError("E305", worker=worker, found=facts["version"], expected=__version__)


def ingest_on_cluster(client: Client, items: Iterable[Item], shards_dir: Path, *, store: Store | None = None,
                      shard_size: int = 64, batch_size: int = 16, min_confidence: float | None = None,
                      inputs: Sequence[str] = (), on_step: Callable[[Step], None] | None = None) -> ClusterReport:
    """Run the input through the cluster into Parquet shards under `shards_dir`, each loaded into `store` as
    it is saved (when a store is given). Ctrl-C stops cleanly: saved shards are kept for the next run."""
    run = _ClusterRun(client, shards_dir, store, min_confidence, batch_size, on_step)
    if store is not None:
        _start_run(store, run.report, inputs)
    try:
        run.run(plan_shards(items, shard_size, run.failed_item, run.repeated_item))
    except KeyboardInterrupt:
        run.report.interrupted = True
        run.cancel()
    run.collect_memory()
    if store is not None:
        _finish_run(store, run.report)
    return run.report


@dataclass(frozen=True)
class _Finished:
    """A shard done (or reused, or failed), waiting for those before it to be loaded first."""

    id: str
    articles: int
    manifest: dict | None         # None: nothing to load (all stored already, or the shard failed)
    failures: list[Failure]


class _ClusterRun:
    """One run's bookkeeping. Shards finish in any order, but are loaded into the store in input order (a
    finished one waits for those before it), so the store is the same however the cluster scheduled them."""

    def __init__(self, client: Client, shards_dir: Path, store: Store | None, min_confidence: float | None,
                 batch_size: int, on_step: Callable[[Step], None] | None) -> None:
        self.client, self.folder, self.store = client, Path(shards_dir), store
        self.min_confidence, self.batch_size = min_confidence, batch_size
        self.notify = on_step or (lambda step: None)
        self.report = ClusterReport(run_id=uuid.uuid4().hex[:12], shards_dir=str(self.folder))
        self.stored = store.article_ids() if store is not None else set()
        self.in_flight: dict[str, Shard] = {}
        self.done = as_completed()
        # Shards in input order, each None until it is finished (then its manifest) or failed.
        # Shards in input order, each None while it runs, then what loading it needs (not its articles: a slow
        # shard at the head must not make the client hold every later one's text).
        self.waiting: OrderedDict[str, _Finished | None] = OrderedDict()
        self.started: float | None = None
        self.counted = (float("-inf"), 2)
        self.folder.mkdir(parents=True, exist_ok=True)

    def run(self, shards: Iterable[Shard]) -> None:
        for shard in shards:
            self.report.shards += 1
            manifest = finished_shard(self.folder, shard.id)
            if manifest is not None:
                self.report.shards_reused += 1
                self.waiting[shard.id] = _Finished(shard.id, len(shard.articles), manifest,
                                                   [_failure_from_json(f) for f in manifest["failures"]])
            elif all(article.id in self.stored for article in shard.articles):
                self.report.shards_reused += 1
                self.waiting[shard.id] = _Finished(shard.id, len(shard.articles), None, [])
            else:
                while self.done.count() >= self.limit():
                    self.finish(next(self.done))
                self.submit(shard)
            self.load_ready()
        for future in self.done:
            self.finish(future)
        self.load_ready()

    def limit(self) -> int:
        """Two shards per worker thread, the threads counted again every few seconds (clusters scale)."""
        now = time.monotonic()
        if now - self.counted[0] > 5.0:
            self.counted = (now, max(2, IN_FLIGHT_PER_THREAD * sum(self.client.nthreads().values())))
        return self.counted[1]

    def submit(self, shard: Shard) -> None:
        if self.started is None:  # the first shard to run: only now are the workers needed
            check_versions(self.client)
            self.client.register_plugin(pipeline_plugin(), name=PLUGIN_NAME)
            self.started = time.perf_counter()
        future = self.client.submit(run_shard, shard, self.min_confidence, self.batch_size, __version__,
                                    key=f"sitroom-{shard.id}", retries=RETRIES, pure=False)
        self.in_flight[future.key] = shard
        self.waiting[shard.id] = None
        self.done.add(future)

    def finish(self, future) -> None:
        shard = self.in_flight.pop(future.key)
        try:
            result: ShardResult = future.result()
        except Exception as err:  # noqa: BLE001 (a lost worker, a task error: reported, the run goes on)
            self.waiting[shard.id] = _Finished(shard.id, len(shard.articles), None, [self.shard_failure(shard, err)])
            return
        finally:
            future.release()
        self.waiting[shard.id] = _Finished(shard.id, len(shard.articles), save_shard(self.folder, shard, result),
                                           result.failures)
        self.report.shards_run += 1
        self.note_worker(result)
        self.report.seconds = time.perf_counter() - (self.started or time.perf_counter())
        self.load_ready()

    def load_ready(self) -> None:
        """Load the finished shards at the head of the input order."""
        while self.waiting and next(iter(self.waiting.values())) is not None:
            _, done = self.waiting.popitem(last=False)
            stored, events = self.load(done.id, done.manifest)
            self.count(done.articles, stored, events, done.failures)

    def load(self, shard: str, manifest: dict | None) -> tuple[int, int]:
        """Articles and events added: to the store when there is one, else to the Parquet dataset."""
        if manifest is None:  # nothing to load: all stored already, or the shard failed
            return 0, 0
        if self.store is None:
            return manifest["rows"].get("articles", 0), manifest["rows"].get("events", 0)
        added = import_parquet(self.store, [self.folder / shard])
        return added.get("articles", 0), added.get("events", 0)

    def count(self, articles: int, stored: int, events: int, failures: list[Failure]) -> None:
        report = self.report
        failed = sum(_articles_in(failure) for failure in failures)
        report.stored += stored
        report.events += events
        report.skipped += articles - stored - failed
        report.read += articles - failed
        for failure in failures:               # each counts one item read and failed …
            self.failed_item(failure)
        report.read += failed - len(failures)  # … and a failed shard (E304) all its articles
        report.failed += failed - len(failures)
        self.notify(Step("stored" if stored else "skipped", report))

    def failed_item(self, failure: Failure) -> None:
        if self.store is not None:
            _record_failure(self.store, self.report, failure)
        else:
            self.report.read += 1
            self.report.failed += 1
            self.report.failures.append(failure)
        self.notify(Step("failed", self.report, failure))

    def repeated_item(self) -> None:
        self.report.read += 1
        self.report.skipped += 1
        self.notify(Step("skipped", self.report))

    def shard_failure(self, shard: Shard, err: BaseException) -> Failure:
        """A shard the cluster could not run is one error (E304) standing for all its articles."""
        reason = f"{type(err).__name__}: {err}".splitlines()[0][:300]
        log.error("shard %s failed: %s", shard.id, reason)
        self.report.shards_failed += 1
        return Failure(shard.first, None, SitroomError("E304", shard=shard.id, first=shard.first, last=shard.last,
                                                       count=len(shard.articles), reason=reason))

    def note_worker(self, result: ShardResult) -> None:
        memory = self.report.workers.setdefault(result.worker, WorkerMemory())
        memory.peak = max(memory.peak, result.peak_memory)
        memory.limit = result.memory_limit
        memory.shards += 1
        memory.articles += result.articles

    def collect_memory(self) -> None:
        """The workers' own peaks at the end (a worker that was replaced keeps what its shards reported)."""
        with contextlib.suppress(Exception):
            limits = {address: info.get("memory_limit") or None
                      for address, info in self.client.scheduler_info()["workers"].items()}
            for worker, facts in self.client.run(worker_facts).items():
                memory = self.report.workers.setdefault(worker, WorkerMemory())
                memory.peak = max(memory.peak, facts["peak_memory"])
                memory.limit = memory.limit or limits.get(worker)

    def cancel(self) -> None:
        with contextlib.suppress(Exception):
            self.client.cancel(list(self.done.futures))


def _articles_in(failure: Failure) -> int:
    """How many articles a failure stands for: a whole shard for E304, else one."""
    return int(failure.error.details.get("count", 1)) if failure.code == "E304" else 1


def default_shards_dir(db: str | Path) -> Path:
    return Path(f"{db}.shards")


def memory_summary(report: ClusterReport) -> str:
    """'2 workers, peak memory 612 MB (limit 2.1 GB) per worker at most'"""
    peaks = [m.peak for m in report.workers.values() if m.peak]
    if not peaks:
        return "no worker reported its memory"
    limits = {m.limit for m in report.workers.values() if m.limit}
    limit = f" (limit {_megabytes(min(limits))})" if limits else ""
    return f"{len(report.workers)} workers, peak memory per worker {_megabytes(max(peaks))} at most{limit}"


def _megabytes(value: int) -> str:
    return f"{value / 1e6:,.0f} MB"


__all__ = ["ClusterReport", "PipelinePlugin", "Shard", "ShardResult", "connect", "default_shards_dir",
           "ingest_on_cluster", "memory_summary", "plan_shards", "run_shard", "save_shard", "shard_id"]
