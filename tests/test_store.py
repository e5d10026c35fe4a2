"""The store end to end on tests/corpus (real pipeline, real DuckDB): counts, idempotence, merged clusters,
syndicated copies, fatality reconciliation, evidence, queries, schema migrations.

The corpus (see tests/corpus/README.md) reports one drone strike on a market in El Obeid four times: Reuters
("at least 12"), AP ("15"), AFP ("has risen to 18", a day later) and a lightly edited copy of the Reuters story
on another site (HTML). Another attack the same day in Darfur must stay apart.
"""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from sitroom.errors import SitroomError
from sitroom.read.readers import read_items
from sitroom.store import queries
from sitroom.store.ingest import ingest
from sitroom.store.merge import MergeSettings, cluster_id, merge_store
from sitroom.store.rows import COLUMNS
from sitroom.store.schema import SCHEMA_VERSION, migrate
from sitroom.store.store import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
MERGE = MergeSettings(days=1, km=50.0, fatalities="latest", similarity=0.6)
CLUSTER_SNAPSHOT = "SELECT * FROM clusters ORDER BY id"
MEMBER_SNAPSHOT = "SELECT * FROM cluster_members ORDER BY cluster_id, event_id"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "corpus.duckdb"
    with Store(path) as store:
        report = ingest(store, read_items([CORPUS]), batch_size=4)
        merge_store(store, MERGE)
    return path, report


@pytest.fixture
def store(built):
    with Store(built[0]) as opened:
        yield opened


def el_obeid(store):
    rows = queries.events(store, queries.EventFilter(type="ASSAULT", near=queries.resolve_place(store, "El Obeid", 10),
                                                     min_sources=2), members=True)
    assert len(rows) == 1, rows
    return rows[0]


def test_counts_duplicates_and_failures(built, store):
    _, report = built
    assert (report.stored, report.skipped, report.failed) == (10, 1, 2)   # 13 items: one repeated file, two bad
    assert store.count("articles") == 10
    assert sorted((f.path.split("corpus/")[1], f.line, f.code) for f in report.failures) == [
        ("archive/more.jsonl.gz", 2, "E104"), ("feeds/wires.jsonl", 3, "E103")]
    errors = store.con.execute("SELECT path, line, code FROM run_errors ORDER BY code").fetchall()
    assert [(Path(p).name, line, code) for p, line, code in errors] == [("wires.jsonl", 3, "E103"),
                                                                        ("more.jsonl.gz", 2, "E104")]
    assert store.count("events") == report.events > 0
    stored_events = store.con.execute("SELECT sum(events) FROM articles").fetchone()[0]
    assert stored_events == store.count("events")
    origins = {r[0] for r in store.con.execute("SELECT origin FROM articles").fetchall()}
    assert any(o.endswith("wires.jsonl, line 5") for o in origins)
    assert sum(1 for o in origins if o.endswith("kharkiv-strike.txt")) == 1


def test_full_text_kept_and_every_evidence_span_indexes_it(store):
    rows = store.con.execute("""
        SELECT a.text, v.start_char, v.end_char, v.sentence FROM event_evidence v JOIN articles a ON a.id = v.article_id
    """).fetchall()
    assert rows
    for text, start, end, sentence in rows:
        assert 0 <= start < end <= len(text)
        assert text[start:end] in sentence and sentence in text


def test_the_same_corpus_again_stores_nothing_new(built, tmp_path):
    with Store(built[0]) as store:
        before = store.con.execute(CLUSTER_SNAPSHOT).fetchall()
        again = ingest(store, read_items([CORPUS]))
        assert (again.stored, again.skipped, again.failed) == (0, 11, 2)
        assert store.count("articles") == 10
        assert not store.clusters_stale
        merge_store(store, MERGE)
        assert store.con.execute(CLUSTER_SNAPSHOT).fetchall() == before


