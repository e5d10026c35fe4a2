"""The small trained parts after the encoder, fitted on what the encoder says of stories it was not trained on
(out-of-fold): the pair scorer that tells mentions of one event, and the confidence of each record."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sitroom.read.article import from_text
from sitroom.components.events import VIEWS
from sitroom.components.pairs import pair_features
from sitroom.contract.evaluate import GoldDoc


@dataclass
class PairData:
    doc: str
    features: list[np.ndarray] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)


def gold_events_of(gold: GoldDoc, start: int, end: int) -> set[str]:
    return {e.id for e in gold.events if any(s < end and start < t for s, t in e.spans)}


def collect_pairs(nlp, golds: list[GoldDoc]) -> list[PairData]:
    """Pairs of the mentions the pipeline finds, labelled by the gold: one event when both fall in triggers of
    the same gold event, two when they fall in triggers of different ones (pairs with a mention outside
    every gold trigger say nothing and are left out)."""
    stage = nlp.get_pipe("sitroom_events")
    stage.keep_views = True
    articles = [from_text(g.text, published=g.published, source=g.source, title=g.title, name=g.doc) for g in golds]
    from sitroom.components.pipeline import prepare
    out = []
    try:
        for gold, doc in zip(golds, nlp.pipe(prepare(nlp, a) for a in articles)):
            items = sorted(doc.user_data.get(VIEWS, []), key=lambda v: v.mention.anchor)
            events = [gold_events_of(gold, doc[v.mention.hit.start].idx, doc[v.mention.hit.end - 1].idx
                                     + len(doc[v.mention.hit.end - 1].text)) for v in items]
            data = PairData(gold.doc)
            for j in range(len(items)):
                for i in range(j):
                    if events[i] and events[j]:
                        data.features.append(pair_features(doc, items[i], items[j]))
                        data.labels.append(int(bool(events[i] & events[j])))
            out.append(data)
    finally:
        stage.keep_views = False
    return out


def fit_pairs(data: list[PairData], join: float = 0.5, c: float = 1.0) -> dict[str, np.ndarray]:
    from sklearn.linear_model import LogisticRegression
    x = np.stack([f for d in data for f in d.features])
    y = np.array([label for d in data for label in d.labels])
    mean, scale = x.mean(0), x.std(0) + 1e-3
    model = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y)
    return {"weights": model.coef_[0].astype(np.float32), "bias": np.float32(model.intercept_[0]),
            "mean": mean.astype(np.float32), "scale": scale.astype(np.float32), "join": np.float32(join)}


@dataclass
class RecordData:
    doc: str
    rows: list[dict[str, float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)     # 1: first match of a gold event; 0: no match, duplicate
    optional: list[bool] = field(default_factory=list)  # matches an optional gold event only


def collect_records(nlp, golds: list[GoldDoc]) -> list[RecordData]:
    """Every record the pipeline makes, before any threshold, with the confidence features and whether it is
    an event an analyst coded (scored as `sitroom eval` scores it)."""
    from sitroom.components.confidence import features
    from sitroom.components.pipeline import prepare
    articles = [from_text(g.text, published=g.published, source=g.source, title=g.title, name=g.doc) for g in golds]
    out = []
    for gold, doc in zip(golds, nlp.pipe(prepare(nlp, a) for a in articles)):
        data = RecordData(gold.doc)
        matched: set[str] = set()
        for event in sorted(doc._.events, key=lambda e: doc[e.primary.hit.start].idx):
            span = doc[event.primary.hit.start:event.primary.hit.end]
            hits = [g for g in gold.events if event.type in g.types
                    and any(s < span.end_char and span.start_char < e for s, e in g.spans)]
            fresh = [g for g in hits if g.id not in matched and g.required] or [
                g for g in hits if g.id not in matched]
            matched.update(g.id for g in fresh[:1])
            data.rows.append(features(doc, event))
            data.labels.append(int(bool(fresh)))
            data.optional.append(bool(fresh) and not fresh[0].required)
        out.append(data)
    return out


def fit_confidence(data: list[RecordData], c: float = 0.5) -> dict[str, float]:
    """A logistic model of 'an analyst coded this event'; records matching only optional events are left
    out (an analyst may or may not code them)."""
    from sklearn.linear_model import LogisticRegression
    rows = [r for d in data for r, o in zip(d.rows, d.optional) if not o]
    labels = [y for d in data for y, o in zip(d.labels, d.optional) if not o]
    names = sorted(rows[0])
    model = LogisticRegression(C=c, max_iter=5000).fit(np.array([[r[n] for n in names] for r in rows]), labels)
    weights = {n: round(float(w), 4) for n, w in zip(names, model.coef_[0]) if n != "bias"}
    weights["bias"] = round(float(model.intercept_[0] + model.coef_[0][names.index("bias")]), 4)
    return weights
