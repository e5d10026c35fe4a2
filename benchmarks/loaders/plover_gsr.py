"""PLOVER gold-standard records (`PLOVER_GSR_CAMEO.txt`, a JSON array): one news sentence per record, coded
with a PLOVER 0.5/0.6 event type, source and target actors and an inline markup of the event words.

Metric: event-type accuracy and macro-F1 over the gold types, one prediction per sentence. The legacy type
maps to PLOVER 0.8 through `mappings/plover_legacy.tsv`. sitroom's prediction for a sentence is the type of
the event whose evidence overlaps the marked event words (`(EVT: ...)`), the most confident one if several;
failing that, the most confident event of the sentence; failing that, NONE (always wrong).
Also reported: the share of sentences with any event, and source-actor accuracy (the predicted actor's
country or id equals the gold source code) on sentences whose type is right.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .common import article, classification, read_mapping, run_results

EVT = re.compile(r"\(EVT: ([^)]*)\)")
NONE = "NONE"


@dataclass
class PloverRecord:
    id: str
    text: str
    type: str                 # PLOVER 0.8
    legacy_type: str
    triggers: list[tuple[int, int]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def legacy_table() -> dict[str, str]:
    return {row["legacy"]: row["plover"] for row in read_mapping("plover_legacy.tsv")}


def load(path: str | Path) -> list[PloverRecord]:
    return parse(json.loads(Path(path).read_text(encoding="utf-8")))


def parse(records: list[dict]) -> list[PloverRecord]:
    table = legacy_table()
    out = []
    for raw in records:
        legacy = raw.get("event")
        if legacy not in table or not raw.get("text"):
            continue  # DOCUMENT: the file's own notes
        text = raw["text"]
        info = raw.get("textInfo")
        markup = info.get("markup", "") if isinstance(info, dict) else str(info or "")
        out.append(PloverRecord(raw["id"], text, table[legacy], legacy, trigger_spans(text, markup),
                                [a.get("code", "") for a in raw.get("source") or [] if isinstance(a, dict) and a.get("code")]))
    return out


def trigger_spans(text: str, markup: str) -> list[tuple[int, int]]:
    spans = []
    for words in EVT.findall(markup):
        at = text.find(words.strip())
        if at >= 0:
            spans.append((at, at + len(words.strip())))
    return spans


@dataclass
class PloverPrediction:
    type: str
    actor: list[str] = field(default_factory=list)   # id, name and country of the chosen event's actor


def predict(records: list[PloverRecord]) -> list[PloverPrediction]:
    # every record codes an event: the question is its type, so no confidence threshold applies
    results = run_results([article(r.text, name=r.id) for r in records], min_confidence=0.0)
    return [choose(r, result.events if result else []) for r, result in zip(records, results)]


def choose(record: PloverRecord, events: list) -> PloverPrediction:
    if not events:
        return PloverPrediction(NONE)
    on_trigger = [e for e in events
                  if any(e.evidence.start < end and start < e.evidence.end for start, end in record.triggers)]
    best = max(on_trigger or events, key=lambda e: e.confidence)
    actor = [v for v in (best.actor.id, best.actor.name, best.actor.country) if v] if best.actor else []
    return PloverPrediction(best.type, actor)


def score(records: list[PloverRecord], predictions: list[PloverPrediction]) -> dict:
    gold = [r.type for r in records]
    pred = [p.type for p in predictions]
    out = classification(gold, pred)
    scored = [(r, p) for r, p in zip(records, predictions) if r.type == p.type and r.sources]
    right = sum(any(s.casefold() in {a.casefold() for a in p.actor} for s in r.sources) for r, p in scored)
    out.update(coverage=sum(p != NONE for p in pred) / len(pred) if pred else 0.0,
               source_accuracy=right / len(scored) if scored else 0.0, source_scored=len(scored))
    return out
