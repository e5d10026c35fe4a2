"""The `casualties` stage: tolls of killed, injured, missing, abducted, arrested and displaced people."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Token

from sitroom.components import extensions  # noqa: F401
from sitroom.components import numbers, temporal
from sitroom.components.syntax import children, is_passive, sentence_start

VERB_KINDS = {
    "kill": "killed", "die": "killed", "slay": "killed", "massacre": "killed", "execute": "killed",
    "murder": "killed", "assassinate": "killed", "behead": "killed", "lynch": "killed", "slaughter": "killed",
    "injure": "injured", "wound": "injured", "hurt": "injured", "maim": "injured",
    "abduct": "abducted", "kidnap": "abducted", "arrest": "arrested", "detain": "arrested",
    "displace": "displaced", "uproot": "displaced", "shoot": "injured", "stab": "injured",
}
ADJECTIVE_KINDS = {"dead": "killed", "injured": "injured", "wounded": "injured", "missing": "missing",
                   "displaced": "displaced", "hurt": "injured"}
NOUN_KINDS = {"death": "killed", "fatality": "killed", "casualty": "killed", "toll": "killed",
              "killing": "killed", "murder": "killed", "massacre": "killed", "execution": "killed",
              "injury": "injured", "arrest": "arrested", "abduction": "abducted", "kidnapping": "abducted",
              "detention": "arrested"}
FILLER_POS = {"NOUN", "AUX", "ADV", "ADJ", "PART", "DET", "ADP", "PROPN"}
QUALIFIER_WORDS = {"at", "least", "about", "more", "than", "nearly", "some", "over", "around", "up", "to", "almost",
                   "roughly", "approximately", "an", "estimated"}
PERSON_NOUNS = {"man", "woman", "child", "boy", "girl", "toddler", "baby", "infant", "teenager", "teen",
                "person", "guard", "officer", "soldier", "policeman", "civilian", "journalist", "student",
                "worker", "driver", "resident", "farmer", "doctor", "nurse", "medic", "activist", "protester",
                "passenger", "pilot", "commander", "leader", "official", "hostage", "victim", "gunman", "suspect"}
# A toll counted over a war or a period is a running total, not one event's toll: "the war has killed 39,000",
# "killed in Israel's offensive", "since October", "so far this year".
PERIOD_NOUNS = {"war", "conflict", "offensive", "campaign", "fighting", "violence", "invasion", "occupation",
                "hostilities", "insurgency", "crisis", "uprising", "bombardment", "siege"}
RUNNING_PHRASES = ("so far", "to date", "as of", "cumulative")
SHORT_SPANS = {"hour", "dawn", "pre", "morning", "midnight", "overnight", "night", "yesterday", "today", "noon"}
RUNNING_TOTAL_FLOOR = 1000  # "have been killed" over this many is a war's count, not one attack's
LONG_AGO_DAYS = 30  # a running total "since" a day further back than this is the war's
GROUP_WORDS = {"child", "woman", "girl", "boy", "soldier", "civilian", "journalist", "student", "worker",
               "officer", "policeman", "fighter", "militant", "doctor", "nurse", "medic", "teenager",
               "minor", "infant", "baby", "aid worker", "police officer", "troop", "member", "protester"}


@dataclass
class CasualtyMention:
    anchor: int              # the token that says what happened ("killed", "dead", "toll")
    kind: str
    count: int | None
    low: int | None
    high: int | None
    qualifier: str
    start_char: int
    end_char: int
    victim: int | None = None
    group: str | None = None
    subgroups: list["CasualtyMention"] = field(default_factory=list)
    running: str | None = None  # "war" or "period": a running total, never one event's toll (running_total)

    @property
    def cumulative(self) -> bool:
        return self.running is not None


@Language.factory("sitroom_casualties", assigns=["doc._.casualties"], requires=["token.dep", "token.lemma"])
def make_casualties(nlp: Language, name: str) -> "CasualtyStage":
    return CasualtyStage()


class CasualtyStage:
    def __call__(self, doc: Doc) -> Doc:
        found = []
        for token in doc:
            kind = casualty_kind(token)
            if kind is None or token.idx < doc._.body_start:
                continue
            mention = read_toll(token, kind)
            if mention is not None:
                mention.running = running_total(token, mention)
                found.append(mention)
        doc._.casualties = found
        return doc


def casualty_kind(token: Token) -> str | None:
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB" and lemma in ("shoot", "wound", "injure", "stab"):
        # "four teenagers were shot" are wounded; "shot dead", "shot and killed", "fatally wounded" are not
        fatal = any(c.lower_ in ("dead", "fatally", "death", "mortally") or c.lower_ == "to" and any(
            g.lower_ == "death" for g in c.children) or c.dep_ == "conj" and c.lemma_ in ("kill", "die")
            for c in token.children)
        return "killed" if fatal else "injured"
    if token.pos_ == "VERB" and lemma in VERB_KINDS:
        return VERB_KINDS[lemma]
    if token.pos_ == "ADJ" and token.lower_ in ADJECTIVE_KINDS:
        return ADJECTIVE_KINDS[token.lower_]
    if token.pos_ == "NOUN" and lemma in NOUN_KINDS:
        return NOUN_KINDS[lemma]
    if token.tag_ == "VBN" and token.lower_ in ADJECTIVE_KINDS:
        return ADJECTIVE_KINDS[token.lower_]
    return None


def running_total(anchor: Token, mention: CasualtyMention) -> str | None:
    """None for one event's toll; "war" for a toll over a war ("in the offensive", "the war has killed", "since
    October" months back, "35,000 have been killed"); "period" for one over a recent stretch ("since
    Tuesday", "during two days of protests", "so far")."""
    clause = anchor
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i and clause.dep_ not in ("ROOT",):
        clause = clause.head
    while anchor.pos_ == "VERB" and clause.dep_ == "conj" and clause.head.pos_ in ("VERB", "AUX") \
            and not has_subject(clause):
        clause = clause.head  # "have killed 39,000 and injured 90,000 since": the conjuncts share the frame
    # a coordinated clause with its own subject is another statement ("has directed attacks since October 8,
    # and he was responsible for the murder of 12 children")
    apart = {t.i for c in clause.subtree if c.dep_ == "conj" and c.i != anchor.i and has_subject(c)
             and anchor not in c.subtree for t in c.subtree}
    words = [t for t in clause.subtree if t.sent == anchor.sent and t.i not in apart]
    heads = [anchor, clause] + ([anchor.doc[mention.victim]] if mention.victim is not None else [])
    found = None
    for head in heads:
        for child in head.children:
            if child.dep_ == "nsubj" and child.lemma_.lower() in PERIOD_NOUNS:
                return "war"
            if child.dep_ in ("prep", "agent") and child.lower_ in ("in", "during", "throughout", "of", "by"):
                objects = [clause.head if o.lower_ == "which" and clause.dep_ == "relcl" else o
                           for o in children(child, "pobj")]
                # the object, or what it is a stretch of: "in the offensive", "in five months of war"
                named = objects + [w for o in objects for p in children(o, "prep") if p.lower_ == "of"
                                   for w in children(p, "pobj")]
                if any(t.lemma_.lower() in PERIOD_NOUNS for t in named):
                    return "war"
                if child.lower_ in ("during", "throughout") and any(o.tag_ == "NNS" for o in objects):
                    found = "period"   # "during the massacres", "throughout the protests": several events summed
    for token in words:
        if token.lower_ == "since" and token.dep_ in ("prep", "mark") and len(list(token.subtree)) > 1 \
                and not any(t.lemma_.lower().strip("-") in SHORT_SPANS for t in token.subtree):
            war = long_ago(token) or any(t.lemma_.lower() in PERIOD_NOUNS for t in token.subtree)
            return "war" if war else "period"   # "since October" (months back), "since the war began"
    text = " ".join(t.lower_ for t in words)
    if found or any(f" {phrase} " in f" {text} " for phrase in RUNNING_PHRASES):
        return "period"
    perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in clause.children)
    if perfect and mention.kind in ("killed", "injured") and (mention.count or 0) >= RUNNING_TOTAL_FLOOR:
        return "war"
    return None


