"""Place rules, one per test, on sentences written for the tests."""

import pytest

import sitroom
from sitroom.read.article import from_text
from sitroom.components.pipeline import load_pipeline, prepare


def places(text, published="2024-10-22"):
    nlp = load_pipeline()
    doc = nlp(prepare(nlp, from_text(text, published=published)))
    return {m.text: m for m in doc._.places}


def place_of(text, word, published="2024-10-22"):
    result = sitroom.extract(text, published=published, min_confidence=0.0)
    return next(e.location for e in result.events if word in text[e.evidence.start:e.evidence.end])


@pytest.mark.parametrize("text,name,country", [
    ("A drone struck Netanyahu's house in Caesarea on Saturday, the Israeli military said.", "Caesarea", "ISR"),
    ("Israeli jets bombed Tyre in southern Lebanon overnight, Lebanese officials said.", "Tyre", "LBN"),
    ("Gunmen attacked a bar in Dublin, Ohio, late on Friday, police said.", "Dublin", "USA"),
])
def test_the_article_decides_between_namesakes(text, name, country):
    found = [m for m in places(text).values() if m.place.name == name or name in m.text]
    assert found and found[0].place.country == country


def test_near_and_north_of_are_kept_as_relations():
    found = places("Shelling near Kherson and fighting north of Bakhmut continued, Ukrainian officials said.")
    assert found["near Kherson"].relation == "near"
    assert any(m.relation == "north of" for m in found.values())


def test_southern_lebanon_is_a_region_of_the_country():
    [mention] = [m for m in places("Israeli strikes hit southern Lebanon on Monday.").values()]
    assert (mention.relation, mention.precision, mention.place.country) == ("southern", "region", "LBN")


def test_region_words_pick_the_first_level_unit():
    location = place_of("Gunmen abducted 20 farmers in Kebbi state on Tuesday, police said.", "abducted")
    assert (location.precision, location.country) == ("admin1", "NGA")


def test_the_sea_is_water():
    location = place_of("Houthi rebels fired missiles at a cargo ship in the Red Sea on Monday.", "fired")
    assert location.name == "Red Sea" and location.precision == "region"


def test_a_country_as_actor_is_no_place():
    found = places("Western allies of Israel welcomed the talks.")
    assert not any(m.locative for m in found.values())


def test_capital_of_a_country():
    location = place_of("A suicide bomber killed 12 people in Somalia's capital on Friday.", "bomber")
    assert location.name == "Mogadishu"


def test_dateline_when_the_story_names_no_place():
    location = place_of("KHARTOUM, March 3 (Reuters) - Paramilitary fighters shelled residential areas on Monday, "
                        "killing 12 people, medics said.", "shelled", "2025-03-03")
    assert (location.name, location.rule) == ("Khartoum", "dateline")


def test_unknown_small_namesake_abroad_is_not_believed():
    location = place_of("Gunmen killed 20 soldiers near the town of Boni in central Mali on Sunday.", "killed",
                        "2025-02-11")
    assert location.country == "MLI"


def test_a_meeting_abroad_is_not_placed_in_the_country_of_the_story():
    text = ("Sudanese troops shelled Omdurman on Monday, and the RSF attacked El Fasher in North Darfur. "
            "Sudan's army chief held talks with Egyptian officials on Tuesday.")
    result = sitroom.extract(text, published="2025-02-12", min_confidence=0.0)
    talks = next(e for e in result.events if e.type == "CONSULT")
    assert talks.location is None or talks.location.country != "SDN"


def test_an_undated_report_happened_the_day_before_publication():
    text = "Gunmen killed four villagers in Kaduna state, police said."
    result = sitroom.extract(text, published="2025-02-12", min_confidence=0.0)
    attack = next(e for e in result.events if e.type == "ASSAULT")
    assert (str(attack.date.start), str(attack.date.end), attack.date.rule) == ("2025-02-11", "2025-02-11", "published")
