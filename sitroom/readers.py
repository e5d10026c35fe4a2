"""Input of many formats turned into Articles: plain text, HTML, JSONL, CSV, gzip and folders of these.

Every item goes through `article.from_text`, so the same checks apply as for `sitroom extract`. A bad item
does not stop the rest: it comes out as a `Failure` naming its file and line, in input order.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import settings
from .article import Article, decode, from_text
from .errors import InputError, SitroomError

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
CSV_SUFFIXES = frozenset({".csv", ".tsv"})
MIN_HTML_WORDS = 8
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES


@dataclass(frozen=True)
class Fields:
    """Which JSONL/CSV fields hold an article's text and metadata."""

    text: str = "text"
    title: str = "title"
    date: str = "published"
    source: str = "source"
    url: str = "url"

    @classmethod
    def from_settings(cls, **overrides: str | None) -> Fields:
        names = {key: str(settings.get(f"{key}_field")) for key in ("text", "title", "date", "source", "url")}
        names.update({k: v for k, v in overrides.items() if v})
        return cls(**names)


@dataclass(frozen=True)
class Defaults:
    """Metadata for items that carry none of their own (plain text files, rows without the field)."""

    published: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Failure:
    """An input item that could not be read; `line` is None for whole files."""

    path: str
    line: int | None
    error: SitroomError

    @property
    def code(self) -> str:
        return self.error.code

    def __str__(self) -> str:
        return str(self.error)


Item = Article | Failure


@dataclass
class _Source:
    """One file's bytes and the format they are in (after gzip is taken off)."""

    path: str
    kind: str
    data: bytes = field(repr=False, default=b"")


def read_items(paths: Iterable[str | Path], fields: Fields | None = None,
               defaults: Defaults | None = None) -> Iterator[Item]:
    """Articles and failures from files and folders (recursively, in sorted order), lazily."""
    fields = fields or Fields.from_settings()
    defaults = defaults or Defaults()
    for path in expand_paths(paths):
        yield from read_path(path, fields, defaults)


def expand_paths(paths: Iterable[str | Path]) -> Iterator[str]:
    """Files named directly are kept whatever their suffix; folders give their known files only."""
    for raw in paths:
        path = Path(raw)
        if str(raw) != "-" and path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path)):
                if input_kind(child.name) is not None:
                    yield str(child)
        else:
            yield str(raw)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def input_kind(name: str) -> str | None:
    """text, html, jsonl or csv from the file name (gzip taken off), None when unknown."""
    lower = name.lower()
    lower = lower.removesuffix(".gz")
    suffix = Path(lower).suffix
    for kind, suffixes in (("text", TEXT_SUFFIXES), ("html", HTML_SUFFIXES), ("jsonl", JSONL_SUFFIXES),
                           ("csv", CSV_SUFFIXES)):
        if suffix in suffixes:
            return kind
    return None


def read_path(path: str, fields: Fields, defaults: Defaults) -> Iterator[Item]:
    try:
        source = load(path)
    except SitroomError as error:
        yield Failure(path, None, error)
        return
    readers = {"text": read_text, "html": read_html, "jsonl": read_jsonl, "csv": read_csv}
    yield from readers[source.kind](source, fields, defaults)


def load(path: str) -> _Source:
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as err:
        raise InputError("E005", name=path, reason=err.strerror or str(err)) from None
    if path.lower().endswith(".gz") or data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as err:
            raise InputError("E005", name=path, reason=f"broken gzip data: {err}") from None
    return _Source(path="<stdin>" if path == "-" else path, kind=input_kind(path) or "text", data=data)


def read_text(source: _Source, fields: Fields, defaults: Defaults) -> Iterator[Item]:
    try:
        text = decode(source.data, source.path)
        yield from_text(text, published=defaults.published, source=defaults.source, name=source.path)
    except SitroomError as error:
        yield Failure(source.path, None, error)


def read_html(source: _Source, fields: Fields, defaults: Defaults) -> Iterator[Item]:
    try:
        yield html_article(decode(source.data, source.path), source.path, defaults)
    except SitroomError as error:
        yield Failure(source.path, None, error)


def html_article(html: str, name: str, defaults: Defaults) -> Article:
    """The page's main text (trafilatura) with its title, date, site name and canonical URL."""
    import trafilatura

    page = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    text = (page.text or "").strip() if page is not None else ""
    if page is not None and page.title:
        text = _without_headline(text, page.title)
    if len(text.split()) < MIN_HTML_WORDS:  # navigation crumbs are not an article
        raise InputError("E105", name=name)
    return from_text(text, published=(page.date if page.date else defaults.published),
                     source=page.sitename or defaults.source, title=page.title, url=page.url, name=name)


