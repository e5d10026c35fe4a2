"""The `events` stage: triggers become events with arguments, status, casualties, date and place, and
mentions of one real event inside the article become one record."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..knowledge import ontology
from . import extensions  # noqa: F401
from .actors import ActorMention
from .arguments import Arguments, MentionIndex, read_arguments
from .casualties import CasualtyMention
from .placing import attach_date, attach_place, main_country
from .status import Cues, StatusInfo, assess
from .triggers import TriggerFinder, TriggerHit

# Event types whose complement is the content of what is asked, refused, threatened or agreed:
# "refused to free the hostages" is one REJECT, not a REJECT and a RETREAT.
ABSORBING_TYPES = {"REQUEST", "REJECT", "THREATEN", "AGREE", "CONCEDE"}
COMPLEMENT_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "pcomp", "prep", "advcl", "acl", "nsubjpass", "attr", "conj"}
CONFLICT_TYPES = {"ASSAULT", "COERCE", "THREATEN", "REJECT", "ACCUSE", "SANCTION", "PROTEST", "MOBILIZE"}


@dataclass
class Mention:
    hit: TriggerHit
    args: Arguments
    status: StatusInfo
    casualties: list[CasualtyMention] = field(default_factory=list)

    @property
    def anchor(self) -> int:
        return self.hit.anchor


@dataclass
class EventRecord:
    type: str
    mode: str | None
    cameo: str | None
    mentions: list[Mention]
    actor: ActorMention | None = None
    target: ActorMention | None = None
    status: StatusInfo | None = None
    casualties: list[CasualtyMention] = field(default_factory=list)
    date: Any = None        # placing.DateChoice
    place: Any = None       # placing.PlaceChoice
    confidence: float = 0.0

    @property
    def primary(self) -> Mention:
        return self.mentions[0]

    def anchors(self) -> set[int]:
        return {m.anchor for m in self.mentions}


@Language.factory("sitroom_events", assigns=["doc._.events"],
                  requires=["doc._.actor_mentions", "doc._.times", "doc._.places", "doc._.casualties"])
def make_events(nlp: Language, name: str) -> "EventStage":
    return EventStage(nlp)


class EventStage:
    def __init__(self, nlp: Language) -> None:
        self.finder = TriggerFinder(nlp, ontology.load_triggers())
        self.cues = Cues(ontology.load_cues())

    def __call__(self, doc: Doc) -> Doc:
        index = MentionIndex(doc, doc._.actor_mentions or [])
        tolls = {c.anchor: c for c in doc._.casualties or ()}
        found = self.finder(doc)
        types = {h.anchor: h.entry.type for h in found}
        hits = [h for h in found if not absorbed(doc, h, types)]
        mentions = [self.mention(doc, hit, index, tolls) for hit in hits]
        events = merge_in_sentences(doc, mentions)
        country = main_country(doc)
        for event in events:
            settle(event)
            event.date = attach_date(doc, event, hits)
            event.place = attach_place(doc, event, hits, country)
        events = merge_across_sentences(events)
        fill_missing_sides(events)
        for event in events:
            event.confidence = confidence(doc, event)
        doc._.events = events
        return doc

    def mention(self, doc: Doc, hit: TriggerHit, index: MentionIndex,
                tolls: dict[int, CasualtyMention]) -> Mention:
        anchor = doc[hit.anchor]
        args = read_arguments(anchor, index)
        status = assess(anchor, self.cues, index)
        if status.accused is not None:
            args.actor = status.accused
        found = [tolls[i] for i in range(hit.start, hit.end) if i in tolls]
        found += [c for c in tolls.values() if doc[c.anchor].head.i == hit.anchor and c.anchor != hit.anchor
                  and doc[c.anchor].dep_ in ("conj", "advcl", "acl", "relcl")]
        return Mention(hit, args, status, found)


def absorbed(doc: Doc, hit: TriggerHit, types: dict[int, str]) -> bool:
    """A trigger in the complement of a framing trigger is that trigger's content, not an event:
    "refused to free the hostages", "called for a ceasefire", "ruled out negotiations"."""
    token = doc[hit.anchor]
    for _ in range(4):
        if token.dep_ not in COMPLEMENT_DEPS or token.head is token:
            return False
        token = token.head
        framing = types.get(token.i)
        if framing is None:
            continue
        if framing in ABSORBING_TYPES:
            return True
        return framing in ("CONSULT", "SUPPORT") and types[hit.anchor] not in ("ASSAULT", "COERCE")
    return False


def merge_in_sentences(doc: Doc, mentions: list[Mention]) -> list[EventRecord]:
    """'18 people were killed … by an Israeli airstrike': a toll and the attack that caused it are one event."""
    events: list[EventRecord] = []
    owner: dict[int, EventRecord] = {}
    for mention in mentions:
        partner = linked_mention(doc, mention, owner)
        if partner is not None:
            partner.mentions.append(mention)
            owner[mention.anchor] = partner
            continue
        event = EventRecord(mention.hit.entry.type, mention.hit.entry.mode, mention.hit.entry.cameo, [mention])
        events.append(event)
        owner[mention.anchor] = event
    return events


def linked_mention(doc: Doc, mention: Mention, owner: dict[int, EventRecord]) -> EventRecord | None:
    token = doc[mention.anchor]
    related = [token.head] + list(token.children)
    for prep in token.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in ("by", "in", "during", "from", "after"):
            related += [c for c in prep.children if c.dep_ == "pobj"]
    if token.dep_ == "pobj" and token.head.lower_ in ("by", "in", "during"):
        related.append(token.head.head)
    for other in related:
        event = owner.get(other.i)
        if event is None or event.type != mention.hit.entry.type:
            continue
        if mention.hit.entry.type == "ASSAULT" and (is_toll_only(mention) or is_toll_only(event.primary)):
            return event
        if token.dep_ == "conj" and other.i == token.head.i and (mention.casualties or event.primary.casualties):
            return event
    return None


def is_toll_only(mention: Mention) -> bool:
    return bool(getattr(mention.hit.entry, "casualty", None)) or bool(mention.casualties)


def settle(event: EventRecord) -> None:
    """Arguments, mode and status of an event from all its mentions: the most specific wins."""
    modes = [m.hit.entry.mode for m in event.mentions if m.hit.entry.mode]
    if modes and not event.mode:
        event.mode = modes[0]
        event.cameo = next(m.hit.entry.cameo for m in event.mentions if m.hit.entry.mode == modes[0])
    if event.mode and len(event.mentions) > 1:
        specific = [m for m in event.mentions if m.hit.entry.mode == event.mode]
        event.mentions.sort(key=lambda m: m not in specific)
    event.actor = next((m.args.actor for m in event.mentions if m.args.actor), None)
    event.target = next((m.args.target for m in event.mentions if m.args.target and m.args.target is not event.actor), None)
    event.status = min((m.status for m in event.mentions), key=lambda s: s.rank)
    tolls: dict[str, CasualtyMention] = {}
    for mention in event.mentions:
        for toll in mention.casualties:
            tolls.setdefault(toll.kind, toll)
    event.casualties = list(tolls.values())


def same_side(a: ActorMention | None, b: ActorMention | None) -> bool | None:
    if a is None or b is None:
        return None
    return a.id == b.id


def compatible(a: EventRecord, b: EventRecord) -> bool:
    if a.type != b.type or (a.mode and b.mode and a.mode != b.mode):
        return False
    if a.date and b.date and a.date.conflicts(b.date):
        return False
    if same_side(a.actor, b.actor) is False:
        return False
    a_tolls = {c.kind: c.count for c in a.casualties}
    for toll in b.casualties:
        if toll.kind in a_tolls and a_tolls[toll.kind] != toll.count:
            return False
    shared_toll = any(a_tolls.get(c.kind) == c.count and c.count for c in b.casualties)
    shared_target = a.target is not None and b.target is not None and related_targets(a.target, b.target)
    if a.target is not None and b.target is not None and not shared_target:
        return False
    return shared_target or shared_toll


def related_targets(a: ActorMention, b: ActorMention) -> bool:
    if a.id == b.id:
        return True
    # "the killing of Hamas' leader" and "the death of Yahya Sinwar": a person and the group they lead
    person, group = (a, b) if a.kind == "person" else (b, a)
    return person.kind == "person" and group.kind != "person" and group.id in person_groups(person)


def person_groups(person: ActorMention) -> set[str]:
    from ..knowledge.kb import load_kb
    kb = load_kb()
    if person.id not in kb.actors:
        return set()
    return {r.actor for r in kb.relations_of(person.id) if r.type in ("leader_of", "member_of", "part_of")}


def merge_across_sentences(events: list[EventRecord]) -> list[EventRecord]:
    merged: list[EventRecord] = []
    for event in events:
        for earlier in merged:
            if compatible(earlier, event):
                absorb(earlier, event)
                break
        else:
            merged.append(event)
    return merged


def absorb(keep: EventRecord, other: EventRecord) -> None:
    keep.mentions.extend(other.mentions)
    keep.actor = keep.actor or other.actor
    if other.target is not None and (keep.target is None or other.target.kind == "person"):
        keep.target = other.target
    known = {c.kind for c in keep.casualties}
    keep.casualties += [c for c in other.casualties if c.kind not in known]
    if other.date is not None and (keep.date is None or other.date.better_than(keep.date)):
        keep.date = other.date
    if other.place is not None and (keep.place is None or other.place.better_than(keep.place)):
        keep.place = other.place
    keep.mode = keep.mode or other.mode


def fill_missing_sides(events: list[EventRecord]) -> None:
    """An attack with a named victim but no named attacker, in an article about two sides fighting, is
    most likely the other side's: the actor that the article shows acting against the victim's side."""
    pairs: Counter = Counter()
    for event in events:
        if event.type in CONFLICT_TYPES and event.actor and event.target:
            for a in sides(event.actor):
                for t in sides(event.target):
                    pairs[(a, t)] += 1
                    pairs[(t, a)] += 1
    for event in events:
        if event.type not in CONFLICT_TYPES:
            continue
        if event.actor is None and event.target is not None:
            event.actor = adversary(event.target, events, pairs)
        elif event.target is None and event.actor is not None and event.type != "PROTEST":
            event.target = adversary(event.actor, events, pairs)


def sides(mention: ActorMention) -> set[str]:
    found = {mention.id}
    if mention.kind == "person":
        found |= person_groups(mention)
    if mention.country and mention.kind in ("state", "government", "military", "police"):
        found.add(mention.country.lower())
    return found


def adversary(side: ActorMention, events: list[EventRecord], pairs: Counter) -> ActorMention | None:
    own = sides(side)
    scores: Counter = Counter()
    for (a, t), n in pairs.items():
        if t in own and a not in own:
            scores[a] += n
    if not scores:
        return None
    best = scores.most_common(1)[0][0]
    for event in events:
        for mention in (event.actor, event.target):
            if mention is not None and best in sides(mention) and mention.id == best:
                return mention
    for event in events:
        for mention in (event.actor, event.target):
            if mention is not None and best in sides(mention):
                return mention
    return None


def confidence(doc: Doc, event: EventRecord) -> float:
    score = max(m.hit.prior for m in event.mentions)
    if event.actor is not None:
        score += 0.08
    if event.target is not None:
        score += 0.05
    if event.casualties:
        score += 0.1
    if len(event.mentions) > 1:
        score += 0.05
    if event.status is not None and event.status.value in ("negated", "hypothetical"):
        score -= 0.15
    if getattr(event.primary.hit.entry, "background", False) and (event.date is None or event.date.rule != "attached"):
        score -= 0.4
    return round(max(0.01, min(0.99, score)), 2)
