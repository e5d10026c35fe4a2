"""Exports of the test corpus's store: each format's columns and values, manifests, the Parquet round trip,
the situation brief, and query latency on a synthetic store."""

import csv
import datetime as dt
import json
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sitroom.store.export import ACLED_COLUMNS, GDELT_COLUMNS, export
from sitroom.read.readers import read_items
from sitroom.store import queries, synthetic
from sitroom.store.brief import build_brief, render
from sitroom.store.ingest import ingest
from sitroom.store.merge import MergeSettings, merge_store
from sitroom.store.parquet import import_parquet, write_shard
from sitroom.store.rows import article_rows
from sitroom.store.store import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "corpus.duckdb"
    with Store(path) as store:
        ingest(store, read_items([CORPUS]))
        merge_store(store, MergeSettings.from_settings())
    return path


@pytest.fixture
def store(db):
    with Store(db, read_only=True) as opened:
        yield opened


def strike_id(store):
    return store.con.execute("SELECT id FROM clusters WHERE place_name = 'El Obeid' AND type = 'ASSAULT' "
                             "AND sources = 3").fetchone()[0]


def test_acled_csv(store, tmp_path):
    manifest = export(store, "acled", tmp_path)
    with (tmp_path / "events.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == ACLED_COLUMNS
        rows = list(reader)
    [strike] = [r for r in rows if r["event_id_cnty"] == f"SDN{strike_id(store)}"]
    assert (strike["event_date"], strike["year"], strike["country"], strike["iso"]) == ("2025-05-10", "2025",
                                                                                       "Sudan", "729")
    assert (strike["event_type"], strike["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert strike["disorder_type"] == "Political violence"
    assert strike["fatalities"] == "18" and "12-18" in strike["tags"]
    assert strike["source"] == "AFP; AP; Reuters; Sudan Monitor"
    assert strike["geo_precision"] == "1" and strike["location"] == "El Obeid"
    assert strike["actor1"] == "Rapid Support Forces" and strike["inter1"] == "2" and strike["inter2"] == "7"
    assert strike["civilian_targeting"] == "Civilian targeting"
    vague = [r for r in rows if r["geo_precision"] == "3"]
    approximate = store.con.execute("SELECT count(*) FROM clusters WHERE approximate").fetchone()[0]
    assert len(vague) == approximate and all("centre" in r["tags"] for r in vague)
    assert manifest["counts"]["rows_written"] == len(rows)
    assert manifest["counts"]["skipped_without_acled_type"] == manifest["counts"]["merged_events"] - len(rows)


def test_gdelt_tsv(store, tmp_path):
    export(store, "gdelt", tmp_path)
    lines = (tmp_path / "events.export.tsv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == store.count("clusters")
    records = [dict(zip(GDELT_COLUMNS, line.split("\t"))) for line in lines]
    assert all(len(line.split("\t")) == len(GDELT_COLUMNS) == 61 for line in lines)
    [strike] = [r for r in records if r["GLOBALEVENTID"] == str(int(strike_id(store)[:13], 16))]
    assert (strike["SQLDATE"], strike["NumSources"], strike["NumArticles"]) == ("20250510", "3", "4")
    assert (strike["EventCode"], strike["EventBaseCode"], strike["EventRootCode"]) == ("195", "195", "19")
    assert strike["QuadClass"] == "4" and float(strike["GoldsteinScale"]) < 0
    assert strike["ActionGeo_CountryCode"] == "SU" and strike["ActionGeo_Type"] == "4"
    assert strike["Actor1Code"] == "SDNREB" and strike["Actor1Name"] == "RAPID SUPPORT FORCES"
    assert (tmp_path / "columns.txt").read_text().split() == list(GDELT_COLUMNS)


def test_plover_json(store, tmp_path):
    export(store, "plover", tmp_path)
    records = json.loads((tmp_path / "events.json").read_text(encoding="utf-8"))
    assert len(records) == store.count("clusters")
    for record in records:
        assert {"id", "date", "actor", "event"} <= set(record)
    [strike] = [r for r in records if r["id"] == strike_id(store)]
    assert strike["event"] == "ASSAULT" and strike["mode"] == "drone" and strike["date"] == "2025-05-10"
    assert strike["actor"]["entity_text"] == "Rapid Support Forces"
    assert strike["event_scale"]["dead"] == 18
    assert sorted(c["source"] for c in strike["cite_info"]) == ["AFP", "AP", "Reuters", "Sudan Monitor"]


def test_geojson_every_placed_event_is_a_point_and_centres_say_so(store, tmp_path):
    manifest = export(store, "geojson", tmp_path)
    collection = json.loads((tmp_path / "events.geojson").read_text(encoding="utf-8"))
    features = {f["id"]: f for f in collection["features"]}
    assert all(f["geometry"]["type"] == "Point" and len(f["geometry"]["coordinates"]) == 2
               for f in features.values())   # GIS tools draw every one
    strike = features[strike_id(store)]
    lon, lat = strike["geometry"]["coordinates"]
    assert abs(lat - 13.18) < 0.1 and abs(lon - 30.22) < 0.1 and not strike["properties"]["approximate"]
    vague = [f for f in features.values() if f["properties"]["approximate"]]
    assert vague and all(f["properties"]["place_precision"] in ("country", "region", "admin1") for f in vague)
    unplaced = store.con.execute("SELECT count(*) FROM clusters WHERE lat IS NULL AND NOT background").fetchone()[0]
    counts = manifest["counts"]
    assert counts["left_out_without_place"] == unplaced and counts["approximate_points"] == len(vague)


def test_graphml_actor_network(store, tmp_path):
    manifest = export(store, "graphml", tmp_path)
    root = ET.parse(tmp_path / "actors.graphml").getroot()
    graph = root.find("g:graph", NS)
    nodes = {n.get("id"): {d.get("key"): d.text for d in n.findall("g:data", NS)} for n in graph.findall("g:node", NS)}
    edges = [(e.get("source"), e.get("target"), {d.get("key"): d.text for d in e.findall("g:data", NS)})
             for e in graph.findall("g:edge", NS)]
    assert nodes["rsf"]["name"] == "Rapid Support Forces" and nodes["rsf"]["kind"] == "armed_group"
    assert ("rsf", "sdn_civilians") in {(s, t) for s, t, d in edges if d["relation"] == "interaction"}
    strike = next(d for s, t, d in edges if (s, t) == ("rsf", "sdn_civilians"))
    assert strike["type"] == "ASSAULT" and strike["fatalities"] == "18"
    assert all(s in nodes and t in nodes for s, t, _ in edges)
    assert manifest["counts"]["nodes"] == len(nodes)


def test_filters_and_manifest(store, tmp_path):
    selection = queries.EventFilter(country="SDN", since=dt.date(2025, 5, 1))
    manifest = export(store, "geojson", tmp_path, selection)
    collection = json.loads((tmp_path / "events.geojson").read_text(encoding="utf-8"))
    assert collection["features"] and all(f["properties"]["country"] == "SDN" for f in collection["features"])
    saved = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert saved == json.loads(json.dumps(manifest, default=str))
    assert saved["filters"] == {"country": "SDN", "since": "2025-05-01"}
    assert saved["counts"]["merged_events"] == len(collection["features"])
    assert saved["schema_version"] == 3 and saved["sitroom_version"]
    assert saved["merge"] == {"days": "1", "fatalities": "latest", "km": "50.0", "similarity": "0.6"}
    outlets = {s["source"]: s["articles"] for s in saved["attribution"]["sources"]}
    assert outlets == {"AFP": 1, "AP": 1, "Reuters": 2, "Sudan Monitor": 1}   # only the exported events' articles
    assert saved["files"][0]["name"] == "events.geojson" and len(saved["files"][0]["sha256"]) == 64


def test_parquet_round_trip_gives_the_same_clusters(store, tmp_path):
    manifest = export(store, "parquet", tmp_path / "out")
    assert {f["name"] for f in manifest["files"]} >= {"articles.parquet", "events.parquet", "clusters.parquet"}
    with Store(tmp_path / "copy.duckdb") as copy:
        added = import_parquet(copy, [tmp_path / "out"])
        assert added["articles"] == store.count("articles") and added["events"] == store.count("events")
        merge_store(copy, MergeSettings.from_settings())
        query = "SELECT id, sources, reports, fatalities, fatalities_low, fatalities_high FROM clusters ORDER BY id"
        assert copy.con.execute(query).fetchall() == store.con.execute(query).fetchall()
        again = import_parquet(copy, [tmp_path / "out"])
        assert again["articles"] == 0 and again["events"] == 0


def test_shards_from_rows_load_into_a_store(tmp_path):
    from sitroom.components.pipeline import run
    articles = [a for a in read_items([CORPUS / "feeds" / "regional.csv"])]
    rows = [article_rows(a, r) for a, r in zip(articles, run(articles))]
    counts = write_shard(rows[:2], tmp_path / "shards" / "articles-0")
    write_shard(rows[2:], tmp_path / "shards" / "part-1")
    assert counts["articles"] == 2
    with Store(tmp_path / "sharded.duckdb") as store:
        import_parquet(store, [tmp_path / "shards" / "articles-0", tmp_path / "shards" / "part-1"])
        assert store.count("articles") == 3 and store.count("events") == sum(r.event_count for r in rows)
        assert store.clusters_stale


def test_brief_statements_are_footnoted(store):
    brief = build_brief(store, queries.EventFilter(country="SDN"))
    text = render(brief, "md")
    statements = [line for line in text.splitlines() if line.startswith("- ")]
    assert statements and all(re.search(r"\[\^\d+\]$", line) for line in statements)
    notes = dict(re.findall(r"^\[\^(\d+)\]: (.+)$", text, flags=re.MULTILINE))
    cited = {n for line in statements for n in re.findall(r"\[\^(\d+)\]", line)}
    assert cited == set(notes)
    assert any("El Obeid" in line and "18 killed" in line and "12 to 18" in line for line in statements)
    assert any("Rapid Support Forces" in line for line in statements)
    assert not any("Kenya" in line or "Nairobi" in line for line in statements)
    page = render(brief, "html")
    assert page.startswith("<!DOCTYPE html>") and page.count('<li id="fn') == len(notes)


def test_cli_exports_and_brief(db, tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "sitroom", *args, "--db", str(db)], capture_output=True,
                              text=True, cwd=ROOT, timeout=300)
    done = run("export", "acled", "--out", str(tmp_path / "acled"), "--min-sources", "2")
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "acled" / "manifest.json").read_text())["filters"] == {"min_sources": 2}
    assert run("export", "parquet", "--out", str(tmp_path / "p"), "--country", "SDN").returncode == 2
    assert run("export", "excel", "--out", str(tmp_path / "x")).returncode == 2
    brief = run("brief", "--country", "SDN", "--format", "md")
    assert brief.returncode == 0 and brief.stdout.startswith("# Situation brief: SDN")


def test_query_latency_on_a_synthetic_store(tmp_path):
    """The benchmark checks 100,000 events; this lighter version 20,000, with the same queries."""
    with Store(tmp_path / "synthetic.duckdb") as store:
        synthetic.fill(store, events=20_000)
        merge_store(store, MergeSettings.from_settings())
        assert store.count("clusters") > 10_000
        checks = {
            "all": queries.EventFilter(), "type": queries.EventFilter(type="ASSAULT"),
            "actor": queries.EventFilter(actor="Hamas"), "country": queries.EventFilter(country="UKR"),
            "dates": queries.EventFilter(since=dt.date(2024, 6, 1), until=dt.date(2024, 6, 30)),
            "near": queries.EventFilter(near=queries.Near(50.45, 30.52, 50, "Kyiv")),
            "sources": queries.EventFilter(min_sources=2)}
        slow = {}
        for name, selection in checks.items():
            start = time.perf_counter()
            rows = queries.events(store, selection, limit=50)
            queries.count_events(store, selection)
            slow[name] = time.perf_counter() - start
            assert rows, name
        for name, call in {"actors": lambda: queries.actors(store), "stats": lambda: queries.stats(store),
                           "show": lambda: queries.article(store, "syn0000000000005")}.items():
            start = time.perf_counter()
            call()
            slow[name] = time.perf_counter() - start
        assert max(slow.values()) < 0.2, slow


def test_brief_footnotes_are_numbered_in_linear_time():
    import time

    from sitroom.store.brief import Brief, Section, Source, Statement, render_markdown

    ids = [f"a{i:06d}" for i in range(20_000)]
    sections = [Section("Events", [Statement(f"statement {n}", ids[n * 10:n * 10 + 400]) for n in range(1_900)])]
    brief = Brief("big", sections, {a: Source(a, "Reuters", None, None, None) for a in ids})
    start = time.perf_counter()
    text = render_markdown(brief)
    assert time.perf_counter() - start < 5   # a list scan per citation took minutes here
    assert text.count("[^") > 700_000 and "[^19390]: Reuters, undated, article a019389" in text
