"""Finding the words that say an event happened, from the trigger lexicon (knowledge/triggers.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from sitroom.components.syntax import children, is_passive, sentence_number, sentence_start

MAX_TRIGGER_GAP = 4   # words between a verb and its object for both to be the trigger's span
NAME_LABELS = {"PERSON", "ORG", "WORK_OF_ART", "LAW", "EVENT", "FAC", "PRODUCT"}


@dataclass
class TriggerHit:
    start: int            # token span of the trigger words
    end: int
    anchor: int           # the syntactic head: the verb, or the event noun
    entry: Any            # the lexicon entry (knowledge.ontology.TriggerEntry)
    by_model: bool = False   # judged a trigger by the event model, not added by the lexicon alone

    @property
    def prior(self) -> float:
        return self.entry.prior

    @property
    def blocker(self) -> bool:
        """A lexicon entry that matches words which report no event ("heart attack"): it wins the
        overlap with the trigger inside it, then is dropped."""
        return self.entry.prior == 0


class TriggerFinder:
    def __init__(self, nlp: Language, entries: list[Any]) -> None:
        self.by_lemma: dict[str, list[Any]] = {}
        self.by_verb: dict[str, list[Any]] = {}
        self.phrases: dict[str, list[Any]] = {}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        for entry in entries:
            if getattr(entry, "lemma", None):
                self.by_lemma.setdefault(entry.lemma.lower(), []).append(entry)
            elif getattr(entry, "verb", None):
                self.by_verb.setdefault(entry.verb.lower(), []).append(entry)
            elif getattr(entry, "phrase", None):
                words = [w.lower() for w in entry.phrase]
                key = " ".join(words)
                if key not in self.phrases:
                    # the phrase is written in lemmas: a Doc whose words are their own lemmas
                    self.matcher.add(key, [Doc(nlp.vocab, words=words, lemmas=words)])
                self.phrases.setdefault(key, []).append(entry)
        self.string_to_key = {nlp.vocab.strings[k]: k for k in self.phrases}

    def __call__(self, doc: Doc) -> list[TriggerHit]:
        return self.choose(doc, self.candidates(doc))

    def choose(self, doc: Doc, candidates: list[TriggerHit]) -> list[TriggerHit]:
        """The triggers among the candidates: those their context allows, one per anchor."""
        return best_hits(doc, [h for h in candidates if context_allows(doc, h)])

    def candidates(self, doc: Doc) -> list[TriggerHit]:
        hits: list[TriggerHit] = []
        for match_id, start, end in self.matcher(doc):
            root = doc[start:end].root.i
            hits.extend(TriggerHit(start, end, root, entry) for entry in self.phrases[self.string_to_key[match_id]]
                        if allowed_pos(doc[root], entry))
        for token in doc:
            lemma = token.lemma_.lower()
            for entry in self.by_lemma.get(lemma, ()):
                if allowed_pos(token, entry) and not vetoed(token, entry):
                    hits.append(TriggerHit(token.i, token.i + 1, token.i, entry))
            for entry in self.by_verb.get(lemma, ()):
                hit = verb_pattern(token, entry)
                if hit is not None:
                    hits.append(hit)
        return hits


def context_allows(doc: Doc, hit: TriggerHit) -> bool:
    """`not_context`: lemmas that veto the entry anywhere in its sentence ("strike" near "workers");
    `needs_context`: lemmas of which the sentence must hold one."""
    banned, needed = hit.entry.not_context, hit.entry.needs_context
    if not banned and not needed:
        return True
    lemmas = sentence_lemmas(doc, hit.anchor)
    return not lemmas.intersection(banned) and (not needed or bool(lemmas.intersection(needed)))


def sentence_lemmas(doc: Doc, i: int) -> set[str]:
    cache = doc.user_data.setdefault("sitroom_sentence_lemmas", {})
    number = sentence_number(doc, i)
    if number not in cache:
        start = sentence_start(doc, i)
        end = start
        while end < len(doc) and sentence_number(doc, end) == number:
            end += 1
        cache[number] = {t.lemma_.lower() for t in doc[start:end]}
    return cache[number]


def allowed_pos(token: Token, entry: Any) -> bool:
    pos = getattr(entry, "pos", None)
    return not pos or token.pos_ in pos


def vetoed(token: Token, entry: Any) -> bool:
    banned = getattr(entry, "not_object", None)
    if not banned:
        return False
    objects = children(token, "dobj", "nsubjpass", "pobj", "compound") + [
        o for p in children(token, "prep") for o in children(p, "pobj")]
    if token.dep_ == "compound":
        objects.append(token.head)
    return any(o.lemma_.lower() in banned for o in objects)


def verb_pattern(token: Token, entry: Any) -> TriggerHit | None:
    if token.pos_ not in ("VERB", "AUX"):
        return None
    particle = getattr(entry, "particle", None)
    if particle:
        parts = [c for c in token.children if c.dep_ in ("prt", "advmod", "prep") and c.lower_ == particle]
        if not parts:
            return None
        objects = getattr(entry, "object", None)
        if objects and not any(o.lemma_.lower() in objects for o in children(token, "dobj", "nsubjpass")
                               + [p for part in parts for p in children(part, "pobj")]):
            return None
        return TriggerHit(min(token.i, parts[0].i), max(token.i, parts[0].i) + 1, token.i, entry)
    objects = getattr(entry, "object", None) or []
    deps = ("nsubjpass",) if is_passive(token) else ("dobj",)
    for obj in children(token, *deps, "attr", "xcomp"):   # "vowed revenge", "vowed to crush the rebels"
        if obj.lemma_.lower() in objects:
            if abs(obj.i - token.i) > MAX_TRIGGER_GAP:   # "sending Ukraine up to $200 million worth of weapons"
                return TriggerHit(token.i, token.i + 1, token.i, entry)
            return TriggerHit(min(token.i, obj.i), max(token.i, obj.i) + 1, token.i, entry)
    return None


def best_hits(doc: Doc, hits: list[TriggerHit]) -> list[TriggerHit]:
    """One entry per anchor: the longest match, then the surest; none inside names or the header."""
    chosen: dict[int, TriggerHit] = {}
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), not h.blocker, -h.prior)):
        anchor = doc[hit.anchor]
        if anchor.idx < doc._.body_start or anchor.ent_type_ in NAME_LABELS:
            continue
        if any(other.start <= hit.anchor < other.end or hit.start <= other.anchor < hit.end
               for other in chosen.values()):
            continue
        chosen[hit.anchor] = hit
    return sorted((h for h in chosen.values() if not h.blocker), key=lambda h: h.start)
