"""The merge rules on hand-made reports: what may be one event, what may not, and how tolls reconcile."""

import datetime as dt
import random

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from sitroom.store import similarity
from sitroom.store.merge import (
    MergeSettings,
    Report,
    agreement,
    cluster_id,
    cluster_reports,
    haversine_km,
    reconcile_toll,
)

DAY = dt.date(2025, 5, 10)
EL_OBEID = (13.1842, 30.2167)
KHARTOUM = (15.5518, 32.5324)   # about 360 km from El Obeid
RSF = ("rsf", "armed_group", "SDN")
SAF = ("sdn_military", "military", "SDN")
CIVILIANS = ("sdn_civilians", "civilians", "SDN")
MERGE = MergeSettings(days=1, km=50.0, fatalities="latest", similarity=0.6)


def report(id, article, *, story=None, type="ASSAULT", start=DAY, end=None, place=EL_OBEID, precision="city",
           country="SDN", admin1=None, actor=RSF, target=CIVILIANS, killed=None, low=None, high=None,
           published=DAY + dt.timedelta(days=1), status="reported", mode="drone", confidence=0.9):
    lat, lon = place if place else (None, None)
    none = (None, None, None)
    return Report(id=id, article_id=article, story_id=story or article, source=None, published=published,
                  type=type, mode=mode, actor=side(actor or none), target=side(target or none), start=start, end=end or start,
                  dated=start is not None, country=country, admin1=admin1, lat=lat, lon=lon, precision=precision,
                  status=status, fatalities=killed, fatalities_qualifier="exact" if killed is not None else None,
                  fatalities_min=low, fatalities_max=high, injured=None, injured_min=None, injured_max=None,
                  confidence=confidence)


def side(actor: tuple) -> tuple:
    """(id, kind, country) with the groups it belongs to: (id, kind, country, groups)."""
    return actor if len(actor) == 4 else (*actor, frozenset())


def groups(reports, merge=MERGE):
    return sorted(sorted(r.id for r in c.members) for c in cluster_reports(reports, merge))


def test_same_place_same_day_merges():
    assert agreement(report("a", "A1"), report("b", "A2"), MERGE) == 4   # place 2, actor 1, target 1
    assert groups([report("a", "A1"), report("b", "A2", actor=None)]) == [["a", "b"]]


def test_type_date_place_and_sides_can_each_keep_reports_apart():
    base = report("a", "A1")
    assert agreement(base, report("b", "A2", type="COERCE"), MERGE) is None
    assert agreement(base, report("b", "A2", start=DAY + dt.timedelta(days=2)), MERGE) is None
    assert agreement(base, report("b", "A2", start=DAY + dt.timedelta(days=1)), MERGE) is not None
    assert agreement(base, report("b", "A2", place=KHARTOUM), MERGE) is None
    assert agreement(base, report("b", "A2", country="TCD", place=None, precision=None), MERGE) is None
    assert agreement(base, report("b", "A2", actor=SAF), MERGE) is None          # the other side of the war
    assert agreement(base, report("b", "A1"), MERGE) is None                    # one article: distinct events


def test_the_distance_window_is_a_setting():
    near = report("b", "A2", place=(13.5, 30.5))   # about 47 km away
    assert round(haversine_km(*EL_OBEID, 13.5, 30.5)) == 47
    assert agreement(report("a", "A1"), near, MERGE) == 4
    assert agreement(report("a", "A1"), near, MergeSettings(km=20)) is None
    assert agreement(report("a", "A1"), report("b", "A2", start=DAY + dt.timedelta(days=3)),
                     MergeSettings(days=3)) is not None


def test_a_country_centre_is_no_evidence_of_the_same_place():
    vague = report("b", "A2", place=(15.0, 30.0), precision="country", actor=None, target=None)
    assert agreement(report("a", "A1"), vague, MERGE) == 0       # compatible, but nothing agrees
    assert groups([report("a", "A1"), vague]) == [["a"], ["b"]]
    named = report("b", "A2", place=(15.0, 30.0), precision="country")
    assert agreement(report("a", "A1"), named, MERGE) == 2       # both sides agree: enough
    assert groups([report("a", "A1"), named]) == [["a", "b"]]


def test_state_apparatus_of_one_country_is_one_side():
    army = ("sdn_military", "military", "SDN")
    state = ("sdn", "state", "SDN")
    assert agreement(report("a", "A1", actor=army), report("b", "A2", actor=state), MERGE) == 4


def test_meetings_match_with_sides_in_either_order():
    egypt, qatar = ("egy", "state", "EGY"), ("qat", "state", "QAT")
    doha = (25.2854, 51.531)
    one = report("a", "A1", type="CONSULT", actor=egypt, target=qatar, place=doha, country="QAT")
    other = report("b", "A2", type="CONSULT", actor=qatar, target=egypt, place=doha, country="QAT")
    assert agreement(one, other, MERGE) == 4
    attack = report("c", "A3", actor=SAF, target=RSF)
    assert agreement(report("d", "A4", actor=RSF, target=SAF), attack, MERGE) is None


def test_complete_linkage_stops_chains():
    # b is compatible with a and with c, but a and c are 80 km apart: b joins one of them, not both.
    a = report("a", "A1", place=(13.0, 30.0))
    b = report("b", "A2", place=(13.3, 30.0), actor=None, target=None)
    c = report("c", "A3", place=(13.72, 30.0))
    assert agreement(a, c, MERGE) is None
    clusters = groups([a, b, c])
    assert len(clusters) == 2 and ["a", "c"] not in clusters


