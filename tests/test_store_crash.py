"""Interrupted ingests: a SIGKILL (or Ctrl-C) mid-run, then the same command again, loses and doubles nothing.

The ingest runs in a real subprocess; the test reads its log until some articles are stored, kills it, checks
that the store holds whole articles only, runs the command again and compares with an uninterrupted run.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sitroom.read.readers import read_items
from sitroom.store.ingest import ingest
from sitroom.store.merge import MergeSettings, merge_store
from sitroom.store.store import Store

ROOT = Path(__file__).resolve().parent.parent
PLACES = [("KHARTOUM", "Omdurman", "Sudan"), ("KYIV", "Kharkiv", "Ukraine"), ("BAMAKO", "Menaka", "Mali"),
          ("MOGADISHU", "Baidoa", "Somalia"), ("GOMA", "Sake", "Congo"), ("SANAA", "Hodeidah", "Yemen")]
TEMPLATES = [
    "{dateline}, March {day} (Reuters) - An artillery barrage hit a market in {town} on Monday, killing {n} "
    "people and wounding {m}, local officials said. Residents said the shelling lasted for about an hour.",
    "{dateline}, March {day} (Reuters) - Hundreds of people protested in {town} on Tuesday against rising food "
    "prices, and police fired tear gas to disperse them, witnesses said. At least {n} people were arrested.",
    "{dateline}, March {day} (Reuters) - A roadside bomb struck a bus near {town} on Wednesday, killing {n} "
    "passengers, a military spokesman in {country} said. No group claimed responsibility for the attack.",
    "{dateline}, March {day} (Reuters) - Gunmen attacked a village outside {town} overnight, killing {n} "
    "villagers and abducting {m} others, residents told reporters on Thursday.",
]
ARTICLES = 48


def corpus(path: Path) -> Path:
    rows = []
    for i in range(ARTICLES):
        dateline, town, country = PLACES[i % len(PLACES)]
        text = TEMPLATES[i % len(TEMPLATES)].format(dateline=dateline, town=town, country=country,
                                                    day=1 + i % 27, n=3 + i, m=10 + 2 * i)
        rows.append({"text": text, "published": f"2025-03-{1 + i % 27:02d}", "source": "Reuters"})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def start_ingest(feed: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "SITROOM_LOG": "INFO"}
    return subprocess.Popen([sys.executable, "-m", "sitroom", "ingest", str(feed), "--db", str(db),
                             "--batch-size", "2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def interrupt_after(process: subprocess.Popen, stored: int, sig: int) -> int:
    """Send `sig` once the log says `stored` articles are in; returns how many the log had reported."""
    seen = 0
    for line in process.stderr:
        if "stored article" in line:
            seen += 1
            if seen >= stored:
                process.send_signal(sig)
                break
    process.stderr.read()
    process.wait(timeout=120)
    return seen


def snapshot(db: Path) -> dict:
    with Store(db, read_only=True) as store:
        con = store.con
        return {
            "articles": con.execute("SELECT id, events FROM articles ORDER BY id").fetchall(),
            "events": con.execute("SELECT id, article_id, type, fatalities FROM events ORDER BY id").fetchall(),
            "evidence": con.execute("SELECT count(*) FROM event_evidence").fetchone()[0],
            "mentions": con.execute("SELECT count(*) FROM actor_mentions").fetchone()[0],
            "clusters": con.execute("SELECT id, sources, reports, fatalities FROM clusters ORDER BY id").fetchall(),
        }


def assert_whole_articles(db: Path) -> int:
    with Store(db, read_only=True) as store:
        partial = store.con.execute("""
            SELECT a.id FROM articles a LEFT JOIN events e ON e.article_id = a.id
            GROUP BY a.id, a.events HAVING count(e.id) != a.events""").fetchall()
        orphans = store.con.execute("""
            SELECT (SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles))
                 + (SELECT count(*) FROM event_evidence WHERE event_id NOT IN (SELECT id FROM events))
                 + (SELECT count(*) FROM actor_mentions WHERE article_id NOT IN (SELECT id FROM articles))
        """).fetchone()[0]
        assert partial == [] and orphans == 0
        return store.count("articles")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash")
    feed = corpus(folder / "feed.jsonl")
    db = folder / "reference.duckdb"
    with Store(db) as store:
        report = ingest(store, read_items([feed]), batch_size=2)
        assert report.stored == ARTICLES and report.failed == 0
        merge_store(store, MergeSettings.from_settings())
    return feed, snapshot(db)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_interrupted_ingest_resumes_without_loss_or_duplicates(reference, tmp_path, sig):
    feed, expected = reference
    db = tmp_path / "store.duckdb"
    process = start_ingest(feed, db)
    seen = interrupt_after(process, stored=6, sig=sig)
    assert seen == 6
    if sig == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == 130      # stopped cleanly, told the user to run again
    kept = assert_whole_articles(db)
    assert 6 <= kept < ARTICLES               # really interrupted mid-run, nothing lost that was logged
    again = subprocess.run([sys.executable, "-m", "sitroom", "ingest", str(feed), "--db", str(db)], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"{ARTICLES - kept} articles stored" in again.stderr
    assert_whole_articles(db)
    assert snapshot(db) == expected


def test_a_first_ctrl_c_is_a_request_to_stop_a_second_stops_at_once():
    import os

    from sitroom.store.ingest import ctrl_c_stops

    before = signal.getsignal(signal.SIGINT)
    with ctrl_c_stops() as stopped:
        assert not stopped()
        os.kill(os.getpid(), signal.SIGINT)   # delivered to this thread at the next bytecode
        for _ in range(1000):
            if stopped():
                break
        assert stopped()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(100000):
                pass
    assert signal.getsignal(signal.SIGINT) is before
