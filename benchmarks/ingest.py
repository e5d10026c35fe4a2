"""Ingest throughput against extraction alone, and query latency on a store of 100,000 synthetic events.

    .venv/bin/python benchmarks/ingest.py [--repeat 3] [--corpus DIR_OR_INDEX] [--events 100000] [--json]

1. Articles/s into the store (extract, write every article in its own transaction, merge across articles)
   over articles/s of the pipeline alone (what `sitroom extract` does), on the same texts in the same run,
   timed in alternation, best round of each. The ratio must stay at or above 0.8.
2. A store filled with `--events` synthetic events (sitroom.store.synthetic), merged; then each query the
   CLI offers is timed (median of 5 after one warm-up): each must stay under 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from throughput import corpus

from sitroom.read.article import Article
from sitroom.components.pipeline import load_pipeline, run
from sitroom.store import queries, synthetic
from sitroom.store.ingest import ingest
from sitroom.store.merge import MergeSettings, merge_store
from sitroom.store.store import Store

RATIO_FLOOR = 0.8
LATENCY_CEILING_MS = 200.0


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def ingest_rate(articles: list[Article], repeat: int, folder: Path) -> dict:
    nlp = load_pipeline()
    list(run(articles[:2], nlp))  # warm caches (gazetteer, knowledge base)
    extract_times, ingest_times = [], []
    for round_ in range(repeat):
        extract_times.append(timed(lambda: list(run(articles, nlp, batch_size=16))))
        path = folder / f"round{round_}.duckdb"

        def into_store(path: Path = path) -> None:
            with Store(path) as store:
                ingest(store, iter(articles), batch_size=16)
                merge_store(store, MergeSettings.from_settings())
        ingest_times.append(timed(into_store))
    n = len(articles)
    extract, stored = n / min(extract_times), n / min(ingest_times)
    with Store(folder / f"round{repeat - 1}.duckdb", read_only=True) as store:
        events, clusters = store.count("events"), store.count("clusters")
    return {"articles": n, "events": events, "merged_events": clusters,
            "extract_articles_per_s": round(extract, 2), "ingest_articles_per_s": round(stored, 2),
            "ratio": round(stored / extract, 3)}


def query_latency(events: int, folder: Path) -> dict:
    path = folder / "synthetic.duckdb"
    with Store(path) as store:
        fill = timed(lambda: synthetic.fill(store, events=events))
        merge = timed(lambda: merge_store(store, MergeSettings.from_settings()))
    with Store(path, read_only=True) as store:
        article_id = store.con.execute("SELECT id FROM articles ORDER BY id LIMIT 1 OFFSET 1234").fetchone()[0]
        kyiv = queries.resolve_place(store, "Kyiv", 50)
        listed = {
            "events": queries.EventFilter(),
            "events --type ASSAULT": queries.EventFilter(type="ASSAULT"),
            "events --actor Hamas": queries.EventFilter(actor="Hamas"),
            "events --actor rsf": queries.EventFilter(actor="rsf"),
            "events --country UKR": queries.EventFilter(country="UKR"),
            "events --since/--until (a month)": queries.EventFilter(since=dt.date(2024, 6, 1),
                                                                    until=dt.date(2024, 6, 30)),
            "events --near Kyiv --km 50": queries.EventFilter(near=kyiv),
            "events --min-sources 2": queries.EventFilter(min_sources=2),
        }
        calls = {name: (lambda s=selection: (queries.events(store, s, limit=50), queries.count_events(store, s)))
                 for name, selection in listed.items()}
        calls["events --format json (members)"] = lambda: queries.events(store, queries.EventFilter(type="ASSAULT"),
                                                                         limit=50, members=True)
        calls["actors"] = lambda: queries.actors(store)
        calls["show ARTICLE_ID"] = lambda: queries.article(store, article_id)
        calls["stats"] = lambda: queries.stats(store)
        latencies = {}
        for name, call in calls.items():
            call()
            latencies[name] = round(statistics.median(timed(call) for _ in range(5)) * 1000, 1)
        counts = {"events": store.count("events"), "merged_events": store.count("clusters"),
                  "articles": store.count("articles")}
    size = path.stat().st_size
    return {"store": counts, "fill_s": round(fill, 2), "merge_s": round(merge, 2),
            "store_mb": round(size / 2 ** 20, 1), "latency_ms": latencies}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", help="a folder of .txt files or an index.jsonl")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        result = {"ingest": ingest_rate(corpus(args.corpus), args.repeat, folder),
                  "queries": query_latency(args.events, folder)}
    result["ok"] = (result["ingest"]["ratio"] >= RATIO_FLOOR
                    and max(result["queries"]["latency_ms"].values()) < LATENCY_CEILING_MS)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        report(result, args.repeat)
    sys.exit(0 if result["ok"] else 1)


def report(result: dict, repeat: int) -> None:
    ing, q = result["ingest"], result["queries"]
    print(f"{ing['articles']} articles, {ing['events']} events, {ing['merged_events']} merged; best of {repeat}")
    print(f"extract alone   : {ing['extract_articles_per_s']:8.2f} articles/s")
    print(f"ingest to store : {ing['ingest_articles_per_s']:8.2f} articles/s")
    print(f"ratio           : {ing['ratio']:.3f}   (must stay >= {RATIO_FLOOR})")
    print(f"synthetic store : {q['store']['events']:,} events, {q['store']['merged_events']:,} merged, "
          f"{q['store']['articles']:,} articles, {q['store_mb']} MB; filled in {q['fill_s']} s, "
          f"merged in {q['merge_s']} s")
    for name, ms in q["latency_ms"].items():
        print(f"  {name:36s} {ms:7.1f} ms")
    print(f"slowest query   : {max(q['latency_ms'].values()):.1f} ms   (must stay < {LATENCY_CEILING_MS:.0f} ms)")


if __name__ == "__main__":
    main()
