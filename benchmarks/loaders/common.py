"""What every benchmark module shares: paths, mapping tables, deterministic samples, metrics, running sitroom."""

from __future__ import annotations

import csv
import hashlib
import math
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[2]
MAPPINGS = ROOT / "benchmarks" / "mappings"
T = TypeVar("T")


def data_dir() -> Path:
    """The shared data folder (../shared/data beside the repository; SITROOM_BENCH_DATA overrides it)."""
    return Path(os.environ.get("SITROOM_BENCH_DATA") or ROOT.parent / "shared" / "data")


def read_mapping(name: str) -> list[dict[str, str]]:
    """Rows of a documented mapping table (TSV with a header; lines starting with '#' are comments)."""
    with (MAPPINGS / name).open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines, delimiter="\t")]


def stable_sample(items: Sequence[T], size: int | None, key: Callable[[T], str]) -> list[T]:
    """A fixed sample: the `size` items whose keys hash lowest (independent of file order), in file order."""
    if size is None or size >= len(items):
        return list(items)
    ranked = sorted(range(len(items)), key=lambda i: hashlib.sha1(key(items[i]).encode()).hexdigest())
    keep = set(ranked[:size])
    return [item for i, item in enumerate(items) if i in keep]


# ---- metrics -------------------------------------------------------------------------------------------

def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def per_label(gold: Sequence[str], pred: Sequence[str], labels: Iterable[str]) -> dict[str, dict]:
    """Precision, recall, F1 and support of each label for single-label classification."""
    out = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        fp = sum(g != label and p == label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        p, r, f = prf(tp, fp, fn)
        out[label] = {"precision": p, "recall": r, "f1": f, "support": tp + fn}
    return out


def classification(gold: Sequence[str], pred: Sequence[str], labels: Iterable[str] | None = None) -> dict:
    """Accuracy (= micro-F1 for single-label data), macro-F1 and support-weighted F1 over the gold labels."""
    labels = sorted(set(gold)) if labels is None else sorted(labels)
    table = per_label(gold, pred, labels)
    n = len(gold)
    support = sum(row["support"] for row in table.values()) or 1
    return {
        "n": n,
        "accuracy": sum(g == p for g, p in zip(gold, pred)) / n if n else 0.0,
        "macro_f1": sum(row["f1"] for row in table.values()) / len(table) if table else 0.0,
        "weighted_f1": sum(row["f1"] * row["support"] for row in table.values()) / support,
        "per_label": table,
        "confusions": Counter((g, p) for g, p in zip(gold, pred) if g != p).most_common(15),
    }


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


# ---- running sitroom -------------------------------------------------------------------------------------

def pipeline():
    from sitroom.components.pipeline import load_pipeline
    return load_pipeline()


def run_docs(articles: Sequence, stages: Sequence[str] | None = None, batch_size: int = 16) -> list:
    """The processed spaCy Doc of each article, in order (None where the article is None: sitroom refused
    the text); `stages` keeps only those sitroom stages (the base model always runs)."""
    from sitroom.components.pipeline import STAGES, prepare
    nlp = pipeline()
    disable = [s for s in STAGES if stages is not None and s not in stages]
    present = [a for a in articles if a is not None]
    with nlp.select_pipes(disable=disable):
        done = iter(list(nlp.pipe((prepare(nlp, a) for a in present), batch_size=batch_size)))
    return [next(done) if a is not None else None for a in articles]


def run_results(articles: Sequence, batch_size: int = 16, min_confidence: float | None = None) -> list:
    """sitroom's ArticleResult for each article, in order (None where the article is None), at the default
    confidence threshold unless the set's annotation calls for another (see docs/scoreboard.md)."""
    from sitroom.components.pipeline import run
    present = [a for a in articles if a is not None]
    done = iter(list(run(present, pipeline(), batch_size=batch_size, min_confidence=min_confidence)))
    return [next(done) if a is not None else None for a in articles]


def article(text: str, published=None, source: str | None = None, name: str = "<text>"):
    """sitroom's Article for a text, or None when sitroom refuses the text (empty, not English, ...)."""
    from sitroom.read.article import from_text
    from sitroom.errors import InputError
    try:
        return from_text(text, published=published, source=source, name=name)
    except InputError:
        return None


def iso_date(value: str | None) -> str | None:
    """The YYYY-MM-DD prefix of a timestamp, or None."""
    if not value or len(value) < 10 or value[4] != "-":
        return None
    return value[:10]
