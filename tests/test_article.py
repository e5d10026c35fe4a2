"""Readers and bad input: every problem is one clear error naming the input."""

import datetime as dt

import pytest

from sitroom.read.article import from_text
from sitroom.read.readers import Failure, read_items
from sitroom.errors import InputError

STORY = ("KHARTOUM, March 3 (Reuters) - Paramilitary fighters shelled a displacement camp on Monday, "
         "killing at least 12 people, aid workers said. The army said it would respond to the attack.")


def test_source_line_is_metadata_and_offsets_keep_counting():
    text = "[Source: Reuters]\n\n" + STORY
    article = from_text(text, published="2025-03-03")
    assert article.source == "Reuters"
    assert article.text == text  # evidence offsets index the text exactly as given
    assert article.published == dt.date(2025, 3, 3)


def test_wire_dateline_gives_place_and_agency():
    article = from_text(STORY)
    assert article.dateline == "Khartoum"
    assert article.source == "Reuters"


@pytest.mark.parametrize("dateline,place", [
    ("BEIRUT (Reuters) - Israeli jets struck the southern suburbs of the city, residents said.", "Beirut"),
    ("KYIV, Ukraine (AP) — Russia launched drones at the capital overnight, officials said.", "Kyiv"),
    ("GAZA CITY — Rescuers searched the rubble of the building for survivors on Tuesday.", "Gaza City"),
    ("Bamako (AFP) - Jihadists ambushed an army convoy in central Mali on Sunday, sources said.", "Bamako"),
    ("ISLAMABAD/KABUL (Reuters) - Pakistani jets struck targets inside Afghanistan, officials said.", "Islamabad/Kabul"),
])
def test_dateline_forms(dateline, place):
    assert from_text(dateline).dateline == place


def test_no_dateline_in_ordinary_lead():
    assert from_text("The United Nations said on Monday that aid convoys had reached the city.").dateline is None


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text(text):
    with pytest.raises(InputError) as info:
        from_text(text, name="empty.txt")
    assert info.value.code == "E001" and "empty.txt" in str(info.value)


def read_file(path):
    """One file read as `extract` and `ingest` read it; its failure raised."""
    [item] = read_items([path])
    if isinstance(item, Failure):
        raise item.error
    return item


def test_binary_file(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError) as info:
        read_file(path)
    assert info.value.code == "E002" and "image.png" in str(info.value)


def test_invalid_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Les forces armées ont bombardé la ville.".encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_file(path)
    assert info.value.code == "E003" and "offset" in str(info.value)


def test_unreadable_path(tmp_path):
    with pytest.raises(InputError) as info:
        read_file(tmp_path / "missing.txt")
    assert info.value.code == "E005" and "missing.txt" in str(info.value)


def test_a_publication_date_in_the_future_is_refused():
    with pytest.raises(InputError) as info:
        from_text(STORY, published="9999-12-31")
    assert info.value.code == "E013" and "9999-12-31" in str(info.value)
    assert from_text(STORY, published=dt.date.today().isoformat()).published == dt.date.today()


def test_bad_published_date():
    with pytest.raises(InputError) as info:
        from_text(STORY, published="22/10/2024")
    assert info.value.code == "E006" and "22/10/2024" in str(info.value)


def test_size_limit(monkeypatch):
    monkeypatch.setenv("SITROOM_MAX_CHARS", "100")
    with pytest.raises(InputError) as info:
        from_text(STORY * 2, name="long.txt")
    assert info.value.code == "E004" and "long.txt" in str(info.value)


@pytest.mark.parametrize("text", [
    "Les forces armées soudanaises ont bombardé mardi un camp de déplacés près d'El Fasher, tuant au moins "
    "douze personnes, selon des travailleurs humanitaires qui ont demandé l'anonymat pour des raisons de "
    "sécurité dans la région du Darfour du Nord.",
    "Die Armee hat am Dienstag ein Lager in der Nähe der Stadt beschossen, sagten Helfer vor Ort.",
    "Вооружённые силы нанесли удар по лагерю беженцев во вторник, погибли по меньшей мере двенадцать человек, "
    "сообщили гуманитарные работники на месте событий.",
])
def test_non_english(text):
    with pytest.raises(InputError) as info:
        from_text(text)
    assert info.value.code == "E007"


def test_missing_date_is_allowed():
    assert from_text(STORY).published is None
