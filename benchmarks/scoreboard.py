"""sitroom measured on every public gold set in ../shared/data, beside the published figures.

    .venv/bin/python benchmarks/scoreboard.py                 # all sets, dev and test; writes SCOREBOARD.md
    .venv/bin/python benchmarks/scoreboard.py --only tempeval3_tbaq --no-write
    .venv/bin/python benchmarks/scoreboard.py --diagnose casualties_dev   # dev failures, on stdout only
    .venv/bin/python benchmarks/scoreboard.py --json /tmp/scores.json

Each set is scored with the metric its community uses (docs/scoreboard.md); the loaders and scorers are in
benchmarks/loaders/, one module per foreign format, and the label mappings in benchmarks/mappings/.
Dev and test runs are reported separately; only dev outputs may be looked at (`--diagnose` refuses test sets).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.loaders import (
    case2021,
    casualties,
    crossmerge,
    eventlocation,
    geoparsing,
    hrdsattack,
    news,
    plover_gsr,
    tempeval3,
    wikievents,
)
from benchmarks.loaders.common import data_dir, stable_sample

log = logging.getLogger("scoreboard")
OUTPUT = ROOT / "benchmarks" / "SCOREBOARD.md"
FLOORS = ROOT / "benchmarks" / "floors.json"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str = "ratio"   # ratio | km | count


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    metrics: tuple[Metric, ...]
    anchors: dict[str, str] = field(default_factory=dict)   # metric key -> published figures, same test set
    note: str = ""


@dataclass(frozen=True)
class GoldSet:
    id: str
    section: str
    split: str            # dev | test
    label: str
    path: str             # relative to the data folder (or to the repository for sitroom's own gold)
    measure: Callable[[Path, int | None], dict]
    key: Callable[[object], str] = lambda item: str(getattr(item, "id", item))


# ---- measuring one set ----------------------------------------------------------------------------------

def via(module, key: Callable[[object], str] = lambda item: str(getattr(item, "id", item))):
    """load -> fixed sample -> predict -> score, for a loader module."""
    def measure(path: Path, sample: int | None) -> dict:
        items = stable_sample(module.load(path), sample, key)
        return module.score(items, module.predict(items))
    return measure


def own_gold(path: Path, sample: int | None) -> dict:
    from sitroom.contract.evaluate import evaluate
    report = evaluate(path).total.summary()
    out = {"precision": report["precision"], "recall": report["recall"], "f1": report["f1"],
           "tp": report["tp"], "fp": report["fp"], "fn": report["fn"], "duplicates": report["duplicates"],
           "duplicate_rate": report["duplicate_rate"], "type_accuracy": report["type_accuracy"]}
    for name, row in report["fields"].items():
        if row["accuracy"] is not None:
            out[f"{name}_accuracy"] = row["accuracy"]
    return out


def judged(judge: str) -> Callable[[Path, int | None], dict]:
    """sitroom's own scoring of a gold file, with one judge of events (rules, model or hybrid)."""
    def measure(path: Path, sample: int | None) -> dict:
        import os
        from sitroom.components.pipeline import build_pipeline
        previous = os.environ.get("SITROOM_JUDGE")
        os.environ["SITROOM_JUDGE"] = judge
        try:
            figures = own_gold(path, sample)
        finally:
            if previous is None:
                os.environ.pop("SITROOM_JUDGE", None)
            else:
                os.environ["SITROOM_JUDGE"] = previous
            build_pipeline.cache_clear()
        return figures
    return measure


def news_run(path: Path, sample: int | None) -> dict:
    return news.run(stable_sample(news.load(path), sample, lambda s: s.id))


