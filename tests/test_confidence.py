"""The confidence model: fitted weights for every feature, and the direction each cue should push."""

import sitroom
from sitroom.components.confidence import weights


def test_every_feature_has_a_fitted_weight():
    import yaml
    from importlib import resources
    data = yaml.safe_load((resources.files("sitroom.knowledge") / "confidence.yaml").read_text(encoding="utf-8"))
    assert data["records"] > 100 and 0 < data["best_threshold"] < 1
    assert set(weights()) == {"bias", "prior", "actor", "target", "casualties", "mentions", "negated",
                              "hypothetical", "planned", "attributed", "background", "date_stated",
                              "place_stated", "description", "toll_without_figures", "verbal"}


def confidence_of(text, word):
    result = sitroom.extract(text, published="2025-04-02", min_confidence=0.0)
    return max(e.confidence for e in result.events if word in text[e.evidence.start:e.evidence.end])


def test_what_did_not_happen_is_less_sure_than_what_did():
    reported = confidence_of("The army shelled the town of Kadugli on Tuesday, residents said.", "shelled")
    negated = confidence_of("There was no shelling of the town of Kadugli, residents said.", "shelling")
    assert negated < reported and reported >= 0.5 > negated


def test_a_stated_date_and_place_raise_confidence():
    bare = confidence_of("Soldiers attacked a convoy, the army said.", "attacked")
    placed = confidence_of("Soldiers attacked a convoy near Kadugli on Tuesday, the army said.", "attacked")
    assert placed > bare
