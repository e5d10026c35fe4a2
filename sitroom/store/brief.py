"""The situation brief: what happened in a period (and country), every statement footnoted to its articles.

Sections: overview, events by type, places, casualties (totals of the best estimates of distinct events,
with the range the reports give), the most active actors, and new developments (events first reported in
the last two days of the period). Figures come from merged events, so one event reported ten times counts
once.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sitroom.store.queries import EventFilter, cluster_reports, events
from sitroom.store.store import Store

TOP = 5
NEW_DAYS = 2


@dataclass
class Statement:
    text: str
    articles: list[str]


@dataclass
class Section:
    title: str
    statements: list[Statement] = field(default_factory=list)


@dataclass
class Source:
    article_id: str
    source: str | None
    title: str | None
    published: dt.date | None
    url: str | None


@dataclass
class Brief:
    title: str
    sections: list[Section]
    sources: dict[str, Source]

    def footnotes(self) -> list[Source]:
        """Sources numbered in the order they are first cited."""
        order = dict.fromkeys(a for section in self.sections for statement in section.statements
                              for a in statement.articles)   # insertion-ordered: linear in the citations
        return [self.sources[a] for a in order]


def build_brief(store: Store, selection: EventFilter) -> Brief:
    rows = events(store, selection)
    reports = cluster_reports(store, [r["id"] for r in rows]) if rows else {}
    cited = {r["id"]: sorted({x["article_id"] for x in reports.get(r["id"], [])}) for r in rows}
    sources = {x["article_id"]: Source(x["article_id"], x["source"], x["title"], x["published"], x["url"])
               for found in reports.values() for x in found}
    sections = [overview(rows, cited, sources, selection), by_type(rows, cited), by_place(rows, cited),
                casualties(rows, cited), active_actors(rows, cited), new_developments(rows, cited, selection)]
    return Brief(title=_title(selection), sections=[s for s in sections if s.statements], sources=sources)


def _title(selection: EventFilter) -> str:
    parts = ["Situation brief"]
    if selection.country:
        parts.append(selection.country)
    if selection.since or selection.until:
        parts.append(f"{selection.since or '…'} to {selection.until or '…'}")
    return ": ".join([parts[0], ", ".join(parts[1:])]) if len(parts) > 1 else parts[0]


def _all(rows: list[dict[str, Any]], cited: dict[str, list[str]]) -> list[str]:
    return sorted({a for r in rows for a in cited[r["id"]]})


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def place_of(row: dict[str, Any]) -> str:
    if row["approximate"]:
        return f"somewhere in {row['place_name'] or row['country']}"
    if row["place_name"]:
        return f"{row['place_name']} ({row['country']})" if row["country"] else row["place_name"]
    return "an unknown place"


def describe(row: dict[str, Any]) -> str:
    what = row["type"].lower() + (f" ({row['mode']})" if row["mode"] else "")
    who = f" by {row['actor_name']}" if row["actor_name"] else ""
    whom = f" against {row['target_name']}" if row["target_name"] and row["type"] == "ASSAULT" else (
        f" with {row['target_name']}" if row["target_name"] else "")
    when = str(row["date_start"]) if row["date_start"] else "undated"
    return f"{when}, {place_of(row)}: {what}{who}{whom}"


def overview(rows: list[dict[str, Any]], cited: dict[str, list[str]], sources: dict[str, Source],
             selection: EventFilter) -> Section:
    section = Section("Overview")
    if not rows:
        section.statements.append(Statement("No events were recorded for this selection.", []))
        return section
    dates = [r["date_start"] for r in rows if r["date_start"]]
    outlets = {s.source for s in sources.values() if s.source}
    multi = sum(1 for r in rows if r["sources"] > 1)
    span = f", dated {min(dates)} to {max(dates)}" if dates else ""
    section.statements.append(Statement(
        f"{plural(len(rows), 'distinct event')}{span}, from {plural(len(sources), 'article')} by "
        f"{plural(len(outlets), 'outlet')}; "
        f"{multi} of them reported by two or more independent sources.", _all(rows, cited)))
    return section


def by_type(rows: list[dict[str, Any]], cited: dict[str, list[str]]) -> Section:
    section = Section("Events by type")
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["type"]].append(row)
    for type_, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        modes = Counter(r["mode"] for r in members if r["mode"])
        detail = f" ({', '.join(f'{m} {n}' for m, n in modes.most_common(3))})" if modes else ""
        section.statements.append(Statement(f"{type_}: {len(members)}{detail}.", _all(members, cited)))
    return section


def by_place(rows: list[dict[str, Any]], cited: dict[str, list[str]]) -> Section:
    section = Section("Where")
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[place_of(row)].append(row)
    for place, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP]:
        types = Counter(r["type"] for r in members)
        section.statements.append(Statement(
            f"{place}: {plural(len(members), 'event')} ({', '.join(f'{t} {n}' for t, n in types.most_common())}).",
            _all(members, cited)))
    return section


def casualties(rows: list[dict[str, Any]], cited: dict[str, list[str]]) -> Section:
    """Totals add distinct events' best estimates; one event's reports are reconciled, never added."""
    section = Section("Casualties")
    deadly = [r for r in rows if r["fatalities"]]
    hurt = [r for r in rows if r["injured"]]
    if deadly:
        best = sum(r["fatalities"] for r in deadly)
        low = sum(r["fatalities_low"] if r["fatalities_low"] is not None else r["fatalities"] for r in deadly)
        high = sum(r["fatalities_high"] if r["fatalities_high"] is not None else r["fatalities"] for r in deadly)
        spread = f" (reports range from {low} to {high})" if (low, high) != (best, best) else ""
        section.statements.append(Statement(
            f"{best} people reported killed in {plural(len(deadly), 'event')}{spread}.", _all(deadly, cited)))
    if hurt:
        section.statements.append(Statement(
            f"{sum(r['injured'] for r in hurt)} people reported injured in {plural(len(hurt), 'event')}.", _all(hurt, cited)))
    for row in sorted(deadly, key=lambda r: (-r["fatalities"], r["id"]))[:TOP]:
        spread = ""
        if row["fatalities_low"] is not None and row["fatalities_low"] != row["fatalities_high"]:
            spread = f"; reports say {row['fatalities_low']} to {row['fatalities_high']}"
        section.statements.append(Statement(
            f"{describe(row)}: {row['fatalities']} killed (best estimate{spread}; {row['sources']} "
            f"independent source{'s' if row['sources'] != 1 else ''}).", cited[row["id"]]))
    return section


def active_actors(rows: list[dict[str, Any]], cited: dict[str, list[str]]) -> Section:
    section = Section("Most active actors")
    roles: dict[str, dict[str, Any]] = {}
    for row in rows:
        for side in ("actor", "target"):
            actor_id = row[f"{side}_id"]
            if actor_id is None:
                continue
            entry = roles.setdefault(actor_id, {"name": row[f"{side}_name"], "actor": [], "target": []})
            entry[side].append(row)
    ranked = sorted(roles.items(), key=lambda kv: (-len(kv[1]["actor"]), -len(kv[1]["target"]), kv[0]))
    for _, entry in ranked[:TOP]:
        if not entry["actor"]:
            continue
        types = Counter(r["type"] for r in entry["actor"])
        section.statements.append(Statement(
            f"{entry['name']}: actor in {plural(len(entry['actor']), 'event')} "
            f"({', '.join(f'{t} {n}' for t, n in types.most_common())}), target in {len(entry['target'])}.",
            _all(entry["actor"] + entry["target"], cited)))
    return section


def new_developments(rows: list[dict[str, Any]], cited: dict[str, list[str]], selection: EventFilter) -> Section:
    section = Section("New developments")
    firsts = [r["first_published"] for r in rows if r["first_published"]]
    if not firsts:
        return section
    end = min(selection.until, max(firsts)) if selection.until else max(firsts)
    start = end - dt.timedelta(days=NEW_DAYS - 1)
    recent = [r for r in rows if r["first_published"] and start <= r["first_published"] <= end]
    for row in sorted(recent, key=lambda r: (-(r["fatalities"] or 0), -r["sources"], r["id"]))[:TOP * 2]:
        toll = f", {row['fatalities']} killed" if row["fatalities"] else ""
        section.statements.append(Statement(
            f"First reported {row['first_published']}: {describe(row)}{toll}.", cited[row["id"]]))
    return section


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------

def render(brief: Brief, format: str) -> str:
    return render_html(brief) if format == "html" else render_markdown(brief)


def _numbers(brief: Brief) -> dict[str, int]:
    return {s.article_id: i for i, s in enumerate(brief.footnotes(), start=1)}


def _source_line(source: Source) -> str:
    parts = [source.source or "unknown source", f"“{source.title}”" if source.title else None,
             str(source.published) if source.published else "undated", source.url,
             f"article {source.article_id}"]
    return ", ".join(p for p in parts if p)


def render_markdown(brief: Brief) -> str:
    numbers = _numbers(brief)
    lines = [f"# {brief.title}", ""]
    for section in brief.sections:
        lines += [f"## {section.title}", ""]
        for statement in section.statements:
            marks = "".join(f"[^{numbers[a]}]" for a in statement.articles)
            lines.append(f"- {statement.text}{marks}")
        lines.append("")
    for source in brief.footnotes():
        lines.append(f"[^{numbers[source.article_id]}]: {_source_line(source)}")
    return "\n".join(lines).rstrip() + "\n"


def render_html(brief: Brief) -> str:
    numbers = _numbers(brief)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{html.escape(brief.title)}</title></head><body>", f"<h1>{html.escape(brief.title)}</h1>"]
    for section in brief.sections:
        out.append(f"<h2>{html.escape(section.title)}</h2><ul>")
        for statement in section.statements:
            marks = "".join(f'<sup><a href="#fn{numbers[a]}">{numbers[a]}</a></sup>' for a in statement.articles)
            out.append(f"<li>{html.escape(statement.text)}{marks}</li>")
        out.append("</ul>")
    out.append('<h2>Sources</h2><ol class="footnotes">')
    for source in brief.footnotes():
        out.append(f'<li id="fn{numbers[source.article_id]}">{html.escape(_source_line(source))}</li>')
    out.append("</ol></body></html>")
    return "\n".join(out) + "\n"
