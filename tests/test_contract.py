"""Every result on the bundled examples keeps the contract's promises about offsets and sentences."""

from pathlib import Path

import pytest

import sitroom
from sitroom.read.article import from_text
from sitroom.contract.schema import ArticleResult

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.txt"))


@pytest.fixture(scope="module")
def results():
    articles = [from_text(p.read_text(encoding="utf-8"), name=p.name) for p in EXAMPLES]
    return list(zip(articles, sitroom.extract_many(articles, min_confidence=0.0)))


def test_evidence_indexes_the_text_as_given(results):
    for article, result in results:
        for event in result.events:
            ev = event.evidence
            assert 0 <= ev.start < ev.end <= len(article.text) and ev.end - ev.start <= 80, article.name
            assert article.text[ev.start:ev.end].strip() and ev.sentence in article.text
            assert all(0 <= m.start < m.end <= len(article.text) for m in event.mentions)


def test_actor_mentions_and_references_are_consistent(results):
    for article, result in results:
        ids = {a.id for a in result.actors}
        for actor in result.actors:
            assert all(0 <= s < e <= len(article.text) for s, e in actor.mentions)
            assert actor.mentions or actor.kind in ("civilians", "government", "military", "police")
        for event in result.events:
            for ref in (event.actor, event.target):
                assert ref is None or ref.id in ids, (article.name, ref)


def test_results_round_trip_through_json(results):
    for _, result in results:
        assert ArticleResult.model_validate_json(result.model_dump_json()) == result
