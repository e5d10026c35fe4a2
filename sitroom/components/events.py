"""The `events` stage: triggers become events with arguments, status, casualties, date and place, and
mentions of one real event inside the article become one record."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..knowledge import ontology
from ..knowledge.kb import load_kb
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
COMPLEMENT_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "pcomp", "prep", "acl", "nsubjpass", "attr"}
# A trigger modifying another of the same type elaborates it: "a drone attack targeting his home".
ELABORATION_DEPS = {"acl", "relcl", "amod", "compound", "appos"}
CONFLICT_TYPES = {"ASSAULT", "COERCE", "THREATEN", "REJECT", "ACCUSE", "SANCTION", "PROTEST", "MOBILIZE"}
TOLL_TYPES = {"killed": ("ASSAULT",), "injured": ("ASSAULT", "PROTEST"), "missing": ("ASSAULT",),
              "abducted": ("ASSAULT", "COERCE"), "arrested": ("COERCE", "ASSAULT", "PROTEST"),
              "displaced": ("ASSAULT", "COERCE")}
TOLL_WINDOW = 25
# What did not happen (or has not yet) is kept, with a confidence the default threshold leaves out.
STATUS_PENALTY = {"negated": 0.45, "hypothetical": 0.35, "planned": 0.2, "denied": 0.1}   # tokens between a toll and the attack it belongs to, in one sentence


@dataclass
class Mention:
    hit: TriggerHit
    args: Arguments
    status: StatusInfo
    casualties: list[CasualtyMention] = field(default_factory=list)
    verbal: bool = False

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
        every = [self.mention(doc, hit, index, tolls) for hit in found]
        mentions = [m for m in every if not absorbed(doc, m.hit, types)]
        hits = [m.hit for m in mentions]
        events = merge_in_sentences(doc, mentions)
        attach_tolls(doc, events, [c for c in tolls.values() if not any(h.start <= c.anchor < h.end for h in hits)])
        country = main_country(doc)
        for event in events:
            settle(event)
            event.date = attach_date(doc, event, hits)
            event.place = attach_place(doc, event, hits, country)
        events = merge_across_sentences(events)
        fill_missing_sides(events, every)
        for event in events:
            event.confidence = confidence(doc, event)
        doc._.events = events
        return doc

    def mention(self, doc: Doc, hit: TriggerHit, index: MentionIndex,
                tolls: dict[int, CasualtyMention]) -> Mention:
        anchor = doc[hit.anchor]
        args = read_arguments(anchor, index, hit.entry.type)
        status = assess(anchor, self.cues, index)
        if status.accused is not None:
            args.actor = status.accused
        return Mention(hit, args, status, [tolls[i] for i in range(hit.start, hit.end) if i in tolls],
                       verbal=anchor.pos_ in ("VERB", "AUX"))


def absorbed(doc: Doc, hit: TriggerHit, types: dict[int, str]) -> bool:
    """A trigger in the complement of a framing trigger is that trigger's content, not an event:
    "refused to free the hostages", "called for a ceasefire", "ruled out negotiations"."""
    token = doc[hit.anchor]
    for _ in range(5):
        if token.dep_ == "conj" and token.head.i not in types:
            token = token.head   # "pledge to end the war and pull out": the conjunct shares the frame
            continue
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
    """'18 people were killed … by an Israeli airstrike': a toll and the attack that caused it are one event.
    The small model's parse often splits such sentences, so nearness in the sentence decides."""
    events = elaborations(doc, [EventRecord(m.hit.entry.type, m.hit.entry.mode, m.hit.entry.cameo, [m])
                                for m in mentions])
    attacks = [e for e in events if not is_toll_only(e.primary)]
    kept = list(attacks)
    for event in events:
        if event in attacks:
            continue
        partner = toll_partner(doc, event.primary, attacks)
        if partner is None:
            kept.append(event)
        else:
            partner.mentions.append(event.primary)
    return sorted(kept, key=lambda e: e.primary.anchor)


def elaborations(doc: Doc, events: list[EventRecord]) -> list[EventRecord]:
    by_anchor = {e.primary.anchor: e for e in events}
    kept = []
    for event in events:
        token = doc[event.primary.anchor]
        head = by_anchor.get(token.head.i)
        if token.dep_ in ELABORATION_DEPS and head is not None and head is not event and head.type == event.type:
            head.mentions.append(event.primary)
        else:
            kept.append(event)
    return kept


def toll_partner(doc: Doc, mention: Mention, attacks: list[EventRecord]) -> EventRecord | None:
    """The attack of the same sentence nearest to a toll-only trigger."""
    sent = doc[mention.anchor].sent.start
    options = [(abs(other.anchor - mention.anchor), event) for event in attacks
               if event.type == mention.hit.entry.type for other in event.mentions
               if doc[other.anchor].sent.start == sent and abs(other.anchor - mention.anchor) <= TOLL_WINDOW]
    return min(options, key=lambda o: o[0])[1] if options else None


