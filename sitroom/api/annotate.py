"""Highlights for the article view: actor mentions, event triggers and further mentions, dates and places.

Actors and triggers come with their character offsets. Dates and places come as the words written
(`date.text`, `location.text`) without offsets, so they are looked up in the text: the occurrence inside the
event's sentence, else the one nearest the trigger. Spans may overlap; the dashboard splits the text at every
boundary and gives each piece the classes of every span covering it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sitroom.contract.schema import ArticleResult


def nearest(text: str, needle: str | None, start: int, end: int, sentence: str | None) -> tuple[int, int] | None:
    """Where `needle` is written: inside the sentence around text[start:end] if it is there, else nearest it."""
    if not needle or not needle.strip():
        return None
    needle = needle.strip()
    if sentence:
        at = text.find(sentence, max(0, end - len(sentence)))
        if 0 <= at <= start:
            inside = text.find(needle, at, at + len(sentence))
            if inside >= 0:
                return inside, inside + len(needle)
    found, best = None, None
    position = text.find(needle)
    while position >= 0:
        distance = abs(position - start)
        if best is None or distance < best:
            found, best = position, distance
        position = text.find(needle, position + 1)
    return (found, found + len(needle)) if found is not None else None


def event_annotations(text: str, event_id: str, start: int, end: int, sentence: str | None,
                      date_text: str | None, date_label: str | None, place_text: str | None,
                      place_label: str | None) -> list[dict[str, Any]]:
    """The date and place of one event, located in the text."""
    found = []
    for kind, needle, label in (("date", date_text, date_label), ("place", place_text, place_label)):
        span = nearest(text, needle, start, end, sentence)
        if span:
            found.append({"start": span[0], "end": span[1], "kind": kind, "event_id": event_id, "actor_id": None,
                          "label": label or needle})
    return found


def date_label(start: object, end: object) -> str | None:
    if start is None:
        return None
    return str(start) if end in (None, start) else f"{start} to {end}"


def for_stored(text: str, mentions: Iterable[dict[str, Any]], evidence: Iterable[dict[str, Any]],
               contexts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Annotations of a stored article (rows of `queries.article` and `aggregates.article_event_context`)."""
    found = [{"start": m["start_char"], "end": m["end_char"], "kind": "actor", "event_id": None,
              "actor_id": m["actor_id"], "label": m["name"] or m["actor_id"]} for m in mentions]
    found += [{"start": v["start_char"], "end": v["end_char"], "kind": "trigger" if v["is_trigger"] else "mention",
               "event_id": v["event_id"], "actor_id": None, "label": None} for v in evidence]
    for c in contexts:
        found += event_annotations(text, c["event_id"], c["start"], c["end"], c["sentence"], c["date_text"],
                                   date_label(c["date_start"], c["date_end"]), c["place_text"], c["place"])
    return _sorted(found)


def for_result(text: str, result: ArticleResult) -> list[dict[str, Any]]:
    """Annotations of a fresh extraction (the output contract)."""
    found = [{"start": s, "end": e, "kind": "actor", "event_id": None, "actor_id": a.id, "label": a.name}
             for a in result.actors for s, e in a.mentions]
    for event in result.events:
        ev = event.evidence
        found.append({"start": ev.start, "end": ev.end, "kind": "trigger", "event_id": event.id, "actor_id": None,
                      "label": event.type})
        found += [{"start": m.start, "end": m.end, "kind": "mention", "event_id": event.id, "actor_id": None,
                   "label": event.type} for m in event.mentions if (m.start, m.end) != (ev.start, ev.end)]
        date, place = event.date, event.location
        found += event_annotations(text, event.id, ev.start, ev.end, ev.sentence,
                                   date.text if date else None, date_label(date.start, date.end) if date else None,
                                   place.text if place else None, place.name if place else None)
    return _sorted(found)


def _sorted(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    order = {"trigger": 0, "mention": 1, "actor": 2, "date": 3, "place": 4}
    unique = {(a["start"], a["end"], a["kind"], a["event_id"], a["actor_id"]): a for a in found
              if a["start"] is not None and a["end"] is not None and a["end"] > a["start"]}
    return sorted(unique.values(), key=lambda a: (a["start"], -a["end"], order[a["kind"]]))
