"""Request and response bodies of the JSON API (they make its OpenAPI schema at /openapi.json).

`POST /extract` answers with the output contract itself (`sitroom.contract.schema.ArticleResult`); the rest describe
rows of the store, with the store's column names.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
)

from sitroom.contract.schema import ArticleResult


def iso_date(value: object) -> object:
    """Dates are YYYY-MM-DD, nothing else (pydantic would also take a number of seconds since 1970)."""
    iso = isinstance(value, str) and ISO_DATE.match(value)
    if not (iso or (isinstance(value, dt.date) and not isinstance(value, dt.datetime))):
        raise ValueError("expected a date as YYYY-MM-DD")  # pydantic reports ValueError as a validation error
    return value


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
IsoDate = Annotated[dt.date, BeforeValidator(iso_date)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ArticleIn(_Body):
    text: str = Field(description="the article's text, as published (a first line '[Source: X]' is metadata)",
                      examples=[("BEIRUT, Oct 22 (Reuters) - Israeli strikes killed at least 18 people near Beirut "
                                 "overnight, the Lebanese health ministry said on Tuesday.")])
    published: IsoDate | None = Field(None, description="publication date; relative dates stay unresolved "
                                                        "without it", examples=["2024-10-22"])
    source: str | None = Field(None, max_length=200, examples=["Reuters"])
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)


class ExtractRequest(ArticleIn):
    min_confidence: StrictFloat | None = Field(None, ge=0.0, le=1.0,
                                               description="leave out events below this (default SITROOM_MIN_CONFIDENCE)")


class IngestRequest(_Body):
    articles: list[ArticleIn] = Field(min_length=1, max_length=100, description="1 to 100 articles")
    merge: StrictBool = Field(True, description="merge across articles afterwards (as `sitroom ingest` does)")
    min_confidence: StrictFloat | None = Field(None, ge=0.0, le=1.0)


class Annotation(BaseModel):
    start: int
    end: int
    kind: Literal["actor", "trigger", "mention", "date", "place"]
    event_id: str | None = Field(None, description="the event a trigger, mention, date or place belongs to")
    actor_id: str | None = None
    label: str | None = None


class AnnotatedExtraction(BaseModel):
    result: ArticleResult
    annotations: list[Annotation]


class ErrorOut(BaseModel):
    code: str
    message: str
    status: int


class IngestItem(BaseModel):
    index: int = Field(description="position in the request's list")
    id: str | None = Field(None, description="the article id (content hash) when the text could be read")
    status: Literal["stored", "skipped", "failed"]
    events: int | None = None
    error: ErrorOut | None = None


class MergeOut(BaseModel):
    events: int
    clusters: int
    multi_source: int


class IngestResponse(BaseModel):
    stored: int
    skipped: int = Field(description="already in the store, or repeated in the request")
    failed: int
    events: int
    items: list[IngestItem]
    merged: MergeOut | None = None


class EventSummary(BaseModel):
    """A merged event: one real event, however many articles reported it."""

    id: str
    type: str | None = None
    mode: str | None = None
    cameo: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    date_precision: str | None = None
    place_name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_precision: str | None = None
    approximate: bool | None = Field(None, description="the place is a country or region centre")
    actor_id: str | None = None
    actor_name: str | None = None
    actor_kind: str | None = None
    actor_country: str | None = None
    target_id: str | None = None
    target_name: str | None = None
    target_kind: str | None = None
    target_country: str | None = None
    status: str | None = None
    events: int | None = None
    reports: int | None = Field(None, description="articles reporting it")
    sources: int | None = Field(None, description="independent stories (syndicated copies count once)")
    outlets: int | None = None
    mentions: int | None = None
    fatalities: int | None = None
    fatalities_qualifier: str | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    fatalities_reports: int | None = None
    injured: int | None = None
    injured_low: int | None = None
    injured_high: int | None = None
    confidence: float | None = None
    first_published: dt.date | None = None
    last_published: dt.date | None = None
    evidence_event_id: str | None = None
    background: bool | None = Field(None, description="history or a summary, listed only on request "
                                                      "(include_background)")


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    filters: dict[str, object] = Field(description="the filters applied")
    items: list[EventSummary]


class Report(BaseModel):
    """One article's report of a merged event."""

    cluster_id: str
    event_id: str
    article_id: str
    story_id: str | None = None
    source: str | None = None
    published: dt.date | None = None
    title: str | None = None
    url: str | None = None
    fatalities: int | None = None
    fatalities_qualifier: str | None = None
    injured: int | None = None
    date_start: dt.date | None = None
    place_name: str | None = None
    precision: str | None = None
    start_char: int | None = None
    end_char: int | None = None
    sentence: str | None = None
    confidence: float | None = None
    status: str | None = None


