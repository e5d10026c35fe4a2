"""Fit the confidence model on the development gold files and write sitroom/knowledge/confidence.yaml.

    .venv/bin/python scripts/calibrate_confidence.py [GOLD.jsonl ...]

Every event record the pipeline makes (before any threshold) is labelled 1 when it is the first match of a
required gold event (right type) and 0 when it matches nothing or is a duplicate; records matching only an
optional gold event (which an analyst may or may not code) are left out of the fit. A logistic model
with a small L2 penalty is fitted on the features of `sitroom/components/confidence.py`. Only dev gold files
may be used (never a `test` split). The script prints the reliability of the fitted model by bins and the
threshold that maximises event F1 on the same files; the default `min_confidence` setting is set from it by
hand, in sitroom/settings.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitroom.read.article import from_text  # noqa: E402
from sitroom.components.confidence import features  # noqa: E402
from sitroom.contract.evaluate import load_gold  # noqa: E402
from sitroom.components.pipeline import load_pipeline, prepare  # noqa: E402

DEV_GOLD = [ROOT / "examples" / "gold.jsonl", ROOT.parent / "shared" / "data" / "seed" / "gold.jsonl"]
L2 = 2.0
OUT = ROOT / "sitroom" / "knowledge" / "confidence.yaml"


def labelled_records(paths: list[Path]) -> tuple[list[dict[str, float]], list[int], list[tuple]]:
    nlp = load_pipeline()
    rows, labels, keys = [], [], []
    for path in paths:
        for gold in load_gold(path):
            article = from_text(gold.text, published=gold.published, source=gold.source, name=gold.doc)
            doc = nlp(prepare(nlp, article))
            matched: set[str] = set()
            for event in sorted(doc._.events, key=lambda e: doc[e.primary.hit.start].idx):
                span = doc[event.primary.hit.start:event.primary.hit.end]
                hits = [g for g in gold.events if event.type in g.types
                        and any(s < span.end_char and span.start_char < e for s, e in g.spans)]
                fresh = [g for g in hits if g.id not in matched]
                matched.update(g.id for g in fresh[:1])
                rows.append(features(doc, event))
                labels.append(int(bool(fresh)))
                keys.append((gold.doc, span.start_char, event.type, [g.required for g in fresh[:1]]))
    return rows, labels, keys


def fit(rows: list[dict[str, float]], labels: list[int], keys: list[tuple]) -> dict[str, float]:
    rows = [r for r, k in zip(rows, keys) if k[3] != [False]]
    labels = [y for y, k in zip(labels, keys) if k[3] != [False]]
    names = sorted(rows[0])
    x = np.array([[r[n] for n in names] for r in rows])
    y = np.array(labels, dtype=float)
    w = np.zeros(len(names))
    penalty = np.array([0.0 if n == "bias" else L2 for n in names])
    for _ in range(20000):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) / len(y) + penalty * w / len(y)
        w -= 0.5 * grad
    return {n: round(float(v), 4) for n, v in zip(names, w)}


def predict(weights: dict[str, float], row: dict[str, float]) -> float:
    return 1 / (1 + np.exp(-sum(weights[n] * v for n, v in row.items())))


def reliability(probs: list[float], labels: list[int]) -> list[str]:
    lines = []
    for low in np.arange(0.0, 1.0, 0.2):
        inside = [(p, y) for p, y in zip(probs, labels) if low <= p < low + 0.2 or (low >= 0.8 and p == 1.0)]
        if inside:
            lines.append(f"{low:.1f}-{low + 0.2:.1f}: {len(inside):4d} records, mean confidence "
                         f"{np.mean([p for p, _ in inside]):.2f}, share matching {np.mean([y for _, y in inside]):.2f}")
    return lines


def best_threshold(probs: list[float], keys: list[tuple], gold_required: int) -> tuple[float, float]:
    best = (0.0, 0.0)
    for threshold in np.arange(0.05, 0.95, 0.05):
        kept = [k for p, k in zip(probs, keys) if p >= threshold]
        tp = sum(1 for k in kept if k[3] == [True])
        optional = sum(1 for k in kept if k[3] == [False])
        fp = len(kept) - tp - optional
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / gold_required if gold_required else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best[1]:
            best = (round(float(threshold), 2), round(f1, 4))
    return best


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or DEV_GOLD
    rows, labels, keys = labelled_records(paths)
    weights = fit(rows, labels, keys)
    probs = [float(predict(weights, r)) for r in rows]
    required = sum(1 for path in paths for d in load_gold(path) for e in d.events if e.required)
    threshold, f1 = best_threshold(probs, keys, required)
    scored = [(p, y) for p, y, k in zip(probs, labels, keys) if k[3] != [False]]
    report = reliability([p for p, _ in scored], [y for _, y in scored])
    OUT.write_text(
        "# Weights of the confidence model (sitroom/components/confidence.py); fitted by\n"
        "# scripts/calibrate_confidence.py on the development gold files. Do not edit by hand.\n"
        + yaml.safe_dump({"fitted_on": [str(p.relative_to(ROOT.parent)) for p in paths],
                          "records": len(rows), "matching": sum(labels),
                          "best_threshold": threshold, "f1_at_best_threshold": f1,
                          "reliability": report, "weights": weights}, sort_keys=False, allow_unicode=True),
        encoding="utf-8")
    print("\n".join(report))
    print(f"best threshold {threshold} (event F1 {f1} on the files it was fitted on)")


if __name__ == "__main__":
    main()
