"""The command line, end to end in a subprocess, as a user runs it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITROOM = [sys.executable, "-m", "sitroom"]
STORY = ("[Source: Reuters]\n\nKHARTOUM, March 3 (Reuters) - Paramilitary Rapid Support Forces fighters shelled the "
         "Zamzam displacement camp near El Fasher on Monday, killing at least 12 people, including three "
         "children, and wounding 30 others, aid workers said.\n")


def run(*args, stdin=None):
    return subprocess.run([*SITROOM, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_extract_json_is_the_contract(story):
    done = run("extract", str(story), "--published", "2025-03-04", "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"article", "actors", "events"}
    assert result["article"]["source"] == "Reuters" and result["article"]["published"] == "2025-03-04"
    [attack] = [e for e in result["events"] if e["type"] == "ASSAULT"]
    assert STORY[attack["evidence"]["start"]:attack["evidence"]["end"]] in attack["evidence"]["sentence"]
    assert attack["fatalities"] == 12 and attack["fatalities_qualifier"] == "at_least"
    assert attack["injured"] == 30
    assert attack["date"]["start"] == "2025-03-03"
    assert attack["location"]["country"] == "SDN"


def test_stdin_and_jsonl(story):
    done = run("extract", "-", "--format", "jsonl", "--published", "2025-03-04", stdin=STORY)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["events"]


def test_table_for_people(story):
    done = run("extract", str(story), "--published", "2025-03-04")
    assert done.returncode == 0, done.stderr
    assert "ASSAULT" in done.stdout and "killed" in done.stdout


def test_bad_file_among_good_ones(story, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    done = run("extract", str(empty), str(story), str(binary), str(tmp_path / "nope.txt"), "--format", "jsonl")
    assert done.returncode == 1
    assert len(done.stdout.strip().splitlines()) == 1          # the good file was still processed
    errors = done.stderr.strip().splitlines()
    assert any("E001" in line and "empty.txt" in line for line in errors)
    assert any("E002" in line and "blob.bin" in line for line in errors)
    assert any("E005" in line and "nope.txt" in line for line in errors)


def test_bad_published_is_a_usage_error(story):
    done = run("extract", str(story), "--published", "yesterday")
    assert done.returncode == 2
    assert "E006" in done.stderr and "yesterday" in done.stderr


def test_schema_command():
    done = run("schema")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert schema["title"] == "ArticleResult" and "events" in schema["properties"]


def test_eval_command(story, tmp_path):
    gold = tmp_path / "gold.jsonl"
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    gold.write_text(json.dumps({"doc": "story", "text_file": "story.txt", "published": "2025-03-04",
                                "source": "Reuters", "events": [
                                    {"id": "shelling", "triggers": ["shelled"], "types": ["ASSAULT"],
                                     "required": True, "fatalities": 12, "injured": 30,
                                     "place": {"country": "SDN"}}]}) + "\n", encoding="utf-8")
    done = run("eval", str(gold), "--json")
    assert done.returncode == 0, done.stderr
    total = json.loads(done.stdout)["total"]
    assert total["tp"] == 1 and total["fn"] == 0
    assert total["fields"]["fatalities"]["accuracy"] == 1.0


def test_eval_rejects_a_malformed_gold_file(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("{not json\n", encoding="utf-8")
    done = run("eval", str(gold))
    assert done.returncode == 1 and "E009" in done.stderr


def test_extract_reads_html_as_ingest_does():
    page = ROOT / "tests" / "corpus" / "pages" / "el-obeid-market.html"
    done = run("extract", str(page), "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["article"]["title"] == "Drone strike on Sudan market kills 12"
    assert not any("<" in actor["name"] for actor in result["actors"])
    assert result["events"] and all("</" not in e["evidence"]["sentence"] for e in result["events"])


def test_a_future_publication_date_is_a_usage_error(story):
    done = run("extract", str(story), "--published", "9999-12-31")
    assert done.returncode == 2 and "E013" in done.stderr and "Traceback" not in done.stderr


def test_a_text_longer_than_the_model_limit_runs(tmp_path):
    from sitroom.read.article import from_text
    from sitroom.components.pipeline import load_pipeline, prepare

    nlp = load_pipeline()
    saved = nlp.max_length
    nlp.max_length = 1000   # stands in for spaCy's 1,000,000: E088 would refuse what --max-chars allows
    try:
        doc = prepare(nlp, from_text(STORY * 20))
        assert len(doc.text) > 1000 and nlp.max_length >= len(doc.text)
        nlp(doc)
    finally:
        nlp.max_length = max(saved, nlp.max_length)
