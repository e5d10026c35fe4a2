"""The sentence encoder at run time: words to wordpieces, the shipped ONNX graph run by onnxruntime, and the
outputs read back per word. Training (sitroom.training) aligns words the same way, through `align`."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sitroom.errors import ModelError

MAX_PIECES = 256           # wordpieces per window, [CLS] and [SEP] included
CONTEXT_PIECES = 48        # of the sentence before, at most
BATCH = 16
MODEL_FILE = "events.onnx"
TOKENIZER_FILE = "tokenizer.json"
MANIFEST = "events.json"
PAIRS_FILE = "pairs.npz"
SHIPPED = Path(__file__).resolve().parent.parent / "weights"


@dataclass
class WordOutputs:
    """What the encoder says of each word of a sentence."""
    probs: np.ndarray          # (words, labels): no event, or the trigger of one of the PLOVER types
    hidden: np.ndarray         # (words, width): the last hidden layer


@dataclass
class Aligned:
    ids: list[int]             # wordpiece ids, [CLS] (context [SEP]) sentence [SEP]
    first: list[int]           # per word: the index of its first wordpiece in `ids`, or -1 (no wordpiece)
    segment: int = 0           # where the sentence begins in `ids` (after the context)


def align(tokenizer, text: str, words: list[tuple[int, int]], context: str = "") -> Aligned:
    """Wordpieces of a sentence (after the end of its context, when given) and, per word (character span in
    `text`), its first wordpiece. A sentence longer than the encoder's window keeps its first pieces; later
    words get -1."""
    before = tokenizer.encode(context, add_special_tokens=False).ids[-CONTEXT_PIECES:] + [SEP] if context else []
    encoding = tokenizer.encode(text, add_special_tokens=False)
    room = MAX_PIECES - 2 - len(before)
    ids = [CLS] + before + encoding.ids[:room] + [SEP]
    shift = 1 + len(before)
    first = []
    piece = 0
    offsets = encoding.offsets[:room]
    for start, end in words:
        while piece < len(offsets) and offsets[piece][1] <= start:
            piece += 1
        first.append(piece + shift if piece < len(offsets) and offsets[piece][0] < end else -1)
    return Aligned(ids, first, shift)


CLS, SEP = 101, 102


def batches(items: list[Aligned], size: int = BATCH) -> list[list[int]]:
    """Indices of items in batches of similar length (less padding)."""
    order = sorted(range(len(items)), key=lambda i: len(items[i].ids))
    return [order[i:i + size] for i in range(0, len(order), size)]


def padded(items: list[Aligned]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ids, attention mask and segment ids (1 for the sentence, 0 for [CLS] and its context)."""
    width = max(len(a.ids) for a in items)
    ids = np.zeros((len(items), width), dtype=np.int64)
    mask = np.zeros((len(items), width), dtype=np.int64)
    segments = np.zeros((len(items), width), dtype=np.int64)
    for row, item in enumerate(items):
        ids[row, :len(item.ids)] = item.ids
        mask[row, :len(item.ids)] = 1
        segments[row, item.segment:len(item.ids)] = 1 if item.segment > 1 else 0
    return ids, mask, segments


class EncoderModel:
    """The shipped (or a retrained) event model: checked against its manifest, then loaded once. Its family
    (manifest `family`) is the fine-tuned MiniLM run by onnxruntime ("minilm", shipped) or spaCy's CNN
    tagger ("cnn", the family it was measured against)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest = read_manifest(folder)
        self.labels: list[str] = self.manifest["labels"]
        self.context = bool(self.manifest.get("context"))    # reads each sentence after the one before
        try:
            self.backend = (CnnBackend(folder, self.labels) if self.manifest.get("family") == "cnn"
                            else OnnxBackend(folder))
        except Exception as err:   # onnxruntime, tokenizers and spaCy raise their own types for bad files
            raise ModelError("E011", folder=str(folder), reason=f"{type(err).__name__}: {err}") from None

    def run(self, sentences: list[tuple[str, list[tuple[int, int]]]]) -> list[WordOutputs]:
        """Per sentence (text, word spans; in text order), what the encoder says of each word. A word with no
        wordpiece (whitespace) gets the no-event label and zeros."""
        return self.backend.run(sentences, self.context)

    def pair_scorer(self):
        """The trained scorer of mention pairs, when the folder has one (a model being trained has not)."""
        from sitroom.components.pairs import PairScorer
        if PAIRS_FILE not in self.manifest["files"]:
            return None
        with np.load(self.folder / PAIRS_FILE) as weights:
            return PairScorer({k: weights[k] for k in weights.files})


class OnnxBackend:
    def __init__(self, folder: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(folder / MODEL_FILE), options,
                                                    providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()

    def run(self, sentences: list[tuple[str, list[tuple[int, int]]]], context: bool) -> list[WordOutputs]:
        contexts = [""] + [text for text, _ in sentences[:-1]] if context else [""] * len(sentences)
        aligned = [align(self.tokenizer, text, words, before) for (text, words), before in zip(sentences, contexts)]
        out: list[WordOutputs] = [None] * len(aligned)   # type: ignore[list-item]
        for group in batches(aligned):
            ids, mask, segments = padded([aligned[i] for i in group])
            probs, hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                                    "token_type_ids": segments})
            for row, i in enumerate(group):
                first = np.array(aligned[i].first, dtype=np.int64)
                found = first >= 0
                words = WordOutputs(np.zeros((len(first), probs.shape[-1]), dtype=np.float32),
                                    np.zeros((len(first), hidden.shape[-1]), dtype=np.float32))
                words.probs[:, 0] = 1.0
                words.probs[found] = probs[row, first[found]]
                words.hidden[found] = hidden[row, first[found]]
                out[i] = words
        return out


class CnnBackend:
    def __init__(self, folder: Path, labels: list[str]) -> None:
        import spacy
        self.nlp = spacy.load(folder / "cnn")
        tagger = self.nlp.get_pipe("trigger_tagger")
        self.order = [list(tagger.labels).index(label) for label in labels]

    def run(self, sentences: list[tuple[str, list[tuple[int, int]]]], context: bool) -> list[WordOutputs]:
        from spacy.tokens import Doc
        docs = []
        for text, words in sentences:
            spaces = [words[i][1] < words[i + 1][0] for i in range(len(words) - 1)] + [False]
            docs.append(Doc(self.nlp.vocab, words=[text[s:e] for s, e in words], spaces=spaces))
        tok2vec, tagger = self.nlp.get_pipe("trigger_tok2vec"), self.nlp.get_pipe("trigger_tagger")
        tok2vec.set_annotations(docs, tok2vec.predict(docs))
        out = []
        for doc, scores in zip(docs, tagger.model.predict(docs)):
            scores = np.asarray(scores, dtype=np.float32)[:, self.order]
            if not np.allclose(scores.sum(-1), 1.0, atol=1e-3):
                scores = np.exp(scores - scores.max(-1, keepdims=True))
                scores /= scores.sum(-1, keepdims=True)
            out.append(WordOutputs(scores, np.asarray(doc.tensor, dtype=np.float32)))
        return out


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ModelError("E011", folder=str(folder), reason=f"{path.name}: {err}") from None
    for name, digest in files.items():
        try:
            found = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        except OSError as err:
            raise ModelError("E011", folder=str(folder), reason=f"{name}: {err.strerror or err}") from None
        if found != digest:
            raise ModelError("E012", folder=str(folder), name=name)
    return manifest


@functools.lru_cache(maxsize=2)
def load(folder: str = "") -> EncoderModel:
    return EncoderModel(Path(folder) if folder else SHIPPED)
