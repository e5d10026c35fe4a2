"""Commands that read the store: events, actors, show, stats; and the event filters they share with export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console

from sitroom.cli.app import DB_OPTION, ListFormat, app, csv_out, date_value, err, json_out, open_store, usage


def event_filter(store, type_: Optional[str], actor: Optional[str], country: Optional[str], since: Optional[str],
                 until: Optional[str], near: Optional[str], km: float, min_sources: int, background: bool):
    """The EventFilter the options ask for; a place for --near is resolved and said."""
    from sitroom.store.queries import EventFilter, check_country, check_type, resolve_place
    place = usage(resolve_place, store, near, km) if near else None
    if place is not None:
        err.print(f"near {place.label} ({place.lat:.4f},{place.lon:.4f}), within {km:g} km", highlight=False)
    return EventFilter(
        type=usage(check_type, type_), actor=actor, country=usage(check_country, country),
        since=date_value(since, "--since"), until=date_value(until, "--until"), near=place, min_sources=min_sources,
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
    from sitroom.store import queries
    from sitroom.store.output import events_table

    with open_store(db) as store:
        selection = event_filter(store, type_, actor, country, since, until, near, km, min_sources, background)
        cap = limit or (50 if format is ListFormat.table else None)
        rows = queries.events(store, selection, limit=cap, members=format is ListFormat.json)
        total = queries.count_events(store, selection) if format is ListFormat.table else len(rows)
    if format is ListFormat.json:
        json_out(rows)
    elif format is ListFormat.csv:
        csv_out(rows, EVENT_CSV_COLUMNS)
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
    from sitroom.store import queries
    from sitroom.store.output import actors_table

    with open_store(db) as store:
        rows = queries.actors(store, country=usage(queries.check_country, country), kind=kind, name=name,
                              limit=limit)
    if format is ListFormat.json:
        json_out(rows)
    elif format is ListFormat.csv:
        csv_out(rows, queries.ACTOR_COLUMNS)
    else:
        Console().print(actors_table(rows))


@app.command()
def show(
    article_id: str = typer.Argument(..., help="An article id, or its first characters (at least 4)."),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """An article's text with its events and actors highlighted, then its events."""
    from sitroom.store import queries
    from sitroom.store.output import print_article

    with open_store(db) as store:
        view = usage(queries.article, store, article_id)
    print_article(Console(), view)


@app.command()
def stats(
    db: Optional[Path] = DB_OPTION,
    format: ListFormat = typer.Option(ListFormat.table, "--format", "-f",
                                      help="table, json, or csv (one figure per row: key,value; nested keys "
                                           "joined with a dot, as by_type.ASSAULT)."),
) -> None:
    """What the store holds: articles, sources, events, merged events, actors, the last run."""
    from sitroom.store import queries
    from sitroom.store.output import print_stats

    with open_store(db) as store:
        data = queries.stats(store)
    if format is ListFormat.table:
        print_stats(Console(), data)
    elif format is ListFormat.csv:
        csv_out([{"key": k, "value": v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v}
                  for k, v in _flat(data)], ("key", "value"))
    else:
        json_out(data)


def _flat(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            rows += _flat(value, f"{prefix}{key}.")
        else:
            rows.append((f"{prefix}{key}", value))
    return rows
