"""An event's date and place: the expression attached to it in the syntax, else one in its clause, else the
article's (the lead's date; the dateline, unless the event's sentence places something in another country; the
town the story is set in, in the victim's or the article's country; else that country), with the rule that
chose it kept for explanation."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from sitroom.knowledge.gazetteer import load_gazetteer
from sitroom.components.choices import DateChoice, PlaceChoice
from sitroom.components.syntax import governing_verb, sentence_start
from sitroom.components.where import PRECISION

if TYPE_CHECKING:
    from sitroom.components.records import EventRecord

# Where nothing in the text places an event, the side that suffered it says more than the article.
TARGET_COUNTRY_TYPES = {"ASSAULT", "COERCE", "MOBILIZE"}
# Events that happen wherever the sides meet: without a place of their own they get none, never the article's.
ABROAD_TYPES = {"CONSULT"}
REPORTING_LEMMAS = {"say", "tell", "report", "announce", "confirm", "state", "add", "claim"}


def owner(token: Token, anchors: set[int], limit: int = 8) -> int | None:
    """The trigger an expression belongs to: the first trigger above it in the parse, without crossing into
    another clause (a verb that is no trigger). None when the expression belongs to no trigger."""
    current = token
    for _ in range(limit):
        if current.i in anchors:
            return current.i
        if current.pos_ in ("VERB", "AUX") or current.head.i == current.i:
            return None
        current = current.head
    return None


class Anchoring:
    """Which trigger each date and place expression of a Doc belongs to, worked out once per Doc."""

    def __init__(self, doc: Doc, anchors: set[int]) -> None:
        self.doc = doc
        self.anchors = anchors
        self._verbs: dict[int, int | None] = {}
        self.times = [(t, *self._locate(doc[t.start:t.end].root)) for t in doc._.times or () if t.is_date]
        self.spans = {owner(doc[t.start:t.end].root, anchors) for t in doc._.times or () if not t.is_date}
        self.places = [(m, *self._locate(doc[m.start:m.end].root)) for m in doc._.places or () if m.locative]

    def _locate(self, root: Token) -> tuple[int, int | None, int | None]:
        return root.i, owner(root, self.anchors), self.clause_of(root.i)

    def clause_of(self, i: int) -> int | None:
        if i not in self._verbs:
            verb = governing_verb(self.doc[i])
            self._verbs[i] = verb.i if verb is not None else None
        return self._verbs[i]

    def same_clause(self, verb: int | None, mine: set[int]) -> bool:
        return verb is not None and any(self.clause_of(a) == verb for a in mine)

    def has_duration(self, event: "EventRecord") -> bool:
        """'has fought the government for 15 years', 'shelled every night': ongoing, not one event."""
        return bool(event.anchors() & self.spans)

    def own_places(self, anchor: int) -> set[str]:
        """Names of the places the parse gives this trigger: attached to it, or free in its clause."""
        return {m.place.name for m, _, holder, verb in self.places if self._owns(anchor, holder, verb)}

    def own_dates(self, anchor: int) -> list[tuple[dt.date, dt.date]]:
        return [(t.expr.start, t.expr.end) for t, _, holder, verb in self.times
                if t.expr.start and self._owns(anchor, holder, verb)]

    def _owns(self, anchor: int, holder: int | None, verb: int | None) -> bool:
        return holder == anchor or (holder is None and verb is not None and self.clause_of(anchor) == verb)

    def date(self, event: "EventRecord") -> DateChoice | None:
        mine = event.anchors()
        best: DateChoice | None = None
        # a claimed, denied or blamed event's clause is the claim's: "claimed the attack on Monday"
        clause_dates = event.status is None or event.status.value not in ("claimed", "denied", "accused")
        for time, _, holder, verb in self.times:
            if holder in mine:
                rule = "attached"
            elif holder is None and clause_dates and self.same_clause(verb, mine):
                rule = "clause"
            else:
                continue
            choice = DateChoice(time.expr.start, time.expr.end, time.expr.precision, time.expr.text, rule)
            if best is None or choice.better_than(best):
                best = choice
        return best or self.report_date(event) or default_date(self.doc, event)

    def report_date(self, event: "EventRecord") -> DateChoice | None:
        """'On Friday, the governor said 25 students had been freed': no later than the saying."""
        verbs = {v for v in (self.reporting_verb(a) for a in event.anchors()) if v is not None}
        for time, _, holder, verb in self.times:
            if holder is None and verb in verbs:
                return DateChoice(time.expr.start, time.expr.end, time.expr.precision, time.expr.text, "report")
        return None

    def reporting_verb(self, anchor: int) -> int | None:
        verb = self.clause_of(anchor)
        if verb is None:
            return None
        token = self.doc[verb]
        return token.head.i if token.dep_ == "ccomp" and token.head.lemma_ in REPORTING_LEMMAS else None

    def place(self, event: "EventRecord", country: str | None) -> PlaceChoice | None:
        mine = event.anchors()
        wheres = where_places(self.doc, mine)
        best: PlaceChoice | None = None
        for mention, _, holder, verb in self.places:
            if holder in mine:
                rule = "attached"
            elif mention.start in wheres or (holder is None and self.same_clause(verb, mine)):
                rule = "clause"
            else:
                continue
            choice = PlaceChoice(mention.place, mention.precision, mention.relation, mention.text, rule)
            if best is None or choice.better_than(best):
                best = choice
        return best or self.subclause_place(mine) or fallback_place(self.doc, event, country)

    def subclause_place(self, mine: set[int]) -> PlaceChoice | None:
        """'were captured Wednesday as they traveled through the town of Hangu': a place in a clause that
        modifies the event's own (and names no place itself) tells where it happened."""
        verbs = {self.clause_of(a) for a in mine} - {None}
        for mention, _, holder, verb in self.places:
            token = self.doc[verb] if verb is not None else None
            if token is not None and token.dep_ in ("advcl", "xcomp") and token.head.i in verbs:
                return PlaceChoice(mention.place, mention.precision, mention.relation, mention.text, "clause")
        return None


