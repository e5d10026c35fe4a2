"""Rich renderings of store queries for people: merged events, actors, one article, totals."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sitroom.store.queries import ArticleView

QUALIFIER = {"at_least": "≥", "more_than": ">", "about": "~", "at_most": "≤"}


def place_label(row: dict[str, Any]) -> str:
    """A place that fell back to a country or region centre says so; it is never shown as a point."""
    name = row.get("place_name") or ""
    country = row.get("country") or ""
    if not name and not country:
        return ""
    label = f"{name}, {country}" if country and name and name != country else (name or country)
    if row.get("approximate"):
        return f"{label} (somewhere in this {row.get('place_precision') or 'area'})"
    return label


def toll_label(best: int | None, qualifier: str | None, low: int | None, high: int | None) -> str:
    if best is None:
        return ""
    text = f"{QUALIFIER.get(qualifier or '', '')}{best}"
    if low is not None and high is not None and (low, high) != (best, best):
        text += f" ({low}–{high})"
    return text


def date_label(start: object, end: object) -> str:
    if start is None:
        return "undated"
    return str(start) if start == end or end is None else f"{start}…{end}"


def events_table(rows: list[dict[str, Any]], total: int) -> Table:
    shown = f"{len(rows)} of {total}" if total > len(rows) else str(total)
    table = Table(title=f"{shown} merged events", title_justify="left", expand=True)
    for name in ("date", "type", "who → whom", "where", "killed", "injured", "sources", "id"):
        table.add_column(name, overflow="fold", no_wrap=name in ("date", "id"))
    for row in rows:
        kind = f"{row['type']}/{row['mode']}" if row.get("mode") else row["type"]
        sides = f"{row.get('actor_name') or '?'} → {row.get('target_name') or '?'}"
        sources = f"{row['sources']}" + (f" ({row['reports']} reports)" if row["reports"] != row["sources"] else "")
        table.add_row(date_label(row["date_start"], row["date_end"]), kind, sides, place_label(row),
                      toll_label(row["fatalities"], row["fatalities_qualifier"], row["fatalities_low"],
                                 row["fatalities_high"]),
                      toll_label(row["injured"], None, row["injured_low"], row["injured_high"]), sources, row["id"])
    return table


def actors_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"{len(rows)} actors", title_justify="left")
    for name in ("id", "name", "kind", "country", "as actor", "as target", "mentions", "articles"):
        table.add_column(name, justify="right" if name in ("as actor", "as target", "mentions", "articles")
                         else "left")
    for row in rows:
        table.add_row(row["id"], row["name"] or "", row["kind"] or "", row["country"] or "",
                      str(row["events_as_actor"]), str(row["events_as_target"]), str(row["mentions"]),
                      str(row["articles"]))
    return table


def highlighted(view: ArticleView) -> Text:
    """The text with actor mentions in cyan and event evidence reversed, each trigger numbered [n]."""
    text = Text(view.text)
    for mention in view.actor_mentions:
        text.stylize("bold cyan", mention["start_char"], mention["end_char"])
    numbers = {event["id"]: i for i, event in enumerate(view.events, start=1)}
    for span in view.evidence:
        style = "reverse bold yellow" if span["is_trigger"] else "underline yellow"
        text.stylize(style, span["start_char"], span["end_char"])
    marked = Text()
    cursor = 0
    for event in sorted(view.events, key=lambda e: e["end_char"]):
        marked.append_text(text[cursor:event["end_char"]])
        marked.append(f"[{numbers[event['id']]}]", style="bold magenta")
        cursor = event["end_char"]
    marked.append_text(text[cursor:])
    return marked


def print_article(console: Console, view: ArticleView) -> None:
    header = f"[bold]{view.title or view.id}[/bold]\n{view.source or 'unknown source'}, " \
             f"{view.published or 'no date'} · id {view.id} · {view.origin or ''}"
    console.print(header, highlight=False)
    if view.url:
        console.print(view.url, style="dim", highlight=False)
    console.print()
    console.print(highlighted(view))
    console.print()
    table = Table(title="events (reversed: trigger; underlined: further mentions; cyan: actors)",
                  title_justify="left", expand=True)
    for name in ("#", "type", "who → whom", "when", "where", "killed", "status", "merged event"):
        table.add_column(name, overflow="fold")
    for i, event in enumerate(view.events, start=1):
        merged = f"{event['cluster_id']} ({event['sources']} sources)" if event.get("cluster_id") else ""
        table.add_row(str(i), f"{event['type']}/{event['mode']}" if event["mode"] else event["type"],
                      f"{event['actor'] or '?'} → {event['target'] or '?'}",
                      date_label(event["date_start"], event["date_end"]),
                      place_label({"place_name": event["place"], "country": event["country"],
                                   "place_precision": event["precision"],
                                   "approximate": event["precision"] in ("admin2", "admin1", "region", "country")}),
                      toll_label(event["fatalities"], event["fatalities_qualifier"], None, None), event["status"],
                      merged)
    console.print(table)


def print_stats(console: Console, data: dict[str, Any]) -> None:
    table = Table(title=f"sitroom store {data['store']} (schema {data['schema_version']})", title_justify="left",
                  show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value")
    rows = [
        ("articles", f"{data['articles']:,} from {data['outlets']:,} outlets, published "
                     f"{data['published_from'] or '?'} … {data['published_to'] or '?'}"),
        ("syndicated stories", f"{data['stories_with_copies']:,} stories with near-duplicate copies"),
        ("events", f"{data['events']:,} reports ({data['evidence_spans']:,} evidence spans)"),
        ("merged events", f"{data['merged_events']:,}, {data['multi_source_events']:,} with 2+ independent "
                          f"sources, {data['approximate_places']:,} placed at a country/region centre; "
                          f"{data['background_events']:,} background events apart (--include-background)"),
        ("event dates", f"{data['dates_from'] or '?'} … {data['dates_to'] or '?'}"),
        ("actors", f"{data['actors']:,} ({data['actor_mentions']:,} mentions, {data['relations']:,} relations)"),
        ("merge settings", ", ".join(f"{k}={v}" for k, v in data["merge"].items()) or "not merged yet"),
    ]
    if data["clusters_stale"]:
        rows.append(("note", "[yellow]articles were added since the last merge: run `sitroom merge`[/yellow]"))
    run = data["last_run"]
    if run:
        rows.append(("last ingest", f"{run['status']} {run['started']}: {run['stored']} stored, {run['skipped']} "
                                    f"skipped, {run['failed']} failed"))
    for what, value in rows:
        table.add_row(what, value)
    console.print(table)
    by_type = Table(title="merged events by type", title_justify="left")
    by_type.add_column("type")
    by_type.add_column("events", justify="right")
    for type_, count in data["by_type"].items():
        by_type.add_row(type_, f"{count:,}")
    console.print(by_type)
