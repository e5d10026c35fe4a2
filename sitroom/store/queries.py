"""Queries over a store: merged events with filters, actors, one article with its records, and totals.

Filtering, joining and counting happen in SQL; Python only shapes the rows it gets back.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from sitroom.errors import SitroomError
from sitroom.contract.schema import PloverType
from sitroom.store.merge import CLUSTER_COLUMNS
from sitroom.store.store import Store

PLOVER_TYPES: tuple[str, ...] = PloverType.__args__  # type: ignore[attr-defined]
LAT_LON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
KM_PER_DEGREE = 111.2


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    km: float
    label: str


@dataclass(frozen=True)
class EventFilter:
    """Which merged events to show or export; every field narrows the selection."""

    type: str | None = None
    actor: str | None = None
    country: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    near: Near | None = None
    min_sources: int = 1
    include_background: bool = False

    def sql(self) -> tuple[str, list[Any]]:
        """A WHERE clause over `clusters c` and its parameters."""
        where, params = ["TRUE"], []
        if not self.include_background:
            where.append("NOT coalesce(c.background, false)")
        if self.type:
            where.append("c.type = ?")
            params.append(self.type)
        if self.country:
            where.append("c.country = ?")
            params.append(self.country)
        if self.since:
            where.append("c.date_end >= ?")
            params.append(self.since)
        if self.until:
            where.append("c.date_start <= ?")
            params.append(self.until)
        if self.min_sources > 1:
            where.append("c.sources >= ?")
            params.append(self.min_sources)
        if self.actor:
            where.append(_ACTOR_CLAUSE)
            pattern = f"%{like_escaped(self.actor)}%"
            params += [self.actor, self.actor, pattern, pattern]
        if self.near:
            where.append(_NEAR_CLAUSE)
            n = self.near
            box = n.km / KM_PER_DEGREE
            wide = box / max(0.01, _cos(n.lat))
            params += [n.lat - box, n.lat + box, n.lon - wide, n.lon + wide, n.lat, n.lat, n.lon, n.km]
        return " AND ".join(where), params

    def as_dict(self) -> dict[str, Any]:
        defaults = EventFilter()
        return {k: (str(v) if isinstance(v, dt.date) else v) for k, v in asdict(self).items()
                if v != getattr(defaults, k)}


def like_escaped(text: str) -> str:
    """Text matched literally by LIKE/ILIKE ... ESCAPE '\\': '%' and '_' are not wildcards in a name."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_ACTOR_CLAUSE = """c.id IN (SELECT m.cluster_id FROM cluster_members m JOIN events e ON e.id = m.event_id
    WHERE e.actor_id = ? OR e.target_id = ? OR e.actor_name ILIKE ? ESCAPE '\\'
       OR e.target_name ILIKE ? ESCAPE '\\')"""
# Places that fell back to a country or region centre are never "near" anything.
_NEAR_CLAUSE = """NOT c.approximate AND c.lat BETWEEN ? AND ? AND c.lon BETWEEN ? AND ?
    AND 2 * 6371.0088 * asin(sqrt(pow(sin(radians(c.lat - ?) / 2), 2)
        + cos(radians(?)) * cos(radians(c.lat)) * pow(sin(radians(c.lon - ?) / 2), 2))) <= ?"""


def _cos(lat: float) -> float:
    import math
    return math.cos(math.radians(lat))


def check_type(value: str | None) -> str | None:
    if value is None:
        return None
    upper = value.strip().upper()
    legacy = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT"}
    upper = legacy.get(upper, upper)
    if upper not in PLOVER_TYPES:
        raise SitroomError("E111", what="event type", value=value, hint=did_you_mean(upper, PLOVER_TYPES),
                           choices=", ".join(PLOVER_TYPES))
    return upper


def check_country(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise SitroomError("E111", what="country code", value=value, hint="",
                           choices="an ISO 3166-1 alpha-3 code such as SDN, UKR, PSE")
    return code


def did_you_mean(value: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def resolve_place(store: Store, name: str, km: float) -> Near:
    """'LAT,LON', a place named in the store's events, or a gazetteer place (cities first)."""
    match = LAT_LON.match(name)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SitroomError("E111", what="coordinates", value=name, hint="",
                               choices="LAT,LON with latitude -90…90 and longitude -180…180")
        return Near(lat, lon, km, name.strip())
    row = store.con.execute("""
        SELECT avg(lat), avg(lon), any_value(place_name) FROM events
        WHERE lower(place_name) = lower(?) AND place_precision IN ('point', 'city') AND lat IS NOT NULL
    """, [name.strip()]).fetchone()
    if row and row[0] is not None:
        return Near(row[0], row[1], km, row[2])
    from sitroom.knowledge.gazetteer import load_gazetteer
    places = [p for p in load_gazetteer().lookup(name) if p.lat is not None]
    if not places:
        raise SitroomError("E107", name=name, hint="")
    place = max(places, key=lambda p: (p.kind == "city", p.population))
    return Near(place.lat, place.lon, km, f"{place.name}, {place.country}")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Merged events
