"""One real event, one record: mentions of the same event inside an article are merged.

Three steps, from the surest to the loosest: triggers linked in the parse or sharing a sentence ("detonated
explosives … killing 12"), definite references back to an earlier event ("the attack", "Tuesday's
bombing"), and repeated reports sharing something specific (the same named victim or the same toll).
"""

from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc, Token

from sitroom.knowledge.nouns import LEADER_WORDS
from sitroom.components.choices import DateChoice
from sitroom.components.placing import Anchoring
from sitroom.components.records import EventRecord, Mention
from sitroom.components.sides import related_targets, sides
from sitroom.components.syntax import sentence_number

# Dependencies by which one trigger elaborates another of the same type: "detonated explosives",
# "a drone attack targeting his home", "the strike, which killed …".
LINK_DEPS = {"dobj", "nsubj", "nsubjpass", "acl", "relcl", "amod", "compound", "appos", "xcomp", "attr", "npadvmod"}
LINK_PREPS = {"with", "in", "by", "during", "from", "using"}
DISTINCT_WORDS = {"another", "separate", "second", "other", "further", "similar", "earlier", "later",
                  "third", "previous"}
TOLL_WINDOW = 25          # tokens between a toll and the attack it belongs to
CLOSE_TOKENS = 8          # attack words this near in a sentence tell one attack
CONTINUATION_SENTENCES = 2
CONTINUED_TYPES = {"ASSAULT"}
ANAPHORA_SENTENCES = 8    # how far back a definite reference looks for its event


def merge_in_sentences(doc: Doc, mentions: list[Mention], anchors: Anchoring) -> list[EventRecord]:
    events = [EventRecord.of(m) for m in mentions]
    events = merge_linked(doc, events)
    events = merge_tolls(doc, events)
    return merge_same_sentence(doc, events, anchors)


def merge_linked(doc: Doc, events: list[EventRecord]) -> list[EventRecord]:
    owner = {e.primary.anchor: e for e in events}
    kept = []
    for event in events:
        head = owner.get(linked_head(doc[event.primary.anchor]))
        if head is not None and head is not event and head.type == event.type:
            head.absorb(event)
            for mention in event.mentions:
                owner[mention.anchor] = head
        else:
            kept.append(event)
    return kept


def linked_head(token: Token) -> int | None:
    if token.dep_ == "attr" and token.head.lemma_ == "be":
        # "The attack was the third assault on the capital": subject and predicate are one event
        subjects = [c for c in token.head.children if c.dep_ == "nsubj"]
        return subjects[0].i if subjects else None
    if token.dep_ in LINK_DEPS:
        return token.head.i
    if token.dep_ == "pobj" and token.head.lower_ in LINK_PREPS:
        return token.head.head.i
    return None


def is_toll_only(mention: Mention) -> bool:
    """A verb that only reports casualties ("were killed", "died"), or a toll noun ("casualties"),
    not what caused them. "The killing of X" names an event of its own."""
    if not mention.entry.casualty or mention.mode:
        return False
    return mention.verbal or mention.entry.lemma in TOLL_NOUNS


TOLL_NOUNS = {"casualty", "fatality", "toll", "dead", "injury", "wounded"}


def merge_tolls(doc: Doc, events: list[EventRecord]) -> list[EventRecord]:
    """'18 people were killed … by an Israeli airstrike': a toll and the attack that caused it are one
    event. The small model's parse often splits such sentences, so nearness in the sentence decides."""
    attacks = [e for e in events if not all(is_toll_only(m) for m in e.mentions)]
    kept = list(attacks)
    for event in events:
        if event in attacks:
            continue
        partner = toll_partner(doc, event.primary, attacks)
        if partner is None:
            kept.append(event)
        else:
            partner.absorb(event)
    return sorted(kept, key=lambda e: e.primary.anchor)


