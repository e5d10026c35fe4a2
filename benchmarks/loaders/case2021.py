"""CASE 2021 shared task 2 (fine-grained classification of socio-political events): a TSV of `id`,
`EventSnippet`, `SubType` with 25 ACLED sub-event types and 5 labels added in the task's zero-shot sub-tasks.

Metric: the task's own, accuracy (= micro-F1), macro-F1 and weighted F1 over the 30 labels, plus weighted F1 on
the snippets labelled with one of the 25 ACLED types (sub-task 1's label set). sitroom's label for a snippet
comes from its most confident event that has an ACLED coding (ties: the earliest), mapped through
`mappings/case2021_acled.tsv`; the table's `rule` column says what the other outcomes mean.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .common import article, classification, read_mapping, run_results

NO_EVENT = "NO_EVENT"
NON_ACLED = "NON_ACLED"


@dataclass
class Snippet:
    id: str
    text: str
    label: str


def load(path: str | Path) -> list[Snippet]:
    return parse(Path(path).read_text(encoding="utf-8"))


def parse(tsv: str) -> list[Snippet]:
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Snippet(row["id"], row["EventSnippet"], row["SubType"].strip()) for row in reader
            if row.get("EventSnippet")]


def table() -> tuple[dict[str, str], dict[str, list[str]]]:
    """(ACLED sub-event type -> CASE label, rule -> CASE labels)."""
    by_acled, by_rule = {}, {}
    for row in read_mapping("case2021_acled.tsv"):
        if row["acled_sub_event_type"]:
            by_acled[row["acled_sub_event_type"]] = row["case_label"]
        else:
            by_rule.setdefault(row["rule"], []).append(row["case_label"])
    return by_acled, by_rule


def predict(snippets: list[Snippet]) -> list[str]:
    by_acled, _ = table()
    results = run_results([article(s.text, name=s.id) for s in snippets])
    return [label_of(result.events if result else [], by_acled) for result in results]


def label_of(events: list, by_acled: dict[str, str]) -> str:
    coded = [e for e in events if e.acled is not None]
    if coded:
        best = max(coded, key=lambda e: (e.confidence, -e.evidence.start))
        return by_acled.get(best.acled.sub_event_type, NON_ACLED)
    return NON_ACLED if events else NO_EVENT


def resolve_rules(gold: str, predicted: str, by_rule: dict[str, list[str]]) -> str:
    """The prediction as a CASE label: 'no event' is right for the off-topic labels, 'events without an ACLED
    coding' means DIPLO."""
    if predicted == NO_EVENT:
        return gold if gold in by_rule.get("no_event", []) else NO_EVENT
    if predicted == NON_ACLED:
        return (by_rule.get("non_acled") or [NON_ACLED])[0]
    return predicted


def score(snippets: list[Snippet], predictions: list[str]) -> dict:
    by_acled, by_rule = table()
    gold = [s.label for s in snippets]
    pred = [resolve_rules(g, p, by_rule) for g, p in zip(gold, predictions)]
    labels = set(by_acled.values()) | {label for group in by_rule.values() for label in group}
    out = classification(gold, pred, labels & set(gold))
    acled_only = [(g, p) for g, p in zip(gold, pred) if g in by_acled.values()]
    sub = classification([g for g, _ in acled_only], [p for _, p in acled_only])
    out.update(acled25_weighted_f1=sub["weighted_f1"], acled25_accuracy=sub["accuracy"], acled25_n=sub["n"],
               no_event_share=sum(p == NO_EVENT for p in predictions) / len(predictions) if predictions else 0.0)
    return out