# ---------------------------------------------------------------------------------------------

def events(store: Store, selection: EventFilter, limit: int | None = None,
           members: bool = False) -> list[dict[str, Any]]:
    """Merged events (clusters), newest first; with `members`, each report's article and sentence."""
    where, params = selection.sql()
    sql = f"""SELECT {', '.join('c.' + c for c in CLUSTER_COLUMNS)} FROM clusters c WHERE {where}
              ORDER BY c.date_start DESC NULLS LAST, c.sources DESC, c.id"""
    if limit:
        sql += f" LIMIT {int(limit)}"
    rows = [dict(zip(CLUSTER_COLUMNS, row)) for row in store.con.execute(sql, params).fetchall()]
    if members and rows:
        reports = cluster_reports(store, [r["id"] for r in rows])
        for row in rows:
            row["reports_detail"] = reports.get(row["id"], [])
    return rows


def count_events(store: Store, selection: EventFilter) -> int:
    where, params = selection.sql()
    return store.con.execute(f"SELECT count(*) FROM clusters c WHERE {where}", params).fetchone()[0]


REPORT_COLUMNS = ("cluster_id", "event_id", "article_id", "story_id", "source", "published", "title", "url",
                  "fatalities", "fatalities_qualifier", "injured", "date_start", "place_name", "precision",
                  "start_char", "end_char", "sentence", "confidence", "status")


