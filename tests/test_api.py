"""The JSON API end to end: a real store built from the examples by the real pipeline, real DuckDB, no mocks.

Every endpoint, at the root and under /v1; auth for writes; request limits; one error shape everywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import sitroom
from sitroom.api import create_app
from sitroom.errors import Errors
from sitroom.contract.schema import ArticleResult
from sitroom.store import queries

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TOKEN = "test-token-123"
PATHS = {  # the API, pinned: path -> methods (each also under /v1)
    "/extract": {"post"}, "/extract/annotated": {"post"}, "/articles": {"post"}, "/events": {"get"},
    "/events/{event_id}": {"get"}, "/map": {"get"}, "/timeline": {"get"}, "/network": {"get"},
    "/actors": {"get"}, "/actors/{actor_id}": {"get"}, "/articles/{article_id}": {"get"}, "/stats": {"get"},
    "/brief": {"get"},
}
FILTERS = {"type", "actor", "country", "since", "until", "near", "km", "min_sources", "q", "include_background"}
SUDAN = "01-sudan-zamzam-shelling.txt"


def example_articles() -> list[sitroom.Article]:
    from sitroom.read.article import from_text
    found = []
    for line in (EXAMPLES / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        text = (EXAMPLES / doc["text_file"]).read_text(encoding="utf-8")
        found.append(from_text(text, published=doc["published"], source=doc.get("source"), name=doc["text_file"]))
    return found


def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 20 examples extracted, stored and merged once per test session; callers copy it."""
    from sitroom.store.ingest import ingest
    from sitroom.store.merge import merge_store
    from sitroom.store.store import Store

    path = tmp_path_factory.getbasetemp() / "examples.duckdb"
    if not path.exists():
        building = path.with_suffix(".building")
        with Store(building) as store:
            report = ingest(store, example_articles())
            assert report.stored == 20 and not report.failed
            merge_store(store)
        building.rename(path)
    return path


