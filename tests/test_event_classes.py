"""Kinds of sentences that trip event coders on real news (issue 12), on stories written for the tests
(tests/data/event_classes.yaml): each class must come out right with the shipped judge: found and typed
right, and no incidental predicate reported at the default threshold."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import sitroom

CASES = yaml.safe_load((Path(__file__).parent / "data" / "event_classes.yaml").read_text(encoding="utf-8"))
PUB = "2025-03-12"


def overlaps(text: str, event, words: str) -> bool:
    at = text.index(words)
    return event.evidence.start < at + len(words) and at < event.evidence.end


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.xfail(reason=c["known_miss"], strict=True))
                                  if c.get("known_miss") else c for c in CASES],
                         ids=[f"{c['class']}: {c['text'][:40]}" for c in CASES])
def test_event_class(case):
    text = case["text"]
    every = sitroom.extract(text, published=PUB, min_confidence=0.0).events
    reported = sitroom.extract(text, published=PUB).events
    found = [(e.type, text[e.evidence.start:e.evidence.end], round(e.confidence, 2)) for e in every]
    for type_, words in case.get("events", []):
        assert any(e.type == type_ and overlaps(text, e, words) for e in every), f"no {type_} on {words!r}: {found}"
    for words in case.get("not_events", []):
        assert not any(overlaps(text, e, words) for e in reported), f"{words!r} taken for an event: {found}"
