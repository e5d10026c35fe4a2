"""The `actors` stage: recognise who is named or described, and resolve each mention to one actor."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from sitroom.knowledge import nouns
from sitroom.knowledge.gazetteer import load_gazetteer
from sitroom.knowledge.kb import ActorEntry, KnowledgeBase, load_kb
from sitroom.components import extensions  # noqa: F401

FUZZY_CUTOFF = 92
SPELLING_CUTOFF = 90   # two full names this alike, first names equal, in one article: one person misspelt
GENERIC_MINISTRY = re.compile(r"^(?:the )?(?:[A-Za-z]+ ){0,2}(?:ministry|Ministry)(?: of [A-Za-z ]+)?$")
# A name that is a region, sea or site, or a town this size, is a place, not a person: two-word names
# ("Majdal Shams") from villages up, one word from towns, as common surnames name villages ("Sullivan").
PLACE_NAME_POPULATION = 1000
PLACE_WORD_POPULATION = 20_000
ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj"}
QUANTIFIERS = {"most", "many", "some", "several", "few", "all", "other"}
EDGE_POS = {"CCONJ", "ADP", "DET", "PUNCT", "SYM"}
MODEL_CODE = re.compile(r"^[A-Za-z]{1,6}[- ]?\d+[A-Za-z]?$")   # GBU-39, SM-6, HTML5, F-16
SOURCE_RANK = {"name": 0, "alias": 0, "title": 1, "descriptor": 2, "demonym": 3}


@dataclass
class ActorMention:
    start: int                 # token span
    end: int
    start_char: int
    end_char: int
    id: str
    name: str
    kind: str
    country: str | None
    source: str                # name, alias, demonym, descriptor, title, ner, surname, reference, generic
    generic: bool = False      # "people", "soldiers": whose they are is the event's place's country
    groups: frozenset[str] = frozenset()   # a known person's organisations (offices, memberships)


@dataclass
class ResolvedActor:
    id: str
    name: str
    kind: str
    country: str | None
    relations: list[tuple[str, str, tuple[int, int] | None]] = field(default_factory=list)


@dataclass
class TextRelation:
    source: str
    type: str
    target: str
    start_char: int
    end_char: int


@Language.factory("sitroom_actors", assigns=["doc._.actor_mentions", "doc._.actors", "doc._.relations"],
                  requires=["doc.ents", "token.dep"], default_config={"kb_files": []})
def make_actors(nlp: Language, name: str, kb_files: list[str]) -> "ActorStage":
    return ActorStage(nlp, load_kb(tuple(kb_files)))


class ActorStage:
    def __init__(self, nlp: Language, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.surfaces: dict[str, list[tuple[str, str]]] = {}
        self.case_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        exact, folded = [], []
        for surface, actor_id, source in kb.all_surface_forms():
            key = surface if source != "descriptor" and surface != surface.lower() else surface.lower()
            if key not in self.surfaces:
                (folded if key == surface.lower() else exact).append(key)
            self.surfaces.setdefault(key, []).append((actor_id, source))
        self.case_matcher.add("KB", list(nlp.tokenizer.pipe(exact)))
        self.lower_matcher.add("KB", list(nlp.tokenizer.pipe(folded)))
        self.fuzzy_choices = [s for s in self.surfaces if len(s) > 5 and s[0].isupper()]

    def __call__(self, doc: Doc) -> Doc:
        published = doc._.article.published if doc._.article else None
        doc._.kb = self.kb
        resolver = _DocResolver(self, doc, published)
        doc._.actor_mentions = resolver.mentions()
        doc._.relations = stated_relations(doc, doc._.actor_mentions, self.kb)
        doc._.actors = collect_actors(self.kb, doc._.actor_mentions, doc._.relations)
        return doc

    def pick(self, key: str, countries: set[str], on: dt.date | None) -> tuple[str, str] | None:
        options = self.surfaces.get(key) or self.surfaces.get(key.lower())
        if not options:
            return None
        def rank(option: tuple[str, str]) -> tuple[int, int, int]:
            entry = self.kb.get(option[0])
            return (SOURCE_RANK.get(option[1], 4), 0 if entry.country in countries else 1,
                    0 if entry.holds_on(on) else 1)
        return min(options, key=rank)

    def fuzzy(self, text: str) -> str | None:
        if len(text) < 6 or not self.fuzzy_choices:
            return None
        best = process.extractOne(text, self.fuzzy_choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return best[0] if best else None


class _DocResolver:
    """Resolution inside one article: KB names first, then NER names, references and descriptions."""

    def __init__(self, stage: ActorStage, doc: Doc, published: dt.date | None) -> None:
        self.stage, self.kb, self.doc, self.published = stage, stage.kb, doc, published
        self.found: list[ActorMention] = []
        self.taken: set[int] = set()

    def mentions(self) -> list[ActorMention]:
        self.kb_mentions()
        self.countries = {m.country for m in self.found if m.country}
        self.ner_mentions()
        self.generic_references()
        return sorted(self.found, key=lambda m: m.start)

    def add(self, start: int, end: int, actor_id: str, source: str, generic: bool = False,
            name: str | None = None, kind: str | None = None, country: str | None = None) -> ActorMention:
        entry = self.kb.get(actor_id)
        span = self.doc[start:end]
        mention = ActorMention(start, end, span.start_char, span.end_char, actor_id,
                               name or entry.name, kind or entry.kind,
                               country if entry is None else entry.country, source, generic,
                               person_groups(entry) if entry is not None and entry.kind == "person" else frozenset())
        self.found.append(mention)
        self.taken.update(range(start, end))
        return mention

    def free(self, start: int, end: int) -> bool:
        return not self.taken.intersection(range(start, end)) and self.doc[start].idx >= self.doc._.body_start

    # -- names from the knowledge base ------------------------------------------------------------
    def kb_mentions(self) -> None:
        doc = self.doc
        matches = [(s, e, doc[s:e].text) for _, s, e in self.stage.case_matcher(doc)]
        matches += [(s, e, doc[s:e].text.lower()) for _, s, e in self.stage.lower_matcher(doc)]
        matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        pending = []
        for start, end, key in matches:
            if not self.free(start, end):
                continue
            choice = self.stage.pick(key, set(), self.published)
            if choice is None:
                continue
            self.taken.update(range(start, end))
            pending.append((start, end, *choice))
        self.taken.clear()
        countries = {self.kb.get(a).country for _, _, a, source in pending if source != "descriptor"}
        for start, end, actor_id, source in sorted(pending):
            if source == "descriptor":
                actor_id = self.descriptor_referent(start, key_of(doc[start:end]), actor_id, countries)
                if actor_id is None:
                    continue
            self.place_state_mention(start, end, actor_id, source)

    def descriptor_referent(self, start: int, key: str, default: str, countries: set[str | None]) -> str | None:
        """'the Palestinian Islamist militant group': the candidate the article already named, else the only
        candidate when the article names its country ('a paramilitary force' is the RSF only in a story
        about Sudan)."""
        options = [a for a, s in self.stage.surfaces.get(key, []) if s == "descriptor"]
        named = [m.id for m in reversed(self.found) if m.start < start and m.id in options]
        if named:
            return named[0]
        country = self.kb.get(default).country
        return default if len(options) == 1 and (country is None or country in countries) else None

    def place_state_mention(self, start: int, end: int, actor_id: str, source: str) -> None:
        """A state named as the modifier of a noun is often one of its parts: 'Israeli forces'."""
        entry = self.kb.get(actor_id)
        if entry.kind != "state":
            self.add(start, end, actor_id, source)
            return
        head = self.doc[end - 1].head if self.doc[end - 1].dep_ in ("amod", "compound", "poss", "nmod") else None
        if head is None and end < len(self.doc) and self.doc[end].dep_ == "case":
            head = self.doc[end].head.head if self.doc[end].head.i == end - 1 else None
        role = nouns.role_of(head) if head is not None and head.i >= end else None
        if source == "demonym" and head is None and self.doc[start].tag_ in ("NNS", "NNPS"):
            role = "civilians"
        if role is None:
            self.add(start, end, actor_id, source)
            return
        if role == "person":
            holder = self.office_holder(head, entry.country)
            if holder:
                self.add(start, head.i + 1, holder, "title")
                return
            role = "government"
        part = self.kb.derived(entry.country, role)
        stop = head.i + 1 if head is not None and head.i < end + 4 else end
        self.add(start, stop, part.id, source, generic=False)

    def office_holder(self, head: Token, iso3: str | None) -> str | None:
        title = nouns.title_of(head)
        if not title or not iso3:
            return None
        holders = self.kb.office_holders(title, f"{iso3.lower()}_government", self.published)
        return holders[0].id if len(holders) == 1 else None

    # -- names the model found that the knowledge base does not list ---------------------------------
    def ner_mentions(self) -> None:
        # one-word names the article uses as an argument somewhere ("Boeing said") or keeps naming ("the Knesset
        # vote", "the Knesset declaration"): organisations; other lone words are fragments ("State", "Defense")
        orgs = [ent for ent in self.doc.ents if ent.label_ == "ORG"]
        counts = Counter(ent.text for ent in orgs)
        self.acting = {ent.text for ent in orgs if ent.root.dep_ in ARGUMENT_DEPS or counts[ent.text] > 1}
        for ent in self.doc.ents:
            if ent.label_ not in ("PERSON", "ORG", "NORP", "GPE") or not self.free(ent.start, ent.end):
                continue
            span = trim(ent)
            if span is None:
                continue
            if ent.label_ == "PERSON":
                self.person(span)
            elif ent.label_ == "ORG":
                self.organisation(span)
            elif ent.label_ == "GPE" and span.root.dep_ in ("nsubj", "nsubjpass", "poss"):
                capital = self.capital_of(span.text)   # "Kinshasa accused Kigali …"
                if capital is not None:
                    self.add(span.start, span.end, capital.id, "capital")

    def person(self, span: Span) -> None:
        text = clean_name(span.text)
        words = text.split()
        for earlier in reversed(self.found):
            if earlier.kind == "person" and earlier.name != text and same_person(earlier.name.split(), words):
                self.add(span.start, span.end, earlier.id, "surname", name=earlier.name, kind="person",
                         country=earlier.country)
                return
        if names_a_place(text) or not_a_name(span) or len(words) == 1 and self.in_place_name(span):
            return  # the model's PERSON on "Bamako", "Avdiivka", "al-Shifa Hospital", "GBU-39", "Hormuz"
        known = self.kb.person_by_surname(text) if len(words) == 1 else None
        if known is not None:
            self.add(span.start, span.end, known.id, "surname")
            return
        if len(words) == 1 and (span.start == span.sent.start or is_initials(span)):
            return  # a lone capitalised word opening a sentence ("Choking …"), initials or a rank ("ET", "Sgt.")
        key = self.stage.fuzzy(text)
        if key:
            choice = self.stage.pick(key, self.countries, self.published)
            if choice and self.kb.get(choice[0]).kind == "person":
                self.add(span.start, span.end, choice[0], "ner")
                return
        if len(words) == 1 and not person_like(span):
            return  # "Patriot missiles", "the Druze", "Tuareg rebels": a word that modifies or takes "the"
        self.add(span.start, span.end, "person_" + slug(text), "ner", name=text, kind="person",
                 country=self.nearby_country(span))

    def organisation(self, span: Span) -> None:
        capital = self.capital_of(span.text)
        if capital is not None and span.root.dep_ in ("nsubj", "nsubjpass", "poss"):
            self.add(span.start, span.end, capital.id, "capital")   # "Kinshasa accused …": the government
            return
        if load_gazetteer().is_known_place(span.text) and span.root.dep_ not in ("nsubj", "nsubjpass"):
            return  # "in El Fasher", "drones hit Kharkiv" tagged ORG
        if GENERIC_MINISTRY.match(span.text):
            # "the health ministry", "the Interior Ministry": the government of the event's country
            self.add(span.start, span.end, "government", "generic", generic=True, name=span.text, kind="government")
            return
        key = self.stage.fuzzy(span.text)
        choice = self.stage.pick(key, self.countries, self.published) if key else None
        if choice:
            self.add(span.start, span.end, choice[0], "ner")
        elif not_a_name(span) or names_a_place(span.text) or len(span) == 1 and span[0].pos_ == "ADJ":
            return   # an adjective is no organisation's name ("Iran's Supreme Leader")
        elif len(span) > 1 or span.text.isupper() and len(span.text) > 2 or span.text in self.acting:
            self.add(span.start, span.end, "org_" + slug(span.text), "ner", name=clean_name(span.text),
                     kind="unknown", country=self.nearby_country(span))

    def in_place_name(self, span: Span) -> bool:
        """The word is part of a longer place name in the article ("Hormuz" of "the Strait of Hormuz")."""
        return any(span.text in ent.text.split() and len(ent) > 1 for ent in self.doc.ents
                   if ent.label_ in ("GPE", "LOC", "FAC"))

    def capital_of(self, name: str):
        """The government whose seat the name is, when the article names that country."""
        for state in self.kb.states():
            if state.capital == name and state.country in self.countries:
                return self.kb.derived(state.country, "government")
        return None

    def nearby_country(self, span: Span) -> str | None:
        """'Sudanese army chief X', 'Israeli activist Y': the demonym just before a name."""
        before = [m for m in self.found if m.end <= span.start and span.start - m.end <= 4 and m.country]
        return max(before, key=lambda m: m.end).country if before else None

    # -- references inside the article ----------------------------------------------------------------
    def generic_references(self) -> None:
        for token in self.doc:
            if token.i in self.taken or token.idx < self.doc._.body_start or token.pos_ != "NOUN":
                continue
            lemma = token.lemma_.lower()
            force = nouns.generic_force(token)
            if force is not None:
                start = token.i - 1 if token.i > 0 and self.doc[token.i - 1].dep_ in ("amod", "compound") \
                    and self.doc[token.i - 1].head.i == token.i else token.i
                self.add(start, token.i + 1, force, "generic", generic=True, name=self.doc[start:token.i + 1].text,
                         kind=force)
            elif lemma in nouns.CIVILIANS and token.tag_ == "NNS":
                self.add(token.i, token.i + 1, "civilians", "generic", generic=True, name=token.text,
                         kind="civilians")
            elif lemma in nouns.GROUP_REFERENCES and is_definite(token):
                referent = self.most_recent(nouns.GROUP_REFERENCES[lemma], token.i) or self.home_part(lemma, token.i)
                if referent is not None:
                    start = token.left_edge.i if token.left_edge.i >= token.i - 4 else token.i
                    if self.free(start, token.i + 1):
                        self.add(start, token.i + 1, referent.id, "reference", name=referent.name,
                                 kind=referent.kind, country=referent.country)

    def home_part(self, lemma: str, before: int) -> ActorMention | None:
        """'the army', 'the government' with nothing before them: the part of the country the article is
        about so far."""
        kind = {"army": "military", "military": "military", "government": "government",
                "police": "police"}.get(lemma)
        countries = Counter(m.country for m in self.found if m.country and not m.generic and m.start < before)
        if kind is None or not countries:
            return None
        entry = self.kb.get(f"{countries.most_common(1)[0][0].lower()}_{kind}")
        if entry is None:
            return None
        return ActorMention(-1, -1, -1, -1, entry.id, entry.name, entry.kind, entry.country, "reference")

    def most_recent(self, kinds: frozenset[str], before: int) -> ActorMention | None:
        sentence_floor = max(0, before - 120)
        for mention in sorted(self.found, key=lambda m: -m.start):
            if mention.start < before and mention.start >= sentence_floor and mention.kind in kinds \
                    and not mention.generic:
                return mention
        return None


def person_groups(entry: ActorEntry) -> frozenset[str]:
    """The organisations a known person leads, serves or belongs to."""
    return frozenset({r.actor for r in entry.relations if r.type in ("leader_of", "member_of", "part_of")}
                     | {role.actor for role in entry.roles})


def key_of(span: Span) -> str:
    return span.text.lower()


def is_definite(token: Token) -> bool:
    return any(child.dep_ == "det" and child.lower_ in ("the", "this", "that") for child in token.children)


def trim(ent: Span) -> Span | None:
    """The name without articles, quotes, numbers or a dangling 'and' at its edges."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or not any(ch.isalpha() for ch in doc[start].text)):
        start += 1
    while end > start and (doc[end - 1].dep_ == "case" or doc[end - 1].pos_ in EDGE_POS
                           or not any(ch.isalpha() for ch in doc[end - 1].text)):
        end -= 1
    return doc[start:end] if end > start else None