def test_reports_of_one_strike_form_one_cluster_with_sources_counted(store):
    cluster = el_obeid(store)
    outlets = sorted(r["source"] for r in cluster["reports_detail"])
    assert outlets == ["AFP", "AP", "Reuters", "Sudan Monitor"]
    assert (cluster["reports"], cluster["sources"], cluster["outlets"]) == (4, 3, 4)
    assert cluster["date_start"] == dt.date(2025, 5, 10) and cluster["country"] == "SDN"
    assert cluster["place_name"] == "El Obeid" and cluster["approximate"] is False
    assert cluster["actor_id"] == "rsf"
    assert cluster["id"] == cluster_id(r["event_id"] for r in cluster["reports_detail"])


def test_syndicated_copy_is_one_story(store):
    cluster = el_obeid(store)
    stories = {r["source"]: r["story_id"] for r in cluster["reports_detail"]}
    assert stories["Reuters"] == stories["Sudan Monitor"]
    assert len({stories["AFP"], stories["AP"], stories["Reuters"]}) == 3
    assert store.count("syndication") == 2


def test_fatalities_reconciled_range_and_best_estimate(built):
    with Store(built[0]) as store:
        cluster = el_obeid(store)
        figures = sorted(r["fatalities"] for r in cluster["reports_detail"])
        assert figures == [12, 12, 15, 18]
        assert (cluster["fatalities"], cluster["fatalities_low"], cluster["fatalities_high"]) == (18, 12, 18)
        assert cluster["fatalities_reports"] == 3       # the copy does not count twice
        merge_store(store, MergeSettings(fatalities="median"))
        assert el_obeid(store)["fatalities"] == 15
        merge_store(store, MergeSettings(fatalities="lowest"))
        assert el_obeid(store)["fatalities"] == 12
        merge_store(store, MERGE)


def test_other_attack_the_same_day_stays_apart(store):
    [(cluster, sources, fatalities)] = store.con.execute("""
        SELECT c.id, c.sources, c.fatalities FROM clusters c JOIN cluster_members m ON m.cluster_id = c.id
        JOIN articles a ON a.id = m.article_id
        WHERE a.title = 'Shelling kills seven in El Fasher' AND c.type = 'ASSAULT'
        AND c.place_name = 'El Fasher'""").fetchall()
    assert (sources, fatalities) == (1, 7)
    assert cluster != el_obeid(store)["id"]


def test_country_or_region_centre_is_flagged_and_never_near(store):
    vague = store.con.execute("SELECT id, place_precision FROM clusters WHERE approximate").fetchall()
    assert vague and all(p in ("admin1", "region", "country") for _, p in vague)
    precise = store.con.execute("SELECT count(*) FROM clusters WHERE NOT approximate AND place_precision "
                                "NOT IN ('point', 'city')").fetchone()[0]
    assert precise == 0
    near = queries.events(store, queries.EventFilter(near=queries.Near(13.63, 25.35, 400, "El Fasher")))
    assert {r["id"] for r in near}.isdisjoint({i for i, _ in vague})


def test_merge_is_deterministic_and_independent_of_ingest_order(built, tmp_path):
    with Store(built[0]) as store:
        clusters = store.con.execute(CLUSTER_SNAPSHOT).fetchall()
        members = store.con.execute(MEMBER_SNAPSHOT).fetchall()
        merge_store(store, MERGE)
        assert store.con.execute(CLUSTER_SNAPSHOT).fetchall() == clusters
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".md")
    with Store(tmp_path / "reversed.duckdb") as other:
        ingest(other, read_items(list(reversed(files))), batch_size=3)
        merge_store(other, MERGE)
        assert other.con.execute(CLUSTER_SNAPSHOT).fetchall() == clusters
        assert other.con.execute(MEMBER_SNAPSHOT).fetchall() == members