def long_ago(since: Token) -> bool:
    """'since October 7' in a July story, 'since 2014': a start over a month before publication."""
    article = since.doc._.article
    published = article.published if article is not None else None
    span = since.doc[since.i + 1:since.right_edge.i + 1].text
    for expr in temporal.find_expressions(f"in {span}"):   # "since October": the month, as "in October" reads
        resolved = temporal.resolve(expr, temporal.Anchor(published, published.year if published else None),
                                    "past")
        if resolved.start is not None and published is not None:
            return (published - resolved.start).days > LONG_AGO_DAYS
    return False


def has_subject(token: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)


def victims_of(token: Token) -> list[Token]:
    if token.pos_ == "VERB" and token.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass", "dobj")
                                                                 for c in token.children):
        return victims_of(token.head)   # "was shot and killed": the victims are the first verb's
    if token.pos_ == "VERB" and token.lemma_ != "die":
        deps = ("nsubjpass",) if is_passive(token) else ("dobj",)
        return children(token, *deps) or (children(token, "nsubj") if token.dep_ == "acl" else [])
    if token.pos_ == "VERB":
        return children(token, "nsubj")
    if token.pos_ == "NOUN":
        if token.lemma_ == "toll":
            return [o for prep in children(token.head, "prep") + children(token, "prep")
                    if prep.lower_ in ("to", "at", "of") for o in children(prep, "pobj")]
        # "the killing of 51 civilians", "the abduction of 30 students"
        return [o for p in children(token, "prep") if p.lower_ == "of" for o in children(p, "pobj")] + [token]
    # adjectives: "18 dead", "were wounded", "dead civilians"
    if token.dep_ == "amod":
        return [token.head]
    if token.dep_ in ("acomp", "oprd"):
        return children(token.head, "nsubj", "dobj")
    return [token]


