"""Commands that write the store: ingest (locally, in worker processes or on a Dask cluster), merge,
import-parquet."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional

import typer

from sitroom.errors import SitroomError
from sitroom.cli.app import (DB_OPTION, KB_OPTION, MIN_CONF_OPTION, app, apply_settings, date_value, err, open_store,
                  report_error, usage)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files or folders: .txt, .html, .jsonl, .json, .csv, .tsv, "
                                                "each optionally .gz; folders are read recursively."),
    db: Optional[Path] = DB_OPTION,
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                          help="Processes running the pipeline (SITROOM_WORKERS; default 1)."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1,
                                             help="Articles per nlp.pipe batch (SITROOM_BATCH_SIZE; 16)."),
    text_field: Optional[str] = typer.Option(None, "--text-field", help="JSONL/CSV text field (SITROOM_TEXT_FIELD)."),
    title_field: Optional[str] = typer.Option(None, "--title-field", help="JSONL/CSV title field."),
    date_field: Optional[str] = typer.Option(None, "--date-field", help="JSONL/CSV publication date field."),
    source_field: Optional[str] = typer.Option(None, "--source-field", help="JSONL/CSV source name field."),
    url_field: Optional[str] = typer.Option(None, "--url-field", help="JSONL/CSV URL field."),
    published: Optional[str] = typer.Option(None, "--published",
                                            help="Publication date (YYYY-MM-DD) for items that give none."),
    source: Optional[str] = typer.Option(None, "--source", help="Source name for items that give none."),
    no_merge: bool = typer.Option(False, "--no-merge", help="Store only; merge later with `sitroom merge`."),
    min_confidence: Optional[float] = MIN_CONF_OPTION,
    kb: Optional[list[Path]] = KB_OPTION,
    dask: Optional[str] = typer.Option(None, "--dask", help="Run on a Dask cluster: local:N, tcp://HOST:8786 or a "
                                                             "scheduler file (SITROOM_DASK); see docs/distributed.md."),
    shards: Optional[Path] = typer.Option(None, "--shards", help="With --dask: folder of the Parquet shards "
                                                                 "(SITROOM_SHARDS; default: the store's path + .shards)."),
    shard_size: Optional[int] = typer.Option(None, "--shard-size", min=1,
                                             help="With --dask: articles per shard (SITROOM_SHARD_SIZE; 64)."),
    worker_memory: Optional[str] = typer.Option(None, "--worker-memory",
                                                help="With --dask local:N: memory limit per worker "
                                                     "(SITROOM_WORKER_MEMORY; 2GiB)."),
    no_store: bool = typer.Option(False, "--no-store", help="With --dask: leave the Parquet shards only; load them "
                                                            "later with `sitroom import-parquet SHARDS`."),
) -> None:
    """Read articles into the store: extract, keep every record with its evidence, merge across sources."""
    from sitroom import settings
    from sitroom.read.readers import Defaults, Fields, read_items
    from sitroom.store.ingest import ingest as run_ingest
    from sitroom.store.progress import IngestProgress

    apply_settings(kb, None)
    date_value(published, "--published", publication=True)
    fields = Fields.from_settings(text=text_field, title=title_field, date=date_field, source=source_field,
                                  url=url_field)
    items = read_items(paths, fields, Defaults(published=published, source=source))
    n_workers = workers or int(settings.get("workers"))
    size = batch_size or int(settings.get("batch_size"))
    address = dask or str(settings.get("dask"))
    if address:
        if workers and workers > 1:
            err.print("[red]error:[/red] --workers runs a local process pool and --dask a cluster; for N worker "
                      "processes on this machine use --dask local:N", highlight=False)
            raise typer.Exit(2)
        _ingest_on_cluster(paths, items, db, address, shards=shards, no_store=no_store, batch_size=size,
                           shard_size=shard_size or int(settings.get("shard_size")), min_confidence=min_confidence,
                           worker_memory=worker_memory or str(settings.get("worker_memory")), no_merge=no_merge)
        return
    store = open_store(db, read_only=False)
    with store, IngestProgress(err, paths) as progress:
        report = run_ingest(store, items, workers=n_workers, batch_size=size, min_confidence=min_confidence,
                            inputs=paths, on_step=progress.update)
        progress.finish(report)
        merged = None
        if not report.interrupted and not no_merge and store.clusters_stale:
            progress.status("merging across articles")
            merged = _merge(store)
    _print_ingest_summary(report, merged, store.path)
    if report.interrupted:
        raise typer.Exit(130)
    if report.failed:
        raise typer.Exit(1)


def _ingest_on_cluster(paths: list[str], items, db: Optional[Path], address: str, *, shards: Optional[Path],
                       no_store: bool, batch_size: int, shard_size: int, min_confidence: Optional[float],
                       worker_memory: str, no_merge: bool) -> None:
    """`ingest --dask`: shards on the cluster, saved as Parquet and loaded into the store as they come."""
    import contextlib

    from sitroom import settings
    from sitroom.store.progress import IngestProgress

    cluster = _dask_module()
    usage(cluster.local_workers, address)
    # Dask's own INFO lines (scheduler started, worker registered, …) would bury the progress bar.
    logging.getLogger("distributed").setLevel(max(logging.WARNING, logging.getLogger("sitroom").getEffectiveLevel()))
    store = None if no_store else open_store(db, read_only=False)
    folder = shards or Path(str(settings.get("shards")) or cluster.default_shards_dir(
        store.path if store else (db or str(settings.get("db")))))
    merged = None
    try:
        with contextlib.ExitStack() as stack:
            if store is not None:
                stack.enter_context(store)
            client = stack.enter_context(cluster.connect(address, worker_memory))
            progress = stack.enter_context(IngestProgress(err, paths))
            report = cluster.ingest_on_cluster(client, items, folder, store=store, shard_size=shard_size,
                                               batch_size=batch_size, min_confidence=min_confidence, inputs=paths,
                                               on_step=progress.update)
            progress.finish(report)
            if store is not None and not report.interrupted and not no_merge and store.clusters_stale:
                progress.status("merging across articles")
                merged = _merge(store)
    except SitroomError as error:
        report_error(error)
        raise typer.Exit(1) from None
    _print_ingest_summary(report, merged, store.path if store else str(folder))
    err.print(f"{report.shards} shards in {folder}: {report.shards_run} run on the cluster, {report.shards_reused} "
              f"finished before, {report.shards_failed} failed; {cluster.memory_summary(report)}", highlight=False,
              soft_wrap=True)
    if report.interrupted:
        raise typer.Exit(130)
    if report.failed:
        raise typer.Exit(1)


def _dask_module():
    """sitroom.store.distributed, or E301 when Dask (an optional extra) is not installed."""
    import importlib.util
    if importlib.util.find_spec("distributed") is None:
        report_error(SitroomError("E301"))
        raise typer.Exit(1)
    from sitroom.store import distributed
    return distributed


def _merge(store, **overrides: object):
    from sitroom.store.merge import MergeSettings, merge_store
    return merge_store(store, usage(MergeSettings.from_settings, **overrides))


def _print_ingest_summary(report, merged, path: str) -> None:
    line = (f"[bold]{report.stored}[/bold] articles stored ({report.events} events), "
            f"{report.skipped} already stored or repeated, {report.failed} failed")
    err.print(line, highlight=False)
    if report.interrupted:
        err.print(f"[yellow]interrupted[/yellow]: what was stored is kept; run the same command again to go on "
                  f"(store: {path})", highlight=False)
    if merged is not None:
        err.print(f"merged {merged.events} events into [bold]{merged.clusters}[/bold] "
                  f"({merged.multi_source} reported by two or more independent sources; "
                  f"{merged.stories_with_copies} stories with syndicated copies)", highlight=False)


@app.command()
def merge(
    db: Optional[Path] = DB_OPTION,
    days: Optional[int] = typer.Option(None, "--days", min=0, help="Date windows at most this far apart "
                                                                   "(SITROOM_MERGE_DAYS; 1)."),
    km: Optional[float] = typer.Option(None, "--km", min=0.0, help="Precise places at most this far apart "
                                                                   "(SITROOM_MERGE_KM; 50)."),
    fatalities: Optional[str] = typer.Option(None, "--fatalities",
                                             help="Best fatality figure: latest, median or lowest."),
    similarity: Optional[float] = typer.Option(None, "--similarity", min=0.0, max=1.0,
                                               help="Texts this similar are copies of one story (0.6)."),
) -> None:
    """Recompute merged events from the stored ones (deterministic; run after changing the merge settings)."""
    store = open_store(db, read_only=False)
    with store:
        result = _merge(store, days=days, km=km, fatalities=fatalities, similarity=similarity)
    err.print(f"merged {result.events} events into [bold]{result.clusters}[/bold] "
              f"({result.multi_source} reported by two or more independent sources)", highlight=False)


@app.command("import-parquet")
def import_parquet_command(
    paths: list[Path] = typer.Argument(..., help="Folders of Parquet tables (sitroom export parquet, or shards "
                                                 "written by a cluster run)."),
    db: Optional[Path] = DB_OPTION,
    no_merge: bool = typer.Option(False, "--no-merge", help="Load only; merge later with `sitroom merge`."),
) -> None:
    """Load Parquet tables made elsewhere into the store; articles already stored are skipped."""
    from sitroom.store.parquet import import_parquet

    store = open_store(db, read_only=False)
    with store:
        try:
            added = import_parquet(store, paths)
        except SitroomError as error:
            report_error(error)
            raise typer.Exit(1) from None
        err.print("added " + ", ".join(f"{n} {table}" for table, n in added.items()), highlight=False)
        if not no_merge and store.clusters_stale:
            result = _merge(store)
            err.print(f"merged {result.events} events into {result.clusters}", highlight=False)