def toll_partner(doc: Doc, mention: Mention, attacks: list[EventRecord]) -> EventRecord | None:
    sent = sentence_number(doc, mention.anchor)
    options = [(abs(other.anchor - mention.anchor), event) for event in attacks
               if event.type == mention.type for other in event.mentions
               if sentence_number(doc, other.anchor) == sent and abs(other.anchor - mention.anchor) <= TOLL_WINDOW]
    return min(options, key=lambda o: o[0])[1] if options else None


def merge_same_sentence(doc: Doc, events: list[EventRecord], anchors: Anchoring) -> list[EventRecord]:
    """Trigger words of one type close together in one sentence tell one event ("fired missiles at the
    base in a strike that …", "spoke by telephone with")."""
    kept: list[EventRecord] = []
    for event in events:
        partner = next((k for k in kept if k.type == event.type
                        and close(doc, k, event) and not distinct(doc, k, event, anchors)), None)
        if partner is None:
            kept.append(event)
        else:
            partner.absorb(event)
    return kept


def close(doc: Doc, a: EventRecord, b: EventRecord) -> bool:
    """Near in the sentence, or one inside a relative clause of the other's phrase: "struck a market in
    Donetsk, where officials said seven people were killed when shells landed"."""
    for x in a.mentions:
        for y in b.mentions:
            if in_relative_clause(doc[y.anchor], doc[x.anchor]):
                return True
            if sentence_number(doc, x.anchor) != sentence_number(doc, y.anchor):
                continue
            if abs(x.anchor - y.anchor) <= CLOSE_TOKENS or tree_distance(doc[x.anchor], doc[y.anchor]) <= 2:
                return True
    return False


def in_relative_clause(token: Token, above: Token) -> bool:
    current = token
    crossed = False
    for _ in range(12):
        if current.i == above.i:
            return crossed
        if current.head.i == current.i:
            return False
        crossed = crossed or current.dep_ in ("relcl", "acl") or (
            current.dep_ == "advcl" and any(c.lower_ == "where" for c in current.children))
        current = current.head
    return False


def tree_distance(a: Token, b: Token) -> int:
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    positions = {t.i: n for n, t in enumerate(up_a)}
    for n, token in enumerate(up_b):
        if token.i in positions:
            return n + positions[token.i]
    return 99


def distinct(doc: Doc, a: EventRecord, b: EventRecord, anchors: Anchoring) -> bool:
    """Two events of one sentence are told apart by a word ('another attack'), by places or dates of their
    own that differ, by different victims, or as coordinated verbs with different objects."""
    if any(marked_distinct(doc[m.anchor]) for m in b.mentions):
        return True
    places_a = set().union(*(anchors.own_places(m.anchor) for m in a.mentions))
    places_b = set().union(*(anchors.own_places(m.anchor) for m in b.mentions))
    if places_a and places_b and not places_a & places_b:
        return True
    dates_a = [d for m in a.mentions for d in anchors.own_dates(m.anchor)]
    dates_b = [d for m in b.mentions for d in anchors.own_dates(m.anchor)]
    if dates_a and dates_b and not any(x[0] <= y[1] and y[0] <= x[1] for x in dates_a for y in dates_b):
        return True
    targets_a = [m.args.target for m in a.mentions if m.args.target and not m.args.target.generic]
    targets_b = [m.args.target for m in b.mentions if m.args.target and not m.args.target.generic]
    if targets_a and targets_b and not any(related_targets(x, y) for x in targets_a for y in targets_b):
        return True
    return any(coordinated_apart(doc[x.anchor], doc[y.anchor]) for x in a.mentions for y in b.mentions)


def marked_distinct(token: Token) -> bool:
    return any(c.lower_ in DISTINCT_WORDS and c.dep_ in ("det", "amod", "advmod") for c in token.children)


def coordinated_apart(a: Token, b: Token) -> bool:
    """'shelled the camp and bombed the market': conjoined verbs with objects of their own."""
    if not (b.dep_ == "conj" and b.head.i == a.i or a.dep_ == "conj" and a.head.i == b.i):
        return False
    objects_a = {c.lemma_ for c in a.children if c.dep_ == "dobj"}
    objects_b = {c.lemma_ for c in b.children if c.dep_ == "dobj"}
    return bool(objects_a and objects_b and not objects_a & objects_b)


