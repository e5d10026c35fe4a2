"""WikiEvents (JSONL; KAIROS ontology): full news articles with `tokens`, `sentences` ([[token, start, end], …]
with character offsets) and `event_mentions` whose trigger is a token span.

The corpus's `text` runs sentences together without a space ("…in SyriaThe desert…") while its token offsets
count one, an artefact of its conversion; the text given to sitroom is the sentences (each sentence's own
string) joined by newlines, and every token's offsets are taken relative to its sentence's first token.

Metric: trigger recall and precision for the event types that have a PLOVER equivalent
(`mappings/kairos_plover.tsv`). sitroom's predicted triggers are every span of each event (its evidence and
its `mentions`) with the event's type. Recall: mapped gold triggers overlapped by a predicted trigger of the
mapped type. Precision: predicted triggers whose type is in the mapping's image that overlap a gold trigger of
the same mapped type. Identification recall ignores the type.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .common import article, prf, read_mapping, run_results


@dataclass
class Trigger:
    start: int
    end: int
    kairos: str
    plover: str | None


@dataclass
class WikiDoc:
    id: str
    text: str
    triggers: list[Trigger] = field(default_factory=list)


def kairos_table() -> list[tuple[str, str]]:
    rows = [(r["kairos"], r["plover"]) for r in read_mapping("kairos_plover.tsv")]
    return sorted(rows, key=lambda r: -len(r[0]))


def map_type(kairos: str, table: list[tuple[str, str]]) -> str | None:
    """PLOVER type of a KAIROS type, through its longest listed prefix (whole dotted components only)."""
    for prefix, plover in table:
        if kairos == prefix or kairos.startswith(prefix + "."):
            return plover
    return None


def load(path: str | Path) -> list[WikiDoc]:
    return parse(Path(path).read_text(encoding="utf-8"))


def parse(jsonl: str) -> list[WikiDoc]:
    table = kairos_table()
    return [wiki_doc(json.loads(line), table) for line in jsonl.splitlines() if line.strip()]


def wiki_doc(raw: dict, table: list[tuple[str, str]]) -> WikiDoc:
    pieces, spans = [], []        # spans: new (start, end) of every token, in document token order
    length = 0
    for tokens, sentence in raw["sentences"]:
        if not tokens:
            continue
        base = tokens[0][1]
        if pieces:
            length += 1
        spans.extend((length + s - base, length + e - base) for _, s, e in tokens)
        pieces.append(sentence)
        length += len(sentence)
    text = "\n".join(pieces)
    triggers = []
    for mention in raw["event_mentions"]:
        t = mention["trigger"]
        start, end = spans[t["start"]][0], spans[t["end"] - 1][1]
        triggers.append(Trigger(start, end, mention["event_type"], map_type(mention["event_type"], table)))
    return WikiDoc(raw["doc_id"], text, triggers)


def predict(docs: list[WikiDoc]) -> list[list[tuple[int, int, str]]]:
    # KAIROS marks every trigger whatever its realis (negated, hypothetical, generic included), so every
    # event record counts here, not only those above the default confidence threshold
    results = run_results([article(d.text, name=d.id) for d in docs], min_confidence=0.0)
    out = []
    for result in results:
        spans = set()
        for event in result.events if result else []:
            spans.add((event.evidence.start, event.evidence.end, event.type))
            spans.update((m.start, m.end, event.type) for m in event.mentions)
        out.append(sorted(spans))
    return out


def score(docs: list[WikiDoc], predictions: list[list[tuple[int, int, str]]]) -> dict:
    image = {plover for _, plover in kairos_table()}
    gold_n = found = identified = 0
    sys_n = correct = 0
    per: dict[str, list[int]] = {}
    die_injure = die_injure_covered = 0
    for doc, pred in zip(docs, predictions):
        for t in doc.triggers:
            overlapping = [p for p in pred if p[0] < t.end and t.start < p[1]]
            if t.kairos.startswith(("Life.Die", "Life.Injure")):
                die_injure += 1
                die_injure_covered += any(p[2] == "ASSAULT" for p in overlapping)
            if t.plover is None:
                continue
            gold_n += 1
            hit = any(p[2] == t.plover for p in overlapping)
            found += hit
            identified += bool(overlapping)
            row = per.setdefault(t.plover, [0, 0, 0])
            row[0] += hit
            row[2] += 1
        for start, end, type_ in pred:
            if type_ not in image:
                continue
            sys_n += 1
            ok = any(t.plover == type_ and start < t.end and t.start < end for t in doc.triggers)
            correct += ok
            per.setdefault(type_, [0, 0, 0])[1] += 1
    _, r, f = prf(correct, sys_n - correct, gold_n - found)
    return {"documents": len(docs), "gold_triggers": gold_n, "system_triggers": sys_n,
            "trigger_precision": correct / sys_n if sys_n else 0.0, "trigger_recall": r, "trigger_f1": f,
            "identification_recall": identified / gold_n if gold_n else 0.0,
            "casualty_triggers": die_injure,
            "casualty_triggers_in_assault": die_injure_covered / die_injure if die_injure else 0.0,
            "per_type": {k: {"found": v[0], "predicted": v[1], "gold": v[2]} for k, v in sorted(per.items())}}