def test_strongest_pair_wins_one_article_per_cluster():
    # Article A1 mentions fighting (no sides) and the strike (with sides): the strike pairs with A2's report.
    fighting = report("a1-fighting", "A1", actor=None, target=None, mode="clash")
    strike = report("a1-strike", "A1", killed=12)
    other = report("a2-strike", "A2", killed=15)
    for order in ([fighting, strike, other], [other, fighting, strike], [strike, other, fighting]):
        assert groups(order) == [["a1-fighting"], ["a1-strike", "a2-strike"]]


def test_planned_and_undated_reports_stay_alone():
    planned = report("b", "A2", status="planned")
    undated = report("c", "A3", start=None)
    assert groups([report("a", "A1"), planned, undated]) == [["a"], ["b"], ["c"]]


def test_toll_range_and_best_estimate_never_the_sum():
    reports = [report("a", "A1", killed=12, low=12, published=DAY + dt.timedelta(days=1)),
               report("b", "A2", killed=15, published=DAY + dt.timedelta(days=1)),
               report("c", "A3", killed=18, published=DAY + dt.timedelta(days=2)),
               report("d", "A4", story="A1", killed=12, published=DAY + dt.timedelta(days=1))]  # a copy of A1
    assert reconcile_toll(reports, "fatalities", "latest")[0] == 18
    assert reconcile_toll(reports, "fatalities", "median")[0] == 15
    assert reconcile_toll(reports, "fatalities", "lowest")[0] == 12
    _, _, low, high, stories = reconcile_toll(reports, "fatalities", "latest")
    assert (low, high, stories) == (12, 18, 3)     # three independent stories, the copy counts once
    ranged = report("e", "A5", killed=20, low=20, high=25)
    assert reconcile_toll([ranged], "fatalities", "latest")[2:4] == (20, 25)
    assert reconcile_toll([report("f", "A6")], "fatalities", "latest") == (None, None, None, None, 0)


def test_cluster_id_is_a_hash_of_member_ids_in_any_order():
    assert cluster_id(["b", "a"]) == cluster_id(["a", "b"]) != cluster_id(["a", "c"])
    assert len(cluster_id(["a"])) == 16


@hsettings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_clusters_do_not_depend_on_input_order(rng):
    places = [EL_OBEID, (13.3, 30.1), (13.6, 30.3), KHARTOUM]
    reports = [report(f"e{i}", f"A{i % 7}", place=places[i % 4], start=DAY + dt.timedelta(days=i % 3),
                      actor=[RSF, None, SAF][i % 3], killed=i) for i in range(24)]
    expected = groups(reports)
    shuffled = list(reports)
    rng.shuffle(shuffled)
    assert groups(shuffled) == expected


def test_near_duplicate_texts_are_found_and_others_are_not():
    text = ("EL OBEID, Sudan, May 10 (Reuters) - A drone strike hit a crowded market in the Sudanese city of El "
            "Obeid on Saturday, killing at least 12 people and wounding 30, local health officials said. The army "
            "blamed the paramilitary Rapid Support Forces for the attack, which the group did not comment on.")
    copy = "[Source: Sudan Monitor]\n\n" + text.replace("local health officials said", "officials told Reuters")
    other = ("NAIROBI, June 25 (Reuters) - Thousands of people took to the streets of central Nairobi on "
             "Wednesday to protest against police brutality, and police fired tear gas to disperse them.")
    sig = similarity.signature(text)
    assert similarity.similarity(sig, similarity.signature(copy)) >= 0.6
    assert similarity.similarity(sig, similarity.signature(other)) < 0.1
    shared = set(similarity.band_keys(sig)) & set(similarity.band_keys(similarity.signature(copy)))
    assert shared  # the pair is a candidate for the store's band join
    assert similarity.signature(text) == sig and all(0 <= v < 2 ** 32 for v in sig)


def test_random_texts_share_few_band_keys():
    rng = random.Random(3)
    words = ["army", "strike", "city", "people", "killed", "said", "officials", "market", "police", "protest", "talks", "ceasefire"]
    texts = [" ".join(rng.choice(words) for _ in range(80)) + f" {i}" for i in range(2)]
    a, b = (similarity.signature(t) for t in texts)
    assert similarity.similarity(a, b) < 0.6


def test_a_person_and_the_group_they_belong_to_do_not_disagree():
    commander = ("fuad_shukr", "person", "LBN", frozenset({"hezbollah"}))
    group = ("hezbollah", "armed_group", "LBN", frozenset())
    other = ("hamas", "armed_group", "PSE", frozenset())
    strike = dict(place=(33.85, 35.5), country="LBN", actor=("isr", "state", "ISR"))
    assert groups([report("a", "x", target=commander, **strike), report("b", "y", target=group, **strike)]) \
        == [["a", "b"]]
    assert groups([report("a", "x", target=commander, **strike), report("b", "y", target=other, **strike)]) \
        == [["a"], ["b"]]


def test_a_fallback_country_neither_joins_nor_parts_two_statements():
    said = dict(type="ACCUSE", place=None, precision="country", mode=None, actor=("isr", "state", "ISR"),
                target=("hezbollah", "armed_group", "LBN"))
    in_israel = report("a", "x", country="ISR", **said)
    in_lebanon = report("b", "y", country="LBN", **said)
    in_lebanon.stated_place = in_israel.stated_place = False   # the articles' countries, not the text's
    assert groups([in_israel, in_lebanon]) == [["a", "b"]]
    in_lebanon.stated_place = in_israel.stated_place = True    # stated: two countries, two events
    assert groups([in_israel, in_lebanon]) == [["a"], ["b"]]
