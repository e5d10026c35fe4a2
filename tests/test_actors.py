"""Actor resolution, one rule per test, on sentences written for the tests; and the dev gold of mentions."""

from pathlib import Path

import sitroom
from sitroom.contract.evaluate import evaluate_actor_mentions

ROOT = Path(__file__).resolve().parent.parent


def actors(text, published="2024-10-22"):
    result = sitroom.extract(text, published=published, min_confidence=0.0)
    return {text[s:e]: a for a in result.actors for s, e in a.mentions}, result


def test_title_and_name_resolve_to_the_person_with_their_country():
    found, _ = actors("U.S. Secretary of State Antony Blinken met Israeli Prime Minister Benjamin Netanyahu on Tuesday.")
    assert found["Antony Blinken"].id == "antony_blinken" and found["Antony Blinken"].country == "USA"
    assert found["Benjamin Netanyahu"].kind == "person" and found["Benjamin Netanyahu"].country == "ISR"


def test_title_alone_is_the_office_holder_on_the_publication_date():
    found, _ = actors("The Israeli prime minister said the offensive would go on.")
    assert any(a.id == "benjamin_netanyahu" for a in found.values())


def test_surname_only_mentions_are_the_person():
    found, _ = actors("Antony Blinken arrived in Cairo on Monday. Blinken then met Egyptian officials.")
    assert found["Blinken"].id == "antony_blinken"


def test_demonym_and_noun_give_the_part_of_the_state():
    found, _ = actors("Russian forces shelled Kharkiv as Ukrainian officials called for air defences.")
    assert (found["Russian forces"].id, found["Ukrainian officials"].id) == ("rus_military", "ukr_government")


def test_possessive_country_and_noun():
    found, _ = actors("Israel's far-right government rejected the proposal on Sunday.")
    assert any(a.id == "isr_government" for a in found.values())


def test_descriptor_refers_back_to_the_named_group():
    found, _ = actors("Hamas released two hostages. The Palestinian Islamist militant group said more would follow.")
    assert found["Palestinian Islamist militant group"].id == "hamas"


def test_definite_reference_to_the_latest_group():
    found, _ = actors("The RSF attacked El Fasher on Monday. The paramilitary said it had taken the airport.")
    assert found["The paramilitary"].id == "rsf"


def test_unknown_names_are_kept():
    found, _ = actors("Local commander Abu Karim Zorbani said his fighters had withdrawn from the village.")
    assert any(a.kind in ("person", "unknown") and "Zorbani" in name for name, a in found.items())


def test_generic_victims_are_civilians_of_the_place():
    _, result = actors("An airstrike killed nine people in the town of Kanbalu in Myanmar on Sunday.", "2025-01-14")
    [attack] = [e for e in result.events if e.type == "ASSAULT"]
    assert attack.target.id == "mmr_civilians"


def test_relations_stated_in_the_text():
    _, result = actors("The Iran-backed militant group Hezbollah mourned Hamas leader Yahya Sinwar on Friday.")
    relations = {(a.id, r.type, r.actor) for a in result.actors for r in a.relations if r.evidence is not None}
    assert ("hezbollah", "backed_by", "irn") in relations
    assert ("yahya_sinwar", "leader_of", "hamas") in relations


def test_user_knowledge_base_overrides_ours(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("- id: karim_brigade\n  name: Karim Brigade\n  kind: armed_group\n  country: SYR\n"
                     "  aliases: [Karim Brigade]\n", encoding="utf-8")
    from sitroom.read.article import from_text
    from sitroom.components.pipeline import load_pipeline, run
    nlp = load_pipeline((str(extra),))
    [result] = run([from_text("The Karim Brigade shelled the village on Monday.", published="2025-01-14")], nlp,
                   min_confidence=0.0)
    assert any(a.id == "karim_brigade" and a.country == "SYR" for a in result.actors)


def test_mention_recall_and_resolution_on_dev_gold():
    score = evaluate_actor_mentions(ROOT / "examples" / "actors_gold.jsonl").summary()
    # measured 0.84 and 0.77 when these floors were set; they only move up
    assert score["mention_recall"] >= 0.83 and score["resolution_accuracy"] >= 0.76, score


def test_a_descriptor_resolves_only_in_its_own_context():
    found, _ = actors("A paramilitary group raided villages in the Darien province of Panama on Monday, police said.")
    assert all(a.id != "rsf" for a in found.values())


def test_protesters_and_the_police_who_met_them_are_two_events():
    text = ("Thousands of people took to the streets of Nairobi on Wednesday to protest against new taxes, and "
            "police fired tear gas to disperse them.")
    _, result = actors(text, "2025-06-26")
    protest = next(e for e in result.events if e.type == "PROTEST")
    assert protest.actor is None or protest.actor.kind != "police"
    assert "tear gas" not in " ".join(text[m.start:m.end] for m in protest.mentions)