def same_person(earlier: list[str], words: list[str]) -> bool:
    """A later mention of a person named before: the surname ("Latour"), the first name alone ("Alsu"), or the
    full name spelled a letter apart ("Almar Latou" after "Almar Latour")."""
    if earlier[-1] == words[-1] or len(words) == 1 and earlier[0] == words[0]:
        return True
    return len(words) > 1 and len(words) == len(earlier) and words[0] == earlier[0] \
        and fuzz.ratio(" ".join(words), " ".join(earlier)) >= SPELLING_CUTOFF


def names_a_place(text: str) -> bool:
    population = PLACE_WORD_POPULATION if len(text.split()) == 1 else PLACE_NAME_POPULATION
    return load_gazetteer().is_known_place(text, population)


def is_initials(span: Span) -> bool:
    """'ET', 'RL', or an abbreviated rank or title followed by its full stop ('Sgt.', 'Brig.')."""
    text = span.text
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return text.isupper() and len(text) <= 3 or len(text) <= 5 and after is not None and after.text == "."


def person_like(span: Span) -> bool:
    """One name word used as a person's name is: not a modifier of a common noun ("Patriot battery", "Druze
    leaders"), without a determiner or quantifier ("the Druze", "most Druze"), and not what a strait, city or
    province is "of" ("the Strait of Hormuz")."""
    root = span.root
    if root.dep_ in ("compound", "amod", "nmod") and root.head.pos_ == "NOUN":
        return False
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in nouns.PLACE_HEADS:
        return False
    return not any(c.dep_ in ("det", "predet") or c.dep_ == "amod" and c.lower_ in QUANTIFIERS
                   for c in root.children)


