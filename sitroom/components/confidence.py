"""How sure sitroom is that an event record is a real event, reported as such: a logistic model over a few
features of the record, with weights fitted on the development gold files (scripts/calibrate_confidence.py
writes knowledge/confidence.yaml), so that a confidence of 0.7 means about seven in ten such records match
an event an analyst coded."""

from __future__ import annotations

import functools
import math
from importlib import resources

import yaml
from spacy.tokens import Doc, Token

from sitroom.knowledge.ontology import PLOVER_TYPES
from sitroom.components.coreference import is_toll_only, stated
from sitroom.components.records import EventRecord
from sitroom.components.syntax import sentence_number

REPORTING = {"say", "tell", "report", "add", "announce", "state", "claim", "write", "warn"}


@functools.lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    """The rules' weights (knowledge/confidence.yaml); a trained event model ships its own (events.json)."""
    text = (resources.files("sitroom.knowledge") / "confidence.yaml").read_text(encoding="utf-8")
    return {k: float(v) for k, v in yaml.safe_load(text)["weights"].items()}


def features(doc: Doc, event: EventRecord) -> dict[str, float]:
    status = event.status.value if event.status else "reported"
    anchor = doc[event.primary.anchor]
    sentence = sentence_number(doc, event.primary.anchor)
    return {
        **{f"type:{t}": float(event.type == t) for t in PLOVER_TYPES},
        "lead": float(sentence - sentence_number(doc, body_token(doc)) <= 1),
        "position": event.primary.anchor / max(1, len(doc)),
        "agreement": event.agreement,
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
        "quoted": float(quoted(anchor)),
        # "attacks on shipping", "strikes": a kind of event, not one event
        "bare_plural": float(anchor.tag_ in ("NNS", "NNPS") and not any(
            c.dep_ in ("det", "poss", "nummod") for c in anchor.children)),
        "embedded": float(embedded(anchor)),
        "sentences": math.log(len({sentence_number(doc, m.anchor) for m in event.mentions})),
        "recent": float(recent(doc, event)),
        "lexicon_only": float(not any(m.hit.by_model for m in event.mentions)),
    }


def quoted(token: Token) -> bool:
    """Inside a quotation: the speaker's words, where an event word is as often rhetoric as report."""
    sent = token.sent
    before = sum(1 for t in sent[:token.i - sent.start] if t.text in ('"', "“", "”"))
    return before % 2 == 1


def embedded(token: Token) -> bool:
    """In a clause below one that is not a report: 'the aim of destroying …', 'who sided with …'."""
    current = token
    for _ in range(10):
        if current.dep_ in ("relcl", "acl", "advcl", "pcomp", "csubj") and current.head.lemma_ not in REPORTING:
            return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def recent(doc: Doc, event: EventRecord) -> bool:
    """Dated within the month before publication (what a story reports as news)."""
    published = doc._.article.published if doc._.article is not None else None
    date = event.date
    if published is None or date is None or date.start is None or date.rule not in ("attached", "clause"):
        return False
    return 0 <= (published - date.start).days <= 31


def body_token(doc: Doc) -> int:
    """The first word of the story, after a [Source: …] line and a dateline."""
    return next((t.i for t in doc if t.idx >= doc._.body_start and not t.is_space), 0)


def confidence(doc: Doc, event: EventRecord, w: dict[str, float] | None = None) -> float:
    w = weights() if w is None else w
    score = sum(w.get(name, 0.0) * value for name, value in features(doc, event).items())
    return round(1.0 / (1.0 + math.exp(-score)), 2)