# ---- across sentences (after arguments, dates and places are settled) --------------------------------

def resolve_anaphora(doc: Doc, events: list[EventRecord]) -> list[EventRecord]:
    """'The attack', 'Tuesday's bombing', 'were also wounded': a definite reference to an event already
    told is that event, unless something in it conflicts."""
    return merge_back(doc, events, ANAPHORA_SENTENCES, lambda e: is_anaphoric(doc, e), fits_victim)


def merge_back(doc: Doc, events: list[EventRecord], window: int, candidate: Callable[[EventRecord], bool],
               fits: Callable[[EventRecord, EventRecord], bool]) -> list[EventRecord]:
    """Each candidate event joins the latest earlier event of its type, within `window` sentences, that it
    does not conflict with and that `fits` it."""
    kept: list[EventRecord] = []
    for event in sorted(events, key=lambda e: min(m.anchor for m in e.mentions)):
        partner = None
        if candidate(event):
            first = min(sentence_number(doc, m.anchor) for m in event.mentions)
            for earlier in reversed(kept):
                if first - max(sentence_number(doc, m.anchor) for m in earlier.mentions) > window:
                    break
                if earlier.type == event.type and not conflicting(earlier, event, tolls=False) and fits(earlier, event):
                    partner = earlier
                    break
        if partner is None:
            kept.append(event)
        else:
            combine(partner, event)
    return kept


def fits_victim(antecedent: EventRecord, anaphor: EventRecord) -> bool:
    """'the killing of X' refers back only to an event whose victim is X; 'the attack' to any."""
    if anaphor.target is None or anaphor.target.generic:
        return True
    return antecedent.target is not None and not antecedent.target.generic and same_victim(antecedent, anaphor)


def same_victim(a: EventRecord, b: EventRecord) -> bool:
    """The same named victim, or a person and the group whose leader the other report names as victim
    ("the killing of Hamas' leader" and "the death of Yahya Sinwar")."""
    if a.target is None or b.target is None:
        return False
    if a.target.id == b.target.id:
        return True
    for x, y in ((a, b), (b, a)):
        if x.target.kind == "person" and y.victim_word in LEADER_WORDS and related_targets(x.target, y.target):
            return True
    return False


