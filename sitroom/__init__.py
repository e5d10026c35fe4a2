"""sitroom: news articles in, sourced and coded event data out.

    >>> import sitroom
    >>> result = sitroom.extract(text, published="2024-10-22", source="Reuters")
    >>> [(e.type, e.actor.name if e.actor else None) for e in result.events]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from sitroom.read.article import Article, from_text
from sitroom.errors import InputError, SitroomError
from sitroom.contract.schema import ArticleResult

__all__ = ["Article", "ArticleResult", "InputError", "SitroomError", "extract", "extract_many",
           "load_pipeline", "__version__"]
__version__ = "0.1.0"


def extract(text: str, published: str | dt.date | None = None, source: str | None = None, *,
            title: str | None = None, url: str | None = None,
            min_confidence: float | None = None) -> ArticleResult:
    """Events, actors, dates and places of one English news article, per the output contract."""
    from sitroom.components.pipeline import extract_article
    article = from_text(text, published=published, source=source, title=title, url=url)
    return extract_article(article, min_confidence=min_confidence)


def extract_many(articles: Iterable[Article], batch_size: int = 16,
                 min_confidence: float | None = None) -> Iterator[ArticleResult]:
    """Results for many articles, in order, batched through the model."""
    from sitroom.components.pipeline import run
    return run(articles, batch_size=batch_size, min_confidence=min_confidence)


def load_pipeline(kb: tuple[str, ...] = ()):  # noqa: ANN201 (spacy.Language, imported lazily)
    """The cached spaCy pipeline with sitroom's stages, for batch use with `nlp.pipe`."""
    from sitroom.components.pipeline import load_pipeline as _load
    return _load(kb)
