"""`sitroom serve` and the CLI on one store at once (issue 14): the server holds the file read-only, so every
reading command works beside it; its own writes take the file for their moment only; a command that writes
while it runs gets E101 saying why."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from test_api import TOKEN, copy_of_examples
from test_dashboard import _wait_for, free_port

ROOT = Path(__file__).resolve().parent.parent
STORY = ("KHARTOUM, May 3 (Reuters) - A drone struck a fuel depot in Port Sudan on Saturday, killing two guards, "
         "the army said, blaming the Rapid Support Forces for the attack.")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitroom", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    store = copy_of_examples(tmp_path_factory, "served")
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if k not in ("SITROOM_HOST", "SITROOM_PORT")},
           "SITROOM_TOKEN": TOKEN}
    log = tmp_path_factory.getbasetemp() / "serve-with-cli.log"
    with open(log, "w") as output:
        process = subprocess.Popen([sys.executable, "-m", "sitroom", "serve", "--db", str(store), "--port",
                                    str(port)], stdout=output, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/stats", process, log)
        yield base, store
    finally:
        process.terminate()
        process.wait(timeout=20)


def post(url: str, payload: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.loads(response.read())


def test_reading_commands_work_beside_the_server_and_see_its_writes(served):
    base, store = served
    for args in (("stats",), ("events", "--limit", "3"), ("actors", "--limit", "3")):
        done = cli(*args, "--db", str(store))
        assert done.returncode == 0, done.stderr
    before = json.loads(cli("stats", "--db", str(store), "-f", "json").stdout)["articles"]
    answer = post(f"{base}/articles", {"articles": [{"text": STORY, "published": "2025-05-04"}]})
    assert answer["stored"] == 1, answer
    after = json.loads(cli("stats", "--db", str(store), "-f", "json").stdout)
    assert after["articles"] == before + 1 and not after["clusters_stale"]
    with urllib.request.urlopen(f"{base}/stats", timeout=30) as response:
        assert json.loads(response.read())["articles"] == before + 1


def test_a_writing_command_beside_the_server_is_told_why(served, tmp_path):
    _, store = served
    story = tmp_path / "story.txt"
    story.write_text(STORY.replace("two guards", "three guards"), encoding="utf-8")
    done = cli("ingest", str(story), "--db", str(store))
    assert done.returncode == 1 and "E101" in done.stderr and "sitroom serve" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_server_write_while_another_process_reads_is_a_clear_503_and_reads_go_on(served):
    base, store = served
    import duckdb
    holder = duckdb.connect(str(store), read_only=True)   # another process reading, as `sitroom events` does
    try:
        try:
            post(f"{base}/articles", {"articles": [{"text": STORY.replace("two", "five")}]})
            raise AssertionError("the write should have been refused while another process reads")
        except urllib.error.HTTPError as refused:
            body = json.loads(refused.read())
            assert refused.code == 503 and body["error"]["code"] == "E101", body
        with urllib.request.urlopen(f"{base}/events?limit=1", timeout=30) as response:
            assert response.status == 200
    finally:
        holder.close()
    answer = post(f"{base}/articles", {"articles": [{"text": STORY.replace("two", "five")}]})
    assert answer["stored"] == 1
