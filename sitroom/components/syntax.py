"""Small helpers over the dependency parse, shared by the stages."""

from __future__ import annotations

from spacy.tokens import Doc, Token

CLAUSE_DEPS = {"ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj", "acl", "pcomp", "csubj", "parataxis"}


def governing_verb(token: Token) -> Token | None:
    """The nearest verb at or above the token (the token itself when it is one)."""
    current = token
    for _ in range(12):
        if current.pos_ in ("VERB", "AUX"):
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def ancestors_until(token: Token, stop: Token | None = None, limit: int = 8) -> list[Token]:
    chain = []
    current = token
    for _ in range(limit):
        if current.head.i == current.i or (stop is not None and current.i == stop.i):
            break
        current = current.head
        chain.append(current)
    return chain


def is_passive(verb: Token) -> bool:
    """Passive voice, reduced relatives included: "staff detained by the Huthis"."""
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod"):
        return True
    return any(child.dep_ in ("auxpass", "nsubjpass", "agent") for child in verb.children)


def children(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def prep_objects(token: Token, *preps: str) -> list[Token]:
    """Objects of the token's prepositions among `preps` ("airstrike on X" -> X)."""
    found = []
    for prep in token.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in preps:
            found.extend(child for child in prep.children if child.dep_ == "pobj")
    return found


def with_conjuncts(token: Token) -> list[Token]:
    return [token, *token.conjuncts]


def _sentence_table(doc: Doc) -> tuple[list[int], list[int]]:
    """Per token: its sentence's number and its sentence's first token (computed once per Doc;
    Token.sent walks the Doc on every call)."""
    table = doc.user_data.get("sitroom_sentences")
    if table is None:
        numbers, starts = [0] * len(doc), [0] * len(doc)
        for n, sent in enumerate(doc.sents):
            for i in range(sent.start, sent.end):
                numbers[i], starts[i] = n, sent.start
        table = doc.user_data["sitroom_sentences"] = (numbers, starts)
    return table


def sentence_number(doc: Doc, i: int) -> int:
    return _sentence_table(doc)[0][i]


def sentence_start(doc: Doc, i: int) -> int:
    return _sentence_table(doc)[1][i]