def read_toll(anchor: Token, kind: str) -> CasualtyMention | None:
    for victim in victims_of(anchor):
        mention = toll_from(victim, anchor, kind)
        if mention is not None:
            return mention
    return window_toll(anchor, kind) or object_window_toll(anchor, kind)


def object_window_toll(anchor: Token, kind: str) -> CasualtyMention | None:
    """'killed about 40 people' where the parser made the people another verb's subject: a number just
    after an active verb, before its noun."""
    if anchor.pos_ != "VERB" or is_passive(anchor):
        return None
    doc = anchor.doc
    for token in doc[anchor.i + 1:min(len(doc), anchor.i + 5)]:
        if token.like_num and not looks_like_year(token) and token.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT"):
            noun = token.head if token.dep_ == "nummod" else token
            return toll_from(noun, anchor, kind)
        if token.lower_ not in QUALIFIER_WORDS:
            return None
    return None


def number_tokens(token: Token) -> list[Token]:
    """The number a noun carries: itself when it is a number, else its nummod (with compound numbers)."""
    if token.like_num or token.lower_ in numbers.VAGUE:
        head = token
    else:
        mods = [c for c in token.children if c.dep_ == "nummod"]
        if not mods:
            return []
        head = mods[0]
    parts = [c for c in head.children if c.dep_ in ("compound", "quantmod") and c.like_num and c.i < head.i]
    return sorted(parts + [head], key=lambda t: t.i)


def toll_from(victim: Token, anchor: Token, kind: str) -> CasualtyMention | None:
    nums = number_tokens(victim)
    if not nums:
        return single_victim(victim, anchor, kind)
    if nums[-1].lower_ in numbers.VAGUE:
        return vague_toll(nums[-1], anchor, kind)
    value = numbers.parse_number([t.text for t in nums])
    if value is None or looks_like_year(nums[-1]):
        return None
    qual, first = leading_qualifier(nums[0])
    group = victim.lemma_.lower() if victim.lemma_.lower() in GROUP_WORDS else None
    low, high = toll_bounds(value, qual)
    mention = CasualtyMention(anchor.i, kind, value, low, high, qual, first.idx, span_end(anchor, victim),
                              victim.i, group)
    mention.subgroups = subgroups(victim, anchor, kind)
    return mention


