"""The JSON API's routes. Mounted twice by the app: at the root and under /v1."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sitroom.read.article import from_text
from sitroom.errors import SitroomError
from sitroom.read.readers import Failure
from sitroom.contract.schema import ArticleResult
from sitroom.store import queries
from sitroom.store.store import Store
from sitroom.api import aggregates, annotate
from sitroom.api.errors import error_body, responses, status_of
from sitroom.api.models import (
    ActorDetail,
    ActorPage,
    AnnotatedExtraction,
    ArticleIn,
    ArticleOut,
    Brief,
    EventDetail,
    EventPage,
    ExtractRequest,
    IngestItem,
    IngestRequest,
    IngestResponse,
    IsoDate,
    MapView,
    MergeOut,
    Network,
    Stats,
    Timeline,
)
from sitroom.api.selection import Selection
from sitroom.api.state import ApiState

router = APIRouter()
bearer = HTTPBearer(auto_error=False, description="SITROOM_TOKEN, required for writes")
READ_ERRORS = responses(400, 422, 500, 503)
MAX_PAGE = 500
BRIEF_DAYS = 7


def state(request: Request) -> ApiState:
    return request.app.state.sitroom


def reader(request: Request) -> Iterator[Store]:
    with state(request).reader() as store:
        yield store


StoreDep = Annotated[Store, Depends(reader)]


def selection(
    store: StoreDep,
    type: Annotated[str | None, Query(max_length=40, description="PLOVER event type (ASSAULT, PROTEST, …)")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="actor id, or part of a name, as actor or "
                                                                   "target of any report")] = None,
    country: Annotated[str | None, Query(max_length=3, description="ISO 3166-1 alpha-3 of the event's place")] = None,
    since: Annotated[IsoDate | None, Query(description="events whose dates overlap on or after this day")] = None,
    until: Annotated[IsoDate | None, Query(description="events whose dates overlap on or before this day")] = None,
    near: Annotated[str | None, Query(max_length=200, description="a place name or 'LAT,LON'; with km")] = None,
    km: Annotated[float, Query(ge=0, le=20_000, description="distance for near")] = 50.0,
    min_sources: Annotated[int, Query(ge=1, le=1_000_000, description="reported by at least N independent "
                                                                      "sources")] = 1,
    q: Annotated[str | None, Query(max_length=200, description="text search: place, actor or target names, "
                                                               "and the reports' sentences")] = None,
    include_background: Annotated[bool, Query(description="include background events (dated over a year before "
                                                           "publication, whole wars, running tolls)")] = False,
) -> Selection:
    """The filters of `sitroom events`, plus a text search."""
    chosen = queries.EventFilter(
        type=queries.check_type(type or None), actor=(actor or "").strip() or None,
        country=queries.check_country(country or None), since=since, until=until,
        near=queries.resolve_place(store, near, km) if near and near.strip() else None, min_sources=min_sources,
        include_background=include_background)
    return Selection(chosen, (q or "").strip() or None)


SelectionDep = Annotated[Selection, Depends(selection)]


# ---------------------------------------------------------------------------------------------
# Extraction and ingest
# ---------------------------------------------------------------------------------------------

def _article(body: ArticleIn, name: str):
    return from_text(body.text, published=body.published, source=body.source, title=body.title, url=body.url,
                     name=name)


def _extract(request: Request, body: ExtractRequest):
    from sitroom.components.pipeline import extract_article
    article = _article(body, "request")
    with state(request).extracting():
        return extract_article(article, min_confidence=body.min_confidence)


@router.post("/extract", tags=["extract"], responses=responses(413, 422, 500, 503), summary="Extract events from one article (the output contract)")
def extract(request: Request, body: ExtractRequest) -> ArticleResult:
    """Runs the pipeline on the text and answers with the output contract (`sitroom extract --format json`).
    Nothing is stored, so no token is needed (the dashboard's paste box uses it); one extraction runs at a time
    and at most SITROOM_EXTRACT_QUEUE run or wait: more are refused at once with 503 E209 and Retry-After."""
    return _extract(request, body)


@router.post("/extract/annotated", tags=["extract"], responses=responses(413, 422, 500, 503),
             summary="Extract, with the spans to highlight")
def extract_annotated(request: Request, body: ExtractRequest) -> AnnotatedExtraction:
    """The contract plus highlights (actors, triggers, mentions, dates, places) with their offsets: what the
    dashboard's paste box shows."""
    result = _extract(request, body)
    return AnnotatedExtraction(result=result, annotations=annotate.for_result(body.text, result))


@router.post("/articles", tags=["store"], responses=responses(401, 403, 413, 422, 500, 503),
             summary="Store articles (extract, store, merge)")
def ingest_articles(request: Request, body: IngestRequest,
                    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None
                    ) -> IngestResponse:
    """As `sitroom ingest`: each article is extracted and stored with all its records in one transaction;
    articles already stored are skipped; a bad article is reported in its item and the others go on. Needs
    `Authorization: Bearer SITROOM_TOKEN`."""
    api = state(request)
    api.check_token(credentials.credentials if credentials else None)
    from sitroom.store.ingest import process_batch, store_rows
    from sitroom.store.merge import MergeSettings, merge_store

    items: list[IngestItem] = []
    readable: list[tuple[int, Any]] = []
    for index, entry in enumerate(body.articles):
        try:
            readable.append((index, _article(entry, f"articles[{index}]")))
        except SitroomError as error:
            items.append(_failed(index, None, error))
    with api.reader() as store:
        known = {article.id for _, article in readable if store.has_article(article.id)}
    fresh: dict[str, Any] = {}
    for _, article in readable:   # the first copy of a text repeated in the request is the one stored
        if article.id not in known:
            fresh.setdefault(article.id, article)
    with api.extracting():  # the pipeline, shared with POST /extract; the store is not held meanwhile
        produced = process_batch(list(fresh.values()), body.min_confidence) if fresh else []
    with api.writer() as store:
        report = store_rows(store, produced, inputs=["api"])
        merged = None
        if body.merge and store.clusters_stale:
            result = merge_store(store, MergeSettings.from_settings())
            merged = MergeOut(events=result.events, clusters=result.clusters, multi_source=result.multi_source)
    failures = {f.path: f for f in report.failures if isinstance(f, Failure)}
    events = {rows.id: rows.event_count for rows in produced if not isinstance(rows, Failure)}
    seen: set[str] = set()
    for index, article in readable:
        failure = failures.get(article.name)
        if failure:
            items.append(_failed(index, article.id, failure.error))
        elif article.id in known or article.id in seen or article.id not in events:
            items.append(IngestItem(index=index, id=article.id, status="skipped"))
        else:
            items.append(IngestItem(index=index, id=article.id, status="stored", events=events[article.id]))
        seen.add(article.id)
    items.sort(key=lambda item: item.index)
    count = Counter(item.status for item in items)
    return IngestResponse(stored=count["stored"], skipped=count["skipped"], failed=count["failed"],
                          events=report.events, items=items, merged=merged)


def _failed(index: int, article_id: str | None, error: SitroomError) -> IngestItem:
    return IngestItem(index=index, id=article_id, status="failed",
                      error=error_body(error.code, str(error), status_of(error))["error"])


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------

@router.get("/events", tags=["events"], responses=READ_ERRORS, summary="Merged events, filtered and paginated")
def list_events(
    store: StoreDep, chosen: SelectionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    sort: Annotated[Literal["date", "fatalities", "sources", "reports"], Query()] = "date",
    order: Annotated[Literal["desc", "asc"], Query()] = "desc",
) -> EventPage:
    """One merged event per real event, newest first by default; the filters are those of `sitroom events`."""
    total, rows = aggregates.page(store, chosen, limit, offset, sort, order)
    return EventPage(total=total, limit=limit, offset=offset, filters=chosen.as_dict(), items=rows)


@router.get("/events/{event_id}", tags=["events"], responses=responses(404, 422, 500, 503),
            summary="One merged event with its reports and evidence")
def get_event(store: StoreDep, event_id: Annotated[str, "merged event id"]) -> EventDetail:
    """The merged event, every article's report of it (source, date, figures, sentence) and every evidence
    span (trigger and further mentions) with offsets into the stored article text."""
    row = aggregates.cluster(store, event_id)
    if row is None:
        raise SitroomError("E206", what="event", id=event_id, hint="; GET /events lists merged event ids")
    reports = queries.cluster_reports(store, [event_id]).get(event_id, [])
    return EventDetail(**row, reports_detail=reports, evidence=queries.evidence(store, [event_id]))


@router.get("/map", tags=["views"], responses=READ_ERRORS, summary="Events on the map: points or bins")
def map_events(
    store: StoreDep, chosen: SelectionDep,
    bbox: Annotated[str, Query(max_length=120, description="west,south,east,north in degrees; longitudes wrap "
                                                           "(west > east crosses the antimeridian)",
                               pattern=r"^\s*-?\d+(\.\d+)?\s*(,\s*-?\d+(\.\d+)?\s*){3}$")] = "-180,-90,180,90",
    zoom: Annotated[int, Query(ge=0, le=20)] = 2,
    limit: Annotated[int, Query(ge=1, le=5000, description="most points (or bins) in the answer")] = 1000,
) -> MapView:
    """The selected events inside the box: one point each when there are at most `limit`, else counts on a
    grid whose cells are about 64 screen pixels at this zoom (each with its position, fatalities and types)."""
    return MapView(**aggregates.map_view(store, chosen, _bbox(bbox), zoom, limit))


def _bbox(text: str) -> tuple[float, float, float, float]:
    west, south, east, north = (float(part) for part in text.split(","))
    return west, south, east, north


@router.get("/timeline", tags=["views"], responses=READ_ERRORS, summary="Events per day and type")
def timeline(store: StoreDep, chosen: SelectionDep) -> Timeline:
    """Merged events counted by their first day and type; by week or month when the period is over 400 days."""
    return Timeline(**aggregates.timeline(store, chosen))


@router.get("/network", tags=["views"], responses=READ_ERRORS, summary="The actor network")
def network(store: StoreDep, chosen: SelectionDep,
            limit: Annotated[int, Query(ge=1, le=500, description="most interaction edges")] = 60) -> Network:
    """Actor → target pairs with most merged events, the most involved actors, and the relations (stated in
    an article, or known) among them."""
    return Network(**aggregates.network(store, chosen, limit))


# ---------------------------------------------------------------------------------------------
# Actors, articles, totals, brief
# ---------------------------------------------------------------------------------------------

@router.get("/actors", tags=["actors"], responses=READ_ERRORS, summary="Actors, the most involved first")
def list_actors(
    store: StoreDep,
    country: Annotated[str | None, Query(max_length=3)] = None,
    kind: Annotated[str | None, Query(max_length=40, description="state, military, armed_group, …")] = None,
    name: Annotated[str | None, Query(max_length=200, description="part of the name, or the id")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ActorPage:
    """As `sitroom actors`: events as actor and as target (merged events), mentions, articles."""
    rows = queries.actors(store, country=queries.check_country(country or None), kind=kind or None,
                          name=name or None, limit=None)
    return ActorPage(total=len(rows), limit=limit, offset=offset, items=rows[offset:offset + limit])


@router.get("/actors/{actor_id}", tags=["actors"], responses=responses(404, 422, 500, 503),
            summary="One actor: its events, relations and counterparts")
def get_actor(store: StoreDep, actor_id: str,
              limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="most events listed")] = 50) -> ActorDetail:
    found = [row for row in queries.actors(store, name=actor_id, limit=None) if row["id"] == actor_id]
    if not found:
        raise SitroomError("E206", what="actor", id=actor_id, hint="; GET /actors?name=… finds actor ids")
    total, rows = aggregates.actor_events(store, actor_id, limit)
    return ActorDetail(**found[0], events_total=total, events=rows,
                       relations=aggregates.actor_relations(store, actor_id),
                       counterparts=aggregates.counterparts(store, actor_id))


@router.get("/articles/{article_id}", tags=["articles"], responses=responses(404, 422, 500, 503),
            summary="An article's text with its annotations")
def get_article(store: StoreDep, article_id: str) -> ArticleOut:
    """The stored text with actor mentions, event triggers and further mentions, dates and places (offsets
    into `text`), and its events with their merged event. An id prefix of 4+ characters is enough."""
    view = queries.article(store, article_id)
    contexts = aggregates.article_event_context(store, view.id)
    return ArticleOut(id=view.id, source=view.source, published=view.published, title=view.title, url=view.url,
                      origin=view.origin, text=view.text, actor_mentions=view.actor_mentions, events=view.events,
                      annotations=annotate.for_stored(view.text, view.actor_mentions, view.evidence, contexts))


@router.get("/stats", tags=["store"], responses=responses(500, 503), summary="What the store holds")
def stats(store: StoreDep) -> Stats:
    """As `sitroom stats --format json`."""
    return Stats(**queries.stats(store))


@router.get("/brief", tags=["store"], responses=READ_ERRORS, summary="A situation brief with footnotes")
def brief(
    store: StoreDep,
    country: Annotated[str | None, Query(max_length=3)] = None,
    since: Annotated[IsoDate | None, Query(description="default: the week up to the newest event")] = None,
    until: Annotated[IsoDate | None, Query()] = None,
    format: Annotated[Literal["md", "html"] | None, Query(description="also render it as `text`")] = None,
) -> Brief:
    """As `sitroom brief`: overview, events by type, places, casualties, active actors, new developments; each
    statement footnoted to the articles it rests on. Without `since` and `until` it covers the last seven days
    up to the newest event (a brief of a whole large store would be long and slow)."""
    from sitroom.store.brief import build_brief, render
    code = queries.check_country(country or None)
    if since is None and until is None:
        newest = store.con.execute("SELECT max(date_start) FROM clusters c WHERE (c.country = ? OR ? IS NULL) "
                                   "AND NOT coalesce(c.background, false)", [code, code]).fetchone()[0]
        since = newest - dt.timedelta(days=BRIEF_DAYS - 1) if newest else None
    built = build_brief(store, queries.EventFilter(country=code, since=since, until=until))
    number: dict[str, int] = {}
    for section in built.sections:  # footnotes numbered in the order first cited, as the rendered brief does
        for statement in section.statements:
            for article_id in statement.articles:
                number.setdefault(article_id, len(number) + 1)
    sections = [{"title": s.title, "statements": [{"text": st.text, "sources": [number[a] for a in st.articles]}
                                                  for st in s.statements]} for s in built.sections]
    footnotes = [{"number": n, "article_id": a, "source": built.sources[a].source, "title": built.sources[a].title,
                  "published": built.sources[a].published, "url": built.sources[a].url} for a, n in number.items()]
    return Brief(title=built.title, since=since, until=until, sections=sections, footnotes=footnotes,
                 text=render(built, format) if format else None)