def clean_name(text: str) -> str:
    """One space between words (news text carries non-breaking spaces) and no stray symbols at the ends."""
    return " ".join(text.split()).strip("~*_\"'“”‘’«» ")


def not_a_name(span: Span) -> bool:
    """A facility ('Al-Shifa Hospital', 'Crocus City Hall'), a weapon or device code ('GBU-39', 'SM-6') or a
    lower-case word: none is an actor."""
    last = span[-1]
    tail = " ".join(t.lower_ for t in span[-2:])
    if last.lemma_.lower() in nouns.SITES or last.lower_ in nouns.SITES or tail in nouns.SITES:
        return True
    if MODEL_CODE.match(span.text):
        return True
    return span.text[:1].islower()


def slug(text: str) -> str:
    """'Rubén Rocha Moya' -> 'ruben_rocha_moya'."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")[:60]


# -- relations the article states ----------------------------------------------------------------------

# Words that may stand between an organisation and its leader: "Hamas' top leader Yahya Sinwar".
TITLE_FILLER = {"'s", "’s", "'", "’", ",", "the", "top", "senior", "military", "political", "former", "late",
                "deputy", "overall", "supreme", "then", "slain", "killed"}
ALLY_WORDS = {"ally", "allies", "proxy", "proxies"}


def stated_relations(doc: Doc, mentions: list[ActorMention], kb: KnowledgeBase) -> list[TextRelation]:
    """Relations the article states: "Iran-backed militant group Hezbollah" (backed_by), "Hamas leader Yahya
    Sinwar" (leader_of), "Iran's allies Hamas and Hezbollah" (ally_of)."""
    found = backers(doc, mentions, kb)
    named = [m for m in mentions if not m.generic and m.start >= 0]
    for i, mention in enumerate(named):
        for other in [m for m in named[i + 1:i + 4] if m.start - mention.end <= 5 and m.id != mention.id]:
            words = {t.lower_ for t in doc[mention.end:other.start]}
            if words & nouns.LEADER_WORDS and words <= nouns.LEADER_WORDS | TITLE_FILLER \
                    and other.kind == "person" and mention.kind != "person":
                found.append(TextRelation(other.id, "leader_of", mention.id, mention.start_char, other.end_char))
            elif words & ALLY_WORDS and other.kind != "civilians":
                found.append(TextRelation(other.id, "ally_of", mention.id, mention.start_char, other.end_char))
                for conj in named[named.index(other) + 1:named.index(other) + 3]:
                    gap = {t.lower_ for t in doc[other.end:conj.start]}
                    if gap <= {"and", ",", "&"} and conj.kind != "civilians":
                        found.append(TextRelation(conj.id, "ally_of", mention.id, mention.start_char,
                                                  conj.end_char))
                break
    return found