def copy_of_examples(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    target = tmp_path_factory.mktemp(name) / "store.duckdb"
    shutil.copy(example_store(tmp_path_factory), target)
    return target


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(copy_of_examples(tmp_path_factory, "api"), token=TOKEN)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def reader(client):
    with client.app.state.sitroom.reader() as store:
        yield store


def error_of(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "status"}, body
    assert body["error"]["code"] == code and body["error"]["status"] == status, body
    assert hasattr(Errors, code)
    return body["error"]["message"]


# ---------------------------------------------------------------------------------------------
# The spec
# ---------------------------------------------------------------------------------------------

def test_openapi_lists_every_path_at_the_root_and_under_v1(client):
    spec = client.get("/openapi.json").json()
    served = {path: set(methods) for path, methods in spec["paths"].items()}
    assert served == {**PATHS, **{f"/v1{path}": methods for path, methods in PATHS.items()}}
    ids = [op["operationId"] for methods in spec["paths"].values() for op in methods.values()]
    assert len(ids) == len(set(ids))
    assert {name for name in ids if not name.startswith("v1_")} == {
        "extract", "extract_annotated", "ingest_articles", "list_events", "get_event", "map_events", "timeline",
        "network", "list_actors", "get_actor", "get_article", "stats", "brief"}
    listed = {p["name"] for p in spec["paths"]["/events"]["get"]["parameters"]}
    assert FILTERS | {"limit", "offset", "sort", "order"} == listed
    for path in ("/map", "/timeline", "/network"):
        assert FILTERS <= {p["name"] for p in spec["paths"][path]["get"]["parameters"]}


def test_every_error_response_in_the_spec_is_the_one_shape(client):
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (path, method, status)
    writes = spec["paths"]["/articles"]["post"]
    assert writes["security"] == [{"HTTPBearer": []}]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_docs_page_loads_swagger_from_this_server(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui-bundle.js" in page.text and "/openapi.json" in page.text
    assert not re.search(r"(src|href)=['\"]https?://", page.text)
    assert client.get("/static/vendor/swagger-ui-bundle.js").status_code == 200


def test_v1_answers_as_the_root_does(client):
    for path in ("/stats", "/events?type=ASSAULT&limit=5", "/timeline", "/network", "/actors?limit=3"):
        assert client.get(f"/v1{path}").json() == client.get(path).json()
    error_of(client.get("/v1/events?type=BOGUS"), 400, "E111")


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("filters", [
    {}, {"type": "ASSAULT"}, {"type": "fight"}, {"country": "sdn"}, {"actor": "rsf"}, {"actor": "Israeli"},
    {"since": "2024-12-01", "until": "2025-01-31"}, {"near": "Goma", "km": 80}, {"type": "PROTEST", "country": "GEO"},
])
def test_event_filters_select_what_the_cli_selects(client, reader, filters):
    """`GET /events` takes the filters of `sitroom events` and selects the same merged events."""
    near = queries.resolve_place(reader, filters["near"], filters["km"]) if "near" in filters else None
    import datetime as dt
    selection = queries.EventFilter(
        type=queries.check_type(filters.get("type")), actor=filters.get("actor"),
        country=queries.check_country(filters.get("country")),
        since=dt.date.fromisoformat(filters["since"]) if "since" in filters else None,
        until=dt.date.fromisoformat(filters["until"]) if "until" in filters else None, near=near)
    expected = [row["id"] for row in queries.events(reader, selection)]
    page = client.get("/events", params={**filters, "limit": 500}).json()
    assert page["total"] == len(expected)
    assert [item["id"] for item in page["items"]] == expected
    if filters:
        assert page["total"] < client.get("/events").json()["total"]


def test_text_search_finds_words_of_the_sentences_places_and_names(client):
    camp = client.get("/events", params={"q": "Zamzam", "limit": 500}).json()
    assert camp["total"] >= 1 and camp["filters"] == {"q": "Zamzam"}
    for item in camp["items"]:
        detail = client.get(f"/events/{item['id']}").json()
        said = " ".join([item["place_name"] or "", item["actor_name"] or "", item["target_name"] or ""]
                        + [r["sentence"] or "" for r in detail["reports_detail"]])
        assert "zamzam" in said.lower()
    assert client.get("/events", params={"q": "100%_"}).json()["total"] == 0  # wildcards are literal


def test_pages_are_disjoint_ordered_and_bounded(client):
    total = client.get("/events", params={"limit": 1}).json()["total"]
    seen = []
    for offset in range(0, total, 40):
        page = client.get("/events", params={"limit": 40, "offset": offset}).json()
        assert page["limit"] == 40 and page["offset"] == offset and page["total"] == total
        seen += [item["id"] for item in page["items"]]
    assert len(seen) == len(set(seen)) == total
    by_deaths = client.get("/events", params={"sort": "fatalities", "limit": 30}).json()["items"]
    figures = [item["fatalities"] for item in by_deaths if item["fatalities"] is not None]
    assert figures == sorted(figures, reverse=True) and figures
    oldest = client.get("/events", params={"order": "asc", "limit": 5}).json()["items"]
    newest = client.get("/events", params={"limit": 5}).json()["items"]
    assert oldest[0]["date_start"] < newest[0]["date_start"]
    assert "less than or equal to 500" in error_of(client.get("/events", params={"limit": 501}), 422, "E205")
    error_of(client.get("/events", params={"offset": -1}), 422, "E205")
    error_of(client.get("/events", params={"sort": "name"}), 422, "E205")


def test_event_detail_gives_its_sources_and_evidence_into_the_stored_text(client, reader):
    event = client.get("/events", params={"type": "ASSAULT", "country": "SDN", "limit": 1}).json()["items"][0]
    detail = client.get(f"/events/{event['id']}").json()
    assert {k: detail[k] for k in event} == event
    assert detail["reports_detail"] and detail["evidence"]
    assert any(span["is_trigger"] for span in detail["evidence"])
    for span in detail["evidence"]:
        text = reader.con.execute("SELECT text FROM articles WHERE id = ?", [span["article_id"]]).fetchone()[0]
        assert text[span["start_char"]:span["end_char"]] in span["sentence"]
    message = error_of(client.get("/events/not-an-event"), 404, "E206")
    assert "not-an-event" in message


def test_map_gives_points_when_few_and_bins_when_many(client):
    total = client.get("/events", params={"limit": 1}).json()["total"]
    points = client.get("/map", params={"limit": 5000}).json()
    assert points["mode"] == "points" and points["bins"] == []
    assert len(points["points"]) == points["total"] and points["total"] + points["unplaced"] == total
    assert all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in points["points"])
    binned = client.get("/map", params={"limit": 10, "zoom": 1}).json()
    assert binned["mode"] == "bins" and binned["points"] == [] and 0 < len(binned["bins"]) <= 10
    assert binned["cell"] == pytest.approx(360 * 64 / (256 * 2))
    # A handful of bins may not cover every event; with room for all, they count every placed event once.
    every = client.get("/map", params={"limit": 100, "zoom": 0}).json()
    assert every["mode"] == "points" or sum(b["count"] for b in every["bins"]) == every["total"]
    for b in binned["bins"]:
        assert sum(b["by_type"].values()) == b["count"]
    africa = client.get("/map", params={"bbox": "20,0,40,20", "zoom": 5}).json()
    assert 0 < africa["total"] < points["total"]
    assert all(20 <= p["lon"] <= 40 and 0 <= p["lat"] <= 20 for p in africa["points"])
    # Longitudes wrap: a box across the antimeridian is west > east.
    pacific = client.get("/map", params={"bbox": "170,-60,-170,60"}).json()
    assert all(p["lon"] >= 170 or p["lon"] <= -170 for p in pacific["points"])
    error_of(client.get("/map", params={"bbox": "1,2,3"}), 422, "E205")
    error_of(client.get("/map", params={"zoom": 30}), 422, "E205")


def test_timeline_counts_every_dated_event_once_per_type(client):
    for filters in ({}, {"type": "ASSAULT"}, {"country": "UKR"}):
        line = client.get("/timeline", params=filters).json()
        total = client.get("/events", params={**filters, "limit": 1}).json()["total"]
        assert line["total"] + line["undated"] == total
        assert sum(b["total"] for b in line["buckets"]) == line["total"]
        assert all(sum(b["by_type"].values()) == b["total"] for b in line["buckets"])
        dates = [b["date"] for b in line["buckets"]]
        assert dates == sorted(dates) and len(dates) == len(set(dates))
    short = client.get("/timeline", params={"since": "2024-11-01", "until": "2024-12-31"}).json()
    assert short["bucket"] == "day"
    ranged = client.get("/events", params={"limit": 500}).json()["items"]
    for event in [e for e in ranged if e["date_start"] and e["date_end"] and e["date_start"] < e["date_end"]][:5]:
        since = (dt.date.fromisoformat(event["date_start"]) + dt.timedelta(days=1)).isoformat()
        until = (dt.date.fromisoformat(since) + dt.timedelta(days=40)).isoformat()
        line = client.get("/timeline", params={"since": since, "until": until}).json()
        assert line["total"] == client.get("/events", params={"since": since, "until": until}).json()["total"] \
            - line["undated"]
        assert all(since <= b["date"] <= until for b in line["buckets"]), (since, until, line["buckets"])
    assert {"ASSAULT"} == set(client.get("/timeline", params={"type": "ASSAULT"}).json()["types"])


def test_network_edges_join_its_nodes_and_follow_the_filters(client):
    network = client.get("/network").json()
    ids = {node["id"] for node in network["nodes"]}
    assert network["edges"] and ids
    assert all(e["source"] in ids and e["target"] in ids for e in network["edges"])
    interactions = [e for e in network["edges"] if e["relation"] == "interaction"]
    assert interactions and all(sum(e["by_type"].values()) == e["count"] for e in interactions)
    assert [e["count"] for e in interactions] == sorted((e["count"] for e in interactions), reverse=True)
    assert any(e["relation"] != "interaction" for e in network["edges"]), "relations (backed_by, …) are edges"
    small = client.get("/network", params={"limit": 3}).json()
    assert len([e for e in small["edges"] if e["relation"] == "interaction"]) <= 3
    sudan = client.get("/network", params={"country": "SDN"}).json()
    assert {n["id"] for n in sudan["nodes"]} != ids and "rsf" in {n["id"] for n in sudan["nodes"]}


def test_actors_and_one_actor(client):
    page = client.get("/actors", params={"limit": 5}).json()
    assert len(page["items"]) == 5 and page["total"] > 5
    involvement = [a["events_as_actor"] + a["events_as_target"] for a in page["items"]]
    assert involvement == sorted(involvement, reverse=True)
    second = client.get("/actors", params={"limit": 5, "offset": 5}).json()["items"]
    assert not {a["id"] for a in second} & {a["id"] for a in page["items"]}
    assert {a["country"] for a in client.get("/actors", params={"country": "SDN"}).json()["items"]} == {"SDN"}
    rsf = client.get("/actors/rsf").json()
    assert rsf["name"] == "Rapid Support Forces" and rsf["events_total"] >= rsf["events_as_actor"] > 0
    assert all(e["country"] == "SDN" for e in rsf["events"])
    assert any(c["role"] == "target" for c in rsf["counterparts"])
    hamas = client.get("/actors/hamas").json()
    assert any(r["type"] in {"backed_by", "ally_of", "part_of", "leader_of", "member_of"}
               for r in hamas["relations"]) or hamas["relations"] == []
    error_of(client.get("/actors/nobody-at-all"), 404, "E206")


def test_article_view_highlights_actors_triggers_dates_and_places(client, reader):
    text = (EXAMPLES / SUDAN).read_text(encoding="utf-8")
    article_id = sitroom.Article(text=text).id
    view = client.get(f"/articles/{article_id[:8]}").json()  # a prefix is enough
    assert view["id"] == article_id and view["text"] == text and view["published"] == "2024-12-03"
    kinds = {a["kind"] for a in view["annotations"]}
    assert kinds == {"actor", "trigger", "mention", "date", "place"}
    events = {e["id"]: e for e in view["events"]}
    for a in view["annotations"]:
        assert 0 <= a["start"] < a["end"] <= len(text)
        if a["kind"] == "trigger":
            assert (a["start"], a["end"]) == (events[a["event_id"]]["start_char"], events[a["event_id"]]["end_char"])
        if a["kind"] in ("date", "place", "mention"):
            assert a["event_id"] in events
    places = {text[a["start"]:a["end"]] for a in view["annotations"] if a["kind"] == "place"}
    assert any("El Fasher" in p or "Zamzam" in p for p in places), places
    dates = {text[a["start"]:a["end"]] for a in view["annotations"] if a["kind"] == "date"}
    assert "Monday" in " ".join(dates), dates
    actors = {text[a["start"]:a["end"]] for a in view["annotations"] if a["kind"] == "actor"}
    assert any("Rapid Support Forces" in name for name in actors)
    error_of(client.get("/articles/ffffffffffff"), 404, "E106")


def test_stats_and_brief(client):
    stats = client.get("/stats").json()
    assert stats["articles"] == 20 and stats["merged_events"] == client.get("/events").json()["total"]
    assert sum(stats["by_type"].values()) == stats["merged_events"] and not stats["clusters_stale"]
    brief = client.get("/brief", params={"country": "SDN", "since": "2024-01-01", "format": "md"}).json()
    assert brief["title"].startswith("Situation brief: SDN") and brief["text"].startswith("# Situation brief")
    numbers = {note["number"] for note in brief["footnotes"]}
    assert numbers == set(range(1, len(numbers) + 1))
    for section in brief["sections"]:
        for statement in section["statements"]:
            assert set(statement["sources"]) <= numbers
    latest = client.get("/brief").json()  # no period: the week up to the newest event
    assert latest["since"] and latest["text"] is None
    assert "<h1>" in client.get("/brief", params={"format": "html", "since": "2024-12-01"}).json()["text"]
    error_of(client.get("/brief", params={"country": "Sudan"}), 422, "E205")
    error_of(client.get("/brief", params={"since": "0"}), 422, "E205")


# ---------------------------------------------------------------------------------------------
# Bad requests: one shape, a clear message, the catalogue's code
# ---------------------------------------------------------------------------------------------

def test_bad_parameters_are_clear_json_errors(client):
    assert "did you mean ASSAULT" in error_of(client.get("/events", params={"type": "ASSAULTS"}), 400, "E111")
    error_of(client.get("/events", params={"country": "XX1"}), 400, "E111")
    error_of(client.get("/events", params={"since": "2024-13-45"}), 422, "E205")
    error_of(client.get("/events", params={"since": "1700000000"}), 422, "E205")
    assert "Atlantis-on-Sea" in error_of(client.get("/events", params={"near": "Atlantis-on-Sea"}), 400, "E107")
    assert "no such path" in error_of(client.get("/eventz"), 404, "E207")
    assert "method not allowed" in error_of(client.delete("/events"), 405, "E207")


def test_extract_returns_the_contract_as_the_python_api_does(client):
    text = (EXAMPLES / SUDAN).read_text(encoding="utf-8")
    response = client.post("/extract", json={"text": text, "published": "2024-12-03", "source": "Reuters"})
    assert response.status_code == 200
    result = ArticleResult.model_validate(response.json())
    assert result == sitroom.extract(text, published="2024-12-03", source="Reuters")
    assert any(e.type == "ASSAULT" and e.fatalities == 12 for e in result.events)
    annotated = client.post("/extract/annotated", json={"text": text, "published": "2024-12-03"}).json()
    assert annotated["result"]["events"] and {a["kind"] for a in annotated["annotations"]} >= {
        "actor", "trigger", "date", "place"}
    lenient = client.post("/extract", json={"text": text, "published": "2024-12-03", "min_confidence": 0}).json()
    assert len(lenient["events"]) >= len(result.events)


@pytest.mark.parametrize(("payload", "status", "code"), [
    ({"text": "  \n "}, 422, "E001"),
    ({"text": "data " + "\x01\x02\x03" * 10}, 422, "E002"),
    ({"text": "Die Regierung hat am Montag in Berlin neue Sanktionen gegen Russland beschlossen, sagte "
              "ein Sprecher der Bundesregierung, und die Opposition kritisierte die Entscheidung scharf. Nach "
              "Angaben der Polizei wurden bei Protesten vor dem Kanzleramt mehrere Menschen festgenommen."},
     422, "E007"),
    ({"text": "Troops advanced.", "published": "2024-02-30"}, 422, "E205"),
    ({"text": "Troops advanced.", "published": 1700000000}, 422, "E205"),
    ({"text": "Troops advanced.", "extra": 1}, 422, "E205"),
    ({"published": "2024-02-03"}, 422, "E205"),
    ({"text": "Troops advanced.", "min_confidence": 2}, 422, "E205"),
])
def test_extract_refuses_bad_input_with_the_cli_codes(client, payload, status, code):
    error_of(client.post("/extract", json=payload), status, code)


def test_extract_refuses_long_texts_and_broken_json(client, monkeypatch):
    monkeypatch.setenv("SITROOM_MAX_CHARS", "500")
    assert "over the limit of 500" in error_of(client.post("/extract", json={"text": "word " * 200}), 413, "E004")
    error_of(client.post("/extract", content=b'{"text": ', headers={"content-type": "application/json"}),
             422, "E205")
    error_of(client.post("/extract", content=b'{"text": "\xff\xfe"}', headers={"content-type": "application/json"}),
             422, "E205")


def test_request_bodies_over_the_limit_are_refused_unread(tmp_path_factory):
    app = create_app(copy_of_examples(tmp_path_factory, "limit"), token=TOKEN, max_body=2_000)
    with TestClient(app) as small:
        big = {"text": "Soldiers advanced. " * 200}
        assert "over the limit of 2,000" in error_of(small.post("/extract", json=big), 413, "E204")

        def chunks():  # no Content-Length: counted as it streams
            yield b'{"text": "'
            for _ in range(50):
                yield b"Soldiers advanced. " * 10
            yield b'"}'
        error_of(small.post("/extract", content=chunks(), headers={"content-type": "application/json"}), 413, "E204")
        headers = {"Authorization": f"Bearer {TOKEN}"}
        error_of(small.post("/articles", json={"articles": [big]}, headers=headers), 413, "E204")
        too_many = small.post("/articles", json={"articles": [{"text": "x"}] * 101}, headers=headers)
        assert "at most 100" in error_of(too_many, 422, "E205")
        assert small.get("/stats").status_code == 200


# ---------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------

STORY = ("KHARTOUM, May 3 (Reuters) - Sudan's paramilitary Rapid Support Forces shelled a market in Omdurman on "
         "Friday, killing at least 9 people and wounding 20, medics said.")


def test_writes_need_the_token(tmp_path_factory):
    body = {"articles": [{"text": STORY, "published": "2025-05-03"}]}
    with TestClient(create_app(copy_of_examples(tmp_path_factory, "notoken"), token="")) as open_server:
        assert "SITROOM_TOKEN" in error_of(open_server.post("/articles", json=body), 403, "E203")
    with TestClient(create_app(copy_of_examples(tmp_path_factory, "ro"), token=TOKEN, read_only=True)) as ro:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        assert "--read-only" in error_of(ro.post("/articles", json=body, headers=headers), 403, "E203")
        assert ro.get("/stats").json()["articles"] == 20
    with TestClient(create_app(copy_of_examples(tmp_path_factory, "auth"), token=TOKEN)) as server:
        missing = server.post("/articles", json=body)
        error_of(missing, 401, "E201")
        assert missing.headers["www-authenticate"] == "Bearer"
        error_of(server.post("/articles", json=body, headers={"Authorization": "Bearer wrong"}), 401, "E202")
        error_of(server.post("/articles", json=body, headers={"Authorization": f"Basic {TOKEN}"}), 401, "E201")
        assert server.get("/stats").json()["articles"] == 20


def test_ingest_stores_merges_and_skips_what_it_has(tmp_path_factory):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(create_app(copy_of_examples(tmp_path_factory, "ingest"), token=TOKEN)) as server:
        before = server.get("/stats").json()
        sudan = (EXAMPLES / SUDAN).read_text(encoding="utf-8")
        answer = server.post("/articles", headers=headers, json={"articles": [
            {"text": STORY, "published": "2025-05-03", "source": "Reuters", "url": "https://example.org/a"},
            {"text": ""},
            {"text": sudan, "published": "2024-12-03"},  # already stored
            {"text": STORY, "published": "2025-05-03"},  # repeated in the request
        ]})
        assert answer.status_code == 200, answer.text
        result = answer.json()
        assert [item["status"] for item in result["items"]] == ["stored", "failed", "skipped", "skipped"]
        assert result["items"][1]["error"]["code"] == "E001" and result["items"][1]["id"] is None
        assert result["stored"] == 1 and result["failed"] == 1 and result["events"] == result["items"][0]["events"] > 0
        assert result["merged"]["clusters"] >= before["merged_events"]
        after = server.get("/stats").json()
        assert after["articles"] == 21 and not after["clusters_stale"]
        stored = server.get(f"/articles/{result['items'][0]['id']}").json()
        assert stored["text"] == STORY and stored["url"] == "https://example.org/a"
        assert any(e["type"] == "ASSAULT" and e["fatalities"] == 9 for e in stored["events"])
        found = server.get("/events", params={"q": "Omdurman", "since": "2025-05-01"}).json()
        assert found["total"] >= 1
        again = server.post("/articles", headers=headers, json={"articles": [{"text": STORY}], "merge": False}).json()
        assert again["stored"] == 0 and again["items"][0]["status"] == "skipped" and again["merged"] is None
        error_of(server.post("/articles", headers=headers, json={"articles": []}), 422, "E205")


# ---------------------------------------------------------------------------------------------
# Packaging: the dashboard's files come with the package, built from the npm registry
# ---------------------------------------------------------------------------------------------

def test_vendored_libraries_are_the_pinned_npm_builds():
    web = ROOT / "web"
    pins = json.loads((web / "package.json").read_text())["dependencies"]
    lock = json.loads((web / "package-lock.json").read_text())["packages"]
    manifest = json.loads((ROOT / "sitroom" / "web" / "static" / "vendor" / "MANIFEST.json").read_text())
    assert set(manifest["packages"]) == set(pins)
    for name, entry in manifest["packages"].items():
        assert entry["version"] == pins[name] == lock[f"node_modules/{name}"]["version"], name
        for file, digest in entry["files"].items():
            data = (ROOT / "sitroom" / "web" / "static" / "vendor" / file).read_bytes()
            assert hashlib.sha256(data).hexdigest() == digest, file


def test_dashboard_page_loads_nothing_from_elsewhere(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert client.head("/").status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert not re.search(r"(src|href)=['\"](https?:)?//", page.text)
    for path in re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", page.text):
        assert client.get(path).status_code == 200, path
    scripts = (ROOT / "sitroom" / "web" / "static" / "js")
    for module in scripts.glob("*.js"):
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", module.read_text()), module.name


def test_docs_describe_every_path_and_error_code():
    docs = (ROOT / "docs" / "dashboard.md").read_text(encoding="utf-8")
    for path, methods in PATHS.items():
        for method in methods:
            assert f"{method.upper()} {path}" in docs, path
    for code in [name for name in vars(Errors) if name.startswith("E2")]:
        assert code in docs, code
    for shot in re.findall(r"\(screenshots/([\w-]+\.png)\)", docs):
        assert (ROOT / "docs" / "screenshots" / shot).exists(), shot


def test_serve_command_is_registered():
    from typer.testing import CliRunner

    from sitroom.cli import app
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--db", "--read-only"):
        assert option in result.output


def test_like_wildcards_in_a_name_are_literal(client):
    everything = client.get("/events").json()["total"]
    assert everything > 0
    assert client.get("/events", params={"actor": "%"}).json()["total"] == 0
    assert client.get("/events", params={"actor": "_"}).json()["total"] == 0


def test_background_events_only_on_request(client):
    default = client.get("/events", params={"limit": 500}).json()
    every = client.get("/events", params={"limit": 500, "include_background": "true"}).json()
    assert not any(e["background"] for e in default["items"])
    assert every["total"] > default["total"] and any(e["background"] for e in every["items"])
    stats = client.get("/stats").json()
    assert stats["merged_events"] == default["total"] and stats["background_events"] == every["total"] - default["total"]


def test_a_future_publication_date_is_refused_with_its_code(client):
    response = client.post("/extract", json={"text": "Rebels attacked an army base on Monday, officials said, "
                                                     "killing four soldiers near the border town.",
                                             "published": "9999-12-31"})
    assert "9999-12-31" in error_of(response, 422, "E013")


def test_extraction_requests_beyond_the_queue_are_refused_at_once(tmp_path_factory, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("SITROOM_EXTRACT_QUEUE", "1")
    text = (EXAMPLES / SUDAN).read_text(encoding="utf-8")
    with TestClient(create_app(copy_of_examples(tmp_path_factory, "queue"), token=TOKEN)) as server:
        server.post("/extract", json={"text": text})   # the pipeline loaded before the race
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(lambda _: server.post("/extract", json={"text": text}), range(6)))
    codes = sorted(a.status_code for a in answers)
    assert codes.count(200) >= 1 and codes.count(503) >= 1 and set(codes) <= {200, 503}, codes
    busy = next(a for a in answers if a.status_code == 503)
    assert busy.headers["Retry-After"] == "2"
    assert "SITROOM_EXTRACT_QUEUE" in error_of(busy, 503, "E209")
