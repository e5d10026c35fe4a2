"""Did it happen? An event's status (reported, claimed, denied, accused, negated, planned, hypothetical),
who claims it and who reports it, read from the words that govern its trigger (knowledge/cues.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from sitroom.knowledge import ontology
from sitroom.components.actors import ActorMention
from sitroom.components.arguments import MentionIndex, subject_of
from sitroom.components.syntax import children, prep_objects, sentence_start

STATUS_RANK = {"negated": 0, "denied": 1, "claimed": 2, "accused": 3, "hypothetical": 4, "planned": 5,
               "reported": 6}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "expl"}
CONDITIONAL_AUX = {"could", "might", "may", "would", "should", "can"}


@dataclass
class StatusInfo:
    value: str = "reported"
    claimed_by: ActorMention | None = None
    reported_by: ActorMention | None = None
    accused: ActorMention | None = None     # who is blamed for it: the event's actor
    speech: bool = False                     # told in reported speech ("said it would …")
    speaker_word: str | None = None          # the reporting verb's subject, as written ("analysts")

    @property
    def rank(self) -> int:
        return STATUS_RANK[self.value]


class Cues:
    """The cue lists of cues.yaml, split into single words (for lookups) and phrases."""

    KEYS = ("reporting", "claim", "denial", "accusation", "negation", "planned", "hypothetical", "background")

    def __init__(self, cues: ontology.Cues) -> None:
        self.words = {key: cues.words(key) for key in self.KEYS}
        self.phrases = {key: cues.phrases(key) for key in self.KEYS}

    def has(self, key: str, token: Token) -> bool:
        return token.lemma_.lower() in self.words.get(key, ()) or token.lower_ in self.words.get(key, ())

    def phrase_before(self, key: str, token: Token, span: int = 4) -> bool:
        doc = token.doc
        window = tuple(t.lemma_.lower() for t in doc[max(sentence_start(doc, token.i), token.i - span):token.i])
        return any(window[-len(p):] == p for p in self.phrases.get(key, ()) if len(window) >= len(p))


def governing_chain(anchor: Token, limit: int = 5) -> list[Token]:
    """The anchor and the words above it whose status passes down to it: through complements and
    modifiers, never through a subject ("the death … will provide" does not make the death future)"""
    chain = [anchor]
    current = anchor
    # nor through a coordination: "did not target civilians and accused Russian forces" accuses
    while len(chain) <= limit and current.head.i != current.i and current.dep_ not in SUBJECT_DEPS \
            and not (current.dep_ == "conj" and current.pos_ in ("VERB", "AUX")):
        current = current.head
        chain.append(current)
    return chain


def assess(anchor: Token, cues: Cues, index: MentionIndex, event_type: str) -> StatusInfo:
    info = StatusInfo()
    chain = governing_chain(anchor)
    info.reported_by = reporter(anchor, chain, cues, index)
    saying = next((t for t in chain[1:] if cues.has("reporting", t) and t.pos_ == "VERB"), None)
    info.speech = saying is not None
    speaker = subject_of(saying) if saying is not None else None
    info.speaker_word = speaker.lemma_.lower() if speaker is not None else None
    for depth, token in enumerate(chain):
        if negated(token, cues, depth):
            info.value = "negated"
            return info
        if cues.has("denial", token) and depth > 0:
            info.value = "denied"
            return info
        if cues.has("claim", token) and depth > 0:
            info.value = "claimed"
            info.claimed_by = index.of(subject_of(token))
            return info
        if cues.has("accusation", token) and depth > 0:
            info.value = "accused"
            accused = children(token, "dobj")
            info.accused = index.of(accused[0]) if accused else None
            return info
        if depth > 2 and token.pos_ in ("VERB", "AUX") and token.dep_ not in ("xcomp", "conj"):
            break
    # a threat speaks of what will be; its own "will" does not make the threat itself planned
    info.value = "reported" if event_type in ("THREATEN",) else modality(anchor, chain, cues)
    return info


def negated(token: Token, cues: Cues, depth: int) -> bool:
    if any(c.dep_ == "neg" for c in token.children):
        return depth <= 2
    if any(c.dep_ == "det" and c.lower_ == "no" for c in token.children):
        return True
    if token.dep_ == "pobj" and token.head.lower_ == "without" and depth <= 1:
        return True
    return depth > 0 and cues.has("negation", token) and token.pos_ in ("VERB", "NOUN")


def modality(anchor: Token, chain: list[Token], cues: Cues) -> str:
    for depth, token in enumerate(chain[:4]):
        for child in token.children:
            if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                return "hypothetical"
            if child.dep_ in ("aux", "auxpass"):
                if child.lower_ in FUTURE_AUX:
                    return "planned"
                if child.lower_ in CONDITIONAL_AUX:
                    return "hypothetical"
            if child.dep_ == "amod" and cues.has("hypothetical", child):
                return "hypothetical"
            if child.dep_ == "amod" and cues.has("planned", child):
                return "planned"
        if depth > 0 and cues.has("planned", token) and token.pos_ in ("VERB", "ADJ"):
            return "planned"
        if token.pos_ == "VERB" and depth > 0 and token.dep_ not in ("xcomp", "pcomp", "prep", "pobj", "dobj"):
            break
    return "reported"


def reporter(anchor: Token, chain: list[Token], cues: Cues, index: MentionIndex) -> ActorMention | None:
    for token in chain[1:]:
        if cues.has("reporting", token) and token.pos_ == "VERB":
            return index.of(subject_of(token))
    sent = anchor.sent
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < sent.end and token.nbor(1).lower_ == "to":
            objects = prep_objects(token, "to") or prep_objects(token.nbor(1), "to") or children(token.nbor(1), "pobj")
            if objects:
                return index.of(objects[0])
    return None
