"""The store's commands on the `sitroom` app: ingest, merge, events, actors, show, stats, export,
import-parquet and brief. Output for people goes through Rich; exit codes 0 ok, 1 some input failed, 2 usage.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console

from ..cli import KB_OPTION, MIN_CONF_OPTION, app, apply_settings, err, report_error
from ..errors import SitroomError

DB_OPTION = typer.Option(None, "--db", help="The store file (default: SITROOM_DB, else ./sitroom.duckdb).")


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class BriefFormat(str, Enum):
    md = "md"
    html = "html"


class ExportFormat(str, Enum):
    acled = "acled"
    gdelt = "gdelt"
    plover = "plover"
    geojson = "geojson"
    graphml = "graphml"
    parquet = "parquet"


def _open(db: Optional[Path], read_only: bool = True):
    from .store import Store
    try:
        return Store(db, read_only=read_only)
    except SitroomError as error:
        report_error(error)
        raise typer.Exit(1) from None


def _date(value: Optional[str], option: str, publication: bool = False) -> Optional[dt.date]:
    from ..article import parse_date, publication_date
    try:
        return (publication_date if publication else parse_date)(value, f" for {option}")
    except SitroomError as error:
        report_error(error)
        raise typer.Exit(2) from None


def _usage(call, *args: Any, **kwargs: Any) -> Any:
    """Run a check whose SitroomError is a usage error (exit 2)."""
    try:
        return call(*args, **kwargs)
    except SitroomError as error:
        report_error(error)
        raise typer.Exit(2) from None


def _default(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _json_out(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=_default) + "\n")


def _csv_out(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)


# ---------------------------------------------------------------------------------------------
# ingest, merge, import-parquet
# ---------------------------------------------------------------------------------------------

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
    from .. import settings
    from ..readers import Defaults, Fields, read_items
    from .ingest import ingest as run_ingest
    from .progress import IngestProgress

    apply_settings(kb, None)
    _date(published, "--published", publication=True)
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
    store = _open(db, read_only=False)
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

    from .. import settings
    from .progress import IngestProgress

    cluster = _dask_module()
    _usage(cluster.local_workers, address)
    # Dask's own INFO lines (scheduler started, worker registered, …) would bury the progress bar.
    logging.getLogger("distributed").setLevel(max(logging.WARNING, logging.getLogger("sitroom").getEffectiveLevel()))
    store = None if no_store else _open(db, read_only=False)
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
    """sitroom.distributed, or E301 when Dask (an optional extra) is not installed."""
    import importlib.util
    if importlib.util.find_spec("distributed") is None:
        report_error(SitroomError("E301"))
        raise typer.Exit(1)
    from .. import distributed
    return distributed


def _merge(store, **overrides: object):
    from .merge import MergeSettings, merge_store
    return merge_store(store, _usage(MergeSettings.from_settings, **overrides))


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
    store = _open(db, read_only=False)
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
    from .parquet import import_parquet

    store = _open(db, read_only=False)
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


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------

def _selection(store, type_: Optional[str], actor: Optional[str], country: Optional[str], since: Optional[str],
               until: Optional[str], near: Optional[str], km: float, min_sources: int, background: bool):
    from .queries import EventFilter, check_country, check_type, resolve_place
    place = _usage(resolve_place, store, near, km) if near else None
    if place is not None:
        err.print(f"near {place.label} ({place.lat:.4f},{place.lon:.4f}), within {km:g} km", highlight=False)
    return EventFilter(
        type=_usage(check_type, type_), actor=actor, country=_usage(check_country, country),
        since=_date(since, "--since"), until=_date(until, "--until"), near=place, min_sources=min_sources,
        include_background=background)


TYPE_OPTION = typer.Option(None, "--type", "-t", help="PLOVER event type (ASSAULT, PROTEST, …).")
ACTOR_OPTION = typer.Option(None, "--actor", "-a", help="Actor id, or part of a name, as actor or target.")
COUNTRY_OPTION = typer.Option(None, "--country", "-c", help="ISO 3166-1 alpha-3 code of the event's place.")
SINCE_OPTION = typer.Option(None, "--since", help="Events on or after this date (YYYY-MM-DD).")
UNTIL_OPTION = typer.Option(None, "--until", help="Events on or before this date (YYYY-MM-DD).")
NEAR_OPTION = typer.Option(None, "--near", help="A place name or 'LAT,LON'; with --km.")
KM_OPTION = typer.Option(50.0, "--km", min=0.0, help="Distance for --near, in km.")
MIN_SOURCES_OPTION = typer.Option(1, "--min-sources", min=1, help="Events reported by at least N independent "
                                                                  "sources (syndicated copies count once).")
BACKGROUND_OPTION = typer.Option(False, "--include-background",
                                 help="Include background events: dated over a year before publication, whole "
                                      "wars, running tolls (left out by default).")

EVENT_CSV_COLUMNS = ("id", "date_start", "date_end", "type", "mode", "actor_id", "actor_name", "target_id",
                     "target_name", "place_name", "admin1", "country", "lat", "lon", "place_precision",
                     "approximate", "fatalities", "fatalities_qualifier", "fatalities_low", "fatalities_high",
                     "injured", "sources", "reports", "outlets", "status", "confidence", "first_published",
                     "last_published")


@app.command()
def events(
    db: Optional[Path] = DB_OPTION,
    type_: Optional[str] = TYPE_OPTION, actor: Optional[str] = ACTOR_OPTION, country: Optional[str] = COUNTRY_OPTION,
    since: Optional[str] = SINCE_OPTION, until: Optional[str] = UNTIL_OPTION, near: Optional[str] = NEAR_OPTION,
    km: float = KM_OPTION, min_sources: int = MIN_SOURCES_OPTION, background: bool = BACKGROUND_OPTION,
    format: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help="table, json or csv."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most N events (table: 50 by default)."),
) -> None:
    """Merged events (one per real event, with its sources counted), newest first."""
    from . import queries
    from .output import events_table

    with _open(db) as store:
        selection = _selection(store, type_, actor, country, since, until, near, km, min_sources, background)
        cap = limit or (50 if format is ListFormat.table else None)
        rows = queries.events(store, selection, limit=cap, members=format is ListFormat.json)
        total = queries.count_events(store, selection) if format is ListFormat.table else len(rows)
    if format is ListFormat.json:
        _json_out(rows)
    elif format is ListFormat.csv:
        _csv_out(rows, EVENT_CSV_COLUMNS)
    else:
        Console().print(events_table(rows, total))


@app.command()
def actors(
    db: Optional[Path] = DB_OPTION,
    country: Optional[str] = COUNTRY_OPTION,
    kind: Optional[str] = typer.Option(None, "--kind", help="state, military, armed_group, civilians, …"),
    name: Optional[str] = typer.Option(None, "--name", help="Part of the actor's name, or its id."),
    format: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help="table, json or csv."),
    limit: int = typer.Option(50, "--limit", min=1, help="At most N actors."),
) -> None:
    """Actors in the store, the most involved in merged events first."""
    from . import queries
    from .output import actors_table

    with _open(db) as store:
        rows = queries.actors(store, country=_usage(queries.check_country, country), kind=kind, name=name,
                              limit=limit)
    if format is ListFormat.json:
        _json_out(rows)
    elif format is ListFormat.csv:
        _csv_out(rows, queries.ACTOR_COLUMNS)
    else:
        Console().print(actors_table(rows))


@app.command()
def show(
    article_id: str = typer.Argument(..., help="An article id, or its first characters (at least 4)."),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """An article's text with its events and actors highlighted, then its events."""
    from . import queries
    from .output import print_article

    with _open(db) as store:
        view = _usage(queries.article, store, article_id)
    print_article(Console(), view)


