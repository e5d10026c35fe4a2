"""The dashboard in a real browser: `sitroom serve` on a store built from the examples, Debian's chromium
driven headless by Playwright. Nothing may be fetched from anywhere but the server.

Screenshots of each view are taken on every run, into a temporary folder; `make screenshots` saves them to
docs/screenshots/ (the README shows them), so a plain test run leaves the tree clean.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from test_api import EXAMPLES, SUDAN, copy_of_examples

import sitroom

ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("SITROOM_SCREENSHOTS") or Path(tempfile.gettempdir()) / "sitroom-screenshots")
CHROMIUM = "/usr/bin/chromium"
# Headless and quiet: no sandbox (root in CI), no GPU, and none of chromium's own calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWS = ("#map", "#timeline", "#network", "#table")

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`sitroom serve` in its own process, on the defaults but the port."""
    store = copy_of_examples(tmp_path_factory, "dashboard")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SITROOM_TOKEN", "SITROOM_HOST", "SITROOM_PORT")}
    log = tmp_path_factory.getbasetemp() / "serve.log"
    with open(log, "w") as output:
        process = subprocess.Popen([sys.executable, "-m", "sitroom", "serve", "--db", str(store), "--port", str(port),
                                    "--read-only"], stdout=output, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/stats", process, log)
        assert "dashboard and API on http://127.0.0.1:" in log.read_text()  # 127.0.0.1 unless told otherwise
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sitroom serve exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"sitroom serve did not answer: {log.read_text()}")


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), "make test installs Debian's chromium (apt-get install chromium)"
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000})
        yield context
        context.close()


class Watched:
    """A page whose console errors and requests to anywhere but the server are recorded (and the latter
    refused)."""

    def __init__(self, context, base: str) -> None:
        self.base = base
        self.errors: list[str] = []
        self.elsewhere: list[str] = []
        self.page = context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)

    def _route(self, route) -> None:
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            self.elsewhere.append(route.request.url)
            route.abort()

    def open(self, path: str = "/") -> None:
        self.page.goto(self.base + path)
        self.ready()

    def ready(self) -> None:
        for view in VIEWS:
            self.page.wait_for_selector(f"{view}[data-state=ready]", state="attached", timeout=20_000)

    def data(self, selector: str) -> dict[str, str]:
        return self.page.eval_on_selector(selector, "e => Object.assign({}, e.dataset)")

    def snapshot(self) -> dict[str, object]:
        return {"map": self.data("#map")["total"], "timeline": self.data("#timeline")["total"],
                "network": self.data("#network")["ids"], "table": self.data("#table")["total"]}

    def check_clean(self) -> None:
        assert not self.elsewhere, f"fetched from elsewhere: {self.elsewhere}"
        assert not self.errors, f"console errors: {self.errors}"


@pytest.fixture
def watched(browser_context, server):
    page = Watched(browser_context, server)
    yield page
    page.check_clean()
    page.page.close()