def backers(doc: Doc, mentions: list[ActorMention], kb: KnowledgeBase) -> list[TextRelation]:
    """'X-backed …' followed (or ended) by a group: the group is backed by state X."""
    found = []
    for token in doc:
        if token.lower_ != "backed" or token.i < 2 or doc[token.i - 1].text not in ("-", "–"):
            continue
        backer = next((e for e in kb.lookup(doc[token.i - 2].text) if e.kind == "state"), None)
        group = next((m for m in mentions if not m.generic and m.kind not in ("state", "civilians")
                      and (m.start <= token.i < m.end or 0 < m.start - token.i <= 6)), None)
        if backer is not None and group is not None:
            found.append(TextRelation(group.id, "backed_by", backer.id, doc[token.i - 2].idx, group.end_char))
    return found


def collect_actors(kb: KnowledgeBase, mentions: list[ActorMention],
                   relations: list[TextRelation]) -> dict[str, ResolvedActor]:
    actors: dict[str, ResolvedActor] = {}
    for mention in mentions:
        if mention.generic:
            continue
        if mention.id not in actors:
            actors[mention.id] = ResolvedActor(mention.id, mention.name, mention.kind, mention.country)
            if mention.id in kb.actors:
                actors[mention.id].relations = [(r.type, r.actor, None) for r in kb.relations_of(mention.id)]
    for rel in relations:
        actor = actors.get(rel.source)
        if actor is not None:
            actor.relations = [r for r in actor.relations if (r[0], r[1]) != (rel.type, rel.target)]
            actor.relations.append((rel.type, rel.target, (rel.start_char, rel.end_char)))
    return actors
