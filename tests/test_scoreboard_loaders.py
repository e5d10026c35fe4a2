"""The scoreboard's loaders, mapping tables and scorers, on small inline samples written for these tests.

No pipeline runs here: predictions are built by hand, so each test pins what a format means and how a
figure is computed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.loaders import (
    case2021,
    casualties,
    common,
    geoparsing,
    hrdsattack,
    news,
    plover_gsr,
    tempeval3,
    wikievents,
)
from sitroom.knowledge.ontology import PLOVER_TYPES, acled_event_types
from sitroom.contract.schema import (
    Acled,
    ActorRef,
    Casualty,
    DateInfo,
    Event,
    Evidence,
    Location,
    Span,
)


def event(type_: str = "ASSAULT", start: int = 0, end: int = 5, confidence: float = 0.8, **fields) -> Event:
    return Event(id=f"e{start}", type=type_, evidence=Evidence(start=start, end=end, sentence="s"),
                 confidence=confidence, **fields)


# ---- common ---------------------------------------------------------------------------------------------

def test_stable_sample_is_fixed_and_keeps_file_order():
    items = [f"doc{i}" for i in range(50)]
    first = common.stable_sample(items, 10, str)
    assert first == common.stable_sample(list(reversed(items))[::-1], 10, str)
    assert len(first) == 10 and first == sorted(first, key=items.index)
    assert common.stable_sample(items, None, str) == items


def test_classification_figures():
    out = common.classification(["A", "A", "B", "C"], ["A", "B", "B", "X"])
    assert out["accuracy"] == 0.5
    # F1: A 2/3, B 2/3, C 0 -> macro 4/9; weighted (2*2/3 + 1*2/3 + 0) / 4 = 0.5
    assert out["macro_f1"] == pytest.approx(4 / 9)
    assert out["weighted_f1"] == pytest.approx(0.5)


def test_km_between_and_median():
    assert common.km_between(0, 0, 0, 1) == pytest.approx(111.2, abs=0.1)
    assert common.median([3, 1, 2]) == 2 and common.median([1, 2, 3, 4]) == 2.5 and common.median([]) is None


# ---- mapping tables ----------------------------------------------------------------------------------

def test_mapping_tables_name_only_real_labels():
    subs = {sub for group in acled_event_types().values() for sub in group}
    for row in common.read_mapping("case2021_acled.tsv"):
        assert row["acled_sub_event_type"] in subs or row["rule"] in {"no_event", "non_acled", "unreachable"}
    assert len({r["case_label"] for r in common.read_mapping("case2021_acled.tsv")}) == 30
    assert {r["plover"] for r in common.read_mapping("kairos_plover.tsv")} <= set(PLOVER_TYPES)
    assert {r["plover"] for r in common.read_mapping("plover_legacy.tsv")} <= set(PLOVER_TYPES)
    for row in common.read_mapping("hrdsattack_violations.tsv"):
        assert not row["plover"] or row["plover"] in PLOVER_TYPES
        assert not row["acled_sub_event"] or row["acled_sub_event"] in subs


# ---- TempEval-3 ---------------------------------------------------------------------------------------

TML = """<?xml version="1.0" ?>
<TimeML><DOCID>X1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2013-03-22" functionInDocument="CREATION_TIME">March 22, 2013</TIMEX3></DCT>
<TEXT>Rebels <EVENT eid="e1" class="OCCURRENCE">fired</EVENT> shells <TIMEX3 tid="t1" type="DATE" value="2013-03-21">Thursday</TIMEX3> &amp; talks began <TIMEX3 tid="t2" type="DATE" value="2013-W12">this week</TIMEX3> after <TIMEX3 tid="t3" type="DURATION" value="P3Y">three years</TIMEX3>.<TIMEX3 tid="t4" type="DATE" value="PRESENT_REF" anchorTimeID="t0"/></TEXT>
</TimeML>"""


def test_timeml_text_offsets_and_dct():
    doc = tempeval3.parse(TML, "X1")
    assert doc.dct == "2013-03-22"
    assert doc.text.startswith("Rebels fired shells Thursday & talks")
    assert [(t.text, t.value) for t in doc.timexes] == [("Thursday", "2013-03-21"), ("this week", "2013-W12"),
                                                        ("three years", "P3Y")]
    assert all(doc.text[t.start:t.end] == t.text for t in doc.timexes)


@pytest.mark.parametrize("args, expected", [
    (("date", "weekday", "Thursday", dt.date(2013, 3, 21), dt.date(2013, 3, 21), "day", {}), ("DATE", "2013-03-21")),
    (("date", "period_rel", "this week", dt.date(2013, 3, 18), dt.date(2013, 3, 24), "week", {}), ("DATE", "2013-W12")),
    (("date", "month_year", "March 2013", dt.date(2013, 3, 1), dt.date(2013, 3, 31), "month", {}), ("DATE", "2013-03")),
    (("date", "year", "in 1998", dt.date(1998, 1, 1), dt.date(1998, 12, 31), "year", {}), ("DATE", "1998")),
    (("date", "weekday", "Friday morning", dt.date(2013, 3, 22), dt.date(2013, 3, 22), "day", {}),
     ("TIME", "2013-03-22TMO")),
    (("date", "overnight", "last night", dt.date(2013, 3, 21), dt.date(2013, 3, 22), "day", {}),
     ("TIME", "2013-03-21TNI")),
    (("duration", "duration", "three years of", None, None, "day", {"count": "three", "unit": "year"}),
     ("DURATION", "P3Y")),
    (("duration", "duration", "many years of", None, None, "day", {}), ("DURATION", "PXY")),
    (("set", "set", "every week", None, None, "day", {}), ("SET", "P1W")),
    (("date", "recently", "recently", dt.date(2013, 3, 8), dt.date(2013, 3, 22), "range", {}), ("DATE", "PAST_REF")),
    (("date", "weekday", "Friday", None, None, "day", {}), ("DATE", None)),
])
def test_timex_values_of_sitroom_expressions(args, expected):
    assert tempeval3.timex_value(*args) == expected


def test_tempeval_value_f1_counts_relaxed_matches_with_equal_values():
    doc = tempeval3.parse(TML, "X1")
    at = doc.text.index
    found = [tempeval3.SysTimex(at("Thursday"), at("Thursday") + 8, "DATE", "2013-03-21"),     # strict, right
             tempeval3.SysTimex(at("this week"), at("this week") + 4, "DATE", "2013-W11"),     # relaxed, wrong
             tempeval3.SysTimex(at("Rebels"), at("Rebels") + 6, "DATE", "2013")]               # spurious
    out = tempeval3.score([doc], [found])
    assert out["gold_timex"] == 3 and out["system_timex"] == 3
    assert out["strict_f1"] == pytest.approx(1 / 3)
    assert out["relaxed_f1"] == pytest.approx(2 / 3)
    assert out["value_f1"] == pytest.approx(1 / 3)


# ---- geoparsing -----------------------------------------------------------------------------------------

LGL = """<articles><article docid="7"><dltime>2009-03-20 12:24:52-05</dltime>
<text>Fire in Alexandria and Paris.</text><toponyms>
<toponym><start>8</start><end>18</end><phrase>Alexandria</phrase>
<gaztag geonameid="1"><lat>31.3113</lat><lon>-92.4451</lon></gaztag></toponym>
<toponym><start>23</start><end>28</end><phrase>Paris</phrase></toponym>
</toponyms></article></articles>"""


def test_lgl_xml_skips_toponyms_without_coordinates(tmp_path):
    path = tmp_path / "dev-LGL.xml"
    path.write_text(LGL, encoding="utf-8")
    [doc] = geoparsing.load(path)
    assert doc.published == "2009-03-20"
    assert [(t.phrase, t.lat) for t in doc.toponyms] == [("Alexandria", 31.3113)]
    assert doc.text[8:18] == "Alexandria"


def test_geowebnews_reads_the_geocoding_file_beside_the_xml(tmp_path):
    (tmp_path / "test-X.xml").write_text(
        "<articles><article file=\"0\"><text>Irish fans in Dublin.</text></article></articles>", encoding="utf-8")
    (tmp_path / "test-X-geocoding.txt").write_text(
        "Ireland,,Irish,,53.0,,-8.0,,0,,5||Dublin,,Dublin,,53.35,,-6.26,,14,,20\n", encoding="utf-8")
    [doc] = geoparsing.load(tmp_path / "test-X.xml")
    assert [(t.phrase, t.start, t.end) for t in doc.toponyms] == [("Irish", 0, 5), ("Dublin", 14, 20)]


def test_geoparsing_scores_both_settings():
    doc = geoparsing.GeoDoc("d", "x" * 40, None, [geoparsing.Toponym(0, 5, "A", 0.0, 0.0),
                                                  geoparsing.Toponym(10, 15, "B", 10.0, 10.0)])
    pred = geoparsing.GeoPrediction(
        found=[geoparsing.Found(0, 5, 0.0, 1.0), geoparsing.Found(30, 35, 1.0, 1.0)],   # A at 111 km; a spurious one
        given=[(0.0, 2.0), None])                                                      # A at 222 km; B unresolved
    out = geoparsing.score([doc], [pred])
    assert out["e2e_recall"] == 0.5 and out["e2e_precision"] == 0.5
    assert out["e2e_acc161"] == 1.0 and out["e2e_acc161_all"] == 0.5
    assert out["given_acc161"] == 0.0 and out["given_resolved"] == 0.5
    assert out["given_median_km"] == pytest.approx((222.4 + geoparsing.MAX_ERROR_KM) / 2, abs=1)


# ---- PLOVER records ---------------------------------------------------------------------------------------

PLOVER = [
    {"id": "DOC", "event": "DOCUMENT", "eventText": "notes"},
    {"id": "R1", "event": "DEMAND", "text": "Libya urged Britain to hand over the suspects.",
     "source": [{"actorText": "Libya", "code": "LBY"}],
     "textInfo": {"markup": "(SRC: Libya) (EVT: urged) (TAR: Britain) to hand over the suspects."}},
    {"id": "R2", "event": "FIGHT", "text": "Troops clashed with rebels.", "source": [], "textInfo": "(EVT: clashed)"},
]


def test_plover_records_map_legacy_types_and_find_event_words():
    records = plover_gsr.parse(PLOVER)
    assert [(r.id, r.type, r.legacy_type) for r in records] == [("R1", "REQUEST", "DEMAND"), ("R2", "ASSAULT", "FIGHT")]
    r1 = records[0]
    assert [r1.text[s:e] for s, e in r1.triggers] == ["urged"] and r1.sources == ["LBY"]


def test_plover_prediction_prefers_the_event_on_the_marked_words():
    r1 = plover_gsr.parse(PLOVER)[0]
    on_words = event("REQUEST", 6, 11, 0.4, actor=ActorRef(id="lby", name="Libya", kind="state", country="LBY"))
    elsewhere = event("COERCE", 25, 29, 0.9)
    chosen = plover_gsr.choose(r1, [elsewhere, on_words])
    assert chosen.type == "REQUEST" and "LBY" in chosen.actor
    assert plover_gsr.choose(r1, []).type == plover_gsr.NONE
    out = plover_gsr.score([r1], [chosen])
    assert out["accuracy"] == 1.0 and out["source_accuracy"] == 1.0


# ---- CASE 2021 ---------------------------------------------------------------------------------------------

CASE = "id\tEventSnippet\tSubType\n1\tJets struck a village, killing 6.\tAIR_STRIKE\n2\tFloods hit the coast.\tNATURAL_DISASTER\n" \
       "3\tMinisters met in Cairo.\tDIPLO\n4\tA \"gang\" robbed a bank.\tORG_CRIME\n"


def test_case_snippets_and_labels():
    snippets = case2021.parse(CASE)
    assert [s.label for s in snippets] == ["AIR_STRIKE", "NATURAL_DISASTER", "DIPLO", "ORG_CRIME"]
    assert snippets[3].text == 'A "gang" robbed a bank.'


def test_case_label_comes_from_the_most_confident_acled_coded_event():
    by_acled, _ = case2021.table()
    strike = event(acled=Acled(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike"),
                   confidence=0.9)
    clash = event(start=10, end=15, acled=Acled(event_type="Battles", sub_event_type="Armed clash"), confidence=0.5)
    talks = event("CONSULT", 20, 25, 0.99)
    assert case2021.label_of([clash, strike, talks], by_acled) == "AIR_STRIKE"
    assert case2021.label_of([talks], by_acled) == case2021.NON_ACLED
    assert case2021.label_of([], by_acled) == case2021.NO_EVENT


def test_case_scoring_rules_for_the_non_acled_labels():
    snippets = case2021.parse(CASE)
    out = case2021.score(snippets, ["AIR_STRIKE", case2021.NO_EVENT, case2021.NON_ACLED, "ATTACK"])
    assert out["accuracy"] == 0.75                         # ORG_CRIME is unreachable
    assert out["acled25_accuracy"] == 1.0 and out["acled25_n"] == 1


# ---- HRDsAttack -------------------------------------------------------------------------------------------

HRD = [{"sample": {"Input.GLOBALEVENTID": 1, "Input.publish_date": "2021-03-08 23:00:34",
                   "Input.article_interface": "<p>Police arrested an activist &amp; beat him.</p> <p>He was freed.</p>"},
        "merged_sample": {"violation_types": ["arbitrary detention", "torture", "other"], "year": "2021.0",
                          "month": "Novermber", "date": "26.0", "country": "USA"}},
       {"sample": {"HIT_id": "h2", "Input.publish_date": None, "Input.article_interface": "<p>x</p>"},
        "merged_sample": {"violation_types": ["unknown"], "year": None, "month": None, "date": None,
                          "country": "Greece and India"}}]


def test_hrds_gold_normalisation():
    first, second = hrdsattack.parse(HRD)
    assert first.text == "Police arrested an activist & beat him.\n\nHe was freed."
    assert first.published == "2021-03-08"
    assert first.violations == {"arbitrary detention", "torture"}       # `other` is not scored
    assert (first.year, first.month, first.day, first.country) == (2021, 11, 26, "USA")
    assert second.violations == set() and second.year is None and second.country is None


def test_hrds_violation_rules():
    table = hrdsattack.rules()
    police = ActorRef(id="usa_police", name="police", kind="police", country="USA")
    gang = ActorRef(id="gang", name="gunmen", kind="armed_group", country=None)
    arrest = event("COERCE", mode="arrest")
    abduction_by_state = event(mode="abduct", actor=police)
    abduction_by_gang = event(mode="abduct", actor=gang)
    killing = event(fatalities=2, casualties=[Casualty(kind="killed", count=2, text="two")])
    assert hrdsattack.violations_of(arrest, table) == {"arbitrary detention"}
    assert hrdsattack.violations_of(abduction_by_state, table) == {"enforced disappearance"}
    assert hrdsattack.violations_of(abduction_by_gang, table) == {"kidnapping"}
    assert hrdsattack.violations_of(killing, table) == {"killing"}
    assert hrdsattack.violations_of(event("PROTEST"), table) == set()


def test_hrds_main_event_date_and_country():
    doc = hrdsattack.parse(HRD)[0]
    dated = event("COERCE", 10, 18, mode="arrest",
                  date=DateInfo(start=dt.date(2021, 11, 26), end=dt.date(2021, 11, 26), precision="day", rule="attached"),
                  location=Location(name="Austin", country="USA", precision="city"))
    pred = hrdsattack.summarise([event("PROTEST", 0, 5), dated], hrdsattack.rules())
    assert pred.violations == {"arbitrary detention"} and pred.country == "USA"
    assert hrdsattack.date_agrees(doc, pred.date)
    assert not hrdsattack.date_agrees(doc, ("2021-10-26", "2021-10-26"))
    out = hrdsattack.score([doc], [pred])
    assert out["detection"] == 1.0 and out["date_accuracy"] == 1.0 and out["country_accuracy"] == 1.0
    assert out["per_violation"]["torture"]["recall"] == 0.0


# ---- casualties -------------------------------------------------------------------------------------------

def test_casualty_articles_and_the_main_incident_rule():
    line = {"incident_id": "9", "doc_id": "a", "dct": "2014-01-20", "num_killed": 1, "num_injured": 3, "text": "t"}
    [item] = casualties.parse(json.dumps(line) + "\n")
    assert (item.id, item.killed, item.injured, item.published) == ("9/a", 1, 3, "2014-01-20")
    background = event("ACCUSE", 0, 5)
    lead = event(start=10, end=15, fatalities=1)
    later = event(start=50, end=55, fatalities=4, injured=9)
    assert casualties.main_incident([later, lead, background]) == (1, 0)
    assert casualties.main_incident([background]) == (0, 0)
    out = casualties.score([item], [(1, 0)])
    assert out["killed_accuracy"] == 1.0 and out["injured_accuracy"] == 0.0 and out["both_accuracy"] == 0.0


# ---- WikiEvents -----------------------------------------------------------------------------------------

WIKI = {"doc_id": "w1", "text": "Bomb kills twoPolice arrested a man",
        "tokens": ["Bomb", "kills", "two", "Police", "arrested", "a", "man"],
        "sentences": [[[["Bomb", 0, 4], ["kills", 5, 10], ["two", 11, 14]], "Bomb kills two"],
                      [[["Police", 15, 21], ["arrested", 22, 30], ["a", 31, 32], ["man", 33, 36]], "Police arrested a man"]],
        "event_mentions": [
            {"event_type": "Conflict.Attack.DetonateExplode", "trigger": {"start": 0, "end": 1, "text": "Bomb"}},
            {"event_type": "Life.Die.Unspecified", "trigger": {"start": 1, "end": 2, "text": "kills"}},
            {"event_type": "Justice.ArrestJailDetain.Unspecified", "trigger": {"start": 4, "end": 5, "text": "arrested"}},
            {"event_type": "Contact.Contact.Broadcast", "trigger": {"start": 3, "end": 4, "text": "Police"}}]}


def test_wikievents_text_is_rebuilt_and_types_mapped():
    [doc] = wikievents.parse(json.dumps(WIKI))
    assert doc.text == "Bomb kills two\nPolice arrested a man"
    assert [(doc.text[t.start:t.end], t.plover) for t in doc.triggers] == [
        ("Bomb", "ASSAULT"), ("kills", None), ("arrested", "COERCE"), ("Police", None)]
    table = wikievents.kairos_table()
    assert wikievents.map_type("Contact.RequestCommand.Meet", table) == "CONSULT"
    assert wikievents.map_type("Contact.RequestCommand.Broadcast", table) == "REQUEST"
    assert wikievents.map_type("Conflict.AttackX", table) is None


def test_wikievents_trigger_scores():
    [doc] = wikievents.parse(json.dumps(WIKI))
    kills = doc.text.index("kills")
    pred = [(0, 4, "ASSAULT"), (kills, kills + 5, "ASSAULT"), (15, 21, "COERCE"), (0, 4, "SUPPORT")]
    out = wikievents.score([doc], [pred])
    assert out["gold_triggers"] == 2 and out["trigger_recall"] == 0.5
    assert out["system_triggers"] == 3 and out["trigger_precision"] == pytest.approx(1 / 3)   # SUPPORT not in the image
    assert out["casualty_triggers_in_assault"] == 1.0


# ---- the unlabelled stories' checks -------------------------------------------------------------------------

class _Mention:
    def __init__(self, start, end, kind="date"):
        self.start_char, self.end_char = start, end
        self.expr = type("E", (), {"start_char": start, "end_char": end, "start": dt.date(2024, 1, 1)})()
        self.is_date = kind == "date"


def test_news_checks_flag_evidence_and_missing_dates():
    text = "On Monday a strike hit Gaza. Talks went on."
    doc = type("D", (), {})()
    doc._ = type("X", (), {"times": [_Mention(3, 9)], "places": [_Mention(23, 27, "place")]})()
    good = Event(
        id="a", type="ASSAULT", confidence=0.9, evidence=Evidence(start=12, end=18, sentence="On Monday a strike hit Gaza."),
        date=DateInfo(start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 1), precision="day", rule="attached"))
    outside = Event(id="b", type="CONSULT", confidence=0.9, evidence=Evidence(start=40, end=90, sentence="Talks went on."))
    result = type("R", (), {"events": [good, outside]})()
    counts = news.check(text, doc, result)
    assert counts["events"] == 2 and counts["bad_evidence"] == 1
    assert counts["dated_sentences"] == 1 and counts["undated"] == 0
    assert counts["placed_sentences"] == 1 and counts["unplaced"] == 1


def test_mentions_field_exists_on_events():
    # wikievents.predict reads every span of an event; keep the contract field it relies on.
    assert "mentions" in Event.model_fields and Span(start=0, end=1).end == 1