SECTIONS = [
    Section("own", "sitroom's own gold (our format, `sitroom eval`)", (
        Metric("precision", "event precision"), Metric("recall", "event recall"), Metric("f1", "event F1"),
        Metric("duplicates", "duplicates", "count"),
        Metric("actor_accuracy", "actor accuracy"), Metric("target_accuracy", "target accuracy"),
        Metric("date_accuracy", "date accuracy"), Metric("place_accuracy", "place accuracy (country, ≤ 50 km)"),
        Metric("fatalities_accuracy", "fatalities exact"), Metric("injured_accuracy", "injured exact")),
        note="Events match by trigger span and PLOVER type; arguments are scored on matched events."),
    Section("newsgold", "Real news stories annotated by analysts (newsgold; `sitroom eval`), per judge", (
        Metric("precision", "event precision"), Metric("recall", "event recall"), Metric("f1", "event F1"),
        Metric("duplicate_rate", "duplicate records per required event"),
        Metric("type_accuracy", "type accuracy on found triggers"),
        Metric("actor_accuracy", "actor accuracy"), Metric("target_accuracy", "target accuracy"),
        Metric("date_accuracy", "date accuracy"), Metric("place_accuracy", "place accuracy (country, ≤ 50 km)"),
        Metric("fatalities_accuracy", "fatalities exact"), Metric("injured_accuracy", "injured exact")),
        note="rules: the trigger lexicon alone; model: the trained event model alone; hybrid (shipped): the "
             "model with the syntactic rules on top. The model was trained on newsgold dev and newstrain, so its "
             "dev column is a training-set figure: its held-out figures are the folds recorded in "
             "sitroom/weights/events.json (README, 'The event model'). Test is measured only."),
    Section("plover", "PLOVER gold-standard records (event type per sentence)", (
        Metric("accuracy", "event-type accuracy"), Metric("macro_f1", "event-type macro-F1"),
        Metric("coverage", "sentences with any event"), Metric("source_accuracy", "source actor (right type)"),
        Metric("n", "sentences", "count")),
        note="No published automatic-coder figure on these records; PLOVER 0.5/0.6 types mapped to 0.8."),
    Section("case2021", "CASE 2021 task 2 (ACLED sub-event type per snippet)", (
        Metric("weighted_f1", "weighted F1, 30 labels"), Metric("macro_f1", "macro-F1, 30 labels"),
        Metric("accuracy", "accuracy (= micro-F1)"), Metric("acled25_weighted_f1", "weighted F1, 25 ACLED labels"),
        Metric("no_event_share", "snippets with no event"), Metric("n", "snippets", "count")),
        anchors={"weighted_f1": "best system 0.771 (sub-task 3, 30 labels)",
                 "acled25_weighted_f1": "best system 0.839 (sub-task 1, 25 labels; its test set was a subset)"},
        note="Published: Haneczok et al., CASE 2021 shared task 2 overview (supervised and zero-shot systems)."),
    Section("hrdsattack", "HRDsAttack (attacks on human rights defenders, document level)", (
        Metric("detection", "attack detected"), Metric("violation_micro_f1", "violation types micro-F1"),
        Metric("violation_macro_f1", "violation types macro-F1"), Metric("date_accuracy", "event date accuracy"),
        Metric("country_accuracy", "event country accuracy"), Metric("documents", "articles", "count")),
        note="The dataset's paper reports fine-tuned T5 question-answering baselines on its own split; "
             "not quoted here (different split and label granularity)."),
    Section("tempeval3", "TempEval-3 (temporal expressions, normalised value)", (
        Metric("value_f1", "value F1"), Metric("relaxed_f1", "relaxed span F1"), Metric("strict_f1", "strict span F1"),
        Metric("type_f1", "type F1"), Metric("value_accuracy_on_matches", "value accuracy on matched spans"),
        Metric("gold_timex", "gold expressions", "count")),
        anchors={"value_f1": "HeidelTime 0.776, SUTime 0.674"},
        note="Published: UzZaman et al. 2013, TempEval-3 task A on the platinum test set."),
    Section("geo", "Geoparsing (accuracy within 161 km)", (
        Metric("given_acc161", "acc@161, given gold toponyms"), Metric("given_median_km", "median error km, given gold", "km"),
        Metric("e2e_acc161", "acc@161, own toponyms (matched)"), Metric("e2e_acc161_all", "acc@161, own toponyms (all gold)"),
        Metric("e2e_median_km", "median error km, own toponyms", "km"),
        Metric("e2e_recall", "toponym recall"), Metric("e2e_precision", "toponym precision"),
        Metric("candidate_recall", "candidate recall (a candidate within 161 km)"),
        Metric("gold_toponyms", "gold toponyms", "count")),
        anchors={"given_acc161": "Mordecai3 0.827 (LGL), 0.941 (GeoWebNews), 0.873 (TR-News); "
                                 "Edinburgh 0.760, CLAVIN 0.706 (LGL)"},
        note="Published: Halterman 2023 (Mordecai3) and Gritta et al.; geocoding of gold toponyms. The toponym "
             "ranker is fitted on LGL dev: its held-out LGL figure is in sitroom/weights/toponyms.json (5 folds of "
             "the articles)."),
    Section("eventloc", "Event-to-place linking (event_location sentences)", (
        Metric("accuracy", "linking accuracy"), Metric("placed_accuracy", "… sentences with a gold place"),
        Metric("unplaced_accuracy", "… sentences without one (no place taken from the sentence)"),
        Metric("verb_found", "event found at the marked verb"), Metric("sentences", "sentences", "count")),
        note="Halves of event_location by a hash of the text, 1,500 sentences each: the tune half for adjusting "
             "the rules, the held half measured only (benchmarks/loaders/eventlocation.py). No published figure "
             "with this scoring."),
    Section("casualties", "Gun-violence articles (killed and injured counts)", (
        Metric("killed_accuracy", "killed exact"), Metric("injured_accuracy", "injured exact"),
        Metric("both_accuracy", "both exact"), Metric("killed_accuracy_when_deaths", "killed exact, deadly incidents"),
        Metric("articles", "articles", "count")),
        note="No published figure for per-article exact counts on this corpus (SemEval-2018 task 5 asked "
             "questions over the whole collection)."),
    Section("wikievents", "WikiEvents (triggers of the types with a PLOVER equivalent)", (
        Metric("trigger_recall", "trigger recall"), Metric("trigger_precision", "trigger precision"),
        Metric("trigger_f1", "trigger F1"), Metric("identification_recall", "trigger identification recall"),
        Metric("casualty_triggers_in_assault", "death/injury triggers inside an ASSAULT"),
        Metric("gold_triggers", "mapped gold triggers", "count")),
        note="Published trigger figures cover all 50 KAIROS types with trained models; not comparable."),
    Section("merge", "Merging across articles: pairs of gold events from different newsgold stories", (
        Metric("pair_precision", "pairwise precision"), Metric("pair_recall", "pairwise recall"),
        Metric("pair_f1", "pairwise F1"), Metric("found_pairs", "same-event pairs both found", "count"),
        Metric("gold_pairs", "same-event pairs in the gold", "count"), Metric("groups", "real events told by 2+ stories", "count")),
        note="Gold: benchmarks/data/cross_article_dev.json, built by reading the dev stories; scored on the pairs "
             "whose two gold events the extractor found (benchmarks/loaders/crossmerge.py)."),
    Section("news", "63 unlabelled stories, end to end", (
        Metric("crashed", "crashes", "count"), Metric("refused", "refused inputs", "count"),
        Metric("events", "events", "count"), Metric("bad_evidence", "evidence outside the text or > 80 chars", "count"),
        Metric("dated_sentences", "events whose sentence has a resolved date", "count"),
        Metric("undated", "… of which without a date", "count"),
        Metric("placed_sentences", "events whose sentence has a resolved place", "count"),
        Metric("unplaced", "… of which without a location", "count"),
        Metric("articles_per_s", "throughput, articles/s", "km"), Metric("chars_per_s", "throughput, characters/s", "count")),
        note="Throughput: one article at a time (nlp(doc)), all stages, on this 2-core machine shared with others."),
]

