"""The `events` stage: triggers become events with arguments, status, casualties, date and place, and
mentions of one real event inside the article become one record."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from sitroom.components import encoder
from sitroom.knowledge import ontology
from sitroom.components import extensions  # noqa: F401
from sitroom.components.arguments import MentionIndex, read_arguments
from sitroom.components.casualties import CasualtyMention
from sitroom.components.confidence import confidence
from sitroom.components.coreference import merge_continuations, merge_in_sentences, merge_repeats, resolve_anaphora
from sitroom.components.judge import TRIGGER_THRESHOLD, ModelTriggers, encode
from sitroom.components.pairs import PairScorer, cluster, records, views
from sitroom.components.placing import Anchoring, main_country
from sitroom.components.records import EventRecord, Mention
from sitroom.components.actors import ActorMention
from sitroom.components.sides import fill_missing_sides, sides
from sitroom.components.status import Cues, StatusInfo, assess
from sitroom.components.syntax import sentence_number
from sitroom.components.triggers import TriggerFinder, TriggerHit
from sitroom.contract.schema import HAPPENED

# Event types whose complement is the content of what is asked, refused, threatened or agreed:
# "refused to free the hostages" is one REJECT, not a REJECT and a RETREAT.
ABSORBING_TYPES = {"REQUEST", "REJECT", "THREATEN", "AGREE", "CONCEDE"}
COMPLEMENT_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "pcomp", "prep", "acl", "nsubjpass", "attr"}
TOLL_TYPES = {"killed": ("ASSAULT",), "injured": ("ASSAULT", "PROTEST"), "missing": ("ASSAULT",),
              "abducted": ("ASSAULT", "COERCE"), "arrested": ("COERCE", "ASSAULT", "PROTEST"),
              "displaced": ("ASSAULT", "COERCE")}
DIRECTIVES = {"order", "authorize", "authorise", "approve", "instruct", "direct", "decree"}
FORCEFUL_TYPES = {"ASSAULT", "COERCE", "SANCTION"}
OUTSIDERS = {"analyst", "expert", "observer", "diplomat", "source", "commentator", "researcher", "critic",
             "resident", "witness", "monitor", "report", "newspaper", "media"}
SPEECH_TYPES = {"ACCUSE", "REQUEST", "REJECT", "THREATEN", "SUPPORT", "AGREE"}
VIEWS = "sitroom_mention_views"
HABITUAL = {"often", "regularly", "frequently", "routinely", "usually", "repeatedly", "typically", "always",
            "sometimes", "occasionally"}


JUDGES = ("hybrid", "model", "rules")
RULES_MIN_CONFIDENCE = 0.5     # the F1 optimum of the rules' confidence (scripts/calibrate_confidence.py)


@Language.factory("sitroom_events", assigns=["doc._.events"],
                  requires=["doc._.actor_mentions", "doc._.times", "doc._.places", "doc._.casualties"],
                  default_config={"judge": "hybrid", "model": "", "threshold": None})
def make_events(nlp: Language, name: str, judge: str, model: str, threshold: float | None) -> "EventStage":
    return EventStage(nlp, judge, model, threshold)


class EventStage:
    """`judge` decides which words report events: the trigger lexicon alone ("rules"), the trained model
    alone ("model": its words, types and mentions of one event; the weights in the folder `model`, the shipped
    ones when empty), or the model with the rules on top ("hybrid": the lexicon's triggers the model passed
    over are candidates too, scored by the model; a word in the complement of a request, refusal or threat is
    its content, an order is the ordered act, a side's stated intent to use force is a threat)."""

    def __init__(self, nlp: Language, judge: str = "hybrid", model: str = "", threshold: float | None = None) -> None:
        if judge not in JUDGES:
            raise ValueError(f"unknown judge {judge!r}: choose one of {', '.join(JUDGES)}")
        self.rules_on_top = judge != "model"
        lexicon = TriggerFinder(nlp, ontology.load_triggers(blockers=True))
        self.pairs: PairScorer | None = None
        self.weights: dict[str, float] | None = None     # the confidence model's; None: the rules'
        self.keep_views = False      # training reads the mentions the pair scorer would see
        self.min_confidence = RULES_MIN_CONFIDENCE    # the default threshold of results
        if judge == "rules":
            self.finder = lexicon
        else:
            weights = encoder.load(model)
            self.finder = ModelTriggers(weights, lexicon, TRIGGER_THRESHOLD if threshold is None else threshold,
                                        lexicon=self.rules_on_top)
            self.pairs = weights.pair_scorer()
            self.weights = weights.manifest.get("confidence")
            self.min_confidence = float(weights.manifest.get("min_confidence", RULES_MIN_CONFIDENCE))
        self.cues = Cues(ontology.load_cues())

    def __call__(self, doc: Doc) -> Doc:
        index = MentionIndex(doc, doc._.actor_mentions or [])
        tolls = {c.anchor: c for c in doc._.casualties or ()}
        found = self.finder(doc)
        types = {h.anchor: h.entry.type for h in found}
        every = [self.mention(doc, hit, index, tolls) for hit in found]
        mentions = every
        if self.rules_on_top:
            mentions = carry_out_directives(doc, [m for m in every if not absorbed(doc, m.hit, types)])
        hits = [m.hit for m in mentions]
        anchors = Anchoring(doc, {h.anchor for h in hits})
        loose = [c for c in tolls.values() if not any(h.start <= c.anchor < h.end for h in hits)]
        if self.pairs is not None or self.keep_views:
            words = encode(doc, self.finder.model)
            items = views(doc, mentions, anchors, words.probs, words.hidden)
            if self.keep_views:
                doc.user_data[VIEWS] = items
        if self.pairs is not None:
            events = self.place_and_date(doc, records(cluster(doc, items, self.pairs)), anchors, loose)
        else:
            events = self.place_and_date(doc, merge_in_sentences(doc, mentions, anchors), anchors, loose)
            events = merge_repeats(merge_continuations(doc, resolve_anaphora(doc, events)))
        fill_missing_sides(events, every)
        for event in events:
            event.background = background(doc, event, anchors, self.cues)
            event.confidence = confidence(doc, event, self.weights)
        doc._.events = events
        return doc

    def place_and_date(self, doc: Doc, events: list[EventRecord], anchors: Anchoring,
                       loose: list[CasualtyMention]) -> list[EventRecord]:
        attach_tolls(doc, events, loose)
        country = main_country(doc)
        published = doc._.article.published if doc._.article is not None else None
        for event in events:
            settle(event)
            event.date = anchors.date(event)
            event.place = anchors.place(event, country)
            if still_to_come(event, published):
                event.status = replace(event.status, value="planned")   # announced, not yet happened
        return events

    def mention(self, doc: Doc, hit: TriggerHit, index: MentionIndex,
                tolls: dict[int, CasualtyMention]) -> Mention:
        anchor = doc[hit.anchor]
        args = read_arguments(anchor, index, hit.entry.type)
        status = assess(anchor, self.cues, index, hit.entry.type)
        if status.accused is not None:
            args.actor = status.accused
        if args.actor is None and hit.entry.type in SPEECH_TYPES:
            args.actor = status.reported_by   # "a spokesman … said the army … accused Russian forces"
        mention = Mention(hit, args, status, [tolls[i] for i in range(hit.start, hit.end) if i in tolls],
                          verbal=anchor.pos_ in ("VERB", "AUX"))
        if self.rules_on_top and mention.type in FORCEFUL_TYPES and status.value in ("planned", "hypothetical") \
                and status.speech and speaks_for_itself(status, args.actor):
            # "said it would strike back": a stated intent to use force is a threat, made now
            mention.type, mention.mode, mention.cameo = "THREATEN", "violence", "138"
            status.value = "reported"
        return mention


def speaks_for_itself(status: StatusInfo, actor: "ActorMention | None") -> bool:
    """'Iran said it would strike': the speaker is the one who would act; analysts, experts or another
    side speaking of what someone could do make no threat."""
    speaker = status.reported_by
    if speaker is not None and actor is not None:
        return bool(sides(speaker) & sides(actor))
    return status.speaker_word not in OUTSIDERS


def carry_out_directives(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """'ordered the suspension of TV5', 'ordered an investigation': an order by who can give it is the
    ordered event itself, done by the one who ordered it."""
    by_anchor = {m.anchor: m for m in mentions}
    dropped = set()
    for mention in mentions:
        token = doc[mention.anchor]
        if token.lemma_.lower() not in DIRECTIVES or token.pos_ != "VERB":
            continue
        ordered = [by_anchor[t.i] for t in token.subtree if t.i != token.i and t.i in by_anchor
                   and t.head.i in {token.i} | {c.i for c in token.children}]
        if ordered:
            dropped.add(mention.anchor)
            for inner in ordered:
                inner.args.actor = inner.args.actor or mention.args.actor
    return [m for m in mentions if m.anchor not in dropped]


def absorbed(doc: Doc, hit: TriggerHit, types: dict[int, str]) -> bool:
    """A trigger in the complement of a framing trigger is that trigger's content, not an event:
    "refused to free the hostages", "called for a ceasefire", "ruled out negotiations", "warned that more
    raids could follow"."""
    token = doc[hit.anchor]
    for _ in range(5):
        if token.dep_ == "conj" and token.head.i not in types:
            token = token.head   # "pledge to end the war and pull out": the conjunct shares the frame
            continue
        if token.dep_ == "nsubj" and token.head.i not in types and token.head.pos_ in ("VERB", "AUX"):
            token = token.head   # "more raids could follow": the raids are what the clause is about
            continue
        if token.dep_ not in COMPLEMENT_DEPS or token.head.i == token.i:
            return False
        token = token.head
        framing = types.get(token.i)
        if framing is None:
            continue
        if framing in ABSORBING_TYPES:
            return True
        return framing in ("CONSULT", "SUPPORT") and types[hit.anchor] not in ("ASSAULT", "COERCE")
    return False


def attach_tolls(doc: Doc, events: list[EventRecord], tolls: list[CasualtyMention]) -> None:
    """Figures outside any trigger ("… and 60 injured") go to the nearest event of the sentence that can
    cause them."""
    for toll in tolls:
        sent = sentence_number(doc, toll.anchor)
        options = [(abs(m.anchor - toll.anchor), event) for event in events
                   if event.type in TOLL_TYPES.get(toll.kind, ()) for m in event.mentions
                   if sentence_number(doc, m.anchor) == sent]
        if options:
            min(options, key=lambda o: o[0])[1].primary.casualties.append(toll)


def still_to_come(event: EventRecord, published: dt.date | None) -> bool:
    """Told as having happened, yet dated after the article: what the article announces."""
    date = event.date
    return (published is not None and date is not None and date.start is not None
            and date.start > published + dt.timedelta(days=1) and event.status.value in HAPPENED)


def settle(event: EventRecord) -> None:
    """Arguments, mode and status of an event from all its mentions: the most specific wins."""
    modes = [m.mode for m in event.mentions if m.mode]
    if modes and not event.mode:
        event.mode = modes[0]
        event.cameo = next(m.cameo for m in event.mentions if m.mode == modes[0])
    # the evidence is the most telling mention: one that names the means, else the first in the text
    event.mentions.sort(key=lambda m: (m.type != event.type, m.mode != event.mode or event.mode is None, m.anchor))
    event.actor = next((m.args.actor for m in event.mentions if m.args.actor), None)
    victim = next((m for m in event.mentions if m.args.target and (
        event.actor is None or m.args.target.id != event.actor.id)), None)
    if victim is not None:
        event.target = victim.args.target
        event.victim_word = victim.args.victim_word
    # A mention that tells it as having happened outweighs one that negates, plans or supposes it ("was
    # killed in a strike" … "Israel has not commented on the strike"); among those, the most specific wins
    happened = [m.status for m in event.mentions if m.status.value in HAPPENED]
    event.status = min(happened or [m.status for m in event.mentions], key=lambda s: s.rank)
    tolls: dict[tuple[str, bool], CasualtyMention] = {}
    for mention in event.mentions:
        for toll in mention.casualties:
            tolls.setdefault((toll.kind, toll.cumulative), toll)
    event.casualties = sorted(tolls.values(), key=lambda t: t.cumulative)


def background(doc: Doc, event: EventRecord, anchors: Anchoring, cues: Cues) -> bool:
    """A mention of a whole conflict ("the war", a running toll), of something ongoing ("for 15 years") or
    habitual ("often carries out bombings") rather than of one event."""
    war_toll = event.casualties and all(c.cumulative for c in event.casualties) and any(
        c.running == "war" for c in event.casualties)
    if anchors.has_duration(event) or war_toll:
        return True
    if any(doc[a].lemma_.lower() in HABITUAL or any(c.lower_ in HABITUAL for c in doc[a].children)
           or any(c.lower_ in HABITUAL for c in doc[a].head.children) for a in event.anchors()):
        return True
    stated = event.date is not None and event.date.rule == "attached"
    return not stated and all(m.entry.background or cues.has("background", doc[m.anchor]) for m in event.mentions)