def wait_until(page, expression: str, timeout: float = 20.0) -> None:
    """Poll a JavaScript expression (Playwright's wait_for_function evaluates strings, which the dashboard's
    Content-Security-Policy forbids, as it should)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(expression)
        time.sleep(0.05)


def shoot(locator_or_page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    locator_or_page.screenshot(path=str(SHOTS / name))


def total_events(base: str, query: str = "") -> int:
    import json
    with urllib.request.urlopen(f"{base}/events?limit=1{query}") as response:
        return json.load(response)["total"]


def test_every_view_is_drawn(watched, server):
    watched.open()
    page = watched.page
    assert int(watched.data("#map")["outline"]) > 200  # the world's countries, from the package
    assert page.locator("#map .leaflet-overlay-pane path").count() > 200
    markers = page.locator("#map .sr-marker, #map .sr-group")
    assert markers.count() > 5
    placed, unplaced = int(watched.data("#map")["total"]), int(watched.data("#map")["unplaced"])
    assert placed + unplaced == total_events(server)   # the world in view: every event, placed or said not to be
    bars = page.locator("#timeline svg g.bar")
    assert bars.count() == int(watched.data("#timeline")["bars"]) > 5
    assert page.locator("#timeline svg rect[data-type=ASSAULT]").count() > 0
    nodes = page.evaluate("window.sitroomDashboard.views.network.cy.nodes().length")
    edges = page.evaluate("window.sitroomDashboard.views.network.cy.edges().length")
    assert nodes == int(watched.data("#network")["nodes"]) > 5 and edges > 0
    assert page.locator("#network canvas").count() > 0
    overlaps = page.evaluate("""(() => {
        const boxes = window.sitroomDashboard.views.network.cy.nodes('.labelled')
            .map((n) => n.boundingBox({ includeNodes: false, includeLabels: true, includeEdges: false }));
        let found = 0;
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) found += 1;
        }
        return [boxes.length, found];
    })()""")
    assert overlaps[0] >= 5 and overlaps[1] == 0, f"{overlaps[1]} of the {overlaps[0]} actor labels overlap"
    assert page.locator("#table tbody tr.event-row").count() == 25
    assert watched.data("#table")["total"] == str(total_events(server))
    assert "merged events" in page.inner_text("#stats")
    shoot(page, "dashboard.png")
    shoot(page.locator(".map-panel"), "map.png")
    shoot(page.locator(".timeline-panel"), "timeline.png")
    shoot(page.locator(".network-panel"), "network.png")
    shoot(page.locator(".table-panel"), "table.png")


def test_a_filter_changes_every_view_and_lives_in_the_url(watched, server):
    watched.open()
    page = watched.page
    before = watched.snapshot()
    page.select_option("#filters select[name=type]", "PROTEST")
    wait_until(page, "new URL(location).searchParams.get('type') === 'PROTEST'")
    wait_until(page, f"document.querySelector('#table').dataset.total !== '{before['table']}'")
    watched.ready()
    after = watched.snapshot()
    changed = {view for view in before if before[view] != after[view]}
    assert changed == {"map", "timeline", "network", "table"}, (before, after)
    assert after["table"] == str(total_events(server, "&type=PROTEST"))
    types = page.locator("#table tbody td.type").all_inner_texts()
    assert types and set(types) == {"PROTEST"}
    shoot(page, "filtered.png")

    # Background (history, running tolls) is left out until asked for, in every view.
    page.goto(f"{server}/")
    watched.ready()
    current = watched.snapshot()
    page.check("#filters input[name=include_background]")
    wait_until(page, "new URL(location).searchParams.get('include_background') === 'true'")
    wait_until(page, f"document.querySelector('#table').dataset.total !== '{current['table']}'")
    watched.ready()
    assert watched.data("#table")["total"] == str(total_events(server, "&include_background=true"))
    assert int(watched.data("#table")["total"]) > int(current["table"])

    # The URL alone brings the same view back.
    page.goto(f"{server}/?type=PROTEST")
    watched.ready()
    assert watched.snapshot() == after and page.input_value("#filters select[name=type]") == "PROTEST"

    # Clicking an actor in the network filters on it, for every view.
    node = page.evaluate("""() => {
        const cy = window.sitroomDashboard.views.network.cy;
        const node = cy.nodes().max(n => n.data('events')).ele;
        const box = cy.container().getBoundingClientRect(), at = node.renderedPosition();
        return {id: node.id(), x: box.left + at.x, y: box.top + at.y};
    }""")
    page.mouse.click(node["x"], node["y"])
    wait_until(page, f"new URL(location).searchParams.get('actor') === {node['id']!r}")
    watched.ready()
    query = f"&type=PROTEST&actor={node['id']}"
    assert watched.data("#table")["total"] == str(total_events(server, query)) != "0"
    assert page.input_value("#filters input[name=actor]") == node["id"]

    # Back to the unfiltered view, as it was.
    page.goto(server + "/")
    watched.ready()
    page.click("#timeline svg g.bar >> nth=-1")
    wait_until(page, "new URL(location).searchParams.get('since') !== null")
    watched.ready()
    since, until = page.evaluate("[new URL(location).searchParams.get('since'), "
                                 "new URL(location).searchParams.get('until')]")
    assert since <= until and page.input_value("#filters input[name=since]") == since
    page.go_back()
    wait_until(page, "new URL(location).searchParams.get('since') === null")
    watched.ready()
    assert watched.snapshot() == before


def test_article_view_highlights_and_links_events_to_their_evidence(watched, server):
    watched.open()
    page = watched.page
    page.fill("#filters input[name=q]", "Zamzam")
    page.press("#filters input[name=q]", "Enter")
    wait_until(page, "new URL(location).searchParams.get('q') === 'Zamzam'")
    watched.ready()
    page.locator("#table tbody tr.event-row").first.click()
    page.locator("#table tr.detail .report button").first.click()
    body = page.locator("#article-body[data-state=ready]")
    body.wait_for()
    text = (EXAMPLES / SUDAN).read_text(encoding="utf-8")
    assert sitroom.Article(text=text).id == page.evaluate("new URL(location).searchParams.get('article')")
    for kind in ("actor", "trigger", "date", "place"):
        assert page.locator(f"#article-body .article-text span.ann.{kind}").count() > 0, kind
    assert page.inner_text("#article-body .article-text").strip() == text.strip()
    # The event chosen in the table is the one in focus, its trigger highlighted in the text.
    focus = watched.data("#article-body")["focus"]
    assert page.evaluate("new URL(location).searchParams.get('event')") == focus
    assert page.locator("#article-body .article-text span.trigger.focus").count() >= 1
    assert page.locator(f"#article-body li.event.focus[data-event='{focus}']").count() == 1
    shoot(page, "article.png")
    # Another event in the list: its evidence comes into focus instead.
    other = page.locator(f"#article-body li.event:not([data-event='{focus}'])").first
    other_id = other.get_attribute("data-event")
    other.click()
    assert watched.data("#article-body")["focus"] == other_id
    spans = page.locator("#article-body .article-text span.focus")
    assert spans.count() >= 1
    for events in spans.evaluate_all("nodes => nodes.map(n => n.dataset.events)"):
        assert other_id in events.split()
    # And a trigger in the text selects its event.
    page.locator(f"#article-body .article-text span.trigger[data-events~='{focus}']").first.click()
    assert watched.data("#article-body")["focus"] == focus
    page.click("#article .close")
    assert page.evaluate("new URL(location).searchParams.get('article')") is None


def test_paste_an_article_and_see_its_events(watched, server):
    watched.open("/?view=extract")
    page = watched.page
    assert page.locator("#extract").is_visible() and not page.locator("#dashboard").is_visible()
    story = (EXAMPLES / "02-ukraine-kyiv-overnight-attack.txt").read_text(encoding="utf-8")
    page.fill("#extract-form textarea", story)
    page.fill("#extract-form input[name=published]", "2024-11-28")
    page.click("#extract-form button[type=submit]")
    page.wait_for_selector("#extract-result[data-state=ready]", timeout=90_000)
    expected = sitroom.extract(story, published="2024-11-28")
    assert int(watched.data("#extract-result")["events"]) == len(expected.events) > 0
    shown = page.locator("#extract-result li.event .type").all_inner_texts()
    assert shown == [event.type for event in expected.events]
    for kind in ("actor", "trigger", "date", "place"):
        assert page.locator(f"#extract-result span.ann.{kind}").count() > 0, kind
    page.locator("#extract-result li.event").first.click()
    assert page.locator("#extract-result span.trigger.focus").count() >= 1
    shoot(page, "extract.png")
    # Text the extractor refuses: the message says why.
    page.fill("#extract-form textarea", "   ")
    page.click("#extract-form button[type=submit]")
    page.wait_for_selector("#extract-result[data-state=error]")
    assert re.search(r"E001: .*empty", page.inner_text("#extract-result"))
    watched.errors = [e for e in watched.errors if "422" not in e]  # the refused request, logged by the browser


def test_a_map_marker_leads_to_the_evidence_of_its_event(watched):
    watched.open("/?country=SDN")
    page = watched.page
    page.evaluate("window.sitroomDashboard.views.map.map.setView([13.49, 25.31], 12) && null")  # Zamzam camp
    wait_until(page, "document.querySelector('#map').dataset.state === 'ready' && "
                     "document.querySelectorAll('#map .sr-marker, #map .sr-group').length > 0")
    for _ in range(5):  # events at one point stay grouped; a click spreads them out (once the group is drawn)
        page.wait_for_timeout(400)
        if page.locator("#map .sr-marker").count():
            break
        page.locator("#map .sr-group").first.click()
    page.locator("#map .sr-marker").first.click()
    popup = page.locator(".leaflet-popup .sr-popup")
    popup.wait_for()
    assert re.match(r"[A-Z]+ ", popup.inner_text())
    popup.locator("button[data-event]").click()
    page.locator("#article-body[data-state=ready]").wait_for()
    focus = watched.data("#article-body")["focus"]
    assert page.locator(f"#article-body .article-text span.trigger.focus[data-events~='{focus}']").count() >= 1
