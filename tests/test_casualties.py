"""Tolls as wire copy writes them, one rule per test (sentences written for the tests)."""

import pytest

from sitroom.read.article import from_text
from sitroom.components.pipeline import load_pipeline, prepare


def tolls(text):
    nlp = load_pipeline()
    doc = nlp(prepare(nlp, from_text(text, published="2025-05-06")))
    return [(c.kind, c.count, c.qualifier) for c in doc._.casualties]


@pytest.mark.parametrize("text,expected", [
    ("At least 18 people were killed in the strike, officials said.", ("killed", 18, "at_least")),
    ("More than 40 civilians died when the shells hit the market, medics said.", ("killed", 40, "more_than")),
    ("The blast wounded about 30 people near the station, police said.", ("injured", 30, "about")),
    ("Gunmen abducted 25 students from the school overnight, police said.", ("abducted", 25, "exact")),
    ("Police arrested 112 protesters in the capital on Sunday, the ministry said.", ("arrested", 112, "exact")),
    ("Four teenagers were shot near the park late on Friday, police said.", ("injured", 4, "exact")),
    ("A security guard was shot dead at the gate of the embassy, police said.", ("killed", 1, "exact")),
    ("Dozens of villagers were killed in the raid, residents said.", ("killed", 24, "range")),
])
def test_toll_phrasings(text, expected):
    assert expected in tolls(text)


def test_subgroup_is_kept_apart():
    nlp = load_pipeline()
    doc = nlp(prepare(nlp, from_text("Militiamen killed 30 people, including 12 women, in the attack on the "
                                     "village, a local official said.", published="2025-05-06")))
    [main] = [c for c in doc._.casualties if c.kind == "killed"]
    assert main.count == 30 and [(s.group, s.count) for s in main.subgroups] == [("woman", 12)]


def test_a_year_is_no_toll():
    assert ("killed", 2001) not in [(k, n) for k, n, _ in tolls("The brothers died in 2001 in a car crash, "
                                                                "their family said.")]
