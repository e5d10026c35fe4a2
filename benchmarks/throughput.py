"""Throughput of sitroom's pipeline against the bare spaCy model, on the same texts in the same run.

    .venv/bin/python benchmarks/throughput.py [--repeat 3] [--corpus DIR_OR_INDEX] [--json]

Absolute times on a shared machine are noise; the ratio (pipeline articles/s over bare-model articles/s) is the
figure to watch: it must stay at or above 0.5 (the event model runs a transformer encoder over every sentence). The two are timed in alternation and the best round of each is
kept. Per-stage shares come from a separate pass that calls each stage on its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitroom.read.article import Article, from_text  # noqa: E402
from sitroom.components.pipeline import STAGES, load_base_model, load_pipeline, prepare, run  # noqa: E402

NEWS = ROOT.parent / "shared" / "data" / "news" / "index.jsonl"


def corpus(source: str | None) -> list[Article]:
    """The 63 real stories of ../shared/data/news when present (throughput only), else examples/."""
    path = Path(source) if source else (NEWS if NEWS.exists() else ROOT / "examples")
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [from_text((path.parent / r["text_file"]).read_text(encoding="utf-8"), published=r.get("published"),
                          source=r.get("source"), name=r["doc"]) for r in rows]
    return [from_text(p.read_text(encoding="utf-8"), name=p.name) for p in sorted(path.glob("*.txt"))]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def stage_shares(articles: list[Article]) -> dict[str, float]:
    nlp = load_pipeline()
    spent: dict[str, float] = defaultdict(float)
    for article in articles:
        start = time.perf_counter()
        doc = prepare(nlp, article)
        spent["tokenizer"] += time.perf_counter() - start
        for name, proc in nlp.pipeline:
            start = time.perf_counter()
            doc = proc(doc)
            spent[name] += time.perf_counter() - start
    total = sum(spent.values())
    return {name: round(seconds / total, 4) for name, seconds in spent.items()}


def measure(articles: list[Article], repeat: int) -> dict:
    base = load_base_model()
    nlp = load_pipeline()
    texts = [a.text for a in articles]
    list(run(articles[:2], nlp))  # warm caches (gazetteer, knowledge base)
    base_times, full_times = [], []
    for _ in range(repeat):
        base_times.append(timed(lambda: list(base.pipe(texts, batch_size=16))))
        full_times.append(timed(lambda: list(run(articles, nlp, batch_size=16))))
    n = len(articles)
    base_rate, full_rate = n / min(base_times), n / min(full_times)
    shares = stage_shares(articles)
    ours = sum(v for k, v in shares.items() if k in STAGES)
    return {
        "articles": n, "characters": sum(map(len, texts)), "repeat": repeat,
        "bare_model_articles_per_s": round(base_rate, 2), "pipeline_articles_per_s": round(full_rate, 2),
        "ratio": round(full_rate / base_rate, 3),
        "stage_shares": shares, "sitroom_stages_share": round(ours, 4),
        "actor_resolution_share": shares.get("sitroom_actors", 0.0),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", help="a folder of .txt files or an index.jsonl")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(corpus(args.corpus), args.repeat)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['articles']} articles, {result['characters']:,} characters, best of {args.repeat}")
    print(f"bare spaCy model : {result['bare_model_articles_per_s']:8.2f} articles/s")
    print(f"sitroom pipeline : {result['pipeline_articles_per_s']:8.2f} articles/s")
    print(f"ratio            : {result['ratio']:.3f}   (must stay >= 0.5)")
    print("stage shares     : " + ", ".join(f"{k} {v:.1%}" for k, v in result["stage_shares"].items()))
    print(f"peak memory      : {result['peak_memory_mb']} MB")


if __name__ == "__main__":
    main()
