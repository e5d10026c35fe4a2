"""The other model family, measured beside the encoder: spaCy's own CNN (en_core_web_sm's tok2vec, copied and
fine-tuned) under spaCy's tagger, trained on the same word labels with spaCy's training loop."""

from __future__ import annotations

import logging
import random
import time

import spacy
from spacy.tokens import Doc
from spacy.training import Example

from sitroom.components.pipeline import load_base_model
from sitroom.training.tagger import LABELS

log = logging.getLogger(__name__)
TOK2VEC, TAGGER = "trigger_tok2vec", "trigger_tagger"
EPOCHS = 12


def words_doc(vocab, sent: dict) -> Doc:
    """The sentence as the words the pipeline split it into."""
    spans = [tuple(t) for t in sent["tokens"]]
    words = [sent["text"][s:e] for s, e in spans]
    spaces = [spans[i][1] < spans[i + 1][0] for i in range(len(spans) - 1)] + [False]
    return Doc(vocab, words=words, spaces=spaces)


def train(sentences: list[dict], epochs: int = EPOCHS, seed: int = 13, dropout: float = 0.2):
    spacy.util.fix_random_seed(seed)
    base = load_base_model()
    nlp = spacy.blank("en", vocab=base.vocab)
    nlp.add_pipe("tok2vec", name=TOK2VEC, source=base)
    tagger = nlp.add_pipe("tagger", name=TAGGER, config={"model": {
        "@architectures": "spacy.Tagger.v2", "nO": None, "normalize": False,
        "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": TOK2VEC}}})
    for label in LABELS:
        tagger.add_label(label)
    examples = []
    for sent in sentences:
        doc = words_doc(nlp.vocab, sent)
        tags = ["" if labels is None else (labels[0] if labels else "O") for labels in sent["labels"]]
        examples.append(Example.from_dict(doc, {"tags": tags}))
    tagger.initialize(lambda: examples[:200], nlp=nlp)
    optimizer = nlp.resume_training()
    rng = random.Random(seed)
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        started = time.time()
        for batch in spacy.util.minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
        log.info("cnn epoch %d: loss %.1f (%.0f s)", epoch + 1, losses.get(TAGGER, 0.0), time.time() - started)
    return nlp