def _without_headline(text: str, title: str) -> str:
    """The body without a first line repeating the title: a wire dateline must start the text to be found."""
    first, _, rest = text.partition("\n")
    if first.strip().casefold() == title.strip().casefold() and rest.strip():
        return rest.strip()
    return text


def read_jsonl(source: _Source, fields: Fields, defaults: Defaults) -> Iterator[Item]:
    try:
        text = decode(source.data, source.path)
    except SitroomError as error:
        yield Failure(source.path, None, error)
        return
    stripped = text.lstrip()
    if source.path.lower().removesuffix(".gz").endswith(".json") and stripped.startswith("["):
        yield from _json_array(source.path, stripped, fields, defaults)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield _json_line(source.path, number, line, fields, defaults)


def _json_array(path: str, text: str, fields: Fields, defaults: Defaults) -> Iterator[Item]:
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as err:
        yield Failure(path, err.lineno, InputError("E103", name=path, line=err.lineno, reason=err.msg))
        return
    for number, row in enumerate(rows, start=1):
        yield _row_article(path, number, row, fields, defaults, "item")


def _json_line(path: str, number: int, line: str, fields: Fields, defaults: Defaults) -> Item:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as err:
        return Failure(path, number, InputError("E103", name=path, line=number, reason=err.msg))
    return _row_article(path, number, row, fields, defaults, "line")


def read_csv(source: _Source, fields: Fields, defaults: Defaults) -> Iterator[Item]:
    try:
        text = decode(source.data, source.path)
    except SitroomError as error:
        yield Failure(source.path, None, error)
        return
    csv.field_size_limit(max(int(settings.get("max_chars")) * 4, 131072))
    delimiter = "\t" if source.path.lower().removesuffix(".gz").endswith(".tsv") else ","
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        _ = reader.fieldnames  # reads the header, so that line numbers count from it
    except csv.Error as err:
        yield Failure(source.path, 1, InputError("E112", name=source.path, line=1, reason=str(err)))
        return
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:  # the csv module cannot resynchronise after a broken record
            yield Failure(source.path, start, InputError("E112", name=source.path, line=start, reason=str(err)))
            return
        yield _row_article(source.path, start, row, fields, defaults, "line")


def _row_article(path: str, number: int, row: object, fields: Fields, defaults: Defaults, unit: str) -> Item:
    if not isinstance(row, dict):
        kind = type(row).__name__
        return Failure(path, number, InputError("E103", name=path, line=number, reason=f"a {kind}"))
    text = row.get(fields.text)
    if not isinstance(text, str) or not text.strip():
        names = ", ".join(repr(k) for k in list(row)[:8]) or "none"
        return Failure(path, number, InputError("E104", name=path, line=number, field=fields.text, fields=names))
    where = f"{path}, {unit} {number}"
    try:
        return from_text(text, published=_date_value(row.get(fields.date)) or defaults.published,
                         source=_str_value(row.get(fields.source)) or defaults.source,
                         title=_str_value(row.get(fields.title)), url=_str_value(row.get(fields.url)), name=where)
    except SitroomError as error:
        return Failure(path, number, error)


def _str_value(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date_value(value: object) -> str | None:
    text = _str_value(value)
    return text[:10] if text else None


def count_items(paths: Iterable[str | Path]) -> int | None:
    """How many items the paths hold, for a progress bar: one per text or HTML file, one per JSONL line or
    CSV row. None when standard input is among them (it can be read only once)."""
    total = 0
    for path in expand_paths(paths):
        if path == "-":
            return None
        try:
            source = load(path)
        except SitroomError:
            total += 1
            continue
        total += _count(source)
    return total


def _count(source: _Source) -> int:
    if source.kind == "jsonl":
        if source.data.lstrip().startswith(b"["):
            try:
                return len(json.loads(source.data))
            except (ValueError, TypeError):
                return 1
        return sum(1 for line in source.data.splitlines() if line.strip())
    if source.kind == "csv":
        text = source.data.decode("utf-8", errors="replace")
        delimiter = "\t" if source.path.lower().removesuffix(".gz").endswith(".tsv") else ","
        try:
            return sum(1 for _ in csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error:
            return 1
    return 1
