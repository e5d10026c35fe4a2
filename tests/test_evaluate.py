"""The scorer on hand-made predictions: matching, duplicates, optional events, partial arguments."""

import datetime as dt
import json

import pytest

from sitroom.errors import GoldFileError
from sitroom.contract.evaluate import GoldDoc, GoldEvent, load_gold, score_document, trigger_spans
from sitroom.contract.schema import ArticleMeta, ArticleResult

TEXT = ("Rebels shelled the town of Kadugli on Monday, killing 9 people and wounding 20. "
        "The army said it would retaliate. Talks in Juba were postponed.")


def gold_doc(events):
    for event in events:
        event.spans = trigger_spans(TEXT, event.triggers)
    return GoldDoc("doc", TEXT, dt.date(2025, 5, 6), "Test", events)


def event(trigger, type_, **fields):
    start = TEXT.index(trigger)
    base = {"id": f"e{start}", "type": type_, "evidence": {"start": start, "end": start + len(trigger),
                                                          "sentence": "…"}, "confidence": 0.9}
    base.update(fields)
    return base


def result(*events):
    return ArticleResult.model_validate({"article": ArticleMeta(id="x").model_dump(), "events": list(events)})


SHELLING = GoldEvent("shelling", ["shelled the town of Kadugli", "killing 9 people"], ["ASSAULT"], True,
                     actor=["rebels", "SPLM-N"], target=["SDN", "civilians"], date=["2025-05-05", "2025-05-05"],
                     place={"country": "SDN", "lat": 11.01, "lon": 29.72}, fatalities=9, injured=20)
THREAT = GoldEvent("threat", ["would retaliate"], ["THREATEN"], True)
TALKS = GoldEvent("talks", ["Talks in Juba were postponed"], ["CONSULT", "REJECT"], False)


def test_true_positive_with_all_arguments_right():
    tally = score_document(gold_doc([SHELLING]), result(event(
        "shelled", "ASSAULT", actor={"id": "splm_n", "name": "SPLM-N", "kind": "armed_group", "country": "SDN"},
        target={"id": "sdn_civilians", "name": "Sudanese civilians", "kind": "civilians", "country": "SDN"},
        date={"start": "2025-05-05", "end": "2025-05-05", "precision": "day", "rule": "attached"},
        location={"name": "Kadugli", "country": "SDN", "lat": 11.0111, "lon": 29.7181, "precision": "city"},
        fatalities=9, injured=20)))
    assert (tally.tp, tally.fp, tally.fn) == (1, 0, 0)
    assert all(right == total == 1 for right, total in tally.fields.values())


def test_wrong_type_is_a_false_positive_and_a_miss():
    tally = score_document(gold_doc([SHELLING]), result(event("shelled", "COERCE")))
    assert (tally.tp, tally.fp, tally.fn) == (0, 1, 1)


def test_second_match_of_one_gold_event_is_a_duplicate():
    tally = score_document(gold_doc([SHELLING]), result(event("shelled", "ASSAULT"), event("killing", "ASSAULT")))
    assert (tally.tp, tally.fp, tally.duplicates, tally.fn) == (1, 1, 1, 0)


def test_optional_event_counts_nothing_either_way():
    assert (score_document(gold_doc([TALKS]), result(event("Talks", "CONSULT"))).fp,
            score_document(gold_doc([TALKS]), result()).fn) == (0, 0)


def test_unmatched_prediction_and_missed_required_event():
    tally = score_document(gold_doc([SHELLING, THREAT]), result(event("postponed", "REJECT")))
    assert (tally.tp, tally.fp, tally.fn) == (0, 1, 2)


def test_sentence_wide_evidence_matches_nothing():
    wide = event("Rebels shelled", "ASSAULT")
    wide["evidence"]["end"] = wide["evidence"]["start"] + 81
    assert score_document(gold_doc([SHELLING]), result(wide)).tp == 0


def test_partial_arguments_are_scored_one_by_one():
    tally = score_document(gold_doc([SHELLING]), result(event(
        "killing", "ASSAULT", actor={"id": "rebels", "name": "Rebels", "kind": "unknown"},
        date={"start": "2025-05-04", "end": "2025-05-05", "precision": "range", "rule": "clause"},
        location={"name": "Sudan", "country": "SDN", "lat": 15.0, "lon": 30.0, "precision": "country"},
        fatalities=9)))
    fields = {name: tuple(v) for name, v in tally.fields.items()}
    assert fields == {"actor": (1, 1), "target": (0, 1), "date": (0, 1), "place": (0, 1),
                      "fatalities": (1, 1), "injured": (0, 1)}


def test_unscored_fields_are_absent(tmp_path):
    tally = score_document(gold_doc([THREAT]), result(event("would retaliate", "THREATEN")))
    assert tally.tp == 1 and all(total == 0 for _, total in tally.fields.values())


def test_gold_file_errors_name_the_line(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"doc": "a", "text_file": "a.txt", "events": []}) + "\n" +
                    json.dumps({"doc": "b", "text_file": "missing.txt", "events": []}) + "\n", encoding="utf-8")
    with pytest.raises(GoldFileError) as info:
        load_gold(path)
    assert "line 2" in str(info.value)


def test_every_shared_and_project_gold_file_loads():
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    for path in [root / "examples" / "gold.jsonl", root.parent / "shared" / "data" / "seed" / "gold.jsonl"]:
        docs = load_gold(path)
        assert docs and all(e.spans for d in docs for e in d.events), path