def default_date(doc: Doc, event: "EventRecord") -> DateChoice | None:
    """Without a date of its own, a reported event takes the lead's date, else the day before publication:
    what a wire story without a date mostly reports (on the annotated stories of newsgold dev and newstrain,
    the day before fits the analysts' window for 63% of such events, the publication day 47%, the week before
    it 2%)."""
    if event.status is None or event.status.value != "reported":
        return None
    lead = doc._.default_date
    if lead is not None:
        return DateChoice(lead.expr.start, lead.expr.end, lead.expr.precision, lead.expr.text, "article")
    article = doc._.article
    if article is not None and article.published:
        day = article.published - dt.timedelta(days=1)
        return DateChoice(day, day, "day", None, "published")
    return None


def where_places(doc: Doc, anchors: set[int]) -> set[int]:
    """'… in Lebanon, where overnight 18 people were killed': the place just before a where-clause."""
    found = set()
    for anchor in anchors:
        verb = governing_verb(doc[anchor])
        if verb is None:
            continue
        marks = [c for c in verb.children if c.lower_ == "where" and c.i < verb.i]
        if not marks:
            continue
        before = [m for m in doc._.places or () if m.locative and m.end <= marks[0].i
                  and m.start >= sentence_start(doc, verb.i)]
        if before:
            found.add(before[-1].start)
    return found


def fallback_place(doc: Doc, event: "EventRecord", country: str | None) -> PlaceChoice | None:
    gazetteer = load_gazetteer()
    dateline = doc._.dateline_place
    if dateline is not None and not names_another_country(doc, event, dateline.country):
        return PlaceChoice(dateline, PRECISION[dateline.kind], None, doc._.article.dateline, "dateline")
    target = event.target
    if event.type in TARGET_COUNTRY_TYPES and target is not None and target.country and not target.generic \
            and target.kind != "military":
        place = gazetteer.country(target.country)
        if place is not None:
            return setting(doc, target.country) or PlaceChoice(place, "country", None, None, "actor")
    if event.type in ABROAD_TYPES:
        return None   # a meeting abroad is no more in the article's country than anywhere else
    return setting(doc, country) or (
        PlaceChoice(gazetteer.country(country), "country", None, None, "article") if gazetteer.country(country)
        else None)


def names_another_country(doc: Doc, event: "EventRecord", country: str | None) -> bool:
    """Does a sentence of the event name a place in another country than this one? Then the dateline (where
    the reporter files from) says nothing of where the event happened."""
    sentences = {doc[a].sent.start for a in event.anchors()}
    return any(m.locative and m.place.country and m.place.country != country
               and doc[m.start].sent.start in sentences for m in doc._.places or ())


def setting(doc: Doc, country: str | None) -> PlaceChoice | None:
    """The town or site where the story is set, in the article's country: the one it names most often (the
    earliest of equals). An event the text does not place happens there more often than at the country's
    centre (on the annotated dev stories)."""
    counts: Counter = Counter()
    first: dict = {}
    for mention in doc._.places or ():
        if mention.locative and mention.place.country == country and mention.precision in ("city", "point"):
            counts[mention.place] += 1
            first.setdefault(mention.place, mention)
    if not counts:
        return None
    place = max(counts, key=lambda p: (counts[p], -first[p].start))
    mention = first[place]
    return PlaceChoice(place, mention.precision, None, mention.text, "setting")


def main_country(doc: Doc) -> str | None:
    """The country the article is most about: its actors' and its places' countries, counted."""
    counts: Counter = Counter()
    for mention in doc._.actor_mentions or ():
        if mention.country and not mention.generic:
            counts[mention.country] += 1
    for mention in doc._.places or ():
        if mention.place.country:
            counts[mention.place.country] += 1
    return counts.most_common(1)[0][0] if counts else None
