"""The training runs: held-out folds that measure the model, and the rebuild of the shipped weights.

Both start the same way: the stories of the training files are split in K folds; for each fold an encoder is
trained on the others and run on it. What the encoders say of stories they were not trained on (out of fold)
trains the heads after them: the pair scorer (mentions of one event) and the confidence model. The folds'
scores are the figures a change is judged by; the shipped encoder is then trained on every story.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from sitroom.components.encoder import MANIFEST, PAIRS_FILE, SHIPPED
from sitroom.contract.evaluate import GoldDoc, Tally
from sitroom.training import corpus, export, heads, tagger
from sitroom.training.bert import load_minilm, minilm_archive

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = SHIPPED
BUILD = ROOT / "build" / "training"
SEED = 13
FOLDS = 4
JOIN = 0.6                  # pair score above which a mention joins an earlier event (chosen on the folds)
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 16))
F1_TIE = 0.005              # thresholds this close to the best F1 tie; the lowest wins


@dataclass
class Folds:
    """What the held-out folds produced: the heads' training data, and the scores at each threshold."""
    pairs: dict[int, list] = field(default_factory=dict)
    records: dict[int, list] = field(default_factory=dict)
    scores: dict[float, Tally] = field(default_factory=dict)
    per_fold: dict[int, Tally] = field(default_factory=dict)

    @property
    def threshold(self) -> float:
        """The confidence threshold with the best event F1 over the held-out folds; of thresholds within
        F1_TIE of it, the lowest: a user can filter a listed event out by its confidence, never find a
        withheld one."""
        f1 = {t: tally.summary()["f1"] for t, tally in self.scores.items()}
        best = max(f1.values())
        return min(t for t, value in f1.items() if value >= best - F1_TIE)


def sentences(data: Path) -> list[dict]:
    from sitroom.components.pipeline import build_pipeline
    nlp = build_pipeline((), "rules", "")
    return [s.as_dict() for s in corpus.build(data, nlp)]


