"""A processed Doc turned into the output contract (schema.ArticleResult)."""

from __future__ import annotations

import hashlib

from spacy.tokens import Doc

from .components.actors import ActorMention
from .components.records import EventRecord
from .components.placing import main_country
from .knowledge import ontology
from .knowledge.kb import KnowledgeBase
from .schema import (Acled, Actor, ActorRef, ArticleMeta, ArticleResult, Casualty, DateInfo, Event, Evidence,
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
    """Actor references; generic ones ('people', 'soldiers') become the civilians, military or police of
    the event's country."""

    def __init__(self, kb: KnowledgeBase, country: str | None) -> None:
        self.kb = kb
        self.country = country
        self.generic_mentions: dict[str, list[tuple[int, int]]] = {}

    def ref(self, mention: ActorMention | None, country: str | None = None) -> ActorRef | None:
        if mention is None:
            return None
        if mention.generic:
            iso3 = country or self.country
            entry = self.kb.get(f"{iso3.lower()}_{mention.kind}") if iso3 else None
            if mention.kind == "armed_group":
                return ActorRef(id="unidentified_armed_group", name="unidentified armed group", kind="armed_group",
                                country=iso3)
            if entry is None:
                return ActorRef(id=mention.kind, name=mention.kind, kind=mention.kind, country=None)
            if mention.start >= 0:
                self.generic_mentions.setdefault(entry.id, []).append((mention.start_char, mention.end_char))
            return ActorRef(id=entry.id, name=entry.name, kind=mention.kind, country=iso3)
        return ActorRef(id=mention.id, name=mention.name, kind=mention.kind, country=mention.country)


def event_model(doc: Doc, event: EventRecord, refs: _Refs) -> Event:
    place_country = event.place.place.country if event.place else None
    actor = refs.ref(event.actor, place_country)
    target = refs.ref(event.target, place_country)
    primary = event.primary.hit
    span = doc[primary.start:primary.end]
    killed = next((c for c in event.casualties if c.kind == "killed"), None)
    injured = next((c for c in event.casualties if c.kind == "injured"), None)
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
        claimed_by=refs.ref(status.claimed_by) if status else None,
        reported_by=refs.ref(status.reported_by) if status else None,
        evidence=Evidence(start=span.start_char, end=span.end_char, sentence=span.sent.text.strip()),
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
                                  qualifier=item.qualifier, group=item.group,
                                  text=doc.text[item.start_char:item.end_char]))
    return found


def actor_models(doc: Doc, refs: _Refs) -> list[Actor]:
    mentions: dict[str, list[tuple[int, int]]] = {}
    for mention in doc._.actor_mentions or ():
        if not mention.generic:
            mentions.setdefault(mention.id, []).append((mention.start_char, mention.end_char))
    for actor_id, spans in refs.generic_mentions.items():
        mentions.setdefault(actor_id, []).extend(spans)
    kb = refs.kb
    models = []
    for actor_id, spans in mentions.items():
        resolved = (doc._.actors or {}).get(actor_id)
        entry = kb.get(actor_id) if resolved is None and actor_id in kb.actors else None
        if resolved is None and entry is None:
            continue
        name, kind, country = (resolved.name, resolved.kind, resolved.country) if resolved else (
            entry.name, entry.kind, entry.country)
        relations = [Relation(type=t, actor=a, evidence=Span(start=ev[0], end=ev[1]) if ev else None)
                     for t, a, ev in (resolved.relations if resolved else [])]
        models.append(Actor(id=actor_id, name=name, kind=kind, country=country,
                            mentions=sorted(set(spans)), relations=relations))
    return sorted(models, key=lambda a: a.mentions[0][0])
