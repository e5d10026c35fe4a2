"""Event rules, one per test, on sentences written for the tests.

They test the rules judge (the trigger lexicon and its syntax); the trained judges are measured on real
stories (test_model.py, the eval gate) and on the issue's classes (test_event_classes.py).
"""

import pytest

import sitroom

PUB = "2025-04-02"  # a Wednesday


@pytest.fixture(autouse=True)
def rules_judge(monkeypatch):
    monkeypatch.setenv("SITROOM_JUDGE", "rules")


def events(text, **kw):
    return sitroom.extract(text, published=PUB, min_confidence=0.0, **kw).events


def event_on(text, word, type_=None):
    found = [e for e in events(text) if any(word in text[s:t] for s, t in
                                           [(e.evidence.start, e.evidence.end)] + [(m.start, m.end) for m in e.mentions])
             and (type_ is None or e.type == type_)]
    assert found, f"no event on {word!r}"
    return found[0]


def test_actor_from_by_phrase_and_target_from_object():
    e = event_on("Two villagers were killed by Sudanese army soldiers in Kadugli on Monday.", "killed")
    assert e.actor.country == "SDN" and e.actor.kind == "military"
    assert e.target.kind == "civilians" and e.fatalities == 2


def test_actor_from_possessor():
    e = event_on("Israel's airstrike on the village killed five people, medics said.", "airstrike")
    assert e.actor.country == "ISR" and e.mode == "aerial" and e.fatalities == 5


def test_target_from_against_phrase():
    e = event_on("Houthi rebels launched a drone attack against a U.S. warship in the Red Sea on Tuesday.", "attack")
    assert e.actor.id == "houthis" and e.target.country == "USA" and e.mode == "drone"


def test_claim_of_responsibility():
    e = event_on("A car bomb exploded in Mogadishu on Tuesday. Al-Shabaab claimed responsibility for the attack.",
                 "bomb")
    assert e.status == "claimed" and e.claimed_by.id == "al_shabaab" and e.actor.id == "al_shabaab"


def test_denial():
    e = event_on("The RSF denied shelling the Zamzam camp near El Fasher on Tuesday.", "shelling")
    assert e.status == "denied"


def test_accusation_makes_the_accused_the_actor():
    text = "Israel blamed Hezbollah for the rocket attack on Majdal Shams on Saturday."
    attack = event_on(text, "rocket attack", "ASSAULT")
    assert attack.status == "accused" and attack.actor.id == "hezbollah"
    blame = event_on(text, "blamed", "ACCUSE")
    assert blame.actor.country == "ISR"


def test_negations_are_kept_but_below_the_threshold():
    text = "There was no sign of a ceasefire in Gaza on Tuesday, and Hamas ruled out talks."
    ceasefire = event_on(text, "ceasefire")
    assert ceasefire.status == "negated" and ceasefire.confidence < 0.5
    rejection = event_on(text, "ruled out", "REJECT")
    assert rejection.actor.id == "hamas"
    assert not any(e.type == "CONSULT" for e in events(text))   # the talks ruled out are no meeting


def test_planned_and_hypothetical():
    planned = event_on("Kenya will send 400 police officers to Haiti next month, the government said.", "send")
    assert planned.status == "planned"
    hypothetical = event_on("The rebels could attack the city if the talks fail, analysts said.", "attack")
    assert hypothetical.status in ("hypothetical", "planned") and hypothetical.type == "ASSAULT"  # analysts' guess


def test_stated_intent_to_strike_is_a_threat():
    e = event_on("Iran said it would strike Israel if it attacked Iranian nuclear sites.", "strike")
    assert e.type == "THREATEN" and e.actor.country == "IRN"


def test_reported_by():
    e = event_on("Israeli strikes killed 12 people in Rafah on Tuesday, according to the health ministry.", "strikes")
    assert e.reported_by is not None and e.reported_by.kind == "government"
    said = event_on("The State Department said U.S. forces struck a Houthi radar site on Tuesday.", "struck")
    assert said.reported_by is not None and said.reported_by.country == "USA"


def test_one_event_mentioned_three_ways_is_one_record():
    text = ("An airstrike hit a market in Sanaa on Monday, killing 15 people. The strike was the deadliest this "
            "year, residents said. The attack drew condemnation from the United Nations.")
    attacks = [e for e in events(text) if e.type == "ASSAULT" and e.confidence >= 0.5]
    assert len(attacks) == 1 and len(attacks[0].mentions) >= 3 and attacks[0].fatalities == 15


def test_the_same_toll_repeated_is_counted_once():
    text = ("Gunmen killed 11 villagers in Zamfara state on Sunday, police said. A local official said the 11 "
            "victims were buried on Monday.")
    assaults = [e for e in events(text) if e.type == "ASSAULT" and e.confidence >= 0.5]
    assert len(assaults) == 1 and assaults[0].fatalities == 11


def test_distinct_events_in_one_sentence_stay_apart():
    text = "Russian drones hit Kharkiv on Monday and a missile struck a hotel in Odesa on Tuesday, officials said."
    assaults = [e for e in events(text) if e.type == "ASSAULT"]
    assert {e.location.name for e in assaults} >= {"Kharkiv", "Odesa"}


def test_background_mentions_are_no_events():
    text = "After a year of war and decades of conflict, aid agencies say hunger is spreading across Sudan."
    assert not any(text[e.evidence.start:e.evidence.end] in ("war", "conflict") for e in events(text))


@pytest.mark.parametrize("text,type_", [
    ("The two foreign ministers held talks in Doha on Tuesday.", "CONSULT"),
    ("Ukraine and Russia signed an agreement on the exchange of prisoners on Tuesday.", "AGREE"),
    ("The European Union imposed sanctions on 20 Russian officials on Tuesday.", "SANCTION"),
    ("Thousands of people protested in Tbilisi on Tuesday against the government.", "PROTEST"),
    ("Police arrested 40 opposition supporters in Dhaka on Tuesday.", "COERCE"),
    ("The army deployed tanks to the border on Tuesday.", "MOBILIZE"),
    ("The United Nations delivered food aid to Gaza on Tuesday.", "AID"),
    ("Israel withdrew its troops from the town on Tuesday.", "RETREAT"),
    ("The president urged the rebels to lay down their arms on Tuesday.", "REQUEST"),
    ("The minister accused the opposition of plotting a coup on Tuesday.", "ACCUSE"),
    ("The government rejected the rebels' proposal on Tuesday.", "REJECT"),
    ("The rebel leader threatened to attack the capital on Tuesday.", "THREATEN"),
])
def test_types(text, type_):
    assert any(e.type == type_ for e in events(text)), [(e.type, text[e.evidence.start:e.evidence.end])
                                                          for e in events(text)]
