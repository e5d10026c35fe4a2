"""Who stands with whom: the sides an actor mention stands for, and the side an article shows acting
against another, used where the text names the victim of an attack but not the attacker."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from sitroom.components.actors import ActorMention

if TYPE_CHECKING:
    from sitroom.components.records import EventRecord, Mention

POPULATION_MODES = {"curfew", "restrict", "censor", "martial-law", "cyber"}
CONFLICT_TYPES = {"ASSAULT", "COERCE", "THREATEN", "REJECT", "ACCUSE", "SANCTION", "PROTEST", "MOBILIZE"}


def sides(mention: ActorMention) -> set[str]:
    """The ids a mention stands for: itself, a person's groups, and a state-level actor's state."""
    found = {mention.id}
    if mention.kind == "person":
        found |= mention.groups
    if mention.country and mention.kind in ("state", "government", "military", "police", "person"):
        found.add(mention.country.lower())
    return found


def related_targets(a: ActorMention, b: ActorMention) -> bool:
    if a.id == b.id:
        return True
    # "the killing of Hamas' leader" and "the death of Yahya Sinwar": a person and the group they lead
    person, group = (a, b) if a.kind == "person" else (b, a)
    return person.kind == "person" and group.kind != "person" and group.id in person.groups


def fill_missing_sides(events: list["EventRecord"], mentions: list["Mention"]) -> None:
    """An attack with a named victim but no named attacker, in an article about two sides fighting, is
    most likely the other side's: the actor the article shows acting against the victim's side (in any
    event mention, a ceasefire "between Israel and Hamas" included)."""
    pairs: Counter = Counter()
    for mention in mentions:
        actor, target = mention.args.actor, mention.args.target
        if actor and target and not actor.generic and not target.generic:
            for a in sides(actor):
                for t in sides(target):
                    pairs[(a, t)] += 1
                    pairs[(t, a)] += 1
    for event in events:
        if event.actor is not None and event.target is not None and event.actor.id == event.target.id \
                and not event.actor.generic:
            event.target = None   # an actor acting on itself is a parse gone wrong
        if event.type not in CONFLICT_TYPES:
            continue
        if event.actor is None and event.target is not None and not event.target.generic:
            event.actor = adversary(event.target, events, pairs)
        if event.target is None and event.actor is not None and event.type != "PROTEST" \
                and event.victim_word is None:
            # only where the text names no victim at all: "fired missiles at a bulk carrier" is no attack on the
            # rebels' usual enemy
            event.target = adversary(event.actor, events, pairs)
        if event.target is None:
            event.target = default_target(event)


def default_target(event: "EventRecord") -> ActorMention | None:
    """Whom some events are aimed at when the text does not say: a protest at the government, a curfew or
    a shutdown at the people (both of the event's country)."""
    kind = "government" if event.type == "PROTEST" else (
        "civilians" if event.type == "COERCE" and event.mode in POPULATION_MODES else None)
    if kind is None:
        return None
    return ActorMention(-1, -1, -1, -1, kind, kind, kind, None, "default", generic=True)   # no words of its own


def adversary(side: ActorMention, events: list["EventRecord"], pairs: Counter) -> ActorMention | None:
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