def cluster_reports(store: Store, cluster_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    rows = store.con.execute("""
        SELECT m.cluster_id, e.id, e.article_id, m.story_id, a.source, a.published, a.title, a.url,
               e.fatalities, e.fatalities_qualifier, e.injured, e.date_start, e.place_name, e.place_precision,
               e.start_char, e.end_char, e.sentence, e.confidence, e.status
        FROM cluster_members m JOIN events e ON e.id = m.event_id JOIN articles a ON a.id = e.article_id
        WHERE m.cluster_id IN (SELECT unnest(?))
        ORDER BY m.cluster_id, a.published NULLS LAST, e.article_id, e.start_char
    """, [cluster_ids]).fetchall()
    for row in rows:
        record = dict(zip(REPORT_COLUMNS, row))
        found.setdefault(record["cluster_id"], []).append(record)
    return found


def evidence(store: Store, cluster_ids: list[str]) -> list[dict[str, Any]]:
    """Every mention of every report of the clusters: article, sentence, offsets, confidence."""
    rows = store.con.execute("""
        SELECT m.cluster_id, v.event_id, v.article_id, a.source, a.published, v.start_char, v.end_char,
               v.sentence, v.confidence, v.is_trigger
        FROM cluster_members m JOIN event_evidence v ON v.event_id = m.event_id
        JOIN articles a ON a.id = v.article_id
        WHERE m.cluster_id IN (SELECT unnest(?))
        ORDER BY m.cluster_id, v.article_id, v.start_char
    """, [cluster_ids]).fetchall()
    names = ("cluster_id", "event_id", "article_id", "source", "published", "start_char", "end_char", "sentence",
             "confidence", "is_trigger")
    return [dict(zip(names, row)) for row in rows]


# ---------------------------------------------------------------------------------------------
# Actors
# ---------------------------------------------------------------------------------------------

ACTOR_COLUMNS = ("id", "name", "kind", "country", "events_as_actor", "events_as_target", "mentions", "articles")


def actors(store: Store, country: str | None = None, kind: str | None = None, name: str | None = None,
           limit: int | None = 50) -> list[dict[str, Any]]:
    where, params = ["TRUE"], []
    if country:
        where.append("a.country = ?")
        params.append(country)
    if kind:
        where.append("a.kind = ?")
        params.append(kind)
    if name:
        where.append("(a.name ILIKE ? ESCAPE '\\' OR a.id = ?)")
        params += [f"%{like_escaped(name)}%", name]
    sql = f"""
        WITH roles AS (
            SELECT actor_id AS id, count(*) AS as_actor, 0 AS as_target FROM clusters
            WHERE actor_id IS NOT NULL GROUP BY 1
            UNION ALL
            SELECT target_id, 0, count(*) FROM clusters WHERE target_id IS NOT NULL GROUP BY 1),
        involvement AS (SELECT id, sum(as_actor) AS as_actor, sum(as_target) AS as_target FROM roles GROUP BY 1),
        named AS (SELECT actor_id AS id, count(*) AS mentions, count(DISTINCT article_id) AS articles
                  FROM actor_mentions GROUP BY 1)
        SELECT a.id, a.name, a.kind, a.country, coalesce(i.as_actor, 0), coalesce(i.as_target, 0),
               coalesce(n.mentions, 0), coalesce(n.articles, 0)
        FROM actors a LEFT JOIN involvement i ON i.id = a.id LEFT JOIN named n ON n.id = a.id
        WHERE {' AND '.join(where)}
        ORDER BY coalesce(i.as_actor, 0) + coalesce(i.as_target, 0) DESC, coalesce(n.mentions, 0) DESC, a.id"""
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [dict(zip(ACTOR_COLUMNS, row)) for row in store.con.execute(sql, params).fetchall()]


# ---------------------------------------------------------------------------------------------
# One article
# ---------------------------------------------------------------------------------------------

@dataclass
class ArticleView:
    id: str
    source: str | None
    published: dt.date | None
    title: str | None
    url: str | None
    origin: str | None
    text: str
    actor_mentions: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)


def find_article_id(store: Store, prefix: str) -> str:
    """The full id of the article whose id starts with `prefix` (at least 4 characters)."""
    key = prefix.strip().lower()
    rows = store.con.execute("SELECT id FROM articles WHERE starts_with(id, ?) ORDER BY id LIMIT 5",
                             [key]).fetchall() if len(key) >= 4 else []
    if len(rows) == 1:
        return rows[0][0]
    hint = f" ({len(rows)} ids start with it; give more characters)" if rows else ""
    raise SitroomError("E106", id=prefix, path=store.path, hint=hint)


