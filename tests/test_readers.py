"""Multi-format input: every item becomes an Article or a Failure naming its file and line, in input order."""

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from sitroom.read.article import Article
from sitroom.read.readers import (
    Defaults,
    Failure,
    Fields,
    count_items,
    expand_paths,
    read_items,
)

CORPUS = Path(__file__).parent / "corpus"
STORY = ("KHARTOUM, March 3 (Reuters) - Paramilitary fighters shelled a displacement camp on Monday, killing at "
         "least 12 people, aid workers said. The army said it would respond to the attack on the camp.")
OTHER = ("Protesters marched through the capital on Tuesday to demand the release of detained activists, and "
         "police fired tear gas at the crowd near parliament, witnesses said.")


def items(*paths, **kwargs):
    return list(read_items([str(p) for p in paths], **kwargs))


def test_plain_text_with_source_line_and_defaults(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("[Source: AP]\n\n" + STORY, encoding="utf-8")
    [article] = items(path, defaults=Defaults(published="2025-03-04"))
    assert isinstance(article, Article)
    assert article.source == "AP" and article.published == dt.date(2025, 3, 4)
    assert article.text.startswith("[Source: AP]")  # offsets index the text as given
    assert article.name == str(path)


def test_html_main_text_metadata_and_no_boilerplate():
    [article] = items(CORPUS / "pages" / "el-obeid-market.html")
    assert article.text.startswith("EL OBEID, Sudan, May 10 (Reuters)")  # the repeated headline is dropped
    assert "newsletter" not in article.text and "Copyright" not in article.text and "Sport" not in article.text
    assert article.title == "Drone strike on Sudan market kills 12"
    assert article.published == dt.date(2025, 5, 11)
    assert article.source == "Sudan Monitor"
    assert article.url == "https://sudanmonitor.example/news/el-obeid-market-strike"
    assert article.dateline == "El Obeid"


def test_html_without_main_text_is_a_failure(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    [failure] = items(path)
    assert isinstance(failure, Failure) and failure.code == "E105" and failure.line is None
    assert "empty.html" in str(failure)


def test_jsonl_good_broken_and_textless_lines_in_order(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join([
        json.dumps({"text": STORY, "published": "2025-03-04T08:00:00Z", "source": "Reuters", "title": "T",
                    "url": "https://x.example/1"}),
        "",
        '{"text": "unterminated',
        json.dumps({"body": OTHER}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": OTHER}),
    ]) + "\n", encoding="utf-8")
    got = items(path)
    assert [type(x).__name__ for x in got] == ["Article", "Failure", "Failure", "Failure", "Article"]
    first, broken, textless, listed, last = got
    assert first.published == dt.date(2025, 3, 4) and first.url == "https://x.example/1" and first.title == "T"
    assert first.name == f"{path}, line 1"
    assert (broken.code, broken.line) == ("E103", 3) and f"{path}, line 3" in str(broken)
    assert (textless.code, textless.line) == ("E104", 4) and "'body'" in str(textless)
    assert (listed.code, listed.line) == ("E103", 5)
    assert last.name == f"{path}, line 6"


def test_field_names_are_configurable(tmp_path, monkeypatch):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"body": STORY, "outlet": "AFP", "day": "2025-03-05", "headline": "H",
                                "link": "https://x.example/2"}) + "\n", encoding="utf-8")
    fields = Fields(text="body", source="outlet", date="day", title="headline", url="link")
    [article] = items(path, fields=fields)
    assert (article.source, article.published, article.title, article.url) == (
        "AFP", dt.date(2025, 3, 5), "H", "https://x.example/2")
    monkeypatch.setenv("SITROOM_TEXT_FIELD", "body")
    assert Fields.from_settings().text == "body"
    assert Fields.from_settings(text="content").text == "content"


def test_item_checks_apply_per_row_with_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    french = "Les forces armées ont bombardé la ville pendant la nuit et les habitants ont fui vers le sud du pays."
    path.write_text(json.dumps({"text": french * 2}) + "\n" + json.dumps({"text": STORY, "published": "soon"})
                    + "\n", encoding="utf-8")
    not_english, bad_date = items(path)
    assert not_english.code == "E007" and not_english.line == 1 and "line 1" in str(not_english)
    assert bad_date.code == "E006" and bad_date.line == 2


