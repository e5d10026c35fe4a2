"""The `where` stage: toponyms found in the text, their candidate places looked up in the gazetteer and ranked
by the trained toponym ranker in the light of the rest of the article."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from sitroom.components import extensions  # noqa: F401
from sitroom.components.geo import km_between
from sitroom.components.toponyms import (Cue, Name, PlaceContext, Ranker, cast_votes, features, load_ranker,
                                        prominent)
from sitroom.knowledge.gazetteer import Gazetteer, Place, load_gazetteer, normalise
from sitroom.knowledge.kb import KnowledgeBase

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# a proper name after "in" is a place whatever the model calls it, unless it calls it a time or a number
NOT_PLACE_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
LOCATIVE_PREPS = {"in", "near", "at", "outside", "around", "from", "into", "across", "towards", "toward",
                  "inside", "of", "off", "on"}
DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
              "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
              "southeastern", "southwestern"}
REGION_WORDS = {"region", "province", "oblast", "governorate", "state", "district", "county", "prefecture"}
TOWN_WORDS = {"port", "city", "town", "harbour", "harbor"}
PLACE_NOUNS = TOWN_WORDS | REGION_WORDS | {"village", "suburb", "outskirts", "neighbourhood", "neighborhood",
                                           "area", "camp"}
MAX_CANDIDATES = 50
NAMESAKE_KM = 100.0
# names the knowledge base gives to these are never places, whatever village shares them
NOT_PLACE_KINDS = {"armed_group", "party", "igo", "ngo", "media", "person"}
PRECISION = {"city": "city", "site": "point", "admin2": "admin2", "admin1": "admin1", "region": "region",
             "water": "region", "country": "country"}


@dataclass
class PlaceMention:
    start: int            # token span of the name
    end: int
    start_char: int
    end_char: int
    text: str
    place: Place
    relation: str | None  # near, north of, southern, …
    precision: str
    head: int             # the token the mention hangs from
    locative: bool = True # used as a place ("in Lebanon"), not as an actor ("Lebanon said")


@Language.factory("sitroom_where", assigns=["doc._.places", "doc._.dateline_place"], requires=["doc.ents", "doc._.actor_mentions"])
def make_where(nlp: Language, name: str) -> "WhereStage":
    return WhereStage(load_gazetteer())


class WhereStage:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    @functools.cached_property
    def ranker(self) -> Ranker:
        """Loaded at the first place to rank, so that the ranker's own training can run the other stages."""
        return load_ranker()

    def __call__(self, doc: Doc) -> Doc:
        spans = candidate_spans(doc)
        context, names = self.context(doc, spans)
        mentions = []
        for span, name in zip(spans, names):
            place = self.choose(name, context)
            if place is not None:
                mentions.append(describe(span, place, locative(span, place)))
        mentions += self.capitals(doc, mentions)
        doc._.places = sorted(mentions, key=lambda m: m.start)
        article = doc._.article
        if article is not None and article.dateline:
            doc._.dateline_place = self.resolve(article.dateline.title(), context)
        return doc

    def context(self, doc: Doc, spans: list[Span] | None = None) -> tuple[PlaceContext, list[Name]]:
        """What the article says about where it is, with the first pass's reading of each of its names."""
        context, names = self.base_context(doc, spans)
        cast_votes(context, names, self.ranker.first)
        return context, names

    def base_context(self, doc: Doc, spans: list[Span] | None = None) -> tuple[PlaceContext, list[Name]]:
        """The countries, regions and unambiguous places the article names, its dateline's country, and each
        name found with its candidates."""
        spans = candidate_spans(doc) if spans is None else spans
        context = PlaceContext(countries=article_countries(doc, self.gazetteer, spans))
        article = doc._.article
        if article is not None and article.dateline:
            context.dateline = next((p.country for p in self.gazetteer.lookup(article.dateline)), None)
        names = [Name(span.text, *self.candidates(span.text, span, doc._.kb)) for span in spans]
        for name in names:
            if len(name.candidates) == 1 and name.candidates[0].lat is not None:
                context.points.append((name.candidates[0].lat, name.candidates[0].lon))
            for place in name.candidates:
                if place.kind == "admin1":
                    context.regions[(place.country, place.admin1)] += 1
        return context, names

    def candidates(self, name: str, span: Span | None = None,
                   kb: KnowledgeBase | None = None) -> tuple[tuple[Place, ...], Cue]:
        """The places a name may stand for, most prominent first, and what its context asks for."""
        entries = kb.lookup(re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)) if kb is not None else []
        if any(e.kind in NOT_PLACE_KINDS for e in entries):
            return (), Cue()   # "Hamas" is no alternate name of Hamm, "Hezbollah" no village
        seat = next((self.capital_of(e.country, kb) for e in entries if e.kind == "government"), None)
        if seat is not None:
            return (seat,), Cue()   # "the White House", "the Kremlin": the capital, not a village of that name
        state = self.state_named(name, kb)
        if is_abbreviation(name):
            # "US", "U.K.", "UAE": a state's abbreviation, never the town spelled with the same letters
            found = tuple(p for p in self.gazetteer.lookup(name) if p.kind in ("country", "admin1"))
            return (state, *(p for p in found if p != state)) if state else found, Cue(
                state=state.country if state else None)
        candidates = self.gazetteer.lookup(name)
        wants_region = span is not None and span.end < len(span.doc) and span.doc[span.end].lower_ in REGION_WORDS
        words = name.split()
        if not candidates and len(words) > 1 and words[-1].lower() in REGION_WORDS:
            candidates, wants_region = self.gazetteer.lookup(" ".join(words[:-1])), True   # "Kebbi state"
        elif not candidates and len(words) > 1 and words[-1].lower() in TOWN_WORDS:
            candidates = self.gazetteer.lookup(" ".join(words[:-1]))   # "Hodeidah Port", "Gaza City"
        if state is not None and state not in candidates:
            candidates = (state, *candidates)   # "Israeli", "Britain": the knowledge base's name of a state
        # "the Red Sea" is the sea; "Red Sea state" the region
        wants_water = span is not None and span.start > 0 and span.doc[span.start - 1].lower_ == "the" or \
            name.lower().startswith("the ")
        narrowed = qualified(candidates, span, self.gazetteer)
        cue = Cue(wants_region, wants_water, narrowed != candidates, span is not None and after_locative(span.root),
                  state.country if state else None)
        return narrowed[:MAX_CANDIDATES], cue

    def resolve(self, name: str, context: PlaceContext, span: Span | None = None,
                kb: KnowledgeBase | None = None, known_place: bool = False) -> Place | None:
        """The most probable place for a name in its article. An obscure best place (a village, a county) must
        also be likely enough, unless the words make the name a place ("in Caesarea") or it is known to be
        one: a person's or a company's name is often some village's name too."""
        return self.choose(Name(name, *self.candidates(name, span, kb)), context, known_place)

    def choose(self, name: Name, context: PlaceContext, known_place: bool = False) -> Place | None:
        if not name.candidates:
            return None
        probabilities = self.ranker.second(features(name.text, name.candidates, context, name.cue))
        best = int(np.argmax(probabilities))
        place = pick(name, probabilities)
        if known_place:
            return place
        if place.kind == "city" and context.countries and place.country not in context.countries \
                and normalise(place.name) != normalise(name.text):
            return None   # a town abroad under another of its names is more often a misread word ("White House")
        return place if stands(name, place, probabilities[best], self.ranker.min_probability) else None

    def capitals(self, doc: Doc, found: list[PlaceMention]) -> list[PlaceMention]:
        """"Somalia's capital", "the capital of Sudan": the country's capital city."""
        countries = {m.start: m for m in found if m.place.kind == "country"}
        mentions = []
        for token in doc:
            if token.lemma_.lower() != "capital" or token.pos_ != "NOUN":
                continue
            owners = [c for c in token.children if c.dep_ == "poss"] + [
                o for p in token.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
            country = next((countries[o.i] for o in owners if o.i in countries), None)
            city = self.capital_of(country.place.country, doc._.kb) if country and doc._.kb else None
            if city is not None:
                span = doc[min(token.i, country.start):max(token.i, country.end - 1) + 1]
                mentions.append(PlaceMention(span.start, span.end, span.start_char, span.end_char, span.text,
                                             city, None, "city", token.head.i))
        return mentions

    def capital_of(self, country: str | None, kb: KnowledgeBase) -> Place | None:
        entry = kb.get(country.lower()) if country else None
        if entry is None or not entry.capital:
            return None
        return next((p for p in self.gazetteer.lookup(entry.capital) if p.kind == "city" and p.country == country),
                    None)

    def state_named(self, name: str, kb: KnowledgeBase | None) -> Place | None:
        """'U.S.', 'Britain', 'Israeli': a state the knowledge base knows by that name or demonym."""
        if kb is None:
            return None
        entry = kb.state_by_demonym(name) or next((e for e in kb.lookup(name) if e.kind == "state"), None)
        return self.gazetteer.country(entry.country) if entry is not None else None


def stands(name: Name, place: Place, probability: float, threshold: float) -> bool:
    """Is the chosen place believed? Always where the words make the name a place or the place is prominent;
    an obscure one (a village, a county) only when likely enough."""
    return name.cue.locative or prominent(place, name.text) or probability >= threshold


def pick(name: Name, probabilities: np.ndarray) -> Place:
    """The ranker's best place, read as its namesake city where the two cover the same ground."""
    return namesake_city(name.candidates[int(np.argmax(probabilities))], name.candidates, name.cue)


def namesake_city(place: Place, candidates: tuple[Place, ...], cue: Cue) -> Place:
    """'Tel Aviv', 'Aleppo', 'Kherson': a region and its namesake city that cover the same ground at this scale
    are read as the city, the more precise of the two, unless the words ask for the region ('Aleppo province')."""
    if place.kind not in ("admin1", "admin2") or cue.wants_region or place.lat is None:
        return place
    key = normalise(place.name)
    return next((c for c in candidates if c.kind == "city" and c.country == place.country
                 and normalise(c.name) == key and c.lat is not None
                 and km_between(c.lat, c.lon, place.lat, place.lon) <= NAMESAKE_KM), place)


def is_abbreviation(name: str) -> bool:
    letters = name.replace(".", "").strip()
    return 2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper()


def qualified(candidates: tuple[Place, ...], span: Span | None, gazetteer: Gazetteer) -> tuple[Place, ...]:
    """'Tyre, Lebanon', 'Dublin, Ohio': a name followed by its region or country keeps the places there."""
    if span is None or span.end + 1 >= len(span.doc) or span.doc[span.end].text != ",":
        return candidates
    doc = span.doc
    end = span.end + 1
    while end < len(doc) and end < span.end + 4 and doc[end].pos_ == "PROPN":
        end += 1
    qualifier = doc[span.end + 1:end].text
    if not qualifier:
        return candidates
    regions = gazetteer.lookup(qualifier)
    inside = [p for p in candidates if any(
        (r.kind == "country" and p.country == r.country) or (r.kind == "admin1" and p.country == r.country
                                                             and p.admin1 == r.admin1) for r in regions)]
    return tuple(inside) or candidates


def article_countries(doc: Doc, gazetteer: Gazetteer, spans: list[Span] | None = None) -> Counter:
    """How often each country is named in the article: by its actors, its dateline, and the place names
    the model is sure of that belong to one country only, so that local news stays local."""
    counts: Counter = Counter()
    for mention in doc._.actor_mentions or ():
        if mention.country and not mention.generic:
            counts[mention.country] += 1
    article = doc._.article
    if article is not None and article.dateline:
        for place in gazetteer.lookup(article.dateline)[:1]:
            counts[place.country] += 3
    for span in spans if spans is not None else candidate_spans(doc):
        if span.label_ in ("GPE", "LOC"):
            owners = {p.country for p in gazetteer.lookup(span.text) if p.country}
            if len(owners) == 1:
                counts[owners.pop()] += 1
    return counts


def candidate_spans(doc: Doc) -> list[Span]:
    """Place names the model found, names it labelled otherwise but that follow a locative preposition
    ("in El Fasher" tagged ORG), and proper names after such a preposition that it missed."""
    gazetteer = load_gazetteer()
    spans = [ent for ent in doc.ents if ent.start_char >= doc._.body_start and (
        ent.label_ in PLACE_LABELS or ent.label_ in ("ORG", "PERSON", "NORP") and (
            after_locative(ent.root) or ent.root.dep_ not in ("nsubj", "nsubjpass")
            and gazetteer.is_known_place(ent.text)))]
    taken = {i for span in spans for i in range(span.start, span.end)}
    # a name inside an organisation's or a law's name is not a place: "Court of Justice", "Group of Seven"
    named = {i for ent in doc.ents if ent.label_ not in PLACE_LABELS for i in range(ent.start + 1, ent.end)}
    for token in doc:
        # proper names after a locative preposition that NER missed: "in Nuseirat", "near Kupiansk"; and the
        # object of a verb that is a well-known place: "jets hit Aleppo"
        if token.pos_ != "PROPN" or token.i in taken or token.idx < doc._.body_start:
            continue
        if token.dep_ == "pobj" and token.head.lower_ in LOCATIVE_PREPS or (
                token.dep_ == "dobj" and token.head.pos_ == "VERB" and gazetteer.is_known_place(token.text)):
            start = token.i
            while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].dep_ == "compound":
                start -= 1   # "Hodeidah Port", not "Port"
            if not taken.intersection(range(start, token.i + 1)) and token.ent_type_ not in NOT_PLACE_LABELS \
                    and start not in named:
                spans.append(doc[start:token.i + 1])
    return sorted(spans, key=lambda s: s.start)


