"""Input of many formats turned into Articles: plain text, HTML, JSONL, CSV, gzip, folders of these, and
manifests (a JSONL or CSV whose rows name each article's file with its date, source and title).

Every item goes through `article.from_text`, so the same checks apply everywhere. A bad item does not stop
the rest: it comes out as a `Failure` naming its file and line, in input order. JSONL and CSV are read a line
at a time, so a file of any length streams; a text or HTML file is one article and is read up to the size
limit only.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sitroom import settings
from sitroom.read.article import Article, decode, from_text
from sitroom.errors import InputError, SitroomError

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
CSV_SUFFIXES = frozenset({".csv", ".tsv"})
MIN_HTML_WORDS = 8
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES
# A manifest row names its article's file in one of these fields (relative to the manifest's folder).
FILE_FIELDS = ("text_file", "file", "path", "filename")
BYTES_PER_CHAR = 4  # UTF-8's worst case: a file over max_chars * 4 bytes is over the limit whatever it holds


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


def read_items(paths: Iterable[str | Path], fields: Fields | None = None,
               defaults: Defaults | None = None) -> Iterator[Item]:
    """Articles and failures from files and folders (recursively, in sorted order), lazily."""
    fields = fields or Fields.from_settings()
    defaults = defaults or Defaults()
    for path in expand_paths(paths, fields):
        yield from read_path(path, fields, defaults)


def expand_paths(paths: Iterable[str | Path], fields: Fields | None = None) -> Iterator[str]:
    """Files named directly are kept whatever their suffix; folders give their known files only, less the
    files that a manifest in the folder names (they are read through the manifest, with its metadata)."""
    fields = fields or Fields.from_settings()
    for raw in paths:
        path = Path(raw)
        if str(raw) != "-" and path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path)
                              and input_kind(p.name) is not None)
            named: set[Path] = set()
            for child in children:
                named |= manifest_files(str(child), fields)
            yield from (str(child) for child in children if child.resolve() not in named)
        else:
            yield str(raw)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def input_kind(name: str) -> str | None:
    """text, html, jsonl or csv from the file name (gzip taken off), None when unknown."""
    suffix = Path(name.lower().removesuffix(".gz")).suffix
    for kind, suffixes in (("text", TEXT_SUFFIXES), ("html", HTML_SUFFIXES), ("jsonl", JSONL_SUFFIXES),
                           ("csv", CSV_SUFFIXES)):
        if suffix in suffixes:
            return kind
    return None


def read_path(path: str, fields: Fields, defaults: Defaults) -> Iterator[Item]:
    name = "<stdin>" if path == "-" else path
    kind = input_kind(path) or "text"
    try:
        with open_input(path) as stream:
            if kind in ("jsonl", "csv"):
                rows = _rows(stream, name, kind)
                for number, row in rows:
                    yield row if isinstance(row, Failure) else _row_article(name, number, row, fields, defaults)
            else:
                yield _file_article(stream, name, kind, defaults)
    except SitroomError as error:
        yield Failure(name, None, error)
    except (OSError, EOFError) as err:  # a damaged gzip stream, found where it breaks
        yield Failure(name, None, InputError("E005", name=name, reason=f"broken gzip data: {err}"))


def open_input(path: str) -> IO[bytes]:
    """The file's bytes as a stream, gzip taken off (by suffix or by its magic number)."""
    try:
        raw = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 (closed by the caller)
    except OSError as err:
        raise InputError("E005", name=path, reason=err.strerror or str(err)) from None
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)
    if path.lower().endswith(".gz") or buffered.peek(2)[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=buffered, mode="rb")
    return buffered


def _file_article(stream: IO[bytes], name: str, kind: str, defaults: Defaults, **meta: str | None) -> Article:
    """One article from a whole text or HTML file; the limit is checked before the file is read whole."""
    limit = int(settings.get("max_chars"))
    data = stream.read(limit * BYTES_PER_CHAR + 1)
    if len(data) > limit * BYTES_PER_CHAR:
        raise InputError("E014", name=name, size=limit * BYTES_PER_CHAR, limit=limit)
    text = decode(data, name)
    if kind == "html":
        return html_article(text, name, defaults, **meta)
    return from_text(text, published=meta.get("published") or defaults.published,
                     source=meta.get("source") or defaults.source, title=meta.get("title"), url=meta.get("url"),
                     name=name)


def html_article(html: str, name: str, defaults: Defaults, **meta: str | None) -> Article:
    """The page's main text (trafilatura) with its title, date, site name and canonical URL; metadata given
    in `meta` (a manifest's row) wins over the page's own."""
    import trafilatura

    page = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    text = (page.text or "").strip() if page is not None else ""
    title = meta.get("title") or (page.title if page is not None else None)
    if title:
        text = _without_headline(text, title)
    if len(text.split()) < MIN_HTML_WORDS:  # navigation crumbs are not an article
        raise InputError("E105", name=name)
    return from_text(text, published=meta.get("published") or page.date or defaults.published,
                     source=meta.get("source") or page.sitename or defaults.source, title=title,
                     url=meta.get("url") or page.url, name=name)


def _without_headline(text: str, title: str) -> str:
    """The body without a first line repeating the title: a wire dateline must start the text to be found."""
    first, _, rest = text.partition("\n")
    if first.strip().casefold() == title.strip().casefold() and rest.strip():
        return rest.strip()
    return text


