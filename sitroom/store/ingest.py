"""Ingest: articles in, whole articles with their actors and events out into the store.

`process_batch` is the one function that turns Articles into rows. The local `--workers N` pool calls it in
worker processes (each loads the pipeline once, in its initializer), and a cluster run can call it on its
own workers and ship the rows as Parquet (`parquet.write_shard`). Only the process that owns the Store
writes, one transaction per article, so an interrupted run leaves whole articles or nothing, and the next
run skips what is stored (the content hash is the key).
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import signal
import threading
import uuid
from collections import deque
from contextlib import contextmanager
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sitroom.read.article import Article
from sitroom.errors import SitroomError
from sitroom.read.readers import Failure, Item
from sitroom.store.rows import ArticleRows, article_rows
from sitroom.store.store import Store

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    run_id: str = ""
    read: int = 0
    stored: int = 0
    skipped: int = 0        # already in the store, or a second copy of the same text in this input
    failed: int = 0
    events: int = 0
    failures: list[Failure] = field(default_factory=list)
    interrupted: bool = False


@dataclass(frozen=True)
class Step:
    """What just happened, for a progress display: 'stored', 'skipped' or 'failed'."""

    kind: str
    report: IngestReport
    failure: Failure | None = None


def process_batch(articles: Sequence[Article], min_confidence: float | None = None,
                  batch_size: int = 16) -> list[ArticleRows | Failure]:
    """Rows for each article, in order; an article the pipeline fails on becomes a Failure (E113)."""
    from sitroom.components.pipeline import kb_files, load_pipeline, run

    nlp = load_pipeline(kb_files())
    try:
        results = list(run(articles, nlp, batch_size=batch_size, min_confidence=min_confidence))
    except Exception:  # find the article at fault, keep the others
        if len(articles) == 1:
            raise
        return [item for article in articles for item in _process_one(article, min_confidence)]
    return [article_rows(article, result) for article, result in zip(articles, results)]


def _process_one(article: Article, min_confidence: float | None) -> list[ArticleRows | Failure]:
    try:
        return process_batch([article], min_confidence)
    except Exception as err:  # reported per item; the run goes on
        log.exception("extraction failed on %s", article.name)
        reason = f"{type(err).__name__}: {err}"[:300]
        return [Failure(article.name, None, SitroomError("E113", name=article.name, reason=reason))]


def batches(items: Iterable[Item], size: int, known: set[str],
            on_skip: Callable[[Failure | None], None]) -> Iterator[list[Article] | Failure]:
    """Articles not yet stored, in batches; failures pass through in input order."""
    batch: list[Article] = []
    for item in items:
        if isinstance(item, Failure):
            yield item
            continue
        if item.id in known:
            on_skip(None)
            continue
        known.add(item.id)
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(store: Store, items: Iterable[Item], *, workers: int = 1, batch_size: int = 16,
           min_confidence: float | None = None, inputs: Sequence[str] = (),
           on_step: Callable[[Step], None] | None = None) -> IngestReport:
    """Read, extract and store; KeyboardInterrupt stops cleanly with what was stored kept."""
    report = IngestReport(run_id=uuid.uuid4().hex[:12])
    notify = on_step or (lambda step: None)

    def skipped(_: Failure | None) -> None:
        report.read += 1
        report.skipped += 1
        notify(Step("skipped", report))

    work = batches(items, batch_size, store.article_ids(), skipped)
    return store_rows(store, _extract(work, workers, batch_size, min_confidence), inputs, notify, report)


def store_rows(store: Store, produced: Iterable[ArticleRows | Failure], inputs: Sequence[str] = (),
               notify: Callable[[Step], None] | None = None, report: IngestReport | None = None) -> IngestReport:
    """Rows extracted beforehand (or as they come), in input order, stored as one run: each article in one
    transaction, failures recorded. The server extracts first and holds the store only for this."""
    report = report or IngestReport(run_id=uuid.uuid4().hex[:12])
    notify = notify or (lambda step: None)
    _start_run(store, report, inputs)
    try:
        with ctrl_c_stops() as stopped:
            for item in _until(produced, stopped, report):
                if isinstance(item, Failure):
                    _record_failure(store, report, item)
                    notify(Step("failed", report, item))
                    continue
                report.read += 1
                if store.write(item):
                    report.stored += 1
                    report.events += item.event_count
                    log.info("stored article %s (%d events)", item.id, item.event_count)
                    notify(Step("stored", report))
                else:
                    report.skipped += 1
                    notify(Step("skipped", report))
    except KeyboardInterrupt:
        report.interrupted = True
    except BaseException:
        _finish_run(store, report, "failed")  # never left "running" by a run that is over
        raise
    _finish_run(store, report)
    return report


@contextmanager
def ctrl_c_stops() -> Iterator[Callable[[], bool]]:
    """The first Ctrl-C asks the run to stop after the article in hand (a flag the loop reads, so the signal
    is never lost inside the model's native code); a second one stops at once. Outside the main thread
    (the API's workers) signals are not ours to take."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    asked = threading.Event()
    previous = signal.getsignal(signal.SIGINT)

    def on_interrupt(signum: int, frame: object) -> None:
        if asked.is_set():
            raise KeyboardInterrupt
        asked.set()

    signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield asked.is_set
    finally:
        signal.signal(signal.SIGINT, previous)


def _until(items: Iterable[ArticleRows | Failure], stopped: Callable[[], bool],
           report: IngestReport) -> Iterator[ArticleRows | Failure]:
    """The items, until a stop is asked for after one of them; the source is closed then (a worker pool
    with it)."""
    try:
        for item in items:
            yield item
            if stopped():
                report.interrupted = True
                return
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()


def _record_failure(store: Store, report: IngestReport, failure: Failure) -> None:
    report.read += 1
    report.failed += 1
    report.failures.append(failure)
    store.con.execute("INSERT INTO run_errors VALUES (?, ?, ?, ?, ?)",
                      [report.run_id, failure.path, failure.line, failure.code, str(failure)])


def _extract(work: Iterable[list[Article] | Failure], workers: int, batch_size: int,
             min_confidence: float | None) -> Iterator[ArticleRows | Failure]:
    if workers <= 1:
        for unit in work:
            yield from [unit] if isinstance(unit, Failure) else process_batch(unit, min_confidence, batch_size)
        return
    yield from _extract_in_pool(work, workers, batch_size, min_confidence)


def _extract_in_pool(work: Iterable[list[Article] | Failure], workers: int, batch_size: int,
                     min_confidence: float | None) -> Iterator[ArticleRows | Failure]:
    """Batches go to worker processes; results come back in input order, a bounded number in flight."""
    context = multiprocessing.get_context("spawn")  # no fork of a process holding a DuckDB connection
    pool = context.Pool(workers, initializer=_init_worker)
    pending: deque = deque()
    try:
        for unit in work:
            if isinstance(unit, Failure):
                pending.append(unit)
            else:
                pending.append(pool.apply_async(process_batch, (unit, min_confidence, batch_size)))
            while len(pending) > 2 * workers or (pending and isinstance(pending[0], Failure)):
                yield from _collect(pending.popleft())
        while pending:
            yield from _collect(pending.popleft())
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _collect(unit: object) -> list[ArticleRows | Failure]:
    return [unit] if isinstance(unit, Failure) else unit.get()  # type: ignore[attr-defined]


def _init_worker() -> None:
    """Workers leave Ctrl-C to the main process, and load the pipeline once before the first batch."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from sitroom.components.pipeline import kb_files, load_pipeline
    load_pipeline(kb_files())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def _start_run(store: Store, report: IngestReport, inputs: Sequence[str]) -> None:
    store.con.execute("INSERT INTO runs VALUES (?, ?, NULL, ?, 0, 0, 0, 0, 'running')",
                      [report.run_id, _now(), "\n".join(map(str, inputs))])


def _finish_run(store: Store, report: IngestReport, status: str | None = None) -> None:
    store.con.execute(
        "UPDATE runs SET finished = ?, stored = ?, skipped = ?, failed = ?, events = ?, status = ? WHERE id = ?",
        [_now(), report.stored, report.skipped, report.failed, report.events,
         status or ("interrupted" if report.interrupted else "done"), report.run_id])
