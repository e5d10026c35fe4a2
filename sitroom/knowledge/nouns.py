"""Noun tables (nouns.yaml) and the two questions asked of them: what part of a state does a head noun
name ('forces' -> military), and which office does a title name ('prime minister')."""

from __future__ import annotations

from importlib import resources

import yaml
from spacy.tokens import Token

_DATA = yaml.safe_load((resources.files("sitroom.knowledge") / "nouns.yaml").read_text(encoding="utf-8"))

ROLES: dict[str, str] = {noun: role for role, words in _DATA["roles"].items() for noun in words}
TITLES: dict[str, str] = _DATA["titles"]
CIVILIANS: frozenset[str] = frozenset(_DATA["civilians"])
GENERIC_FORCES: dict[str, str] = {noun: kind for kind, words in _DATA["generic_forces"].items() for noun in words}


def generic_force(token: Token) -> str | None:
    """military, police, government or armed_group for "soldiers", "police", "officials", "gunmen",
    "armed men", "security forces"."""
    lemma = token.lemma_.lower()
    for mod in (c for c in token.children if c.dep_ in ("amod", "compound") and c.i < token.i):
        found = GENERIC_FORCES.get(f"{mod.lower_} {lemma}")
        if found:
            return found   # "armed men", "security forces"
    return GENERIC_FORCES.get(lemma)
SITES: dict[str, str] = {noun: kind for kind, words in _DATA["sites"].items() for noun in words}
GROUP_REFERENCES: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in _DATA["group_references"].items()}
LEADER_WORDS: frozenset[str] = frozenset(_DATA["leader_words"])
PLACE_HEADS: frozenset[str] = frozenset(_DATA["place_heads"])
TITLE_HEADS = frozenset(title.split()[-1] for title in TITLES)


def title_of(head: Token) -> str | None:
    """'prime minister', 'secretary of state', 'foreign minister' as written around the head noun."""
    words = [c.lower_ for c in head.children if c.dep_ in ("compound", "amod") and c.i < head.i] + [head.lower_]
    of_state = [o.lower_ for p in head.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
    candidates = [" ".join(words[-2:]), head.lower_]
    if of_state:
        candidates.insert(0, f"{head.lower_} of {of_state[0]}")
    for candidate in candidates:
        if candidate in TITLES:
            return TITLES[candidate]
    return None


def site_kind(token: Token) -> str | None:
    """civilians, military or police when the token names a place of theirs ("a police station")."""
    compound = " ".join([c.lower_ for c in token.children if c.dep_ == "compound" and c.i < token.i] + [token.lemma_.lower()])
    return SITES.get(compound) or SITES.get(token.lemma_.lower())


def role_of(head: Token) -> str | None:
    """military, government, police, civilians, person (a title), or None (the state itself)."""
    lemma = head.lemma_.lower()
    if head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "GPE"):
        return None
    if lemma in TITLE_HEADS and title_of(head):
        return "person"
    compound = " ".join(c.lower_ for c in head.children if c.dep_ == "compound" and c.i < head.i)
    if compound and f"{compound} {lemma}" in ROLES:
        return ROLES[f"{compound} {lemma}"]
    return ROLES.get(lemma)