def test_event_filters(store):
    def ids(**kwargs):
        return {r["id"] for r in queries.events(store, queries.EventFilter(**kwargs))}

    everything = ids()
    assert len(everything) == store.count("clusters")
    assert ids(type="PROTEST") and all(r["type"] == "PROTEST" for r in queries.events(
        store, queries.EventFilter(type="PROTEST")))
    assert ids(country="SDN") == {r[0] for r in store.con.execute(
        "SELECT id FROM clusters WHERE country = 'SDN'").fetchall()}
    assert el_obeid(store)["id"] in ids(actor="rsf") and el_obeid(store)["id"] in ids(actor="Rapid Support")
    assert ids(since=dt.date(2025, 6, 1)) & ids(until=dt.date(2025, 5, 31)) == set()
    assert ids(since=dt.date(2025, 6, 1)) | ids(until=dt.date(2025, 5, 31)) <= everything
    assert ids(min_sources=2) == {r["id"] for r in queries.events(store, queries.EventFilter())
                                  if r["sources"] >= 2}
    assert queries.count_events(store, queries.EventFilter(country="UKR")) == 1
    with pytest.raises(SitroomError) as info:
        queries.check_type("ASSUALT")
    assert info.value.code == "E111" and "ASSAULT" in str(info.value)


def test_actors_show_and_stats(store):
    top = queries.actors(store, limit=5)
    assert top[0]["events_as_actor"] + top[0]["events_as_target"] >= top[-1]["events_as_actor"] + top[-1][
        "events_as_target"]
    rsf = queries.actors(store, name="rsf")
    assert rsf and rsf[0]["name"] == "Rapid Support Forces" and rsf[0]["mentions"] >= 4
    article_id = store.con.execute("SELECT id FROM articles WHERE source = 'AFP'").fetchone()[0]
    view = queries.article(store, article_id[:6])
    assert view.id == article_id and "risen to 18" in view.text
    assert any(e["cluster_id"] == el_obeid(store)["id"] for e in view.events)
    with pytest.raises(SitroomError) as info:
        queries.article(store, "zzzzzz")
    assert info.value.code == "E106"
    totals = queries.stats(store)
    assert totals["articles"] == 10 and totals["outlets"] == 6 and totals["stories_with_copies"] == 1
    assert totals["merged_events"] == store.count("clusters") and totals["multi_source_events"] >= 3
    assert totals["last_run"]["status"] == "done"


def test_table_columns_match_the_schema(store):
    for table, columns in COLUMNS.items():
        present = [r[0] for r in store.con.execute(f"DESCRIBE {table}").fetchall()]
        assert list(columns) == present, table


