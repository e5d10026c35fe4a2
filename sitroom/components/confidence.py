"""How sure sitroom is that an event record is a real event, reported as such: a logistic model over a few
features of the record, with weights fitted on the development gold files (scripts/calibrate_confidence.py
writes knowledge/confidence.yaml), so that a confidence of 0.7 means about seven in ten such records match
an event an analyst coded."""

from __future__ import annotations

import functools
import math
from importlib import resources

import yaml
from spacy.tokens import Doc

from .coreference import is_toll_only, stated
from .records import EventRecord


@functools.lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    text = (resources.files("sitroom.knowledge") / "confidence.yaml").read_text(encoding="utf-8")
    return {k: float(v) for k, v in yaml.safe_load(text)["weights"].items()}


def features(doc: Doc, event: EventRecord) -> dict[str, float]:
    status = event.status.value if event.status else "reported"
    anchor = doc[event.primary.anchor]
    return {
        "bias": 1.0,
        "prior": max(m.hit.prior for m in event.mentions),
        "actor": float(event.actor is not None and not event.actor.generic),
        "target": float(event.target is not None and event.target.source != "default"),
        "casualties": float(bool(event.casualties)),
        "mentions": math.log(len(event.mentions)),
        "negated": float(status == "negated"),
        "hypothetical": float(status == "hypothetical"),
        "planned": float(status == "planned"),
        "attributed": float(status in ("claimed", "denied", "accused")),
        "background": float(event.background),
        "date_stated": float(stated(event.date) or (event.date is not None and event.date.rule == "report")),
        "place_stated": float(event.place is not None and event.place.rule in ("attached", "clause")),
        # "Sinwar, blamed for …": a description of someone, not a report of an act
        "description": float(anchor.tag_ == "VBN" and anchor.dep_ in ("acl", "amod")
                             and not any(c.dep_ == "agent" for c in anchor.children)),
        # "without giving casualty figures"
        "toll_without_figures": float(all(is_toll_only(m) for m in event.mentions) and not event.casualties),
        "verbal": float(event.primary.verbal),
    }


def confidence(doc: Doc, event: EventRecord) -> float:
    w = weights()
    score = sum(w.get(name, 0.0) * value for name, value in features(doc, event).items())
    return round(1.0 / (1.0 + math.exp(-score)), 2)