@app.command()
def stats(
    db: Optional[Path] = DB_OPTION,
    format: ListFormat = typer.Option(ListFormat.table, "--format", "-f",
                                      help="table, json, or csv (one figure per row: key,value; nested keys "
                                           "joined with a dot, as by_type.ASSAULT)."),
) -> None:
    """What the store holds: articles, sources, events, merged events, actors, the last run."""
    from . import queries
    from .output import print_stats

    with _open(db) as store:
        data = queries.stats(store)
    if format is ListFormat.table:
        print_stats(Console(), data)
    elif format is ListFormat.csv:
        _csv_out([{"key": k, "value": v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v}
                  for k, v in _flat(data)], ("key", "value"))
    else:
        _json_out(data)


def _flat(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            rows += _flat(value, f"{prefix}{key}.")
        else:
            rows.append((f"{prefix}{key}", value))
    return rows


# ---------------------------------------------------------------------------------------------
# Export and brief
# ---------------------------------------------------------------------------------------------

@app.command()
def export(
    format: ExportFormat = typer.Argument(..., help="acled, gdelt, plover, geojson, graphml or parquet."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder to write (default: export-FORMAT)."),
    db: Optional[Path] = DB_OPTION,
    type_: Optional[str] = TYPE_OPTION, actor: Optional[str] = ACTOR_OPTION, country: Optional[str] = COUNTRY_OPTION,
    since: Optional[str] = SINCE_OPTION, until: Optional[str] = UNTIL_OPTION, near: Optional[str] = NEAR_OPTION,
    km: float = KM_OPTION, min_sources: int = MIN_SOURCES_OPTION, background: bool = BACKGROUND_OPTION,
) -> None:
    """Write merged events (or every table, for parquet) to a folder, with a manifest.json."""
    from .. import export as exporting

    folder = out or Path(f"export-{format.value}")
    with _open(db) as store:
        selection = _selection(store, type_, actor, country, since, until, near, km, min_sources, background)
        if format is ExportFormat.parquet and selection.as_dict() not in ({}, {"include_background": True}):
            err.print("[red]error:[/red] parquet exports every table whole; drop the filters", highlight=False)
            raise typer.Exit(2)
        manifest = exporting.export(store, format.value, folder, selection)
    files = ", ".join(f"{f['name']} ({f['rows']} rows)" for f in manifest["files"])
    err.print(f"wrote {folder}/: {files}, manifest.json", highlight=False)


@app.command()
def brief(
    db: Optional[Path] = DB_OPTION,
    country: Optional[str] = COUNTRY_OPTION, since: Optional[str] = SINCE_OPTION, until: Optional[str] = UNTIL_OPTION,
    format: BriefFormat = typer.Option(BriefFormat.md, "--format", "-f", help="md (Markdown) or html."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write to this file instead of standard output."),
) -> None:
    """A short situation report, every statement footnoted to its source articles."""
    from .brief import build_brief, render

    with _open(db) as store:
        from .queries import EventFilter, check_country
        selection = EventFilter(country=_usage(check_country, country), since=_date(since, "--since"),
                                until=_date(until, "--until"))
        text = render(build_brief(store, selection), format.value)
    if out:
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {out}", highlight=False)
    else:
        sys.stdout.write(text)
