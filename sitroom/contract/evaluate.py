"""Scoring extraction against gold files, exactly as ../shared/data/README.md defines it.

Matching: a predicted event matches a gold event when its evidence span (at most 80 characters) overlaps
an occurrence of one of the gold event's triggers and its type is one of the gold event's types. The first
match of a required gold event is a true positive, a further one a duplicate (a false positive); a match of an
optional gold event counts as nothing; an unmatched prediction is a false positive; an unmatched required
gold event is a false negative. Arguments are scored on true positives only. Type accuracy: of the predictions
whose evidence overlaps a trigger of a required gold event, the share with one of its types.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from sitroom.read.article import decode, parse_date
from sitroom.errors import GoldFileError
from sitroom.components.geo import km_between
from sitroom.contract.schema import ArticleResult, Event

MAX_EVIDENCE = 80
PLACE_KM = 50.0
FIELDS = ("actor", "target", "date", "place", "fatalities", "injured")


@dataclass
class GoldEvent:
    id: str
    triggers: list[str]
    types: list[str]
    required: bool = True
    actor: list[str] | None = None
    target: list[str] | None = None
    date: list[str] | None = None
    place: dict | None = None
    fatalities: int | None = None
    injured: int | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class GoldDoc:
    doc: str
    text: str
    published: dt.date | None
    source: str | None
    events: list[GoldEvent]
    title: str | None = None


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    duplicates: int = 0
    found: int = 0              # predictions on a trigger of a required gold event, whatever their type
    typed: int = 0              # … of which with one of its types
    fields: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0] for f in FIELDS})
    by_type: dict[str, Counter] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    field_errors: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.duplicates += other.duplicates
        self.found += other.found
        self.typed += other.typed
        for name, (right, total) in other.fields.items():
            self.fields[name][0] += right
            self.fields[name][1] += total
        for type_, counts in other.by_type.items():
            self.by_type.setdefault(type_, Counter()).update(counts)

    def count(self, type_: str, outcome: str) -> None:
        self.by_type.setdefault(type_, Counter())[outcome] += 1

    def summary(self) -> dict:
        p, r, f = prf(self.tp, self.fp, self.fn)
        return {
            "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": self.tp, "fp": self.fp, "fn": self.fn, "duplicates": self.duplicates,
            "duplicate_rate": round(self.duplicates / (self.tp + self.fn), 4) if self.tp + self.fn else None,
            "type_accuracy": round(self.typed / self.found, 4) if self.found else None,
            "fields": {name: {"accuracy": round(right / total, 4) if total else None, "correct": right,
                              "scored": total} for name, (right, total) in self.fields.items()},
            "by_type": {t: dict(zip(("precision", "recall", "f1"),
                                    (round(x, 4) for x in prf(c["tp"], c["fp"], c["fn"]))), **c)
                        for t, c in sorted(self.by_type.items())},
        }


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# ---- reading gold files ------------------------------------------------------------------------------

def load_gold(path: str | Path) -> list[GoldDoc]:
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise GoldFileError("E009", name=str(path), reason=err.strerror or str(err)) from None
    docs = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            docs.append(gold_doc(path, number, line))
    if not docs:
        raise GoldFileError("E009", name=str(path), reason="no documents")
    return docs


def gold_doc(path: Path, number: int, line: str) -> GoldDoc:
    where = f"{path}, line {number}"
    try:
        raw = json.loads(line)
        text_path = path.parent / raw["text_file"]
        text = decode(text_path.read_bytes(), str(text_path))
        events = [GoldEvent(**{k: v for k, v in e.items() if k in GoldEvent.__dataclass_fields__})
                  for e in raw.get("events", [])]
    except (ValueError, KeyError, TypeError, OSError) as err:
        raise GoldFileError("E009", name=where, reason=f"{type(err).__name__}: {err}") from None
    for event in events:
        event.spans = trigger_spans(text, event.triggers)
    return GoldDoc(raw["doc"], text, parse_date(raw.get("published")), raw.get("source"), events,
                   raw.get("title"))


def trigger_spans(text: str, triggers: Iterable[str]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for trigger in triggers for m in re.finditer(re.escape(trigger), text)]


# ---- scoring ------------------------------------------------------------------------------------------

def score_document(gold: GoldDoc, result: ArticleResult) -> Tally:
    tally = Tally()
    matched: set[str] = set()
    for event in sorted(result.events, key=lambda e: e.evidence.start):
        on_required = [g for g in on_triggers(event, gold.events) if g.required]
        if on_required:
            tally.found += 1
            tally.typed += any(event.type in g.types for g in on_required)
        candidates = matches(event, gold.events)
        label = f"{event.type} {gold.text[event.evidence.start:event.evidence.end]!r}"
        required_new = [g for g in candidates if g.required and g.id not in matched]
        if required_new:
            truth = required_new[0]
            matched.add(truth.id)
            tally.tp += 1
            tally.count(event.type, "tp")
            score_fields(event, truth, tally)
        elif any(not g.required for g in candidates):
            continue
        elif candidates:
            tally.fp += 1
            tally.duplicates += 1
            tally.count(event.type, "fp")
            tally.false_positives.append(f"duplicate {label}")
        else:
            tally.fp += 1
            tally.count(event.type, "fp")
            tally.false_positives.append(label)
    for truth in gold.events:
        if truth.required and truth.id not in matched:
            tally.fn += 1
            tally.count(truth.types[0], "fn")
            tally.misses.append(f"{truth.id} {truth.types}")
    return tally


def matches(event: Event, gold_events: list[GoldEvent]) -> list[GoldEvent]:
    return [g for g in on_triggers(event, gold_events) if event.type in g.types]


def on_triggers(event: Event, gold_events: list[GoldEvent]) -> list[GoldEvent]:
    """The gold events whose triggers the prediction's evidence overlaps, whatever their type."""
    start, end = event.evidence.start, event.evidence.end
    if end - start > MAX_EVIDENCE:
        return []
    return [g for g in gold_events if any(s < end and start < e for s, e in g.spans)]