def is_anaphoric(doc: Doc, event: EventRecord) -> bool:
    def definite(mention: Mention) -> bool:
        token = doc[mention.anchor]
        if is_toll_only(mention) or mention.status.value in ("denied", "claimed", "accused"):
            return True   # a toll, a denial, a claim or a blame speaks of an event already told
        if token.pos_ != "NOUN" or marked_distinct(token):
            return False
        return any((c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those"))
                   or (c.dep_ == "poss" and c.ent_type_ in ("DATE", "TIME")) for c in token.children)
    return all(definite(m) for m in event.mentions)


def merge_continuations(doc: Doc, events: list[EventRecord]) -> list[EventRecord]:
    """An attack told again in the next sentences with nothing of its own ("A fighter jet dropped two bombs
    on the village …" after "An airstrike killed 17 people …"): the same attack, unless a place, a date, a
    side or a word ("another") sets it apart."""
    def candidate(event: EventRecord) -> bool:
        return event.type in CONTINUED_TYPES and not event.background and not any(
            marked_distinct(doc[m.anchor]) for m in event.mentions)

    def fits(earlier: EventRecord, event: EventRecord) -> bool:
        # a date of its own where the earlier report had none makes it another event, unless the victims agree
        return not earlier.background and (not (stated(event.date) and not stated(earlier.date))
                                           or same_victims(earlier, event))

    return merge_back(doc, events, CONTINUATION_SENTENCES, candidate, fits)


def same_victims(a: EventRecord, b: EventRecord) -> bool:
    """The same victims, named or of the same kind ("an attack on a police station … killed three officers")."""
    if a.target is None or b.target is None:
        return False
    return a.target.id == b.target.id and (not a.target.generic or a.target.kind == b.target.kind)


def stated(date: "DateChoice | None") -> bool:
    """A date the text gives the event itself, not one borrowed from the lead or the publication."""
    return date is not None and date.rule in ("attached", "clause")


def merge_repeats(events: list[EventRecord]) -> list[EventRecord]:
    """Reports of one event far apart in the article, sharing a named victim, a toll, or the same actor
    acting the same way on the same day without a place of its own ("Russia fired 188 drones …" after
    "Russia launched a massive drone and missile attack on Kyiv overnight")."""
    merged: list[EventRecord] = []
    for event in events:
        partner = next((e for e in merged if shares_specifics(e, event)), None)
        if partner is None:
            merged.append(event)
        else:
            combine(partner, event)
    return merged


def conflicting(a: EventRecord, b: EventRecord, tolls: bool = True) -> bool:
    if a.mode and b.mode and a.mode != b.mode:
        return True
    if a.date and b.date and a.date.conflicts(b.date):
        return True
    if a.place and b.place and a.place.conflicts(b.place):
        return True
    if a.actor is not None and b.actor is not None and not (sides(a.actor) & sides(b.actor)):
        return True
    if a.target is not None and b.target is not None and not a.target.generic and not b.target.generic \
            and not related_targets(a.target, b.target):
        return True
    if tolls:
        counts = {c.kind: c.count for c in a.casualties}
        return any(c.kind in counts and counts[c.kind] != c.count for c in b.casualties)
    return False


def shares_specifics(a: EventRecord, b: EventRecord) -> bool:
    """Same type, nothing in conflict, and the same toll, the same named person as victim, or the same
    group as victim on the same stated day."""
    if a.type != b.type or conflicting(a, b):
        return False
    counts = {c.kind: c.count for c in a.casualties}
    if any(counts.get(c.kind) == c.count and c.count for c in b.casualties):
        return True
    if same_actor_same_day(a, b):
        return True
    if a.target is None or b.target is None or a.target.generic or b.target.generic:
        return False
    if "person" in (a.target.kind, b.target.kind):
        return same_victim(a, b)
    if a.target.id != b.target.id:
        return False
    stated = ("attached", "clause")
    return bool(a.date and b.date and a.date.rule in stated and b.date.rule in stated)


def same_actor_same_day(a: EventRecord, b: EventRecord) -> bool:
    if a.actor is None or b.actor is None or a.actor.generic or a.actor.id != b.actor.id and not (
            a.actor.kind in STATE_KINDS and b.actor.kind in STATE_KINDS and a.actor.country == b.actor.country):
        return False
    stated = ("attached", "clause")
    if not (a.date and b.date and a.date.start and b.date.start) or a.date.rule not in stated \
            or b.date.rule not in stated:
        return False
    if not (a.date.start <= b.date.end and b.date.start <= a.date.end):
        return False
    return not (a.place and b.place and a.place.rule in stated and b.place.rule in stated)


STATE_KINDS = {"state", "government", "military", "police"}


def combine(keep: EventRecord, other: EventRecord) -> None:
    """Merge a settled event into another: the more specific argument, date and place win."""
    keep.absorb(other)
    keep.actor = keep.actor or other.actor
    if other.target is not None and (keep.target is None or keep.target.generic or other.target.kind == "person"):
        keep.target, keep.victim_word = other.target, other.victim_word
    known = {c.kind for c in keep.casualties}
    keep.casualties += [c for c in other.casualties if c.kind not in known]
    if other.date is not None and (keep.date is None or other.date.better_than(keep.date)):
        keep.date = other.date
    if other.place is not None and (keep.place is None or other.place.better_than(keep.place)):
        keep.place = other.place
    keep.mode = keep.mode or other.mode
    if other.status is not None and keep.status is not None and other.status.rank < keep.status.rank \
            and other.status.value in ("claimed", "denied", "accused"):
        keep.status = other.status
