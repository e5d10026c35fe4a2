"""python -m sitroom.training.toponyms: fit the toponym ranker and write weights/toponyms.json.

Every gold toponym of LGL's dev release is looked up in the gazetteer as the `where` stage does it; each
candidate is a row of `toponyms.features` labelled by whether it lies within 161 km of the gold point. LGL is
local American news, so the annotated conflict stories (newsgold dev, newstrain) add theirs: the names in the
sentence of an event's trigger with a candidate within 50 km of the event's gold place. A logistic regression
(scikit-learn, seeded) is fitted on the rows; its held-out accuracy comes from folds of the articles. The
threshold below which the stage leaves a name unplaced when its best place is obscure (a village, a county) is
chosen on the held-out folds too, from the names the stage itself finds: each one placed right counts for it,
each one placed wrong or found where the gold has no toponym against it. Run from a checkout (it reads the gold
through benchmarks/loaders). About a minute on two cores; the same data give the same weights.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sitroom.components.toponyms import FEATURES, WEIGHTS, Model, Name, PlaceContext, cast_votes, features
from sitroom.components.geo import km_between
from sitroom.components.where import WhereStage, candidate_spans, pick, stands
from sitroom.knowledge.gazetteer import load_gazetteer
from sitroom.training.run import DEFAULT_DATA

SEED = 7
FOLDS = 5
WITHIN_KM = 161.0
NEWS = ("newsgold/dev.jsonl", "newstrain/gold.jsonl")
NEWS_KM = 50.0
MIN_SCALE = 0.2   # the smallest standardising scale: a rare feature is not magnified at run time
STAGE = WhereStage(load_gazetteer())
THRESHOLDS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


@dataclass
class Item:
    """One name in one article: its candidates and which of them are right."""
    name: Name
    right: np.ndarray
    toponym: bool   # a gold toponym (False: a name the stage found where the gold has none)


@dataclass
class Article:
    id: str
    context: PlaceContext
    names: list[Name]      # what the stage finds: the first pass reads them
    given: list[Item]      # the gold toponyms (one without candidates counts as wrong)
    found: list[Item]      # the stage's names, labelled


def articles(data: Path) -> list[Article]:
    """LGL dev: every gold toponym, and every name the stage finds (labelled by the gold toponyms)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from benchmarks.loaders import geoparsing

    docs = geoparsing.load(data / "geoparsing" / "dev-LGL.xml")
    out = []
    for index, (gold, doc) in enumerate(zip(docs, _docs([(d.text, d.published, d.id) for d in docs]))):
        if doc is None:
            continue
        spans = candidate_spans(doc)
        context, names = STAGE.base_context(doc, spans)
        given = [_item(doc, t.phrase, doc.char_span(t.start, t.end, alignment_mode="expand"), [(t.lat, t.lon)],
                       WITHIN_KM) for t in gold.toponyms]
        found = []
        for span in spans:
            golds = [t for t in gold.toponyms if t.start < span.end_char and span.start_char < t.end]
            found.append(_item(doc, span.text, span, [(t.lat, t.lon) for t in golds], WITHIN_KM, bool(golds)))
        out.append(Article(f"lgl:{index}", context, names, given, [f for f in found if f.name.candidates]))
    return out


def news_articles(data: Path) -> list[Article]:
    """The annotated conflict stories (newsgold dev, newstrain): the names in the sentence of an event's trigger
    that have a candidate within 50 km of the event's gold place (the gold gives the point, not the name)."""
    from sitroom.contract.evaluate import load_gold

    stories = [d for name in NEWS for d in load_gold(data / name)]
    out = []
    for gold, doc in zip(stories, _docs([(d.text, d.published, d.doc) for d in stories])):
        if doc is None:
            continue
        spans = candidate_spans(doc)
        context, names = STAGE.base_context(doc, spans)
        given, seen = [], set()
        for event in gold.events:
            if not event.place or event.place.get("lat") is None:
                continue
            point = [(event.place["lat"], event.place["lon"])]
            sentences = {doc.char_span(a, b, alignment_mode="expand").sent.start for a, b in event.spans
                         if doc.char_span(a, b, alignment_mode="expand") is not None}
            for span in spans:
                if span.sent.start in sentences and span.start not in seen:
                    item = _item(doc, span.text, span, point, NEWS_KM)
                    if item.right.any():
                        seen.add(span.start)
                        given.append(item)
        out.append(Article(f"news:{gold.doc}", context, names, given, []))
    return out


def _docs(texts: list[tuple]) -> list:
    from benchmarks.loaders.common import article, run_docs
    return run_docs([article(text, published=published, name=name) for text, published, name in texts],
                    stages=("sitroom_actors",))


def _item(doc, text: str, span, points: list[tuple[float, float]], km: float, toponym: bool = True) -> Item:
    name = Name(text, *STAGE.candidates(text, span, doc._.kb))
    right = np.array([p.lat is not None and any(km_between(lat, lon, p.lat, p.lon) <= km for lat, lon in points)
                      for p in name.candidates], bool)
    return Item(name, right, toponym)


