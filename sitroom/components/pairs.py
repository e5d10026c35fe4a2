"""Which mentions tell one real event: a trained scorer over pairs of trigger mentions (their encoder
vectors, and what the rules read of each: sentence, words, sides, places, dates, tolls), and the clustering
that joins each mention to the earlier event it most likely tells again."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Token

from sitroom.knowledge.ontology import PLOVER_TYPES, cameo_for
from sitroom.components.coreference import is_toll_only, linked_head, marked_distinct, tree_distance
from sitroom.components.placing import Anchoring
from sitroom.components.records import EventRecord, Mention
from sitroom.components.sides import related_targets, sides
from sitroom.components.syntax import sentence_number

SCALARS = ("cosine", "type_agreement", "same_type", "same_sentence", "sentences_apart", "words_apart",
           "same_lemma", "later_definite", "later_noun", "earlier_noun", "linked", "same_actor", "other_actor",
           "same_target", "other_target", "same_place", "other_place", "same_date", "other_date", "same_toll",
           "other_toll", "later_marked_distinct", "earlier_in_lead", "shared_actors", "shared_places",
           "shared_numbers", "earlier_prob", "later_prob", "earlier_toll_only", "later_toll_only", "same_mode")
JOIN = 0.5
FORCE_TYPES = {"ASSAULT", "COERCE"}
NEW_STORY = {"separately", "elsewhere"}   # a sentence opening with these tells another story
DISTINCT_ACTS = (({"ACCUSE", "REQUEST", "REJECT", "THREATEN"}, FORCE_TYPES),
                 ({"REQUEST"}, {"ACCUSE", "REJECT"}))   # a mention of one side and one of the other: two events


@dataclass
class MentionView:
    """What the pair scorer reads of one mention."""
    mention: Mention
    vector: np.ndarray
    types: np.ndarray          # type distribution, normalised over the 16 types
    sentence: int
    places: set[str]
    dates: list
    prob: float                # that the mention reports an event at all
    around: "SentenceFacts"
    fresh: bool = False        # its sentence opens another story ("Separately, …", "Elsewhere, …")


@dataclass
class SentenceFacts:
    """Who, where and which figures a sentence names: two sentences naming the same tell the same story."""
    actors: set[str]
    places: set[str]
    numbers: set[str]


def sentence_facts(doc: Doc) -> dict[int, SentenceFacts]:
    facts: dict[int, SentenceFacts] = {}
    for n, sent in enumerate(doc.sents):
        facts[n] = SentenceFacts(set(), set(), {t.lower_ for t in sent if t.like_num and t.ent_type_ != "DATE"})
    for m in doc._.actor_mentions or ():
        if not m.generic:
            facts[sentence_number(doc, m.start)].actors.add(m.id)
    for m in doc._.places or ():
        facts[sentence_number(doc, m.start)].places.add(m.place.name)
    return facts


def views(doc: Doc, mentions: list[Mention], anchors: Anchoring, probs: np.ndarray,
          hidden: np.ndarray) -> list[MentionView]:
    out = []
    facts = sentence_facts(doc)
    for m in mentions:
        p = probs[m.anchor, 1:]
        own = np.eye(len(PLOVER_TYPES))[PLOVER_TYPES.index(m.type)]
        belief = p / max(float(p.sum()), 1e-6)
        if not m.hit.by_model:   # a trigger the model passed over keeps the lexicon's type
            types = own
        elif m.hit.entry.origin == "model":   # a word the lexicon does not know: the model's belief
            types = belief
        else:   # a word the lexicon knows: its type, and the model's belief, half and half
            types = (own + belief) / 2.0
        sentence = sentence_number(doc, m.anchor)
        out.append(MentionView(m, hidden[m.anchor], types, sentence, anchors.own_places(m.anchor),
                               anchors.own_dates(m.anchor), float(p.sum()), facts[sentence],
                               opens_another_story(doc[m.anchor].sent)))
    return out


def opens_another_story(sentence) -> bool:
    words = [t.lower_ for t in sentence[:4]]
    return bool(set(words[:1]) & NEW_STORY) or " ".join(words[:3]) == "in a separate"


def pair_features(doc: Doc, a: MentionView, b: MentionView) -> np.ndarray:
    """Features of an earlier mention `a` and a later one `b`, in the order of SCALARS. The encoder's vectors
    enter only through their cosine: a scorer fitted on one encoder's output must read another's."""
    ta, tb = doc[a.mention.anchor], doc[b.mention.anchor]
    na = float(np.linalg.norm(a.vector)) or 1.0
    nb = float(np.linalg.norm(b.vector)) or 1.0
    same_sentence = a.sentence == b.sentence
    actor = agreement(a.mention.args.actor, b.mention.args.actor)
    target = agreement(a.mention.args.target, b.mention.args.target, targets=True)
    place = (bool(a.places & b.places), bool(a.places and b.places and not a.places & b.places))
    date = dates_agree(a.dates, b.dates)
    toll = tolls_agree(a.mention, b.mention)
    scalars = [
        float(a.vector @ b.vector) / (na * nb),
        float(a.types @ b.types),
        float(np.argmax(a.types) == np.argmax(b.types)),
        float(same_sentence),
        math.log1p(abs(b.sentence - a.sentence)),
        math.log1p(abs(tb.i - ta.i)) if same_sentence else 0.0,
        float(ta.lemma_.lower() == tb.lemma_.lower()),
        float(definite(tb)),
        float(tb.pos_ == "NOUN"),
        float(ta.pos_ == "NOUN"),
        float(same_sentence and linked(ta, tb)),
        *actor, *target, *place, *date, *toll,
        float(marked_distinct(tb)),
        float(a.sentence == 0),
        overlap(a.around.actors, b.around.actors),
        overlap(a.around.places, b.around.places),
        overlap(a.around.numbers, b.around.numbers),
        a.prob, b.prob,
        float(is_toll_only(a.mention)), float(is_toll_only(b.mention)),
        float(a.mention.mode is not None and a.mention.mode == b.mention.mode),
    ]
    return np.array(scalars, dtype=np.float32)


def overlap(x: set, y: set) -> float:
    return len(x & y) / len(x | y) if x and y else 0.0


def agreement(x, y, targets: bool = False) -> tuple[float, float]:
    """(the same side, different sides), for two named participants; (0, 0) when either is unnamed."""
    if x is None or y is None or x.generic or y.generic:
        return 0.0, 0.0
    same = related_targets(x, y) if targets else bool(sides(x) & sides(y))
    return float(same), float(not same)


def dates_agree(a: list, b: list) -> tuple[float, float]:
    if not a or not b:
        return 0.0, 0.0
    overlap = any(x[0] <= y[1] and y[0] <= x[1] for x in a for y in b)
    return float(overlap), float(not overlap)


def tolls_agree(a: Mention, b: Mention) -> tuple[float, float]:
    counts = {c.kind: c.count for c in a.casualties if c.count}
    shared = [(counts[c.kind], c.count) for c in b.casualties if c.kind in counts and c.count]
    if not shared:
        return 0.0, 0.0
    same = any(x == y for x, y in shared)
    return float(same), float(not same)


def definite(token: Token) -> bool:
    return token.pos_ == "NOUN" and any(
        (c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")) or c.dep_ == "poss"
        for c in token.children)


def linked(a: Token, b: Token) -> bool:
    return linked_head(a) == b.i or linked_head(b) == a.i or tree_distance(a, b) <= 2


class PairScorer:
    """A logistic model over pair features, its weights from the model folder."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.weights, self.bias = weights["weights"], float(weights["bias"])
        self.mean, self.scale = weights["mean"], weights["scale"]
        self.join = float(weights["join"]) if "join" in weights else JOIN

    def __call__(self, features: np.ndarray) -> np.ndarray:
        z = ((features - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def cluster(doc: Doc, items: list[MentionView], scorer: PairScorer) -> list[list[MentionView]]:
    """Each mention, in text order, joins the event holding the earlier mention it most likely tells again
    (when that is likely enough), else starts an event of its own."""
    items = sorted(items, key=lambda v: v.mention.anchor)
    clusters: list[list[MentionView]] = []
    owner: list[int] = []
    for j, view in enumerate(items):
        target = None
        if j:
            scores = scorer(np.stack([pair_features(doc, items[i], view) for i in range(j)]))
            for i in sorted(range(j), key=lambda i: (-scores[i], i)):   # likeliest first
                if scores[i] < scorer.join:
                    break
                if not any(apart(other, view) for other in clusters[owner[i]]):
                    target = owner[i]
                    break
        if target is None:
            target = len(clusters)
            clusters.append([])
        clusters[target].append(view)
        owner.append(target)
    return clusters


def apart(a: MentionView, b: MentionView) -> bool:
    """Mentions that are never one event, however close: a mention after "Separately," and one before it;
    words against an act and the act itself ("vowed to
    crush the rebels after an ambush killed 12", "accused the army of shelling"), a request and a reproach,
    and a protest and the force used on it ("protesters marched …, police fired tear gas")."""
    later = max(a, b, key=lambda v: v.sentence)
    if later.fresh and a.sentence != b.sentence:
        return True
    kinds = {PLOVER_TYPES[int(np.argmax(a.types))], PLOVER_TYPES[int(np.argmax(b.types))]}
    if any(kinds & one and kinds & other for one, other in DISTINCT_ACTS):
        return True
    x, y = a.mention.args.actor, b.mention.args.actor
    return "PROTEST" in kinds and bool(kinds & FORCE_TYPES) and x is not None and y is not None and x.kind != y.kind


def records(clusters: list[list[MentionView]]) -> list[EventRecord]:
    """One record per cluster, typed by the summed type distribution of its mentions; its first mention of
    that type is its evidence."""
    out = []
    for views_ in clusters:
        weight = sum(v.types * v.mention.hit.prior for v in views_)
        best = int(np.argmax(weight))
        label = PLOVER_TYPES[best]
        ordered = sorted(views_, key=lambda v: (v.mention.type != label, v.mention.anchor))
        first = ordered[0].mention
        if first.type == label:
            record = EventRecord(label, first.mode, first.cameo, [v.mention for v in ordered])
        else:
            record = EventRecord(label, None, cameo_for(label), [v.mention for v in ordered])
        record.agreement = float(weight[best] / max(float(weight.sum()), 1e-6))
        out.append(record)
    return out
