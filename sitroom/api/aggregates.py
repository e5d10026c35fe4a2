"""What the dashboard's views need from a store of any size, computed in SQL so that a response stays small.

- `page`: one page of merged events (sorted, with an offset) and the total;
- `map_view`: the events in a bounding box, one by one when there are few, else binned on a grid whose cell
  shrinks as the map zooms in;
- `timeline`: counts per day (or week, or month for long periods) and type;
- `network`: the actor pairs with most events between them, and the relations stated or known among them.

Filtering is the store's (`Selection.sql()` wraps `EventFilter.sql()`); these add grouping, paging and limits.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sitroom.store.merge import CLUSTER_COLUMNS
from sitroom.store.store import Store
from sitroom.api.selection import Selection

SORTS = {"date": "c.date_start {order} NULLS LAST, c.sources DESC, c.id",
         "fatalities": "c.fatalities {order} NULLS LAST, c.date_start DESC NULLS LAST, c.id",
         "sources": "c.sources {order}, c.date_start DESC NULLS LAST, c.id",
         "reports": "c.reports {order}, c.date_start DESC NULLS LAST, c.id"}
TILE_PX = 256          # Leaflet's tile size: the world is 256 * 2**zoom pixels wide
CELL_PX = 64           # a bin is about this many pixels across on screen
MAX_BUCKETS = 400      # timeline: more days than this become weeks, then months


def _columns(alias: str = "c") -> str:
    return ", ".join(f"{alias}.{name}" for name in CLUSTER_COLUMNS)


def page(store: Store, selection: Selection, limit: int, offset: int, sort: str = "date",
         order: str = "desc") -> tuple[int, list[dict[str, Any]]]:
    """The total and one page of merged events."""
    where, params = selection.sql()
    con = store.con
    total = con.execute(f"SELECT count(*) FROM clusters c WHERE {where}", params).fetchone()[0]
    by = SORTS[sort].format(order="ASC" if order == "asc" else "DESC")
    rows = con.execute(f"SELECT {_columns()} FROM clusters c WHERE {where} ORDER BY {by} LIMIT ? OFFSET ?",
                       [*params, limit, offset]).fetchall()
    return total, [dict(zip(CLUSTER_COLUMNS, row)) for row in rows]


def cluster(store: Store, cluster_id: str) -> dict[str, Any] | None:
    row = store.con.execute(f"SELECT {_columns()} FROM clusters c WHERE c.id = ?", [cluster_id]).fetchone()
    return dict(zip(CLUSTER_COLUMNS, row)) if row else None


# ---------------------------------------------------------------------------------------------
# Map
# ---------------------------------------------------------------------------------------------

def cell_degrees(zoom: int) -> float:
    return 360.0 * CELL_PX / (TILE_PX * 2 ** zoom)


def map_view(store: Store, selection: Selection, bbox: tuple[float, float, float, float], zoom: int,
             limit: int) -> dict[str, Any]:
    """Points when the box holds at most `limit` placed events, else bins; either way at most `limit` items."""
    where, params = selection.sql()
    box, box_params, bbox = _box(*bbox)
    con = store.con
    total, unplaced = con.execute(
        f"SELECT count(*) FILTER ({box}), count(*) FILTER (c.lat IS NULL) FROM clusters c WHERE {where}",
        [*box_params, *params]).fetchone()
    result: dict[str, Any] = {"total": total, "unplaced": unplaced, "zoom": zoom, "bbox": bbox}
    if total <= limit:
        rows = con.execute(f"""
            SELECT c.id, c.lat, c.lon, c.type, c.fatalities, c.place_name, c.country, c.date_start,
                   c.approximate, c.actor_name, c.target_name, c.sources
            FROM clusters c WHERE {where} AND {box}
            ORDER BY c.fatalities DESC NULLS LAST, c.id""", [*params, *box_params]).fetchall()
        names = ("id", "lat", "lon", "type", "fatalities", "place", "country", "date", "approximate", "actor",
                 "target", "sources")
        return {**result, "mode": "points", "cell": None, "points": [dict(zip(names, r)) for r in rows],
                "bins": []}
    cell = cell_degrees(zoom)
    rows = con.execute(f"""
        SELECT floor(c.lon / ?) AS gx, floor(c.lat / ?) AS gy, count(*) AS n, avg(c.lat), avg(c.lon),
               sum(coalesce(c.fatalities, 0)), histogram(c.type)
        FROM clusters c WHERE {where} AND {box}
        GROUP BY gx, gy ORDER BY n DESC, gx, gy LIMIT ?""", [cell, cell, *params, *box_params, limit]).fetchall()
    bins = [{"lat": lat, "lon": lon, "count": n, "fatalities": int(deaths),
             "by_type": dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0])))}
            for _, _, n, lat, lon, deaths, types in rows]
    return {**result, "mode": "bins", "cell": cell, "points": [], "bins": bins}


def _box(west: float, south: float, east: float, north: float) -> tuple[str, list[float], list[float]]:
    """SQL for a bounding box; longitudes wrap, so a box may cross the antimeridian (west > east)."""
    south, north = sorted((max(-90.0, min(90.0, south)), max(-90.0, min(90.0, north))))
    if east - west >= 360:
        west, east = -180.0, 180.0
    else:
        west, east = ((west + 180) % 360) - 180, ((east + 180) % 360) - 180
        if east == -180.0:
            east = 180.0
    lat = "c.lat IS NOT NULL AND c.lat BETWEEN ? AND ?"
    if west <= east:
        return f"{lat} AND c.lon BETWEEN ? AND ?", [south, north, west, east], [west, south, east, north]
    return f"{lat} AND (c.lon >= ? OR c.lon <= ?)", [south, north, west, east], [west, south, east, north]


# ---------------------------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------------------------

def timeline(store: Store, selection: Selection) -> dict[str, Any]:
    """Merged events per day (by their first date) and type; weeks or months when the period is long. With a
    `since`, an event that began earlier but runs into the period counts on its first day inside it, so no
    bar falls outside the period asked for."""
    where, params = selection.sql()
    con = store.con
    since = selection.filter.since
    day = f"greatest(c.date_start, DATE '{since.isoformat()}')" if since else "c.date_start"
    first, last, undated = con.execute(
        f"SELECT min({day}), max({day}), count(*) FILTER (c.date_start IS NULL) "
        f"FROM clusters c WHERE {where}", params).fetchone()
    bucket = _bucket(first, last)
    key = day if bucket == "day" else f"date_trunc('{bucket}', {day})"
    if since and bucket != "day":
        key = f"greatest({key}, DATE '{since.isoformat()}')"   # the first week or month starts at `since`
    rows = con.execute(f"""
        SELECT CAST({key} AS DATE) AS d, c.type, count(*) FROM clusters c
        WHERE {where} AND c.date_start IS NOT NULL GROUP BY d, c.type ORDER BY d, c.type""", params).fetchall()
    buckets: dict[dt.date, dict[str, int]] = {}
    for day, type_, n in rows:
        buckets.setdefault(day, {})[type_] = n
    totals: Counter[str] = Counter()
    for _, type_, n in rows:
        totals[type_] += n
    return {"bucket": bucket, "start": first, "end": last, "undated": undated,
            "total": sum(totals.values()), "types": [t for t, _ in totals.most_common()],
            "buckets": [{"date": day, "total": sum(counts.values()), "by_type": counts}
                        for day, counts in buckets.items()]}


def _bucket(first: dt.date | None, last: dt.date | None) -> str:
    if first is None or last is None:
        return "day"
    days = (last - first).days + 1
    if days <= MAX_BUCKETS:
        return "day"
    return "week" if days <= MAX_BUCKETS * 7 else "month"


# ---------------------------------------------------------------------------------------------
# Actor network
# ---------------------------------------------------------------------------------------------

def network(store: Store, selection: Selection, limit: int) -> dict[str, Any]:
    """The `limit` actor → target pairs with most merged events, the most involved actors, and the relations
    (stated in an article, or known to the knowledge base) among them."""
    where, params = selection.sql()
    con = store.con
    edge_rows = con.execute(f"""
        SELECT c.actor_id, c.target_id, count(*) AS n, sum(coalesce(c.fatalities, 0)), histogram(c.type)
        FROM clusters c WHERE {where} AND c.actor_id IS NOT NULL AND c.target_id IS NOT NULL
             AND c.actor_id <> c.target_id
        GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT ?""", [*params, limit]).fetchall()
    involvement = con.execute(f"""
        SELECT id, count(DISTINCT cid) AS n FROM (
            SELECT c.actor_id AS id, c.id AS cid FROM clusters c WHERE {where} AND c.actor_id IS NOT NULL
            UNION ALL SELECT c.target_id, c.id FROM clusters c WHERE {where} AND c.target_id IS NOT NULL)
        GROUP BY id ORDER BY n DESC, id""", [*params, *params]).fetchall()
    events_of = dict(involvement)
    edges = [{"source": a, "target": b, "relation": "interaction", "count": n, "fatalities": int(deaths),
              "type": _top(types), "by_type": types, "stated": None} for a, b, n, deaths, types in edge_rows]
    nodes = {actor_id for actor_id, _ in involvement[:limit]} | {e["source"] for e in edges} | {
        e["target"] for e in edges}
    relation_rows = con.execute("""
        SELECT actor_id, other_id, type, bool_or(start_char IS NOT NULL), count(DISTINCT article_id)
        FROM relations WHERE actor_id IN (SELECT unnest(?)) AND other_id IN (SELECT unnest(?))
             AND actor_id <> other_id
        GROUP BY 1, 2, 3 ORDER BY 5 DESC, 1, 2, 3 LIMIT ?""", [sorted(nodes), sorted(nodes), limit]).fetchall()
    edges += [{"source": a, "target": b, "relation": type_, "count": articles, "fatalities": None, "type": None,
               "by_type": None, "stated": stated} for a, b, type_, stated, articles in relation_rows]
    described = {row[0]: row for row in con.execute(
        "SELECT id, name, kind, country FROM actors WHERE id IN (SELECT unnest(?))", [sorted(nodes)]).fetchall()}
    node_list = [{"id": actor_id, "name": described.get(actor_id, (0, actor_id))[1] or actor_id,
                  "kind": described[actor_id][2] if actor_id in described else "unknown",
                  "country": described[actor_id][3] if actor_id in described else None,
                  "events": events_of.get(actor_id, 0)} for actor_id in sorted(nodes)]
    return {"nodes": node_list, "edges": edges}


def _top(counts: dict[str, int]) -> str | None:
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counts else None


# ---------------------------------------------------------------------------------------------
# One actor
# ---------------------------------------------------------------------------------------------

_ACTOR_EVENTS = """c.id IN (SELECT m.cluster_id FROM cluster_members m JOIN events e ON e.id = m.event_id
                            WHERE e.actor_id = ? OR e.target_id = ?)"""


def actor_events(store: Store, actor_id: str, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """Merged events with a report naming the actor (by id) as actor or target, newest first."""
    con = store.con
    total = con.execute(f"SELECT count(*) FROM clusters c WHERE {_ACTOR_EVENTS}", [actor_id, actor_id]).fetchone()[0]
    rows = con.execute(f"""SELECT {_columns()} FROM clusters c WHERE {_ACTOR_EVENTS}
                           ORDER BY {SORTS['date'].format(order='DESC')} LIMIT ?""",
                       [actor_id, actor_id, limit]).fetchall()
    return total, [dict(zip(CLUSTER_COLUMNS, row)) for row in rows]


def actor_relations(store: Store, actor_id: str) -> list[dict[str, Any]]:
    """Relations from or to the actor: stated in articles (with how many) or known to the knowledge base."""
    rows = store.con.execute("""
        SELECT r.actor_id, r.type, r.other_id, coalesce(a.name, r.actor_id), coalesce(o.name, r.other_id),
               bool_or(r.start_char IS NOT NULL), count(DISTINCT r.article_id) FILTER (r.start_char IS NOT NULL)
        FROM relations r LEFT JOIN actors a ON a.id = r.actor_id LEFT JOIN actors o ON o.id = r.other_id
        WHERE r.actor_id = ? OR r.other_id = ?
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3""", [actor_id, actor_id]).fetchall()
    names = ("actor_id", "type", "other_id", "actor_name", "other_name", "stated", "articles")
    return [dict(zip(names, row)) for row in rows]


def counterparts(store: Store, actor_id: str, limit: int = 20) -> list[dict[str, Any]]:
    """Who the actor acted on and was acted on by, with counts per event type."""
    rows = store.con.execute("""
        SELECT CASE WHEN c.actor_id = ? THEN 'target' ELSE 'actor' END AS role,
               CASE WHEN c.actor_id = ? THEN c.target_id ELSE c.actor_id END AS other,
               any_value(CASE WHEN c.actor_id = ? THEN c.target_name ELSE c.actor_name END),
               count(*) AS n, histogram(c.type)
        FROM clusters c WHERE (c.actor_id = ? AND c.target_id IS NOT NULL AND c.target_id <> ?)
                           OR (c.target_id = ? AND c.actor_id IS NOT NULL AND c.actor_id <> ?)
        GROUP BY 1, 2 ORDER BY n DESC, 2, 1 LIMIT ?""", [actor_id] * 7 + [limit]).fetchall()
    return [{"role": role, "id": other, "name": name, "events": n, "by_type": types}
            for role, other, name, n, types in rows]


def article_event_context(store: Store, article_id: str) -> list[dict[str, Any]]:
    """What the article view needs beyond `queries.article`: each event's date and place as written."""
    rows = store.con.execute("""
        SELECT id, start_char, end_char, sentence, date_text, place_text, place_name, date_start, date_end
        FROM events WHERE article_id = ? ORDER BY start_char""", [article_id]).fetchall()
    names = ("event_id", "start", "end", "sentence", "date_text", "place_text", "place", "date_start", "date_end")
    return [dict(zip(names, row)) for row in rows]
