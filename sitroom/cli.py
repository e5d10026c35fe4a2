"""The `sitroom` command. Exit codes: 0 ok, 1 some input failed, 2 usage error."""

from __future__ import annotations

import json
import logging
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from . import article as articles
from .errors import SitroomError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_show_locals=False,
                  help="Structured, sourced event data from English news about wars, diplomacy, attacks and protests.")
err = Console(stderr=True)
log = logging.getLogger("sitroom")
TABLE_WIDTH = 160


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def fail_usage(message: str) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(2)


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


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Article files or folders (text, HTML, JSONL, CSV, gzip, manifests; "
                                                "read as `ingest` reads them); '-' reads standard input."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date, YYYY-MM-DD."),
    source: Optional[str] = typer.Option(None, "--source", help="The source's name (Reuters, AP, …)."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="json (the contract), jsonl or table."),
    min_confidence: Optional[float] = MIN_CONF_OPTION,
    kb: Optional[list[Path]] = KB_OPTION,
    max_chars: Optional[int] = typer.Option(None, "--max-chars", help="Refuse longer articles (SITROOM_MAX_CHARS)."),
) -> None:
    """Extract events from articles and print them."""
    apply_settings(kb, max_chars)
    try:
        articles.publication_date(published, " for --published")
    except SitroomError as error:
        report_error(error)
        raise typer.Exit(2) from None
    from .output import print_table
    from .pipeline import run
    from .readers import Defaults, Failure, input_kind, read_items

    good, failed = [], 0
    for item in read_items(paths, defaults=Defaults(published=published, source=source)):
        if isinstance(item, Failure):
            report_error(item.error)
            failed += 1
        else:
            good.append(item)
    results = list(run(good, min_confidence=min_confidence)) if good else []
    # piped or in CI, Rich would fold the table to 80 columns; a report is read better wider
    out = Console() if sys.stdout.isatty() else Console(width=TABLE_WIDTH)
    if format is Format.table:
        for item, result in zip(good, results):
            print_table(out, item, result)
    elif format is Format.jsonl:
        for result in results:
            sys.stdout.write(result.model_dump_json() + "\n")
    else:
        payload = [r.model_dump(mode="json") for r in results]
        single = len(paths) == 1 and len(payload) == 1 and input_kind(paths[0]) not in ("jsonl", "csv")
        sys.stdout.write(json.dumps(payload[0] if single else payload,
                                    indent=2, ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the output contract."""
    from .schema import json_schema
    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


@app.command("eval")
def eval_command(
    gold: Path = typer.Argument(..., help="A gold file (JSONL; see the README for its format)."),
    as_json: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List misses, false positives and wrong fields."),
    min_confidence: Optional[float] = MIN_CONF_OPTION,
    kb: Optional[list[Path]] = KB_OPTION,
) -> None:
    """Score the extractor on a gold file, per document and in total."""
    apply_settings(kb, None)
    from .evaluate import evaluate
    from .output import print_report

    try:
        report = evaluate(gold, min_confidence=min_confidence)
    except SitroomError as error:
        report_error(error)
        raise typer.Exit(1) from None
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), indent=2) + "\n")
    else:
        print_report(Console(), report, verbose)


def main() -> None:
    logging.basicConfig(level=os.environ.get("SITROOM_LOG", "WARNING").upper(),
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except SitroomError as error:
        report_error(error)
        sys.exit(1)
from .store import commands as _store_commands  # noqa: E402,F401  (registers ingest, events, export, …)
from . import api_cli as _api_cli  # noqa: E402,F401  (registers serve)
