"""Output for people: Rich tables of extracted events and of evaluation reports."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sitroom.read.article import Article
from sitroom.contract.evaluate import FIELDS, Report
from sitroom.contract.schema import ArticleResult, Event


def print_table(console: Console, article: Article, result: ArticleResult) -> None:
    meta = result.article
    title = f"[bold]{article.name}[/bold]  {meta.source or 'unknown source'}, {meta.published or 'no date'}"
    table = Table(title=title, title_justify="left", show_lines=False, expand=True)
    for name, style in [("type", "bold"), ("who → whom", ""), ("when", ""), ("where", ""), ("toll", ""),
                        ("status", ""), ("conf", ""), ("evidence", "dim")]:
        table.add_column(name, style=style, overflow="fold")
    for event in result.events:
        cells = [event_type(event), sides(event), when(event), where(event), toll(event), event.status,
                 f"{event.confidence:.2f}", result_text(article, event)]
        table.add_row(*(escape(cell) for cell in cells))
    if not result.events:
        table.add_row("—", "no events found", "", "", "", "", "", "")
    console.print(table)


def event_type(event: Event) -> str:
    return f"{event.type}/{event.mode}" if event.mode else event.type


def sides(event: Event) -> str:
    actor = event.actor.name if event.actor else "?"
    target = event.target.name if event.target else "?"
    return f"{actor} → {target}"


def when(event: Event) -> str:
    date = event.date
    if date is None:
        return ""
    span = "unresolved" if date.start is None else (
        str(date.start) if date.start == date.end else f"{date.start}…{date.end}")
    said = f" “{date.text}”" if date.text else ""
    return f"{span}{said} [{date.precision}, {date.rule}]"


def where(event: Event) -> str:
    loc = event.location
    if loc is None:
        return ""
    name = f"{loc.relation} {loc.name}" if loc.relation else loc.name
    place = f"{name}, {loc.country}" if loc.country else name
    return f"{place} [{loc.precision}, {loc.rule}]"


def toll(event: Event) -> str:
    parts = []
    if event.fatalities is not None:
        qual = {"at_least": "≥", "more_than": ">", "about": "~", "at_most": "≤"}.get(event.fatalities_qualifier or "", "")
        parts.append(f"{qual}{event.fatalities} killed")
    if event.injured is not None:
        parts.append(f"{event.injured} injured")
    return ", ".join(parts)


def result_text(article: Article, event: Event) -> str:
    return article.text[event.evidence.start:event.evidence.end]


def print_report(console: Console, report: Report, verbose: bool) -> None:
    table = Table(title="sitroom eval", title_justify="left")
    for name in ("document", "P", "R", "F1", "tp", "fp", "fn", "dup", *FIELDS):
        table.add_column(name, justify="left" if name == "document" else "right")
    rows = [(name, tally.summary()) for name, tally in report.documents] + [("TOTAL", report.total.summary())]
    for name, s in rows:
        fields = [fmt(s["fields"][f]) for f in FIELDS]
        table.add_row(name, f"{s['precision']:.2f}", f"{s['recall']:.2f}", f"{s['f1']:.2f}", str(s["tp"]),
                      str(s["fp"]), str(s["fn"]), str(s["duplicates"]), *fields,
                      style="bold" if name == "TOTAL" else None)
    console.print(table)
    total = report.total.summary()
    console.print(f"type accuracy on found triggers: {rate(total['type_accuracy'])}; duplicates per required "
                  f"event: {rate(total['duplicate_rate'])}", highlight=False)
    by_type = Table(title="by type", title_justify="left")
    for name in ("type", "P", "R", "F1", "tp", "fp", "fn"):
        by_type.add_column(name)
    for type_, s in report.total.summary()["by_type"].items():
        by_type.add_row(type_, f"{s['precision']:.2f}", f"{s['recall']:.2f}", f"{s['f1']:.2f}",
                        str(s.get("tp", 0)), str(s.get("fp", 0)), str(s.get("fn", 0)))
    console.print(by_type)
    if verbose:
        for name, tally in report.documents:
            for line in tally.misses:
                console.print(f"[yellow]{name}[/yellow] missed {line}", highlight=False)
            for line in tally.false_positives:
                console.print(f"[yellow]{name}[/yellow] false positive {line}", highlight=False)
            for line in tally.field_errors:
                console.print(f"[yellow]{name}[/yellow] wrong {line}", highlight=False)


def rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def fmt(field: dict) -> str:
    return "—" if field["accuracy"] is None else f"{field['accuracy']:.2f} ({field['correct']}/{field['scored']})"