def score_fields(event: Event, gold: GoldEvent, tally: Tally) -> None:
    checks: dict[str, Callable[[], bool]] = {}
    if gold.actor:
        checks["actor"] = lambda: actor_ok(event.actor, gold.actor)
    if gold.target:
        checks["target"] = lambda: actor_ok(event.target, gold.target)
    if gold.date:
        checks["date"] = lambda: date_ok(event, gold.date)
    if gold.place:
        checks["place"] = lambda: place_ok(event, gold.place)
    if gold.fatalities is not None:
        checks["fatalities"] = lambda: event.fatalities == gold.fatalities
    if gold.injured is not None:
        checks["injured"] = lambda: event.injured == gold.injured
    for name, check in checks.items():
        ok = check()
        tally.fields[name][1] += 1
        tally.fields[name][0] += int(ok)
        if not ok:
            tally.field_errors.append(f"{gold.id}.{name}: got {field_value(event, name)}")


def field_value(event: Event, name: str) -> str:
    value = {"actor": event.actor, "target": event.target, "date": event.date,
             "place": event.location}.get(name, getattr(event, name, None))
    if hasattr(value, "model_dump"):
        data = value.model_dump(mode="json")
        keep = ("id", "name", "country", "start", "end", "rule", "lat", "lon", "text")
        return json.dumps({k: data[k] for k in keep if k in data and data[k] is not None}, ensure_ascii=False)
    return repr(value)


def actor_ok(actor, accepted: list[str]) -> bool:
    if actor is None:
        return False
    names = {a.casefold() for a in accepted}
    return any(v and v.casefold() in names for v in (actor.name, actor.id, actor.country))


def date_ok(event: Event, window: list[str]) -> bool:
    if event.date is None or event.date.start is None or event.date.end is None:
        return False
    low, high = dt.date.fromisoformat(window[0]), dt.date.fromisoformat(window[-1])
    return low <= event.date.start and event.date.end <= high


def place_ok(event: Event, gold: dict) -> bool:
    loc = event.location
    if loc is None or (gold.get("country") and loc.country != gold["country"]):
        return False
    if gold.get("lat") is not None and gold.get("lon") is not None:
        if loc.lat is None or loc.lon is None:
            return False
        return km_between(loc.lat, loc.lon, gold["lat"], gold["lon"]) <= PLACE_KM
    return True


# ---- running --------------------------------------------------------------------------------------------

@dataclass
class Report:
    documents: list[tuple[str, Tally]]
    total: Tally

    def as_dict(self) -> dict:
        return {"total": self.total.summary(),
                "documents": [{"doc": name, **tally.summary(), "misses": tally.misses,
                               "false_positives": tally.false_positives, "field_errors": tally.field_errors}
                              for name, tally in self.documents]}


def evaluate(path: str | Path, min_confidence: float | None = None) -> Report:
    from sitroom.read.article import from_text
    from sitroom.components.pipeline import run

    docs = load_gold(path)
    articles = [from_text(d.text, published=d.published, source=d.source, title=d.title, name=d.doc)
                for d in docs]
    total = Tally()
    per_doc = []
    for gold, result in zip(docs, run(articles, min_confidence=min_confidence)):
        tally = score_document(gold, result)
        total.add(tally)
        per_doc.append((gold.doc, tally))
    return Report(per_doc, total)


# ---- actor mentions ----------------------------------------------------------------------------------

@dataclass
class ActorMentionScore:
    gold: int = 0
    found: int = 0        # gold mentions overlapped by a mention of some actor
    resolved: int = 0     # of those, the actor has the gold kind and country
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {"gold_mentions": self.gold, "mention_recall": round(self.found / self.gold, 4) if self.gold else None,
                "resolution_accuracy": round(self.resolved / self.found, 4) if self.found else None}


def evaluate_actor_mentions(path: str | Path, texts: Path | None = None) -> ActorMentionScore:
    """Mention recall and resolution accuracy on a file of gold actor mentions (examples/actors_gold.jsonl:
    one document a line, each mention with character offsets, kind and country)."""
    from sitroom.read.article import from_text
    from sitroom.components.pipeline import run

    path = Path(path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    folder = texts or path.parent
    articles = [from_text((folder / f"{row['doc']}.txt").read_text(encoding="utf-8"), name=row["doc"])
                for row in rows]
    score = ActorMentionScore()
    for row, result in zip(rows, run(articles, min_confidence=0.0)):
        spans = [(s, e, actor) for actor in result.actors for s, e in actor.mentions]
        for gold in row["mentions"]:
            score.gold += 1
            hits = [a for s, e, a in spans if s < gold["end"] and gold["start"] < e]
            if not hits:
                score.errors.append(f"{row['doc']}: missed {gold['text']!r}")
                continue
            score.found += 1
            if any(a.kind == gold["kind"] and a.country == gold["country"] for a in hits):
                score.resolved += 1
            else:
                score.errors.append(f"{row['doc']}: {gold['text']!r} resolved to "
                                    f"{[(a.id, a.kind, a.country) for a in hits]}, not {gold['kind']} {gold['country']}")
    return score