class EvidenceSpan(BaseModel):
    """A mention of a report in its article's text (the trigger or a further mention)."""

    cluster_id: str
    event_id: str
    article_id: str
    source: str | None = None
    published: dt.date | None = None
    start_char: int
    end_char: int
    sentence: str | None = None
    confidence: float | None = None
    is_trigger: bool


class EventDetail(EventSummary):
    reports_detail: list[Report]
    evidence: list[EvidenceSpan]


class ActorSummary(BaseModel):
    id: str
    name: str | None = None
    kind: str | None = None
    country: str | None = None
    events_as_actor: int
    events_as_target: int
    mentions: int
    articles: int


class ActorRelation(BaseModel):
    actor_id: str
    type: str
    other_id: str
    actor_name: str | None = None
    other_name: str | None = None
    stated: bool = Field(description="said in an article (true) or a knowledge-base fact (false)")
    articles: int = Field(description="articles stating it")


class Counterpart(BaseModel):
    role: Literal["actor", "target"] = Field(description="the other side's role in their events")
    id: str
    name: str | None = None
    events: int
    by_type: dict[str, int]


class ActorDetail(ActorSummary):
    events_total: int
    events: list[EventSummary] = Field(description="its newest merged events")
    relations: list[ActorRelation]
    counterparts: list[Counterpart]


class ActorPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ActorSummary]


class ArticleActor(BaseModel):
    actor_id: str | None
    name: str | None = None
    kind: str | None = None
    country: str | None = None
    start_char: int
    end_char: int


class ArticleEvent(BaseModel):
    id: str
    type: str | None = None
    mode: str | None = None
    actor: str | None = None
    target: str | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    place: str | None = None
    country: str | None = None
    precision: str | None = None
    fatalities: int | None = None
    fatalities_qualifier: str | None = None
    injured: int | None = None
    status: str | None = None
    confidence: float | None = None
    start_char: int | None = None
    end_char: int | None = None
    cluster_id: str | None = None
    sources: int | None = None
    reports: int | None = None


class ArticleOut(BaseModel):
    id: str
    source: str | None = None
    published: dt.date | None = None
    title: str | None = None
    url: str | None = None
    origin: str | None = None
    text: str
    actor_mentions: list[ArticleActor]
    events: list[ArticleEvent]
    annotations: list[Annotation]


class MapPoint(BaseModel):
    id: str
    lat: float
    lon: float
    type: str | None = None
    fatalities: int | None = None
    place: str | None = None
    country: str | None = None
    date: dt.date | None = None
    approximate: bool | None = None
    actor: str | None = None
    target: str | None = None
    sources: int | None = None


class MapBin(BaseModel):
    lat: float
    lon: float
    count: int
    fatalities: int
    by_type: dict[str, int]


class MapView(BaseModel):
    mode: Literal["points", "bins"] = Field(description="points when the box holds at most `limit` events")
    total: int = Field(description="placed events in the box")
    unplaced: int = Field(description="selected events without coordinates")
    zoom: int
    bbox: list[float]
    cell: float | None = Field(None, description="bin size in degrees")
    points: list[MapPoint]
    bins: list[MapBin]


class TimelineBucket(BaseModel):
    date: dt.date
    total: int
    by_type: dict[str, int]


class Timeline(BaseModel):
    bucket: Literal["day", "week", "month"]
    start: dt.date | None = None
    end: dt.date | None = None
    undated: int
    total: int
    types: list[str] = Field(description="event types present, most frequent first")
    buckets: list[TimelineBucket]


class NetworkNode(BaseModel):
    id: str
    name: str
    kind: str | None = None
    country: str | None = None
    events: int


class NetworkEdge(BaseModel):
    source: str
    target: str
    relation: str = Field(description="interaction (actor acted on target), or a relation type (backed_by, …)")
    count: int
    fatalities: int | None = None
    type: str | None = Field(None, description="interactions: the most frequent event type")
    by_type: dict[str, int] | None = None
    stated: bool | None = None


class Network(BaseModel):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


class Stats(BaseModel):
    model_config = ConfigDict(extra="allow")

    articles: int
    outlets: int
    events: int
    merged_events: int = Field(description="merged events in the current picture (background left out)")
    background_events: int = Field(description="merged events that are history or summaries: dated over a year "
                                               "before publication, whole wars, running tolls")
    actors: int
    by_type: dict[str, int]
    clusters_stale: bool


class BriefStatement(BaseModel):
    text: str
    sources: list[int] = Field(description="footnote numbers")


class BriefSection(BaseModel):
    title: str
    statements: list[BriefStatement]


class BriefSource(BaseModel):
    number: int
    article_id: str
    source: str | None = None
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None


class Brief(BaseModel):
    title: str
    since: dt.date | None = Field(None, description="the period covered")
    until: dt.date | None = None
    sections: list[BriefSection]
    footnotes: list[BriefSource]
    text: str | None = Field(None, description="the brief rendered as Markdown or HTML, when `format` is given")