def fit_encoder(train_sentences: list[dict], epochs: int | None):
    from tokenizers import Tokenizer
    tagger.set_threads()
    bert, tokenizer_json = load_minilm(minilm_archive())
    settings = tagger.Settings(seed=SEED)
    if epochs:
        settings = replace(settings, epochs=epochs)
    tokenizer = Tokenizer.from_str(tokenizer_json.decode("utf-8"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    model = tagger.train(tagger.Tagger(bert), tagger.examples(train_sentences, tokenizer), settings)
    return model, tokenizer_json, settings


def train_into(folder: Path, train_sentences: list[dict], family: str, epochs: int | None, meta: dict) -> dict:
    """Train one encoder of the family on the sentences and write it into the folder; its settings."""
    if family == "cnn":
        from sitroom.training import cnn
        settings = {"epochs": epochs or cnn.EPOCHS}
        export.write_cnn(cnn.train(train_sentences, epochs=settings["epochs"], seed=SEED), folder, meta)
        return settings
    model, tokenizer_json, settings = fit_encoder(train_sentences, epochs)
    export.write(model, tokenizer_json, folder, {**meta, "family": "minilm", "settings": settings.__dict__})
    return settings.__dict__


def folds_of(docs: list[str], k: int) -> list[set[str]]:
    order = sorted(docs)
    random.Random(SEED).shuffle(order)
    return [set(order[i::k]) for i in range(k)]


def held_out(data: Path, k: int = FOLDS, epochs: int | None = None, family: str = "minilm",
             judge: str = "hybrid", reuse: bool = False, sents: list[dict] | None = None) -> Folds:
    """Encoders trained on all folds but one (kept when `reuse` finds them), their out-of-fold output, the
    heads fitted fold by fold on the others' output, and the held-out scores."""
    golds = corpus.gold_documents(data)
    folds = folds_of([g.doc for g in golds], k)
    out = Folds()
    for n, held in enumerate(folds):
        folder = BUILD / family / f"fold{n}"
        if not (reuse and (folder / MANIFEST).exists()):
            sents = sents or sentences(data)
            started = time.time()
            train_into(folder, [s for s in sents if s["doc"] not in held], family, epochs,
                       {"fold": n, "held_out": sorted(held)})
            log.info("fold %d: encoder trained (%.0f s)", n, time.time() - started)
        write_gold([g for g in golds if g.doc in held], data, folder / "gold.jsonl")
        export.drop_file(folder, PAIRS_FILE)
        fresh_pipelines()
        out.pairs[n] = heads.collect_pairs(model_pipeline(folder, judge), [g for g in golds if g.doc in held])
    for n, held in enumerate(folds):
        folder = BUILD / family / f"fold{n}"
        others = [d for m, data_ in out.pairs.items() if m != n for d in data_]
        export.add_file(folder, PAIRS_FILE, export.npz_bytes(heads.fit_pairs(others, join=JOIN)))
        fresh_pipelines()
        out.records[n] = heads.collect_records(model_pipeline(folder, judge), [g for g in golds if g.doc in held])
    out.scores = {t: Tally() for t in THRESHOLDS}
    for n in range(k):
        folder = BUILD / family / f"fold{n}"
        others = [d for m, data_ in out.records.items() if m != n for d in data_]
        export.update_manifest(folder, confidence=heads.fit_confidence(others))
        fresh_pipelines()
        for t, tally in scored_at(folder, judge).items():
            out.scores[t].add(tally)
    for n in range(k):
        out.per_fold[n] = scored_at(BUILD / family / f"fold{n}", judge)[out.threshold]
        log.info("fold %d at %.2f: %s", n, out.threshold, brief(out.per_fold[n]))
    log.info("all folds at %.2f: %s", out.threshold, brief(out.scores[out.threshold]))
    return out


def cross_validate(data: Path, k: int = FOLDS, epochs: int | None = None, family: str = "minilm",
                   judge: str = "hybrid", reuse: bool = False) -> Folds:
    folds = held_out(data, k, epochs, family, judge, reuse)
    for t in THRESHOLDS:
        log.info("all folds at %.2f: %s", t, brief(folds.scores[t]))
    print(json.dumps({"family": family, "judge": judge, "threshold": folds.threshold,
                      **folds.scores[folds.threshold].summary()}, indent=1))
    return folds


def rebuild(data: Path, out: Path, epochs: int | None = None, k: int = FOLDS, reuse: bool = False) -> Path:
    """The shipped weights: the folds first (their scores are recorded), then the encoder on every story,
    with heads fitted on all the folds' out-of-fold output. With `reuse`, encoders already trained (the
    folds' and the shipped one) are kept and only the heads are fitted again."""
    started = time.time()
    sents = None if reuse else sentences(data)
    folds = held_out(data, k, epochs, sents=sents, reuse=reuse)
    if reuse and (out / MANIFEST).exists():
        settings = export.read(out)["settings"]
        export.drop_file(out, PAIRS_FILE)
    else:
        settings = train_into(out, sents or sentences(data), "minilm", epochs, {
            "version": time.strftime("%Y-%m-%d"), "trained_on": list(corpus.TRAIN_FILES), "seed": SEED, "folds": k})
    export.add_file(out, PAIRS_FILE, export.npz_bytes(heads.fit_pairs(
        [d for data_ in folds.pairs.values() for d in data_], join=JOIN)))
    export.update_manifest(out, confidence=heads.fit_confidence([d for data_ in folds.records.values() for d in data_]),
                           min_confidence=folds.threshold)
    fresh_pipelines()
    dev = dev_scores(data, out)
    export.update_manifest(out, settings=settings, minutes=round((time.time() - started) / 60, 1), scores={
        "held_out_folds": summary(folds.scores[folds.threshold]),
        "held_out_per_fold": [summary(t) for t in folds.per_fold.values()],
        "newsgold_dev": summary(dev)})
    log.info("held-out folds: %s", brief(folds.scores[folds.threshold]))
    log.info("newsgold dev (trained on): %s", brief(dev))
    log.info("wrote %s in %.0f minutes", out, (time.time() - started) / 60)
    return out


def dev_scores(data: Path, folder: Path) -> Tally:
    """newsgold dev scored with the new weights at their own threshold (what CI checks them against)."""
    from sitroom.contract.evaluate import evaluate
    import os
    previous = os.environ.get("SITROOM_EVENT_MODEL")
    os.environ["SITROOM_EVENT_MODEL"] = str(folder)
    try:
        return evaluate(data / "newsgold" / "dev.jsonl").total
    finally:
        if previous is None:
            os.environ.pop("SITROOM_EVENT_MODEL")
        else:
            os.environ["SITROOM_EVENT_MODEL"] = previous


def summary(tally: Tally) -> dict:
    s = tally.summary()
    return {k: s[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn", "duplicates", "duplicate_rate",
                              "type_accuracy")} | {f"{name}_accuracy": row["accuracy"]
                                                   for name, row in s["fields"].items()}


def scored_at(folder: Path, judge: str) -> dict[float, Tally]:
    """The held-out fold scored as `sitroom eval` scores it, at every threshold."""
    from sitroom.read.article import from_text
    from sitroom.contract.evaluate import load_gold, score_document
    from sitroom.components.pipeline import run as run_pipeline
    golds = load_gold(folder / "gold.jsonl")
    articles = [from_text(g.text, published=g.published, source=g.source, title=g.title, name=g.doc) for g in golds]
    out = {t: Tally() for t in THRESHOLDS}
    for gold, result in zip(golds, run_pipeline(articles, nlp=model_pipeline(folder, judge), min_confidence=0.0)):
        for t in THRESHOLDS:
            kept = result.model_copy(update={"events": [e for e in result.events if e.confidence >= t]})
            out[t].add(score_document(gold, kept))
    return out


def model_pipeline(folder: Path, judge: str = "hybrid"):
    from sitroom.components.pipeline import build_pipeline
    return build_pipeline((), judge, str(folder))


def fresh_pipelines() -> None:
    """Forget loaded pipelines and weights: a fold's folder changes between runs."""
    from sitroom.components import encoder
    from sitroom.components.pipeline import build_pipeline
    build_pipeline.cache_clear()
    encoder.load.cache_clear()


def brief(tally: Tally) -> str:
    s = tally.summary()
    fields = " ".join(f"{k} {v['accuracy']}" for k, v in s["fields"].items())
    return (f"P {s['precision']} R {s['recall']} F1 {s['f1']} dup {s['duplicates']} type {s['type_accuracy']} "
            f"| {fields}")


def write_gold(docs: list[GoldDoc], data: Path, path: Path) -> Path:
    """A gold file of some stories, their texts named by absolute path."""
    index = {}
    for name in corpus.TRAIN_FILES:
        source = data / name
        for line in source.read_text(encoding="utf-8").splitlines():
            if line.strip():
                raw = json.loads(line)
                raw["text_file"] = str((source.parent / raw["text_file"]).resolve())
                index[raw["doc"]] = raw
    path.write_text("".join(json.dumps(index[d.doc], ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path
