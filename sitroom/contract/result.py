"""A processed Doc turned into the output contract (schema.ArticleResult)."""

from __future__ import annotations

import hashlib

from spacy.tokens import Doc

from sitroom.components import temporal
from sitroom.components.actors import ActorMention
from sitroom.components.records import EventRecord
from sitroom.components.placing import main_country
from sitroom.knowledge import ontology
from sitroom.knowledge.kb import KnowledgeBase
from sitroom.contract.schema import (Acled, Actor, ActorRef, ArticleMeta, ArticleResult, Casualty, DateInfo, Event, Evidence,
                     Location, Relation, Span)



def to_result(doc: Doc, min_confidence: float = 0.0) -> ArticleResult:
    article = doc._.article
    country = main_country(doc)
    events = [e for e in doc._.events or () if e.confidence >= min_confidence]
    refs = _Refs(doc._.kb, country)
    records = sorted((event_model(doc, e, refs) for e in events), key=lambda e: e.evidence.start)
    return ArticleResult(
        article=ArticleMeta(id=article.id, source=article.source, published=article.published,
                            title=article.title, url=article.url, dateline=article.dateline),
        actors=actor_models(doc, refs),
        events=records)


class _Refs:
    """Actor references; generic ones ('people', 'soldiers', 'gunmen') become the civilians, military, police
    or an unidentified armed group of the event's country (of the article's, outside events)."""

    def __init__(self, kb: KnowledgeBase, country: str | None) -> None:
        self.kb = kb
        self.country = country
        self.generic: dict[str, tuple[ActorRef, list[tuple[int, int]]]] = {}
        self.seen: set[tuple[str, int]] = set()   # (actor id, start offset) of the mentions already listed

    def ref(self, mention: ActorMention | None, country: str | None = None) -> ActorRef | None:
        if mention is None:
            return None
        if not mention.generic:
            return ActorRef(id=mention.id, name=mention.name, kind=mention.kind, country=mention.country)
        ref = self.generic_ref(mention.kind, country or self.country)
        spans = self.generic.setdefault(ref.id, (ref, []))[1]   # every actor an event names is listed
        if mention.start_char >= 0 and (ref.id, mention.start_char) not in self.seen:
            self.seen.add((ref.id, mention.start_char))
            spans.append((mention.start_char, mention.end_char))
        return ref

    def generic_ref(self, kind: str, iso3: str | None) -> ActorRef:
        if kind == "armed_group":
            suffix = f"_{iso3.lower()}" if iso3 else ""
            return ActorRef(id=f"unidentified_armed_group{suffix}", name="unidentified armed group",
                            kind="armed_group", country=iso3)
        entry = self.kb.get(f"{iso3.lower()}_{kind}") if iso3 else None
        if entry is None:
            return ActorRef(id=kind, name=kind, kind=kind, country=None)
        return ActorRef(id=entry.id, name=entry.name, kind=kind, country=iso3)


def event_model(doc: Doc, event: EventRecord, refs: _Refs) -> Event:
    place_country = event.place.place.country if event.place else None
    actor = refs.ref(event.actor, place_country)
    target = refs.ref(event.target, place_country)
    primary = event.primary.hit
    span = doc[primary.start:primary.end]
    killed = next((c for c in event.casualties if c.kind == "killed" and not c.cumulative), None)
    injured = next((c for c in event.casualties if c.kind == "injured" and not c.cumulative), None)
    acled = ontology.acled_for(event.type, event.mode, actor.kind if actor else None,
                               target.kind if target else None)
    status = event.status
    return Event(
        id=event_id(doc, event, span.start_char),
        type=event.type, mode=event.mode, cameo=event.cameo,
        acled=Acled(event_type=acled[0], sub_event_type=acled[1]) if acled else None,
        actor=actor, target=target,
        date=date_model(event), location=location_model(event),
        fatalities=killed.count if killed else None,
        fatalities_qualifier=killed.qualifier if killed else None,
        injured=injured.count if injured else None,
        casualties=casualty_models(doc, event),
        status=status.value if status else "reported",
        background=event.background or (event.date is not None and temporal.is_history(
            event.date.start, event.date.end, doc._.article.published)),
        claimed_by=refs.ref(status.claimed_by) if status else None,
        reported_by=refs.ref(status.reported_by) if status else None,
        # the sentence as written: the Doc's text has the dateline blanked out
        evidence=Evidence(start=span.start_char, end=span.end_char,
                          sentence=doc._.article.text[span.sent.start_char:span.sent.end_char].strip()),
        mentions=sorted((Span(start=doc[m.hit.start].idx, end=doc[m.hit.start:m.hit.end].end_char)
                         for m in event.mentions), key=lambda s: s.start),
        confidence=event.confidence)


def event_id(doc: Doc, event: EventRecord, start: int) -> str:
    key = f"{doc._.article.id}:{start}:{event.type}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def date_model(event: EventRecord) -> DateInfo | None:
    date = event.date
    if date is None:
        return None
    return DateInfo(start=date.start, end=date.end, precision=date.precision, text=date.text, rule=date.rule)


def location_model(event: EventRecord) -> Location | None:
    choice = event.place
    if choice is None:
        return None
    place = choice.place
    return Location(name=place.name, country=place.country, admin1=place.admin1, lat=place.lat, lon=place.lon,
                    precision=choice.precision, relation=choice.relation, text=choice.text, rule=choice.rule)


def casualty_models(doc: Doc, event: EventRecord) -> list[Casualty]:
    found = []
    for toll in event.casualties:
        for item in [toll, *toll.subgroups]:
            found.append(Casualty(kind=item.kind, count=item.count, min=item.low, max=item.high,
                                  qualifier=item.qualifier, group=item.group, cumulative=toll.cumulative,
                                  text=doc._.article.text[item.start_char:item.end_char]))
    return found


def actor_models(doc: Doc, refs: _Refs) -> list[Actor]:
    """Every actor with its mention spans: named ones, then generic mentions no event placed (given the
    article's country)."""
    for mention in doc._.actor_mentions or ():
        if mention.generic:
            refs.ref(mention)
    named: dict[str, list[tuple[int, int]]] = {}
    for mention in doc._.actor_mentions or ():
        if not mention.generic:
            named.setdefault(mention.id, []).append((mention.start_char, mention.end_char))
    models = []
    for actor_id, spans in named.items():
        actor = (doc._.actors or {}).get(actor_id)
        if actor is None:
            continue
        relations = [Relation(type=t, actor=a, evidence=Span(start=ev[0], end=ev[1]) if ev else None)
                     for t, a, ev in actor.relations]
        models.append(Actor(id=actor_id, name=actor.name, kind=actor.kind, country=actor.country,
                            mentions=sorted(set(spans)), relations=relations))
    for ref, spans in refs.generic.values():
        existing = next((m for m in models if m.id == ref.id), None)
        if existing is not None:
            existing.mentions = sorted(set(existing.mentions) | set(spans))
        else:
            models.append(Actor(**ref.model_dump(), mentions=sorted(set(spans))))
    return sorted(models, key=lambda a: a.mentions[0][0] if a.mentions else len(doc.text))