Row = tuple[int, "dict | object | Failure"]


def _rows(stream: IO[bytes], name: str, kind: str) -> Iterator[Row]:
    return _jsonl_rows(stream, name) if kind == "jsonl" else _csv_rows(stream, name)


def _jsonl_rows(stream: IO[bytes], name: str) -> Iterator[Row]:
    """(line number, parsed object or Failure) per non-blank line; a .json file holding one array gives its
    items instead."""
    first = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    if name.lower().removesuffix(".gz").endswith(".json") and first.lstrip().startswith(b"["):
        yield from _json_array(stream, name)
        return
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            line = decode(raw, f"{name}, line {number}")
        except SitroomError as error:
            yield number, Failure(name, number, error)
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as err:
            yield number, Failure(name, number, InputError("E103", name=name, line=number, reason=err.msg))


def _json_array(stream: IO[bytes], name: str) -> Iterator[Row]:
    try:
        rows = json.loads(decode(stream.read(), name))
    except json.JSONDecodeError as err:
        yield err.lineno, Failure(name, err.lineno, InputError("E103", name=name, line=err.lineno, reason=err.msg))
        return
    yield from enumerate(rows, start=1)


def _csv_rows(stream: IO[bytes], name: str) -> Iterator[Row]:
    csv.field_size_limit(max(int(settings.get("max_chars")) * BYTES_PER_CHAR, 131072))
    delimiter = "\t" if name.lower().removesuffix(".gz").endswith(".tsv") else ","
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text, delimiter=delimiter)
    start = 1
    try:
        _ = reader.fieldnames  # reads the header, so that line numbers count from it
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            yield start, row
    except csv.Error as err:  # the csv module cannot resynchronise after a broken record
        yield start, Failure(name, start, InputError("E112", name=name, line=start, reason=str(err)))
    except UnicodeDecodeError as err:
        yield start, Failure(name, start, InputError("E003", name=f"{name}, near line {start}",
                                                     byte=err.object[err.start], offset=err.start))


def _row_article(path: str, number: int, row: object, fields: Fields, defaults: Defaults) -> Item:
    if not isinstance(row, dict):
        kind = type(row).__name__
        return Failure(path, number, InputError("E103", name=path, line=number, reason=f"a {kind}"))
    meta = {"published": _date_value(row.get(fields.date)), "source": _str_value(row.get(fields.source)),
            "title": _str_value(row.get(fields.title)), "url": _str_value(row.get(fields.url))}
    text = row.get(fields.text)
    where = f"{path}, line {number}"
    try:
        if not (isinstance(text, str) and text.strip()):
            file = _row_file(row)
            if file is None:
                names = ", ".join(repr(k) for k in list(row)[:8]) or "none"
                raise InputError("E104", name=path, line=number, field=fields.text, fields=names)
            return _manifest_article(path, number, file, meta, defaults)
        return from_text(text, published=meta["published"] or defaults.published,
                         source=meta["source"] or defaults.source, title=meta["title"], url=meta["url"], name=where)
    except SitroomError as error:
        return Failure(path, number, error)


def _row_file(row: dict) -> str | None:
    for key in FILE_FIELDS:
        value = _str_value(row.get(key))
        if value:
            return value
    return None


def _manifest_article(manifest: str, number: int, file: str, meta: dict, defaults: Defaults) -> Article:
    """The article a manifest's row names, read like any file, with the row's metadata."""
    target = _relative_to(manifest, file)
    kind = input_kind(file) or "text"
    if kind not in ("text", "html"):
        raise InputError("E104", name=manifest, line=number, field="text",
                         fields=f"a manifest row must name a text or HTML file, not {file!r}")
    try:
        with open_input(str(target)) as stream:
            return _file_article(stream, str(target), kind, defaults, **meta)
    except (OSError, EOFError) as err:
        raise InputError("E005", name=str(target), reason=f"broken gzip data: {err}") from None


def _relative_to(manifest: str, file: str) -> Path:
    base = Path.cwd() if manifest == "<stdin>" else Path(manifest).parent
    return (base / file).resolve()


def manifest_files(path: str, fields: Fields) -> set[Path]:
    """The files a manifest names (resolved), or the empty set for a JSONL/CSV file that holds its texts."""
    kind = input_kind(path)
    if kind not in ("jsonl", "csv"):
        return set()
    named: set[Path] = set()
    try:
        with open_input(path) as stream:
            rows = _rows(stream, path, kind)
            for _, row in rows:
                if not isinstance(row, dict):
                    continue
                text = row.get(fields.text)
                file = _row_file(row)
                if isinstance(text, str) and text.strip():
                    return set()  # articles with their own text: not a manifest
                if file:
                    named.add(_relative_to(path, file))
    except (SitroomError, OSError, EOFError):
        return set()  # reading it again reports the failure
    return named


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
        kind = input_kind(path)
        if kind not in ("jsonl", "csv"):
            total += 1
            continue
        try:
            with open_input(path) as stream:
                rows = _rows(stream, path, kind)
                total += sum(1 for _ in rows)
        except (SitroomError, OSError, EOFError):
            total += 1
    return total