def fold_of(article: Article) -> int:
    return int(hashlib.sha1(f"{SEED}:{article.id}".encode()).hexdigest(), 16) % FOLDS


def rows(context: PlaceContext, items: list[Item]) -> list[tuple[np.ndarray, Item]]:
    return [(features(i.name.text, i.name.candidates, context, i.name.cue), i) for i in items if i.name.candidates]


def fit(pairs: list[tuple[np.ndarray, Item]]) -> Model:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = np.vstack([r for r, _ in pairs])
    y = np.concatenate([i.right for _, i in pairs])
    scaler = StandardScaler().fit(x)
    scale = np.maximum(scaler.scale_, MIN_SCALE)
    model = LogisticRegression(C=1.0, max_iter=2000, random_state=SEED).fit((x - scaler.mean_) / scale, y)
    return Model({"mean": scaler.mean_.tolist(), "scale": scale.tolist(), "coef": model.coef_[0].tolist(),
                  "intercept": float(model.intercept_[0])})


def voted(article: Article, first: Model) -> PlaceContext:
    c = article.context
    context = PlaceContext(c.countries, c.regions, c.points, c.dateline)
    cast_votes(context, article.names, first)
    return context


def train(train_set: list[Article]) -> tuple[Model, Model]:
    first = fit([pair for a in train_set for pair in rows(a.context, a.given)])
    second = fit([pair for a in train_set for pair in rows(voted(a, first), a.given)])
    return first, second


def evaluate(models: tuple[Model, Model], test_set: list[Article]) -> tuple[int, int, dict[float, int]]:
    """(gold toponyms placed right, gold toponyms, gain of each threshold on the stage's own names)."""
    first, second = models
    right = total = 0
    gains = dict.fromkeys(THRESHOLDS, 0)
    for a in test_set:
        context = voted(a, first)
        total += len(a.given)
        for r, item in rows(context, a.given):
            right += bool(item.right[item.name.candidates.index(pick(item.name, second(r)))])
        for r, item in rows(context, a.found):
            p = second(r)
            chosen = item.name.candidates.index(pick(item.name, p))
            for threshold in THRESHOLDS:
                if stands(item.name, item.name.candidates[chosen], p.max(), threshold):
                    gains[threshold] += 1 if item.toponym and item.right[chosen] else -1
    return right, total, gains


def weights_of(model: Model) -> dict:
    return {"mean": model.mean.round(6).tolist(), "scale": model.scale.round(6).tolist(),
            "coef": model.coef.round(6).tolist(), "intercept": round(model.intercept, 6)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitroom.training.toponyms", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (../shared/data)")
    parser.add_argument("--out", type=Path, default=WEIGHTS, help="the weights file (the package's)")
    args = parser.parse_args(argv)
    began = time.time()
    lgl, news = articles(args.data), news_articles(args.data)
    data = lgl + news
    print(f"LGL dev: {len(lgl)} articles, {sum(len(a.given) for a in lgl)} gold toponyms, "
          f"{sum(len(a.found) for a in lgl)} names found; conflict stories: {len(news)}, "
          f"{sum(len(a.given) for a in news)} names of events' places")
    tally = {"lgl": [0, 0], "news": [0, 0]}
    gains = dict.fromkeys(THRESHOLDS, 0)
    for fold in range(FOLDS):
        models = train([a for a in data if fold_of(a) != fold])
        for source, articles_of in (("lgl", lgl), ("news", news)):
            right, total, fold_gains = evaluate(models, [a for a in articles_of if fold_of(a) == fold])
            tally[source][0] += right
            tally[source][1] += total
            for threshold, gain in fold_gains.items():
                gains[threshold] += gain
    threshold = max(THRESHOLDS, key=lambda t: (gains[t], -t))
    models = train(data)
    fitted, total, _ = evaluate(models, lgl)
    given = [i for a in lgl for i in a.given]
    figures = {
        "lgl_dev_acc161_held_out": round(tally["lgl"][0] / tally["lgl"][1], 4),
        "lgl_dev_acc161_fitted": round(fitted / total, 4),
        "lgl_dev_candidate_recall": round(sum(bool(i.right.any()) for i in given) / len(given), 4),
        "news_event_places_acc50_held_out": round(tally["news"][0] / tally["news"][1], 4),
        "threshold_gain": {str(t): g for t, g in gains.items()},
    }
    out = {
        "version": time.strftime("%Y-%m-%d"), "trained_on": ["geoparsing/dev-LGL.xml", *NEWS], "seed": SEED,
        "folds": FOLDS, "features": list(FEATURES), "first": weights_of(models[0]), "second": weights_of(models[1]),
        "min_probability": threshold, "figures": figures,
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"held out ({FOLDS} folds of the articles): LGL acc@161 {figures['lgl_dev_acc161_held_out']:.3f} "
          f"(fitted {figures['lgl_dev_acc161_fitted']:.3f}, candidate recall "
          f"{figures['lgl_dev_candidate_recall']:.3f}), conflict stories' event places within 50 km "
          f"{figures['news_event_places_acc50_held_out']:.3f}; threshold {threshold} (gains {gains}); "
          f"{time.time() - began:.0f} s; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
