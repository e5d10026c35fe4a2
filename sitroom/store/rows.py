"""One article's extraction result as rows of the store's tables.

`ArticleRows` is what a worker process hands back to the writer, and what a Parquet shard written on a
cluster holds; the column order of each table is `COLUMNS[table]`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from sitroom.read.article import Article
from sitroom.contract.schema import ActorRef, ArticleResult, Casualty, Event
from sitroom.store import similarity

COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("id", "source", "published", "title", "url", "dateline", "origin", "text", "chars", "events",
                 "signature", "ingested_at", "sitroom_version"),
    "article_bands": ("article_id", "band", "bucket"),
    "actors": ("id", "name", "kind", "country"),
    "actor_mentions": ("article_id", "actor_id", "start_char", "end_char"),
    "relations": ("article_id", "actor_id", "type", "other_id", "start_char", "end_char"),
    "events": (
        "id", "article_id", "type", "mode", "cameo", "acled_event_type", "acled_sub_event_type",
        "actor_id", "actor_name", "actor_kind", "actor_country",
        "target_id", "target_name", "target_kind", "target_country",
        "date_start", "date_end", "date_precision", "date_text", "date_rule",
        "place_name", "country", "admin1", "lat", "lon", "place_precision", "place_relation", "place_text",
        "place_rule", "fatalities", "fatalities_qualifier", "fatalities_min", "fatalities_max",
        "injured", "injured_min", "injured_max", "casualties",
        "status", "claimed_by", "reported_by", "start_char", "end_char", "sentence", "confidence", "background"),
    "event_evidence": ("event_id", "article_id", "start_char", "end_char", "sentence", "confidence", "is_trigger"),
}
# The tables an article's rows go to, parents first.
ARTICLE_TABLES = tuple(COLUMNS)
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n\s*\n|\n(?=[A-Z\[])")


@dataclass
class ArticleRows:
    """Rows for every table, keyed by table name; written to the store in one transaction."""

    id: str
    tables: dict[str, list[tuple]] = field(default_factory=dict)

    @property
    def event_count(self) -> int:
        return len(self.tables.get("events", ()))


def article_rows(article: Article, result: ArticleResult, origin: str | None = None) -> ArticleRows:
    from sitroom import __version__

    sig = similarity.signature(article.text)
    meta = result.article
    rows = ArticleRows(id=meta.id)
    rows.tables["articles"] = [(
        meta.id, meta.source, meta.published, meta.title, meta.url, meta.dateline, origin or article.name,
        article.text, len(article.text), len(result.events), sig, dt.datetime.now(dt.timezone.utc).replace(
            tzinfo=None, microsecond=0), __version__)]
    rows.tables["article_bands"] = [(meta.id, band, key) for band, key in enumerate(similarity.band_keys(sig))]
    rows.tables["actors"] = actor_rows(result)
    rows.tables["actor_mentions"] = [(meta.id, actor.id, start, end) for actor in result.actors
                                     for start, end in actor.mentions]
    rows.tables["relations"] = [
        (meta.id, actor.id, rel.type, rel.actor, rel.evidence.start if rel.evidence else None,
         rel.evidence.end if rel.evidence else None) for actor in result.actors for rel in actor.relations]
    rows.tables["events"] = [event_row(meta.id, event) for event in result.events]
    rows.tables["event_evidence"] = [row for event in result.events
                                     for row in evidence_rows(meta.id, article.text, event)]
    return rows


def actor_rows(result: ArticleResult) -> list[tuple]:
    """Actors named in the text and those events refer to (civilians of a country, claimants), once each."""
    found: dict[str, tuple] = {}
    for actor in result.actors:
        found.setdefault(actor.id, (actor.id, actor.name, actor.kind, actor.country))
    for event in result.events:
        for ref in (event.actor, event.target, event.claimed_by, event.reported_by):
            if ref is not None:
                found.setdefault(ref.id, (ref.id, ref.name, ref.kind, ref.country))
    return list(found.values())


def _ref(ref: ActorRef | None) -> tuple:
    return (ref.id, ref.name, ref.kind, ref.country) if ref else (None, None, None, None)


def _toll(casualties: list[Casualty], kind: str) -> tuple[int | None, int | None]:
    whole = next((c for c in casualties if c.kind == kind and c.group is None and not c.cumulative), None)
    return (whole.min, whole.max) if whole else (None, None)


def event_row(article_id: str, event: Event) -> tuple:
    date, place = event.date, event.location
    killed_min, killed_max = _toll(event.casualties, "killed")
    injured_min, injured_max = _toll(event.casualties, "injured")
    casualties = json.dumps([c.model_dump(mode="json") for c in event.casualties]) if event.casualties else None
    return (
        event.id, article_id, event.type, event.mode, event.cameo,
        event.acled.event_type if event.acled else None, event.acled.sub_event_type if event.acled else None,
        *_ref(event.actor), *_ref(event.target),
        date.start if date else None, (date.end or date.start) if date else None,
        date.precision if date else None, date.text if date else None, date.rule if date else None,
        place.name if place else None, place.country if place else None, place.admin1 if place else None,
        float(place.lat) if place and place.lat is not None else None,
        float(place.lon) if place and place.lon is not None else None,
        place.precision if place else None, place.relation if place else None, place.text if place else None,
        place.rule if place else None,
        event.fatalities, event.fatalities_qualifier, killed_min, killed_max,
        event.injured, injured_min, injured_max, casualties,
        event.status, event.claimed_by.id if event.claimed_by else None,
        event.reported_by.id if event.reported_by else None,
        event.evidence.start, event.evidence.end, event.evidence.sentence, float(event.confidence),
        event.background)


def evidence_rows(article_id: str, text: str, event: Event) -> list[tuple]:
    """The trigger and every further mention of the event, each with its sentence."""
    trigger = (event.evidence.start, event.evidence.end)
    rows = [(event.id, article_id, *trigger, event.evidence.sentence, float(event.confidence), True)]
    for span in event.mentions:
        if (span.start, span.end) != trigger:
            rows.append((event.id, article_id, span.start, span.end, sentence_around(text, span.start, span.end),
                         float(event.confidence), False))
    return rows


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], by punctuation (mentions come without their sentence)."""
    begin = 0
    for match in SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    stop = SENTENCE_END.search(text, end)
    return text[begin:stop.end() if stop else len(text)].strip()