SETS = [
    GoldSet("own_examples", "own", "dev", "examples/gold.jsonl", "examples/gold.jsonl", own_gold),
    GoldSet("own_seed", "own", "dev", "seed gold", "seed/gold.jsonl", own_gold),
    *(GoldSet(f"newsgold_{split}_{judge}", "newsgold", split, f"{split} {judge}", f"newsgold/{split}.jsonl",
              judged(judge)) for split in ("dev", "test") for judge in ("rules", "model", "hybrid")),
    GoldSet("plover_gsr", "plover", "dev", "PLOVER GSR", "plover_gsr/PLOVER_GSR_CAMEO.txt", via(plover_gsr)),
    GoldSet("case2021", "case2021", "test", "CASE 2021 test", "case2021/test.tsv", via(case2021)),
    GoldSet("hrdsattack_dev", "hrdsattack", "dev", "HRDsAttack dev", "hrdsattack/dev.json", via(hrdsattack)),
    GoldSet("hrdsattack_test", "hrdsattack", "test", "HRDsAttack test", "hrdsattack/test.json", via(hrdsattack)),
    GoldSet("tempeval3_tbaq", "tempeval3", "dev", "TBAQ (dev)", "tempeval3/dev-tbaq", via(tempeval3, lambda d: d.name)),
    GoldSet("tempeval3_platinum", "tempeval3", "test", "platinum (test)", "tempeval3/test-platinum",
            via(tempeval3, lambda d: d.name)),
    GoldSet("geo_lgl", "geo", "dev", "LGL (dev)", "geoparsing/dev-LGL.xml", via(geoparsing)),
    GoldSet("geo_geowebnews", "geo", "test", "GeoWebNews (test)", "geoparsing/test-GeoWebNews.xml", via(geoparsing)),
    GoldSet("geo_trnews", "geo", "test", "TR-News (test)", "geoparsing/test-TR-News.xml", via(geoparsing)),
    GoldSet("eventloc_tune", "eventloc", "dev", "tune half", "event_location/labeled_text.jsonl.zip",
            eventlocation.measure("tune")),
    GoldSet("eventloc_held", "eventloc", "test", "held half", "event_location/labeled_text.jsonl.zip",
            eventlocation.measure("held")),
    GoldSet("casualties_dev", "casualties", "dev", "dev", "casualties/dev.jsonl", via(casualties)),
    GoldSet("casualties_test", "casualties", "test", "test", "casualties/test.jsonl", via(casualties)),
    GoldSet("wikievents_dev", "wikievents", "dev", "dev", "wikievents/dev.jsonl", via(wikievents)),
    GoldSet("wikievents_test", "wikievents", "test", "test", "wikievents/test.jsonl", via(wikievents)),
    GoldSet("merge_dev", "merge", "dev", "newsgold dev", "newsgold/dev.jsonl", crossmerge.measure),
    GoldSet("news", "news", "test", "63 stories", "news/index.jsonl", news_run),
]
BY_ID = {s.id: s for s in SETS}