def is_toll_only(mention: Mention) -> bool:
    """A verb that only reports casualties ("were killed", "died"), not what caused them. Nouns such as
    "the killing of X" name an event of their own."""
    return bool(mention.hit.entry.casualty) and not mention.hit.entry.mode and mention.verbal


def attach_tolls(doc: Doc, events: list[EventRecord], tolls: list[CasualtyMention]) -> None:
    """Figures outside any trigger ("… and 60 injured") go to the nearest event of the sentence that can
    cause them."""
    for toll in tolls:
        sent = doc[toll.anchor].sent.start
        options = [(abs(m.anchor - toll.anchor), event) for event in events
                   if event.type in TOLL_TYPES.get(toll.kind, ()) for m in event.mentions
                   if doc[m.anchor].sent.start == sent]
        if options:
            min(options, key=lambda o: o[0])[1].primary.casualties.append(toll)


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
    """Two mentions of one real event: same type and mode, nothing in conflict (dates stated for both,
    actors, tolls, targets), and something specific shared: the victim when it is a person or a group
    rather than a whole country, or the same toll."""
    if a.type != b.type or (a.mode and b.mode and a.mode != b.mode):
        return False
    if a.date and b.date and a.date.conflicts(b.date):
        return False
    if a.actor is not None and b.actor is not None and not (sides(a.actor) & sides(b.actor)):
        return False
    a_tolls = {c.kind: c.count for c in a.casualties}
    if any(c.kind in a_tolls and a_tolls[c.kind] != c.count for c in b.casualties):
        return False
    shared_toll = any(a_tolls.get(c.kind) == c.count and c.count for c in b.casualties)
    if a.target is not None and b.target is not None:
        if not related_targets(a.target, b.target):
            return False
        if shared_toll or "person" in (a.target.kind, b.target.kind):
            return True
        stated = ("attached", "clause")
        return bool(a.date and b.date and a.date.rule in stated and b.date.rule in stated)
    return shared_toll


def related_targets(a: ActorMention, b: ActorMention) -> bool:
    if a.id == b.id:
        return True
    # "the killing of Hamas' leader" and "the death of Yahya Sinwar": a person and the group they lead
    person, group = (a, b) if a.kind == "person" else (b, a)
    return person.kind == "person" and group.kind != "person" and group.id in person_groups(person)


def person_groups(person: ActorMention) -> set[str]:
    """The organisations a known person leads, serves or belongs to, by the knowledge base."""
    entry = load_kb().get(person.id)
    if entry is None:
        return set()
    return {r.actor for r in entry.relations if r.type in ("leader_of", "member_of", "part_of")} | {
        role.actor for role in entry.roles}


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


def fill_missing_sides(events: list[EventRecord], mentions: list[Mention]) -> None:
    """An attack with a named victim but no named attacker, in an article about two sides fighting, is
    most likely the other side's: the actor that the article shows acting against the victim's side
    (in any event mention, a ceasefire "between Israel and Hamas" included)."""
    pairs: Counter = Counter()
    for mention in mentions:
        actor, target = mention.args.actor, mention.args.target
        if actor and target and not actor.generic and not target.generic:
            for a in sides(actor):
                for t in sides(target):
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
    """The ids a mention stands for: itself, a person's groups, and a state-level actor's state."""
    found = {mention.id}
    if mention.kind == "person":
        found |= person_groups(mention)
    if mention.country and mention.kind in ("state", "government", "military", "police", "person"):
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
    # a country's whole side outranks one of its people: "Israel", not "Netanyahu"
    best = max(scores, key=lambda k: (scores[k], len(k) == 3))
    candidates = [m for e in events for m in (e.actor, e.target)
                  if m is not None and not m.generic and best in sides(m)]
    exact = [m for m in candidates if m.id == best or (m.kind == "state" and m.country and m.country.lower() == best)]
    return (exact or candidates or [None])[0]


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
    score -= STATUS_PENALTY.get(event.status.value if event.status else "reported", 0.0)
    anchor = doc[event.primary.anchor]
    if anchor.tag_ == "VBN" and anchor.dep_ in ("acl", "amod") and not any(c.dep_ == "agent" for c in anchor.children):
        score -= 0.5   # "Sinwar, blamed for …": a description of someone, not a report of an act
    if getattr(event.primary.hit.entry, "background", False) and (event.date is None or event.date.rule != "attached"):
        score -= 0.4
    return round(max(0.01, min(0.99, score)), 2)
