"""Event-to-place linking on the sentences of `event_location/` (Halterman, "Geolocating Political Events in
Text", MIT): each sentence has one event verb marked and, for 6,475 of the 10,182, the place or places where that
event happened; the others name no place of the event (they may name other places).

Some rows give token numbers where character offsets belong; they are read through the row's tokens. The
sentences are split in two halves by a hash of their text: `tune` (dev, for adjusting the linking rules) and
`held` (test, measured only). Each half is sampled to a fixed 1,500 sentences. Every sentence runs through the
whole pipeline as an article of its own. The event at the marked verb is the event one of whose triggers
overlaps the verb; among the sentences where sitroom finds it (`verb_found`):
- with a gold place: right when the event's place comes from the sentence (`location.rule` attached or
  clause) and its text overlaps a gold place;
- without one: right when the event takes no place from the sentence.
`accuracy` covers both; `placed_accuracy` the first kind alone, `unplaced_accuracy` the second.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .common import article, run_docs, stable_sample

SAMPLE = 1500
FROM_SENTENCE = {"attached", "clause"}


@dataclass
class Sentence:
    id: str
    text: str
    verb: tuple[int, int]
    places: list[tuple[int, int]]


@dataclass
class Linked:
    found: bool                      # an event at the verb
    place: tuple[int, int] | None    # its place's text in the sentence, when the sentence gives it


def load(path: str | Path, half: str) -> list[Sentence]:
    with zipfile.ZipFile(path) as archive:
        rows = json.loads(archive.read("labeled_text.jsonl").decode("utf-8"))
    items = []
    for n, row in enumerate(rows):
        verbs = [chars(row, s) for s in row.get("spans", []) if s["label"] == "VERB"]
        if len(verbs) != 1 or None in verbs:
            continue
        places = [chars(row, s) for s in row["spans"] if s["label"] == "LOCATION"]
        if None in places:
            continue
        items.append(Sentence(str(row.get("_id", n)), row["text"], verbs[0], places))
    chosen = [s for s in items if half_of(s.text) == half]
    return stable_sample(chosen, SAMPLE, key=lambda s: s.id + s.text)


def chars(row: dict, span: dict) -> tuple[int, int] | None:
    """A span's character offsets. Some rows give token numbers in `start`/`end` (their text is then empty or
    another word): those are read through the row's tokens."""
    start, end = span["start"], span["end"]
    if row["text"][start:end].strip() and row["text"][start:end] == span.get("text", row["text"][start:end]):
        return start, end
    tokens = {t["id"]: t for t in row.get("tokens", [])}
    first, last = tokens.get(span.get("token_start")), tokens.get(span.get("token_end"))
    return (first["start"], last["end"]) if first and last else None


def half_of(text: str) -> str:
    return "tune" if int(hashlib.sha1(text.encode()).hexdigest(), 16) % 2 == 0 else "held"


def predict(items: list[Sentence]) -> list[Linked]:
    docs = run_docs([article(s.text, name=s.id) for s in items])
    out = []
    for item, doc in zip(items, docs):
        event = None
        for record in (doc._.events or ()) if doc is not None else ():
            if any(doc[m.anchor].idx < item.verb[1] and item.verb[0] < doc[m.anchor].idx + len(doc[m.anchor])
                   for m in record.mentions):
                event = record
                break
        if event is None:
            out.append(Linked(False, None))
            continue
        choice = event.place
        place = None
        if choice is not None and choice.rule in FROM_SENTENCE and choice.text:
            start = item.text.find(choice.text)
            place = (start, start + len(choice.text)) if start >= 0 else None
        out.append(Linked(True, place))
    return out


def score(items: list[Sentence], predictions: list[Linked]) -> dict:
    placed = placed_right = unplaced = unplaced_right = 0
    for item, linked in zip(items, predictions):
        if not linked.found:
            continue
        if item.places:
            placed += 1
            placed_right += linked.place is not None and any(
                linked.place[0] < end and start < linked.place[1] for start, end in item.places)
        else:
            unplaced += 1
            unplaced_right += linked.place is None
    found = placed + unplaced
    return {
        "sentences": len(items), "verb_found": found / len(items) if items else 0.0,
        "accuracy": (placed_right + unplaced_right) / found if found else 0.0,
        "placed_accuracy": placed_right / placed if placed else 0.0,
        "unplaced_accuracy": unplaced_right / unplaced if unplaced else 0.0,
    }


def measure(half: str):
    def run(path: Path, sample: int | None) -> dict:
        items = load(path, half)
        items = stable_sample(items, sample, key=lambda s: s.id + s.text)
        return score(items, predict(items))
    return run