def after_locative(token) -> bool:
    """'in El Fasher', 'north of Bakhmut', 'in Kebbi state', 'the town of Zolochiv': the name is the object of
    a locative word."""
    while token.dep_ in ("compound", "amod", "poss") and token.head.i != token.i:
        token = token.head
    return token.dep_ == "pobj" and token.head.lower_ in LOCATIVE_PREPS - {"of", "on"} or (
        token.dep_ == "pobj" and token.head.lower_ == "of"
        and (token.head.head.lower_ in DIRECTIONS or token.head.head.lemma_.lower() in PLACE_NOUNS))


def locative(span: Span, place: Place) -> bool:
    """Is the name used as a place? Countries are often actors ("allies of Israel", "Israel said"): they
    count as places only after a locative preposition; any name that is a clause's subject is an actor."""
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass"):
        return False
    if span.label_ == "NORP" and place.kind == "country" and normalise(place.name) != normalise(span.text):
        return False   # a demonym: "the Israeli position" is somewhere near Israel's soldiers, not in Israel
    if place.kind not in ("country", "admin1"):
        return True
    head = root
    while head.dep_ in ("compound", "poss", "amod", "conj", "appos") and head.head.i != head.i:
        head = head.head
    return head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS - {"of", "on"}


def describe(span: Span, place: Place, is_locative: bool = True) -> PlaceMention:
    doc = span.doc
    relation = None
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in DIRECTIONS and before.dep_ in ("amod", "compound"):
        relation = before.lower_
    root = span.root
    phrase = root
    while phrase.dep_ in ("poss", "compound") and phrase.head.i != phrase.i:
        phrase = phrase.head   # "near Beirut's main state hospital"
    head = phrase.head
    if head.dep_ == "prep" or head.tag_ == "IN":
        if head.lower_ in ("near", "outside", "around"):
            relation = head.lower_
        elif head.lower_ == "of" and head.head.lower_ in DIRECTIONS:
            relation = f"{head.head.lower_} of"
    precision = PRECISION[place.kind]
    if relation and place.kind == "country":
        precision = "region"
    start = doc[span.start - 1].idx if relation and before is not None and before.lower_ == relation else span.start_char
    return PlaceMention(span.start, span.end, start, span.end_char, doc.text[start:span.end_char],
                        place, relation, precision, root.head.i, is_locative)
