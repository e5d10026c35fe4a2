"""Training examples from gold files: every sentence of every story, each token labelled with the PLOVER
types it may be the trigger word of, or with none.

A gold trigger is a phrase ("Two Al Jazeera correspondents were killed in a reported Israeli airstrike"); the
words in it that say the event happened are its heads: the words the lexicon knows for one of the gold
types, else the phrase's syntactic head, stepped down from a reporting verb, a copula or a control verb to
the word that carries the event. Heads are positive, the other words of a multiword trigger are left
unscored, and every other word is a negative, those of the phrase included: "refused to transfer aid" is
one refusal, its "aid" no event of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitroom.read.article import from_text
from sitroom.contract.evaluate import GoldDoc, load_gold
from sitroom.knowledge import ontology
from sitroom.components.triggers import TriggerFinder

TRAIN_FILES = ("newsgold/dev.jsonl", "newstrain/gold.jsonl")
REPORTING = {"say", "tell", "add", "state", "report", "announce", "write", "according", "note", "claim"}
CONTROL = {"try", "seek", "attempt", "begin", "start", "continue", "appear", "seem", "intend", "plan", "want",
           "decide", "opt", "remain", "keep", "aim", "threaten", "vow", "pledge", "agree", "refuse", "fail",
           "manage", "prepare", "move", "go"}
CONTENT_POS = {"VERB", "NOUN", "ADJ"}
IGNORE = None          # the other words of a multiword trigger: not scored


@dataclass
class Sentence:
    doc: str
    start: int                          # character offset of the sentence in the text
    text: str
    tokens: list[tuple[int, int]]       # character spans, relative to the sentence
    labels: list[list[str] | None]      # per token: the acceptable types ([] = no event), None = unscored
    events: list[str | None] = field(default_factory=list)   # per token: the gold event id of a head

    def as_dict(self) -> dict:
        return {"doc": self.doc, "start": self.start, "text": self.text, "tokens": self.tokens,
                "labels": self.labels, "events": self.events}


def gold_documents(data_dir: Path, files: tuple[str, ...] = TRAIN_FILES) -> list[GoldDoc]:
    return [doc for name in files for doc in load_gold(data_dir / name)]


def parsed(nlp: Language, gold: GoldDoc) -> Doc:
    """The Doc the event stage would see: the pipeline up to (not including) the event stage."""
    from sitroom.components.pipeline import prepare
    article = from_text(gold.text, published=gold.published, source=gold.source, title=gold.title, name=gold.doc)
    doc = prepare(nlp, article)
    for name, component in nlp.pipeline:
        if name == "sitroom_events":
            break
        doc = component(doc)
    return doc


def sentences(doc: Doc, gold: GoldDoc, finder: TriggerFinder) -> list[Sentence]:
    labels: list[list[str] | None] = [[] for _ in doc]
    events: list[str | None] = [None] * len(doc)
    candidates = finder.candidates(doc)
    for event in gold.events:
        for start, end in event.spans:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            for head, words in phrase_heads(span, event.types, candidates):
                for i in words:
                    if labels[i] is not None and not labels[i]:
                        labels[i] = IGNORE
                known = labels[head.i] or []
                labels[head.i] = known + [t for t in event.types if t not in known]
                events[head.i] = events[head.i] or event.id
    out = []
    for sent in doc.sents:
        if sent.end_char <= doc._.body_start or not sent.text.strip():
            continue
        offset = sent.start_char
        out.append(Sentence(gold.doc, offset, sent.text,
                            [(t.idx - offset, t.idx + len(t.text) - offset) for t in sent],
                            [labels[t.i] for t in sent], [events[t.i] for t in sent]))
    return out


def phrase_heads(span: Span, types: list[str], candidates: list) -> list[tuple[Token, range]]:
    """The heads of a gold phrase, each with the words that belong to it (a multiword trigger's, a verb's
    particle): those are left unscored, the phrase's other words are negatives."""
    known = {h.anchor: h for h in candidates if span.start <= h.anchor < span.end and h.entry.type in types}
    if known:
        return [(span.doc[i], range(h.start, h.end)) for i, h in known.items()]
    head = syntactic_head(span)
    if head is None:
        return []
    attached = [c.i for c in head.children if c.dep_ in ("compound", "prt", "neg")] + [head.i]
    return [(head, range(min(attached), max(attached) + 1))]


def syntactic_head(span: Span) -> Token | None:
    """The word of the phrase that carries the event: its root, stepped down through reporting verbs
    ("said they would strike"), copulas ("was a success") and control verbs ("tried to storm")."""
    inside = range(span.start, span.end)
    token = span.root
    for _ in range(4):
        below = None
        if token.lemma_.lower() in REPORTING:
            below = first_child(token, inside, "ccomp", "xcomp")
        elif token.lemma_ == "be" or token.pos_ == "AUX":
            below = first_child(token, inside, "attr", "acomp", "ccomp", "xcomp")
        elif token.lemma_.lower() in CONTROL:
            below = first_child(token, inside, "xcomp")
        if below is None:
            break
        token = below
    if token.pos_ in CONTENT_POS:
        return token
    for pos in ("VERB", "NOUN", "ADJ"):
        found = next((t for t in span if t.pos_ == pos), None)
        if found is not None:
            return found
    return None


def first_child(token: Token, inside: range, *deps: str) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps and c.i in inside), None)


def build(data_dir: Path, nlp: Language, files: tuple[str, ...] = TRAIN_FILES) -> list[Sentence]:
    finder = TriggerFinder(nlp, ontology.load_triggers())
    out: list[Sentence] = []
    for gold in gold_documents(data_dir, files):
        out.extend(sentences(parsed(nlp, gold), gold, finder))
    return out