def article(store: Store, article_id: str) -> ArticleView:
    full = find_article_id(store, article_id)
    row = store.con.execute(
        "SELECT id, source, published, title, url, origin, text FROM articles WHERE id = ?", [full]).fetchone()
    view = ArticleView(*row)
    mention_rows = store.con.execute("""
        SELECT m.actor_id, a.name, a.kind, a.country, m.start_char, m.end_char
        FROM actor_mentions m LEFT JOIN actors a ON a.id = m.actor_id
        WHERE m.article_id = ? ORDER BY m.start_char""", [full]).fetchall()
    view.actor_mentions = [dict(zip(("actor_id", "name", "kind", "country", "start_char", "end_char"), r))
                           for r in mention_rows]
    event_rows = store.con.execute("""
        SELECT e.id, e.type, e.mode, e.actor_name, e.target_name, e.date_start, e.date_end, e.place_name,
               e.country, e.place_precision, e.fatalities, e.fatalities_qualifier, e.injured, e.status,
               e.confidence, e.start_char, e.end_char, m.cluster_id, c.sources, c.reports
        FROM events e LEFT JOIN cluster_members m ON m.event_id = e.id LEFT JOIN clusters c ON c.id = m.cluster_id
        WHERE e.article_id = ? ORDER BY e.start_char""", [full]).fetchall()
    names = ("id", "type", "mode", "actor", "target", "date_start", "date_end", "place", "country", "precision",
             "fatalities", "fatalities_qualifier", "injured", "status", "confidence", "start_char", "end_char",
             "cluster_id", "sources", "reports")
    view.events = [dict(zip(names, r)) for r in event_rows]
    evidence_rows = store.con.execute("""
        SELECT event_id, start_char, end_char, is_trigger FROM event_evidence WHERE article_id = ?
        ORDER BY start_char""", [full]).fetchall()
    view.evidence = [dict(zip(("event_id", "start_char", "end_char", "is_trigger"), r)) for r in evidence_rows]
    return view


# ---------------------------------------------------------------------------------------------
# Totals
# ---------------------------------------------------------------------------------------------

def stats(store: Store) -> dict[str, Any]:
    con = store.con

    def one(sql: str) -> tuple:
        return con.execute(sql).fetchone()

    articles_row = one("SELECT count(*), count(DISTINCT source), min(published), max(published) FROM articles")
    # the current picture, as listed by default; background events are counted apart
    clusters_row = one("SELECT count(*), count(*) FILTER (sources > 1), count(*) FILTER (approximate), "
                       "min(date_start), max(date_end) FROM clusters WHERE NOT coalesce(background, false)")
    by_type = con.execute("SELECT type, count(*) FROM clusters WHERE NOT coalesce(background, false) "
                          "GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
    last_run = one("SELECT id, started, finished, stored, skipped, failed, events, status FROM runs "
                   "ORDER BY started DESC LIMIT 1")
    return {
        "store": store.path, "schema_version": store.version,
        "articles": articles_row[0], "outlets": articles_row[1],
        "published_from": articles_row[2], "published_to": articles_row[3],
        "stories_with_copies": one("SELECT count(DISTINCT story_id) FROM syndication")[0],
        "events": one("SELECT count(*) FROM events")[0],
        "merged_events": clusters_row[0], "multi_source_events": clusters_row[1],
        "approximate_places": clusters_row[2], "dates_from": clusters_row[3], "dates_to": clusters_row[4],
        "background_events": one("SELECT count(*) FROM clusters WHERE coalesce(background, false)")[0],
        "actors": one("SELECT count(*) FROM actors")[0],
        "actor_mentions": one("SELECT count(*) FROM actor_mentions")[0],
        "relations": one("SELECT count(*) FROM relations")[0],
        "evidence_spans": one("SELECT count(*) FROM event_evidence")[0],
        "by_type": dict(by_type),
        "merge": {k.removeprefix("merge_"): v for k, v in con.execute(
            "SELECT key, value FROM meta WHERE key LIKE 'merge_%' ORDER BY key").fetchall()},
        "clusters_stale": store.clusters_stale,
        "last_run": dict(zip(("id", "started", "finished", "stored", "skipped", "failed", "events", "status"),
                             last_run)) if last_run else None,
        "errors_in_last_run": one("SELECT count(*) FROM run_errors WHERE run_id = (SELECT id FROM runs "
                                  "ORDER BY started DESC LIMIT 1)")[0],
    }
