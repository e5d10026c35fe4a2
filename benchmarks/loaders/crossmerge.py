"""Merging across articles, measured pairwise on the stories of `newsgold/dev.jsonl`.

`benchmarks/data/cross_article_dev.json` groups the gold events of different dev stories that are one real
event (built by reading the stories; see its `about`). The dev stories are ingested into a fresh store with
their dates and merged. Each gold event is found among its story's stored events as `sitroom eval` finds it
(the evidence overlaps a trigger, the type is one of the gold types). Then, over every pair of found gold
events from two different stories: a pair the gold groups together and the merge puts in one merged event is
a true positive, one the merge joins against the gold a false positive, one the gold joins and the merge
leaves apart a false negative. Gold events the extractor did not find take no part (`found` says how many).
"""

from __future__ import annotations

import itertools
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

GROUPS = Path(__file__).resolve().parent.parent / "data" / "cross_article_dev.json"


@dataclass
class CrossGold:
    docs: list            # sitroom.contract.evaluate.GoldDoc
    group_of: dict[tuple[str, str], int]   # (doc, gold event id) -> group number


def load(path: str | Path) -> CrossGold:
    from sitroom.contract.evaluate import load_gold
    groups = json.loads(GROUPS.read_text(encoding="utf-8"))["groups"]
    group_of = {(doc, event): n for n, group in enumerate(groups) for doc, event in group["members"]}
    return CrossGold(load_gold(path), group_of)


def measure(path: str | Path, sample: int | None = None) -> dict:
    gold = load(path)
    clusters = merged_clusters(gold.docs)
    found = {key: clusters[key] for key in gold.group_of.keys() | _all_keys(gold.docs) if clusters.get(key)}
    tp = fp = fn = 0
    for (a, clusters_a), (b, clusters_b) in itertools.combinations(sorted(found.items()), 2):
        if a[0] == b[0]:
            continue
        same = a in gold.group_of and gold.group_of[a] == gold.group_of.get(b)
        joined = bool(clusters_a & clusters_b)
        tp += same and joined
        fp += joined and not same
        fn += same and not joined
    gold_pairs = sum(1 for a, b in itertools.combinations(sorted(gold.group_of), 2)
                     if a[0] != b[0] and gold.group_of[a] == gold.group_of[b])
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
    return {"documents": len(gold.docs), "groups": len(set(gold.group_of.values())), "gold_pairs": gold_pairs,
            "found_pairs": tp + fn, "pair_precision": precision, "pair_recall": recall, "pair_f1": f1,
            "tp": tp, "fp": fp, "fn": fn}


def _all_keys(docs) -> set[tuple[str, str]]:
    return {(doc.doc, event.id) for doc in docs for event in doc.events}


def merged_clusters(docs) -> dict[tuple[str, str], set[str]]:
    """(doc, gold event id) -> the merged events (cluster ids) its found records ended up in."""
    from sitroom.read.article import from_text
    from sitroom.store.ingest import ingest
    from sitroom.store.merge import merge_store
    from sitroom.store.store import Store

    articles = {doc.doc: from_text(doc.text, published=doc.published, source=doc.source, name=doc.doc)
                for doc in docs}
    with tempfile.TemporaryDirectory() as folder:
        with Store(Path(folder) / "dev.duckdb") as store:
            ingest(store, list(articles.values()))
            merge_store(store)
            rows = store.con.execute("""
                SELECT e.article_id, e.type, e.start_char, e.end_char, m.cluster_id
                FROM events e JOIN cluster_members m ON m.event_id = e.id""").fetchall()
    by_article: dict[str, list[tuple]] = {}
    for article_id, type_, start, end, cluster in rows:
        by_article.setdefault(article_id, []).append((type_, start, end, cluster))
    found: dict[tuple[str, str], set[str]] = {}
    for doc in docs:
        for type_, start, end, cluster in by_article.get(articles[doc.doc].id, []):
            for event in doc.events:
                if type_ in event.types and any(s < end and start < e for s, e in event.spans):
                    found.setdefault((doc.doc, event.id), set()).add(cluster)
    return found