def resolve_path(gold: GoldSet) -> Path:
    local = ROOT / gold.path
    return local if gold.section == "own" and local.exists() else data_dir() / gold.path


def measure(set_id: str, sample: int | None = None) -> dict:
    """The figures of one set (a fixed sample of it when `sample` is given), with the seconds it took."""
    gold = BY_ID[set_id]
    started = time.perf_counter()
    figures = gold.measure(resolve_path(gold), sample)
    figures["seconds"] = time.perf_counter() - started
    return figures


def public(figures: dict) -> dict:
    """The figures without the per-item failure lists (those stay on stdout, for dev sets only)."""
    return {k: v for k, v in figures.items() if not k.startswith("_")}


# ---- SCOREBOARD.md ------------------------------------------------------------------------------------------

def fmt(value: object, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "count":
        return f"{value:,.0f}" if isinstance(value, (int, float)) else str(value)
    if unit == "km":
        return f"{value:,.1f}"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def sample_size(figures: dict) -> str:
    for key in ("n", "documents", "articles"):
        if key in figures:
            return str(figures[key])
    if "tp" in figures:
        return str(figures["tp"] + figures["fn"]) + " events"
    return "?"


def render(results: dict[str, dict], meta: dict) -> str:
    intro = (f"Generated by `python benchmarks/scoreboard.py` on {meta['date']} at commit `{meta['commit']}`"
             f"{' (with uncommitted changes)' if meta['dirty'] else ''}; full run {meta['seconds']:.0f} s on a "
             "2-core machine shared with other jobs. Dev and test splits are separate columns; rules are tuned "
             "on dev only. How each figure is computed, and the label mappings: [docs/scoreboard.md]"
             "(../docs/scoreboard.md). The CI gate pins dev-sample floors in `benchmarks/floors.json`.")
    lines = ["# sitroom scoreboard", "", intro, ""]
    lines += headline(results)
    for section in SECTIONS:
        sets = [s for s in SETS if s.section == section.id and s.id in results]
        if not sets:
            continue
        lines += [f"## {section.title}", ""]
        header = (["metric"] + [f"{s.split}: {s.label} (n={sample_size(results[s.id])})" for s in sets]
                  + ["published (test set)"])
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for metric in section.metrics:
            cells = [fmt(results[s.id].get(metric.key), metric.unit) for s in sets]
            lines.append(f"| {metric.label} | " + " | ".join(cells) + f" | {section.anchors.get(metric.key, '')} |")
        seconds = ", ".join(f"{s.label} {results[s.id].get('seconds', 0):.0f} s" for s in sets)
        lines += ["", f"{section.note} Run time: {seconds}.", ""]
    return "\n".join(lines).rstrip() + "\n"


HEADLINE = [("newsgold_test_hybrid", "f1", "newsgold real stories event F1 (shipped judge)", ""),
            ("tempeval3_platinum", "value_f1", "TempEval-3 platinum value F1", "HeidelTime 0.776, SUTime 0.674"),
            ("geo_lgl", "given_acc161", "LGL acc@161 (gold toponyms)", "Mordecai3 0.827"),
            ("geo_geowebnews", "given_acc161", "GeoWebNews acc@161 (gold toponyms)", "Mordecai3 0.941"),
            ("geo_trnews", "given_acc161", "TR-News acc@161 (gold toponyms)", "Mordecai3 0.873"),
            ("case2021", "weighted_f1", "CASE 2021 task 2 weighted F1 (30 labels)", "best system 0.771"),
            ("plover_gsr", "accuracy", "PLOVER records event-type accuracy (dev)", ""),
            ("hrdsattack_test", "violation_micro_f1", "HRDsAttack violation types micro-F1", ""),
            ("casualties_test", "both_accuracy", "Gun-violence killed+injured exact", ""),
            ("wikievents_test", "trigger_recall", "WikiEvents mapped trigger recall", ""),
            ("own_examples", "f1", "sitroom dev gold event F1 (dev)", "")]


def headline(results: dict[str, dict]) -> list[str]:
    rows = [(label, results[sid][key], anchor) for sid, key, label, anchor in HEADLINE
            if sid in results and results[sid].get(key) is not None]
    if not rows:
        return []
    out = ["## Headline (test sets unless marked dev)", "", "| figure | sitroom | published |", "|---|---|---|"]
    out += [f"| {label} | {value:.3f} | {anchor} |" for label, value, anchor in rows]
    return out + [""]


def git_meta() -> tuple[str, bool]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    return git("rev-parse", "--short", "HEAD") or "unknown", bool(git("status", "--porcelain", "--untracked-files=no"))


# ---- the CI gate's floors -----------------------------------------------------------------------------------

GATE_PLAN: dict[str, tuple[int | None, tuple[str, ...]]] = {
    # set id: (fixed sample size or None for all, the figures pinned) -- dev splits only, under 3 minutes in all
    "own_seed": (None, ("f1", "actor_accuracy", "target_accuracy", "date_accuracy", "place_accuracy",
                        "fatalities_accuracy", "injured_accuracy")),
    "own_examples": (None, ("precision", "recall", "f1", "actor_accuracy", "target_accuracy", "date_accuracy",
                            "place_accuracy", "fatalities_accuracy", "injured_accuracy")),
    "newsgold_dev_hybrid": (None, ("precision", "recall", "f1", "type_accuracy", "actor_accuracy", "target_accuracy",
                                   "date_accuracy", "place_accuracy")),
    "plover_gsr": (None, ("accuracy", "macro_f1")),
    "hrdsattack_dev": (30, ("detection", "violation_micro_f1", "date_accuracy", "country_accuracy")),
    "tempeval3_tbaq": (80, ("value_f1", "relaxed_f1")),
    "geo_lgl": (100, ("given_acc161", "e2e_acc161", "e2e_recall")),
    "eventloc_tune": (300, ("accuracy", "placed_accuracy")),
    "casualties_dev": (150, ("killed_accuracy", "injured_accuracy", "both_accuracy")),
    "wikievents_dev": (None, ("trigger_recall", "trigger_precision")),
    "merge_dev": (None, ("pair_precision", "pair_recall")),
}
FLOORS_COMMENT = ("Floors of the CI gate (tests/test_eval_gate.py): dev-split figures of a fixed sample per set. "
                  "They only move up: raise them with `python benchmarks/scoreboard.py --raise-floors` after a "
                  "change improves a figure; never lower one to make a change pass. A change of judge may re-pin "
                  "named sets once (--repin SETS --reason TEXT); `_history` records each re-pin, its reason and "
                  "the figures before and after.")


def load_floors(path: Path = FLOORS) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def below_floor(figures: dict, floors: dict[str, float]) -> list[str]:
    """The pinned figures that dropped below their floor (a missing figure counts as a drop)."""
    problems = []
    for key, floor in floors.items():
        value = figures.get(key)
        if value is None or value < floor:
            problems.append(f"{key}: {value if value is None else round(value, 4)} < floor {floor}")
    return problems


def round_down(value: float) -> float:
    return int(value * 100 + 1e-9) / 100


def raise_floors(path: Path = FLOORS, repin: tuple[str, ...] = (), reason: str = "") -> dict:
    """Measure the gate's samples and raise each floor to the new figure rounded down (never lower one).
    The sets in `repin` are pinned at their new figures even where lower; `reason` says why, and it is kept
    in the file's `_history` with the figures before and after."""
    if repin and not reason:
        raise SystemExit("a re-pin needs its reason (--reason)")
    saved = load_floors(path) if path.exists() else {}
    old = saved.get("sets", {})
    sets = {}
    for set_id, (sample, keys) in GATE_PLAN.items():
        figures = measure(set_id, sample)
        previous = {} if set_id in repin else old.get(set_id, {}).get("floors", {})
        sets[set_id] = {"sample": sample, "floors": {
            k: max(previous.get(k, 0.0), round_down(figures[k])) for k in keys if figures.get(k) is not None}}
        log.info("%-16s %s", set_id, sets[set_id]["floors"])
    history = saved.get("_history", [])
    if repin:
        history.append({"date": time.strftime("%Y-%m-%d"), "reason": reason, "sets": {
            set_id: {"before": old.get(set_id, {}).get("floors", {}), "after": sets[set_id]["floors"]}
            for set_id in repin}})
    data = {"_comment": FLOORS_COMMENT, "_history": history, "sets": sets}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return data


# ---- dev diagnostics ---------------------------------------------------------------------------------------

def diagnose(set_id: str, sample: int | None) -> None:
    """Failure summaries of a dev set, printed (never written into the repository)."""
    if BY_ID[set_id].split != "dev":
        raise SystemExit(f"{set_id} is a test set: only dev outputs may be inspected")
    figures = measure(set_id, sample)
    print(json.dumps(public(figures), indent=1, default=str))
    for key, value in figures.items():
        if key.startswith("_") and isinstance(value, list):
            print(f"\n{key}: {len(value)}")
            for item, count in Counter(map(str, value)).most_common(40):
                print(f"  {count:4d}  {item}")


# ---- command line --------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated set ids (default: all): " + ", ".join(BY_ID))
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--sample", type=int, help="a fixed sample of this many items per set")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave SCOREBOARD.md alone")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--diagnose", help="a dev set id: print its failures")
    parser.add_argument("--raise-floors", action="store_true", help="re-measure the CI gate and raise its floors")
    parser.add_argument("--repin", help="with --raise-floors: comma-separated set ids pinned at their new figures "
                                        "even where lower (a change of judge, with --reason; recorded in _history)")
    parser.add_argument("--reason", default="", help="with --repin: why, and the figures that justify it")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    log.setLevel(logging.INFO)   # the scoreboard's own progress; sitroom's stages stay quiet
    if args.diagnose:
        diagnose(args.diagnose, args.sample)
        return 0
    if args.raise_floors:
        repin = tuple(filter(None, (args.repin or "").split(",")))
        unknown = set(repin) - set(GATE_PLAN)
        if unknown:
            parser.error(f"not in the gate: {', '.join(sorted(unknown))}")
        raise_floors(repin=repin, reason=args.reason)
        return 0
    chosen = [s for s in SETS if (not args.only or s.id in args.only.split(","))
              and args.split in ("all", s.split)]
    unknown = set(args.only.split(",")) - set(BY_ID) if args.only else set()
    if unknown:
        parser.error(f"unknown set id(s): {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    results = {}
    for gold in chosen:
        results[gold.id] = public(measure(gold.id, args.sample))
        log.info("%-20s %5.0f s  %s", gold.id, results[gold.id]["seconds"], summary_line(gold, results[gold.id]))
    commit, dirty = git_meta()
    meta = {"date": dt.date.today().isoformat(), "commit": commit, "dirty": dirty,
            "seconds": time.perf_counter() - started}
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=1, default=str), encoding="utf-8")
    if not args.no_write:
        if args.only or args.sample or args.split != "all":
            parser.error("SCOREBOARD.md is written from full runs only: add --no-write")
        OUTPUT.write_text(render(results, meta), encoding="utf-8")
        log.info("wrote %s (%.0f s)", OUTPUT.relative_to(ROOT), meta["seconds"])
    return 0


def summary_line(gold: GoldSet, figures: dict) -> str:
    section = next(s for s in SECTIONS if s.id == gold.section)
    return "  ".join(f"{m.key}={fmt(figures.get(m.key), m.unit)}" for m in section.metrics[:4])


if __name__ == "__main__":
    sys.exit(main())
