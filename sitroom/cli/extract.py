"""Commands on single articles and gold files: extract, schema, eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from sitroom.read import article as articles
from sitroom.errors import SitroomError
from sitroom.cli.app import KB_OPTION, MIN_CONF_OPTION, TABLE_WIDTH, Format, app, apply_settings, report_error


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
    from sitroom.contract.output import print_table
    from sitroom.components.pipeline import run
    from sitroom.read.readers import Defaults, Failure, input_kind, read_items

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
    from sitroom.contract.schema import json_schema
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
    from sitroom.contract.evaluate import evaluate
    from sitroom.contract.output import print_report

    try:
        report = evaluate(gold, min_confidence=min_confidence)
    except SitroomError as error:
        report_error(error)
        raise typer.Exit(1) from None
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), indent=2) + "\n")
    else:
        print_report(Console(), report, verbose)
