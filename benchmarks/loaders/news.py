"""The unlabelled stories (`news/index.jsonl`: doc, text_file, title, published, source): run end to end.

Checks, per article: no exception; every event's evidence lies inside the text, is non-empty, at most 80
characters, and its sentence is in the text; every event whose evidence sentence holds a date expression the
`when` stage resolved has a date, and every event whose sentence holds a place the `where` stage resolved has
a location. Reported: counts of violations (never the texts), events per article and throughput.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from .common import article, pipeline


@dataclass
class Story:
    id: str
    text: str
    published: str | None
    source: str | None


def load(path: str | Path) -> list[Story]:
    path = Path(path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Story(r["doc"], (path.parent / r["text_file"]).read_text(encoding="utf-8"), r.get("published"),
                  r.get("source")) for r in rows]


def check(text: str, doc, result) -> dict[str, int]:
    """Counts of events and of each kind of problem in one article's result."""
    counts = {"events": 0, "bad_evidence": 0, "dated_sentences": 0, "undated": 0, "placed_sentences": 0,
              "unplaced": 0}
    times = [(m.expr.start_char, m.expr.end_char) for m in doc._.times or () if m.is_date and m.expr.start]
    places = [(m.start_char, m.end_char) for m in doc._.places or ()]
    for event in result.events:
        counts["events"] += 1
        ev = event.evidence
        if not (0 <= ev.start < ev.end <= len(text)) or ev.end - ev.start > 80 or ev.sentence not in text \
                or not text[ev.start:ev.end].strip():
            counts["bad_evidence"] += 1
            continue
        at = text.find(ev.sentence, max(0, ev.start - len(ev.sentence)))
        low, high = (at, at + len(ev.sentence)) if at >= 0 else (ev.start, ev.end)
        if any(low <= s and e <= high for s, e in times):
            counts["dated_sentences"] += 1
            counts["undated"] += event.date is None or event.date.start is None
        if any(low <= s and e <= high for s, e in places):
            counts["placed_sentences"] += 1
            counts["unplaced"] += event.location is None
    return counts


def run(stories: list[Story]) -> dict:
    from sitroom.components.pipeline import default_threshold, prepare
    from sitroom.contract.result import to_result
    nlp = pipeline()
    threshold = default_threshold(nlp)
    totals: dict[str, int] = {"articles": len(stories), "crashed": 0, "refused": 0}
    characters = 0
    started = time.perf_counter()
    for story in stories:
        art = article(story.text, published=story.published, source=story.source, name=story.id)
        if art is None:
            totals["refused"] += 1
            continue
        characters += len(story.text)
        try:
            doc = nlp(prepare(nlp, art))
            result = to_result(doc, threshold)
        except Exception:  # noqa: BLE001 -- a crash is what this run counts
            totals["crashed"] += 1
            continue
        for key, value in check(story.text, doc, result).items():
            totals[key] = totals.get(key, 0) + value
    seconds = time.perf_counter() - started
    totals.update(seconds=seconds, characters=characters,
                  articles_per_s=len(stories) / seconds if seconds else 0.0,
                  chars_per_s=characters / seconds if seconds else 0.0)
    return totals
