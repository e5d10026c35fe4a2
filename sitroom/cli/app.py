"""The one `sitroom` app every command registers on, and what the commands share: options, output helpers,
the store opened for them, usage errors. Exit codes: 0 ok, 1 some input failed, 2 usage error."""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console

from sitroom.errors import SitroomError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_show_locals=False,
                  help="Structured, sourced event data from English news about wars, diplomacy, attacks and protests.")
err = Console(stderr=True)
log = logging.getLogger("sitroom")
TABLE_WIDTH = 160


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def report_error(error: SitroomError) -> None:
    err.print(f"[red]error {error.code}:[/red] {error}", highlight=False, soft_wrap=True)


def apply_settings(kb: list[Path] | None, max_chars: int | None) -> None:
    if kb:
        os.environ["SITROOM_KB"] = os.pathsep.join(str(p) for p in kb)
    if max_chars is not None:
        os.environ["SITROOM_MAX_CHARS"] = str(max_chars)


KB_OPTION = typer.Option(None, "--kb", help="Extra actor knowledge-base file (YAML); repeatable; overrides ours.")
MIN_CONF_OPTION = typer.Option(None, "--min-confidence", min=0.0, max=1.0,
                               help="Leave out events below this confidence (default: SITROOM_MIN_CONFIDENCE, else the event "
                                    "model's own threshold).")


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


def open_store(db: Optional[Path], read_only: bool = True):
    from sitroom.store.store import Store
    try:
        return Store(db, read_only=read_only)
    except SitroomError as error:
        report_error(error)
        raise typer.Exit(1) from None


def date_value(value: Optional[str], option: str, publication: bool = False) -> Optional[dt.date]:
    from sitroom.read.article import parse_date, publication_date
    try:
        return (publication_date if publication else parse_date)(value, f" for {option}")
    except SitroomError as error:
        report_error(error)
        raise typer.Exit(2) from None


def usage(call, *args: Any, **kwargs: Any) -> Any:
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


def json_out(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=_default) + "\n")


def csv_out(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