def test_migrations_bring_an_old_store_up_and_refuse_a_newer_one(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    assert migrate(con, str(path), target=1) == 1
    assert not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'runs'").fetchone()[0]
    con.close()
    with pytest.raises(SitroomError) as info:   # a reader never upgrades: it says how to
        Store(path, read_only=True)
    assert info.value.code == "E115" and "sitroom merge" in str(info.value)
    with Store(path) as store:   # a writer brings it up to date
        assert store.version == SCHEMA_VERSION == 3
        assert store.count("runs") == 0
        assert "background" in {c[0] for c in store.con.execute("DESCRIBE clusters").fetchall()}
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(SitroomError) as info:
        Store(path)
    assert info.value.code == "E102" and "99" in str(info.value)


def test_reading_commands_never_change_a_file_that_is_not_a_store(tmp_path):
    import sqlite3

    foreign = tmp_path / "other.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE events (x INTEGER)")
    con.close()
    before = foreign.read_bytes()
    lite = tmp_path / "notes.sqlite"
    sqlite3.connect(lite).execute("CREATE TABLE t (x)").connection.close()
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all", encoding="utf-8")
    for path, reason in ((foreign, "other tables (events)"), (lite, "SQLite"), (text, "not a DuckDB")):
        for read_only in (True, False):
            with pytest.raises(SitroomError) as info:
                Store(path, read_only=read_only)
            assert info.value.code == "E114" and reason in str(info.value), str(info.value)
    assert foreign.read_bytes() == before
    done = subprocess.run([sys.executable, "-m", "sitroom", "stats", "--db", str(foreign)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 1 and "E114" in done.stderr and "Traceback" not in done.stderr
    assert foreign.read_bytes() == before


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(SitroomError) as info:
        Store(tmp_path / "none.duckdb", read_only=True)
    assert info.value.code == "E108"


def test_worker_processes_store_the_same_rows(built, tmp_path):
    files = [CORPUS / "feeds" / "wires.jsonl", CORPUS / "feeds" / "regional.csv"]
    with Store(tmp_path / "pool.duckdb") as pooled:
        report = ingest(pooled, read_items(files), workers=2, batch_size=2)
        assert (report.stored, report.failed) == (7, 1)
        rows = pooled.con.execute("SELECT id, article_id, type, fatalities, start_char FROM events ORDER BY id").fetchall()
    with Store(built[0]) as store:
        ids = [r[0] for r in rows]
        same = store.con.execute("SELECT id, article_id, type, fatalities, start_char FROM events "
                                 "WHERE id IN (SELECT unnest(?)) ORDER BY id", [ids]).fetchall()
    assert rows == same


def test_cli_ingest_and_queries(tmp_path):
    db = tmp_path / "cli.duckdb"
    env_run = lambda *args: subprocess.run([sys.executable, "-m", "sitroom", *args], capture_output=True,
                                           text=True, cwd=ROOT, timeout=300)
    done = env_run("ingest", str(CORPUS / "feeds"), str(CORPUS / "pages"), "--db", str(db))
    assert done.returncode == 1, done.stderr      # one broken JSONL line: reported, the rest stored
    assert "wires.jsonl, line 3" in done.stderr and "E103" in done.stderr
    assert "8 articles stored" in done.stderr
    listed = env_run("events", "--db", str(db), "--format", "json", "--min-sources", "2", "--type", "ASSAULT")
    assert listed.returncode == 0, listed.stderr
    [strike] = [e for e in json.loads(listed.stdout) if e["place_name"] == "El Obeid"]
    assert (strike["sources"], strike["reports"], strike["fatalities"]) == (3, 4, 18)
    assert {r["source"] for r in strike["reports_detail"]} == {"Reuters", "AP", "AFP", "Sudan Monitor"}
    as_csv = env_run("events", "--db", str(db), "--format", "csv", "--country", "SDN")
    assert as_csv.returncode == 0 and as_csv.stdout.splitlines()[0].startswith("id,date_start")
    assert env_run("events", "--db", str(db), "--type", "NOPE").returncode == 2
    assert env_run("events", "--db", str(db), "--since", "May 1").returncode == 2
    shown = env_run("show", strike["reports_detail"][0]["article_id"][:8], "--db", str(db))
    assert shown.returncode == 0 and "El Obeid" in shown.stdout
    assert env_run("stats", "--db", str(db)).returncode == 0
    actors = env_run("actors", "--db", str(db), "--format", "json")
    assert any(a["id"] == "rsf" for a in json.loads(actors.stdout))
    assert env_run("events", "--db", str(tmp_path / "missing.duckdb")).returncode == 1


STORE_SETTINGS = ("db", "merge_days", "merge_km", "merge_fatalities", "syndication_similarity", "workers",
                  "batch_size", "text_field", "title_field", "date_field", "source_field", "url_field")


def test_settings_and_errors_are_documented():
    from sitroom.errors import Errors
    from sitroom.settings import SETTINGS

    doc = (ROOT / "docs" / "store.md").read_text(encoding="utf-8")
    for name in STORE_SETTINGS:
        setting = SETTINGS[name]
        [row] = [line for line in doc.splitlines() if line.startswith(f"| `{name}` |")]
        assert f"`{setting.env}`" in row, name
        assert str(setting.default).removesuffix(".0") in row, name
    for code in (c for c in vars(Errors) if c.startswith("E1")):
        assert code in doc, code
