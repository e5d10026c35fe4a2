"""Commands that write what the store holds for others: export (ACLED, GDELT, PLOVER, GeoJSON, GraphML,
Parquet) and brief."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from sitroom.cli.app import DB_OPTION, BriefFormat, ExportFormat, app, date_value, err, open_store, usage
from sitroom.cli.queries import (ACTOR_OPTION, BACKGROUND_OPTION, COUNTRY_OPTION, KM_OPTION, MIN_SOURCES_OPTION, NEAR_OPTION,
                      SINCE_OPTION, TYPE_OPTION, UNTIL_OPTION, event_filter)


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
    from sitroom.store import export as exporting

    folder = out or Path(f"export-{format.value}")
    with open_store(db) as store:
        selection = event_filter(store, type_, actor, country, since, until, near, km, min_sources, background)
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
    from sitroom.store.brief import build_brief, render

    with open_store(db) as store:
        from sitroom.store.queries import EventFilter, check_country
        selection = EventFilter(country=usage(check_country, country), since=date_value(since, "--since"),
                                until=date_value(until, "--until"))
        text = render(build_brief(store, selection), format.value)
    if out:
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {out}", highlight=False)
    else:
        sys.stdout.write(text)
