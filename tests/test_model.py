"""The shipped event model: loaded offline from the package, checked against its manifest, a clear error when
missing or damaged, and the figures it was shipped with reproduced (CI never trains)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import sitroom
from sitroom.components import encoder
from sitroom.errors import ModelError
from sitroom.knowledge.ontology import PLOVER_TYPES

ROOT = Path(__file__).resolve().parent.parent
DEV_GOLD = ROOT.parent / "shared" / "data" / "newsgold" / "dev.jsonl"


def manifest() -> dict:
    return json.loads((encoder.SHIPPED / encoder.MANIFEST).read_text(encoding="utf-8"))


def test_shipped_weights_load_and_describe_themselves():
    model = encoder.load()
    assert model.labels == ["O", *PLOVER_TYPES]
    meta = manifest()
    assert set(meta["files"]) >= {encoder.MODEL_FILE, encoder.TOKENIZER_FILE, encoder.PAIRS_FILE}
    assert meta["trained_on"] == ["newsgold/dev.jsonl", "newstrain/gold.jsonl"]
    assert 0.0 < meta["min_confidence"] < 1.0 and meta["confidence"]
    for key in ("held_out_folds", "newsgold_dev"):
        assert 0.0 < meta["scores"][key]["f1"] <= 1.0
    assert model.pair_scorer() is not None


def broken_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "weights"
    shutil.copytree(encoder.SHIPPED, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def test_a_missing_weights_file_is_a_clear_error(tmp_path):
    folder = broken_copy(tmp_path)
    (folder / encoder.MODEL_FILE).unlink()
    with pytest.raises(ModelError) as caught:
        encoder.EncoderModel(folder)
    assert caught.value.code == "E011" and encoder.MODEL_FILE in str(caught.value)
    assert "make train" in str(caught.value) and "reinstall" in str(caught.value)


def test_a_damaged_weights_file_is_a_clear_error(tmp_path):
    folder = broken_copy(tmp_path)
    data = bytearray((folder / encoder.MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / encoder.MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelError) as caught:
        encoder.EncoderModel(folder)
    assert caught.value.code == "E012" and "checksum" in str(caught.value)


def test_an_unreadable_manifest_is_a_clear_error(tmp_path):
    folder = broken_copy(tmp_path)
    (folder / encoder.MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        encoder.EncoderModel(folder)
    assert caught.value.code == "E011"


def test_the_command_reports_broken_weights_in_one_line(tmp_path):
    folder = broken_copy(tmp_path)
    (folder / encoder.TOKENIZER_FILE).write_text("{}", encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text("Israeli airstrikes killed 12 people in Gaza on Monday, medics said.", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "sitroom", "extract", str(story)], capture_output=True, text=True,
                         env={**__import__("os").environ, "SITROOM_EVENT_MODEL": str(folder)})
    assert run.returncode == 1
    assert "E012" in run.stderr and "Traceback" not in run.stderr


words = st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
                         min_size=1, max_size=12), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(words)
def test_every_word_points_at_a_wordpiece_of_its_own(items):
    tokenizer = encoder.load().backend.tokenizer
    text, spans = "", []
    for word in items:
        spans.append((len(text), len(text) + len(word)))
        text += word + " "
    aligned = encoder.align(tokenizer, text, spans)
    encoding = tokenizer.encode(text, add_special_tokens=False)
    assert len(aligned.first) == len(spans)
    for (start, end), piece in zip(spans, aligned.first):
        if piece >= 0:
            assert aligned.ids[piece] == encoding.ids[piece - aligned.segment]
            s, e = encoding.offsets[piece - aligned.segment]
            assert start <= s < end


def test_the_model_judges_words_in_context():
    text = ("Israeli airstrikes killed 12 people in the Gaza Strip on Monday, the health ministry said. "
            "Hamas condemned the strikes and called on the United Nations to intervene.")
    found = {(e.type, text[e.evidence.start:e.evidence.end]) for e in sitroom.extract(text, published="2024-07-02").events}
    types = {t for t, _ in found}
    assert {"ASSAULT", "ACCUSE", "REQUEST"} <= types, found


@pytest.mark.slow
def test_the_figures_shipped_with_the_weights_are_reproduced():
    """The newsgold dev figures recorded when the weights were built: the same weights, the same scores."""
    from sitroom.contract.evaluate import evaluate
    recorded = manifest()["scores"]["newsgold_dev"]
    measured = evaluate(DEV_GOLD).total.summary()
    for key in ("precision", "recall", "f1"):
        assert measured[key] == pytest.approx(recorded[key], abs=0.02), key