def single_victim(victim: Token, anchor: Token, kind: str) -> CasualtyMention | None:
    """'a toddler is dead', 'the security guard was killed', 'Jane Doe died': one person."""
    person = victim.ent_type_ == "PERSON" or (victim.tag_ == "NN" and victim.lemma_.lower() in PERSON_NOUNS
                                              and any(c.dep_ in ("det", "poss") for c in victim.children))
    if not person or victim.dep_ == "pobj":
        return None
    start = victim.left_edge.idx if victim.left_edge.i >= victim.i - 4 else victim.idx
    return CasualtyMention(anchor.i, kind, 1, 1, 1, "exact", min(start, anchor.idx), span_end(anchor, victim),
                           victim.i, victim.lemma_.lower() if victim.lemma_.lower() in GROUP_WORDS else None)


def looks_like_year(token: Token) -> bool:
    """'died in 2001': four digits that are a year are no toll."""
    return token.text.isdigit() and len(token.text) == 4 and 1900 <= int(token.text) <= 2100


def vague_toll(word: Token, anchor: Token, kind: str) -> CasualtyMention | None:
    phrase = word.lower_
    prev = word.nbor(-1) if word.i > 0 else None
    if prev is not None and f"{prev.lower_} {phrase}" in numbers.VAGUE:
        phrase, word = f"{prev.lower_} {phrase}", prev
    bounds = numbers.vague_range(phrase)
    if not bounds or bounds[0] is None:
        return None
    low, high = bounds
    qual = "exact" if low == high else "range"
    return CasualtyMention(anchor.i, kind, low, low, high if high != low else low, qual, word.idx,
                           span_end(anchor, word), word.i)


def leading_qualifier(first: Token) -> tuple[str, Token]:
    doc = first.doc
    for width in (3, 2, 1):
        if first.i - width < 0:
            continue
        words = doc[first.i - width:first.i]
        qual = numbers.qualifier(words.text)
        if qual:
            return qual, words[0]
    return "exact", first


def toll_bounds(value: int, qual: str) -> tuple[int | None, int | None]:
    if qual == "at_least":
        return value, None
    if qual == "more_than":
        return value + 1, None
    if qual == "at_most":
        return None, value
    return value, value


def span_end(anchor: Token, other: Token) -> int:
    last = max(anchor, other, key=lambda t: t.i)
    return last.idx + len(last.text)


def subgroups(victim: Token, anchor: Token, kind: str) -> list[CasualtyMention]:
    """'… including four children': by the parse, else the next 'including' of the clause."""
    found = []
    preps = [t for t in anchor.doc[anchor.i + 1:min(len(anchor.doc), anchor.i + 6)] if t.lower_ == "including"]
    seen: set[int] = set()
    for holder in (victim, anchor, *preps):
        for prep in ([holder] if holder.lower_ == "including" else holder.children):
            if prep.lower_ not in ("including", "among"):
                continue
            for obj in children(prep, "pobj"):
                for member in (obj, *obj.conjuncts):
                    nums = number_tokens(member)
                    value = numbers.parse_number([t.text for t in nums]) if nums else None
                    if value is not None and member.i not in seen:
                        seen.add(member.i)
                        found.append(CasualtyMention(anchor.i, kind, value, value, value, "exact",
                                                     nums[0].idx, member.idx + len(member.text), member.i,
                                                     member.lemma_.lower()))
    return found


def window_toll(anchor: Token, kind: str) -> CasualtyMention | None:
    """'… and 60 injured', '18 dead': a number a few words before the anchor, in the same clause."""
    sent_start = sentence_start(anchor.doc, anchor.i)
    for i in range(anchor.i - 1, max(sent_start, anchor.i - 6) - 1, -1):
        token = anchor.doc[i]
        if token.like_num:
            if token.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL") or looks_like_year(token):
                return None
            value = numbers.parse_number([token.text])
            if value is None:
                return None
            qual, first = leading_qualifier(token)
            low, high = toll_bounds(value, qual)
            return CasualtyMention(anchor.i, kind, value, low, high, qual, first.idx,
                                   anchor.idx + len(anchor.text), token.i)
        if token.pos_ not in FILLER_POS or token.lower_ in (",", "and", "while", "but"):
            return None
    return None