def test_csv_and_tsv_rows_with_line_numbers(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text('title,published,source,text\nA,2025-03-04,Reuters,"' + STORY + '"\n'
                    'B,2025-03-05,AFP,"First line\nof a quoted field that spans lines, about the protest."\n'
                    'C,,AP,' + OTHER + '\n', encoding="utf-8")
    first, second, third = items(path)
    assert first.name == f"{path}, line 2" and first.source == "Reuters"
    assert second.name == f"{path}, line 3" and "\n" in second.text
    assert third.name == f"{path}, line 5" and third.published is None
    tsv = tmp_path / "feed.tsv"
    tsv.write_text("text\tsource\n" + OTHER + "\tDW\n", encoding="utf-8")
    [row] = items(tsv)
    assert row.source == "DW"


def test_gzip_and_folders_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b" / "feed.jsonl.gz").write_bytes(gzip.compress((json.dumps({"text": OTHER}) + "\n").encode()))
    (tmp_path / "b" / "notes.docx").write_bytes(b"PK\x03\x04")     # unknown kinds in folders are not inputs
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text(STORY, encoding="utf-8")
    assert [Path(p).name for p in expand_paths([tmp_path])] == ["a.txt", "feed.jsonl.gz"]
    first, second = items(tmp_path)
    assert first.text == STORY and second.text == OTHER
    assert second.name.endswith("feed.jsonl.gz, line 1")
    assert count_items([tmp_path]) == 2


def test_missing_and_binary_files_fail_alone(tmp_path):
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"\x00\x01" * 50)
    good = tmp_path / "good.txt"
    good.write_text(STORY, encoding="utf-8")
    missing, binary, article = items(tmp_path / "missing.txt", blob, good)
    assert missing.code == "E005" and binary.code == "E002" and isinstance(article, Article)


def test_count_items_matches_the_corpus():
    assert count_items([CORPUS]) == 13  # 5 + 3 + 2 lines or rows, 1 page, 2 text files
    kinds = [type(x).__name__ for x in read_items([CORPUS])]
    assert len(kinds) == 13 and kinds.count("Failure") == 2


@pytest.mark.parametrize("name,kind", [("x.txt", "text"), ("x.HTML", "html"), ("x.jsonl.gz", "jsonl"),
                                       ("x.csv", "csv"), ("x.tsv.gz", "csv"), ("x.docx", None)])
def test_input_kind(name, kind):
    from sitroom.read.readers import input_kind
    assert input_kind(name) == kind


def test_a_manifest_names_each_file_with_its_metadata(tmp_path):
    folder = tmp_path / "archive"
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "a.txt").write_text(STORY, encoding="utf-8")
    (folder / "texts" / "b.txt").write_text(OTHER, encoding="utf-8")
    rows = [{"doc": "a", "text_file": "texts/a.txt", "published": "2025-03-04", "source": "Reuters", "title": "A"},
            {"doc": "b", "text_file": "texts/b.txt", "published": "2025-03-05", "source": "AP"},
            {"doc": "c", "text_file": "texts/missing.txt", "published": "2025-03-06"}]
    (folder / "index.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    found = items(folder)   # the folder: the manifest's files are read through it, once each
    assert [type(i).__name__ for i in found] == ["Article", "Article", "Failure"]
    a, b, missing = found
    assert (a.published, a.source, a.title) == (dt.date(2025, 3, 4), "Reuters", "A")
    assert (b.published, b.source) == (dt.date(2025, 3, 5), "AP") and b.text == OTHER
    assert missing.code == "E005" and missing.line == 3 and "missing.txt" in str(missing)
    assert count_items([folder]) == 3
    csv_manifest = tmp_path / "archive" / "index.csv"
    (folder / "index.jsonl").unlink()
    csv_manifest.write_text("file,published,source\ntexts/a.txt,2025-03-04,Reuters\n", encoding="utf-8")
    found = items(folder)   # b.txt is not in this manifest: read on its own, without metadata
    assert [(i.source, i.published) for i in found] == [("Reuters", dt.date(2025, 3, 4)), (None, None)]


def test_jsonl_streams_and_a_bad_line_fails_alone(tmp_path):
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"text": STORY}).encode()
    path.write_bytes(good + b"\n" + b'{"text": "caf\xe9 latin-1"}\n' + json.dumps({"text": OTHER}).encode() + b"\n")
    found = items(path)
    assert [type(i).__name__ for i in found] == ["Article", "Failure", "Article"]
    assert found[1].code == "E003" and found[1].line == 2
    stream = read_items([str(path)])
    assert isinstance(next(stream), Article)   # lazily: the first line before the rest is read


def test_a_text_file_over_the_limit_is_refused_before_it_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setenv("SITROOM_MAX_CHARS", "1000")
    path = tmp_path / "huge.txt"
    path.write_text("word " * 100_000, encoding="utf-8")
    [failure] = items(path)
    assert failure.code == "E014" and "1,000 characters" in str(failure)
