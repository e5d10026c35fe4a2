"""Article: the text as given plus its metadata, and the readers that build one from raw input."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from sitroom import settings
from sitroom.errors import InputError

SOURCE_LINE = re.compile(r"\A\ufeff?\s*\[Source:\s*(?P<source>[^\]\n]+?)\s*\][ \t]*(?:\r?\n|\Z)")
# "BEIRUT (Reuters) -", "KHARTOUM, March 3 (Reuters) -", "KYIV, Ukraine (AP) —", "GAZA CITY — "
DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z'’.\-/]+(?: [A-Z][A-Z'’.\-/]+){0,3}"
    r"|[A-Z][a-z'’.\-]+(?: [A-Z][a-z'’.\-]+){0,2}(?=(?:,\s+[A-Z][a-z]+\.? \d{1,2})?\s*\([A-Za-z .&]{2,30}\)))"
    r"(?:,\s+(?P<region>[A-Z][a-z]+(?: [A-Z][a-z]+)?))?"
    r"(?:,\s+(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}))?"
    r"\s*(?:\((?P<agency>[A-Za-z .&]{2,30})\))?\s*[-—–]{1,2}\s")
# A story may carry tomorrow's date (time zones, scrapers' clocks); later than this is a mistake in the input.
MAX_DAYS_AHEAD = 2
ENGLISH_WORDS = frozenset(
    "the of and to in a is was were that for on with as by at from it his her its said has have had "
    "be been are an they he she not but who which this after over than more their".split())


@dataclass(frozen=True)
class Article:
    text: str
    published: dt.date | None = None
    source: str | None = None
    title: str | None = None
    url: str | None = None
    dateline: str | None = None
    name: str = "<text>"

    @property
    def id(self) -> str:
        return article_id(self.text)


def article_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_date(value: str | dt.date | None, where: str = "") -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise InputError("E006", value=value, where=where) from None


def publication_date(value: str | dt.date | None, where: str = "") -> dt.date | None:
    """A publication date, refused when it lies in the future: every relative date in the story would follow."""
    date = parse_date(value, where)
    latest = dt.date.today() + dt.timedelta(days=MAX_DAYS_AHEAD)
    if date is not None and date > latest:
        raise InputError("E013", value=date.isoformat(), where=where, latest=latest.isoformat())
    return date


def from_text(text: str, *, published: str | dt.date | None = None, source: str | None = None,
              title: str | None = None, url: str | None = None, name: str = "<text>") -> Article:
    """Check the text and read the metadata it carries (a [Source: X] line, a wire dateline)."""
    check_text(text, name)
    header = SOURCE_LINE.match(text)
    body_start = header.end() if header else 0
    dateline = DATELINE.match(text[body_start:].lstrip())
    return Article(
        text=text,
        published=publication_date(published, f" for {name}"),
        source=source or (header.group("source") if header else None)
        or (dateline.group("agency") if dateline else None),
        title=title, url=url, name=name,
        dateline=dateline.group("place").title() if dateline else None)


def body_offset(text: str) -> int:
    """Where the story's own words begin: after a [Source: …] line and a wire dateline."""
    header = SOURCE_LINE.match(text)
    start = header.end() if header else 0
    rest = text[start:]
    start += len(rest) - len(rest.lstrip())
    dateline = DATELINE.match(text, start)
    return dateline.end() if dateline else start


def decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError("E002", name=name, detail="NUL bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError("E003", name=name, byte=data[err.start], offset=err.start) from None


def check_text(text: str, name: str) -> None:
    if not text.strip():
        raise InputError("E001", name=name)
    limit = settings.get("max_chars")
    if len(text) > limit:
        raise InputError("E004", name=name, size=len(text), limit=limit)
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 10:
        raise InputError("E002", name=name, detail=f"{controls} control characters")
    problem = not_english(text)
    if problem:
        raise InputError("E007", name=name, detail=problem)


def not_english(text: str) -> str | None:
    """Why the text is not English news, or None. Cheap: letters' script and common function words."""
    sample = text[:20000]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < 40:
        return None
    latin = sum(1 for ch in letters if ch < "\u0250")
    if latin / len(letters) < 0.6:
        return f"only {latin / len(letters):.0%} of its letters are Latin"
    words = re.findall(r"[^\W\d_]+", sample.lower())
    if len(words) >= 12:
        share = sum(1 for w in words if w in ENGLISH_WORDS) / len(words)
        if share < 0.08:
            return f"only {share:.0%} common English words"
    return None


def with_metadata(article: Article, **changes: object) -> Article:
    return replace(article, **{k: v for k, v in changes.items() if v is not None})
