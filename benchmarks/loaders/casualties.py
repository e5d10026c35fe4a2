"""Gun-violence articles (JSONL from the SemEval-2018 task 5 corpus): each article with its incident's
`num_killed` and `num_injured`, `dct` (publication date), city and state.

Metric: exact-match accuracy of the killed count, of the injured count, and of both, per article.
Main-incident rule (documented in docs/scoreboard.md): the article's incident is its earliest ASSAULT event
(by evidence offset) that carries a killed or injured figure, as a wire story's lead states the incident
before any background; its missing figure counts as 0. No such event: killed 0 and injured 0 (the gold
counts 0 for incidents without deaths or injuries).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .common import article, run_results


@dataclass
class IncidentArticle:
    id: str
    incident: str
    text: str
    published: str | None
    killed: int
    injured: int


def load(path: str | Path) -> list[IncidentArticle]:
    return parse(Path(path).read_text(encoding="utf-8"))


def parse(jsonl: str) -> list[IncidentArticle]:
    rows = [json.loads(line) for line in jsonl.splitlines() if line.strip()]
    return [IncidentArticle(f"{r['incident_id']}/{r['doc_id']}", str(r["incident_id"]), r["text"], r.get("dct"),
                            int(r["num_killed"]), int(r["num_injured"])) for r in rows if r.get("text")]


def main_incident(events: list) -> tuple[int, int]:
    for event in sorted(events, key=lambda e: e.evidence.start):
        if event.type == "ASSAULT" and (event.fatalities is not None or event.injured is not None):
            return event.fatalities or 0, event.injured or 0
    return 0, 0


def predict(items: list[IncidentArticle]) -> list[tuple[int, int]]:
    results = run_results([article(i.text, published=i.published, name=i.id) for i in items])
    return [main_incident(r.events) if r else (0, 0) for r in results]


def score(items: list[IncidentArticle], predictions: list[tuple[int, int]]) -> dict:
    n = len(items)
    killed = sum(p[0] == i.killed for i, p in zip(items, predictions))
    injured = sum(p[1] == i.injured for i, p in zip(items, predictions))
    both = sum(p == (i.killed, i.injured) for i, p in zip(items, predictions))
    with_deaths = [(i, p) for i, p in zip(items, predictions) if i.killed > 0]
    return {"articles": n, "incidents": len({i.incident for i in items}),
            "killed_accuracy": killed / n if n else 0.0, "injured_accuracy": injured / n if n else 0.0,
            "both_accuracy": both / n if n else 0.0,
            "killed_accuracy_when_deaths": (sum(p[0] == i.killed for i, p in with_deaths) / len(with_deaths)
                                            if with_deaths else 0.0),
            "baseline_zero_both": sum((i.killed, i.injured) == (0, 0) for i in items) / n if n else 0.0}
