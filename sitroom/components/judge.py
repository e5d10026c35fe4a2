"""The trained judge of events: the encoder reads each sentence and says, per word, whether it is the
trigger of an event and of which PLOVER type. The lexicon then only lends what it knows of the word it agrees
with (mode, CAMEO code, whether it reports casualties)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from spacy.tokens import Doc

from sitroom.components.encoder import EncoderModel, WordOutputs
from sitroom.knowledge import ontology
from sitroom.components.triggers import NAME_LABELS, TriggerFinder, TriggerHit

ENCODED = "sitroom_encoded"
TRIGGER_THRESHOLD = 0.5   # a word is a trigger when the model gives the event labels together this much


def encode(doc: Doc, model: EncoderModel) -> WordOutputs:
    """What the encoder says of every token of the story (the header gets the no-event label), kept in
    doc.user_data for the later steps."""
    if ENCODED in doc.user_data:
        return doc.user_data[ENCODED]
    sents = [s for s in doc.sents if s.end_char > doc._.body_start and s.text.strip()]
    inputs = [(s.text, [(t.idx - s.start_char, t.idx + len(t.text) - s.start_char) for t in s]) for s in sents]
    outputs = model.run(inputs)
    width = outputs[0].hidden.shape[1] if outputs else 1
    words = WordOutputs(np.zeros((len(doc), len(model.labels)), dtype=np.float32),
                        np.zeros((len(doc), width), dtype=np.float32))
    words.probs[:, 0] = 1.0
    for sent, out in zip(sents, outputs):
        words.probs[sent.start:sent.end] = out.probs
        words.hidden[sent.start:sent.end] = out.hidden
    doc.user_data[ENCODED] = words
    return words


class ModelTriggers:
    """The words the model judges to be triggers. With `lexicon` (the hybrid judge), the lexicon types the
    words it knows (the model decides whether they report an event at all), and its triggers the model passed
    over are candidates too, scored by the mean of the lexicon's prior and the model's belief that they report
    an event (the confidence model weighs them apart: its `lexicon_only` feature)."""

    def __init__(self, model: EncoderModel, finder: TriggerFinder, threshold: float, lexicon: bool = False) -> None:
        self.model = model
        self.finder = finder
        self.threshold = threshold
        self.types = model.labels
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> list[TriggerHit]:
        probs = encode(doc, self.model).probs
        candidates = self.finder.candidates(doc)
        lexicon: dict[int, list[TriggerHit]] = {}
        for hit in candidates:
            for i in range(hit.start, hit.end):
                lexicon.setdefault(i, []).append(hit)
        hits: list[TriggerHit] = []
        for i in np.nonzero(1.0 - probs[:, 0] >= self.threshold)[0]:
            token = doc[int(i)]
            if token.idx < doc._.body_start or token.ent_type_ in NAME_LABELS and token.pos_ == "PROPN":
                continue
            known = lexicon.get(int(i), [])
            label = self.label(probs[i], {h.entry.type for h in known} if self.lexicon else set())
            hits.append(self.hit(int(i), label, float(1.0 - probs[i, 0]), known))
        hits = join_adjacent(doc, hits)
        if self.lexicon:
            taken = {i for h in hits for i in range(h.start, h.end)}
            for h in self.finder.choose(doc, candidates):
                if not taken.intersection(range(h.start, h.end)):
                    prior = 0.5 * (h.prior + float(1.0 - probs[h.anchor, 0]))
                    hits.append(TriggerHit(h.start, h.end, h.anchor, replace(h.entry, prior=prior)))
        return sorted(hits, key=lambda h: h.start)

    def label(self, probs: np.ndarray, lexicon_types: set[str]) -> str:
        """The type of a word the model judged a trigger: of the lexicon's types for it, the one the model
        prefers; the model's own choice where the lexicon does not know the word."""
        allowed = [n for n, label in enumerate(self.types) if n and (not lexicon_types or label in lexicon_types)]
        return self.types[max(allowed, key=lambda n: probs[n])]

    def hit(self, i: int, label: str, score: float, known: list[TriggerHit]) -> TriggerHit:
        agreeing = [h for h in known if h.entry.type == label]
        if agreeing:
            best = max(agreeing, key=lambda h: (h.end - h.start, h.entry.prior))
            return TriggerHit(best.start, best.end, best.anchor, replace(best.entry, prior=score), by_model=True)
        entry = ontology.TriggerEntry(type=label, cameo=ontology.cameo_for(label), lemma=None, prior=score,
                                      origin="model")
        return TriggerHit(i, i + 1, i, entry, by_model=True)


def join_adjacent(doc: Doc, hits: list[TriggerHit]) -> list[TriggerHit]:
    """Neighbouring trigger words of one type are one trigger ("air strike", "airstrike killed", "shot
    dead"), anchored on their syntactic head, where the arguments hang."""
    joined: list[TriggerHit] = []
    for hit in sorted(hits, key=lambda h: h.start):
        last = joined[-1] if joined else None
        if last is not None and last.entry.type == hit.entry.type and hit.start <= last.end:
            start, end = last.start, max(last.end, hit.end)
            head = doc[start:end].root.i
            lender = next((h for h in (last, hit) if h.start <= head < h.end), last)
            entry = replace(lender.entry, prior=max(last.prior, hit.prior))
            means = next((h.entry for h in (last, hit) if h.entry.mode), None)
            if entry.mode is None and means is not None:   # "drone strike hit": the means are the drone's
                entry = replace(entry, mode=means.mode, cameo=means.cameo)
            joined[-1] = TriggerHit(start, end, head, entry, by_model=True)
        else:
            joined.append(hit)
    return joined
