"""Who did it and to whom: an event's actor and target read from the dependency parse."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .actors import ActorMention
from .syntax import children, is_passive, prep_objects

# Verbs whose subject is the actor of the event noun they take as object: "Israel carried out an airstrike".
LIGHT_VERBS = {"carry", "launch", "conduct", "stage", "mount", "claim", "announce", "order", "step",
               "intensify", "escalate", "continue", "resume", "begin", "start", "wage", "unleash", "fire",
               "hold", "make", "issue", "impose", "sign", "reach", "broker", "deliver", "send", "provide",
               "take", "lead", "plan", "orchestrate", "perpetrate", "commit", "execute"}
TARGET_PREPS = ("on", "against", "at", "targeting", "into", "upon")
OF_TARGET_NOUNS = {"killing", "death", "assassination", "murder", "arrest", "abduction", "kidnapping",
                   "detention", "execution", "release", "siege", "bombing", "shelling", "capture", "invasion",
                   "occupation", "blockade", "evacuation", "deportation", "expulsion", "targeting", "slaying"}
PRONOUNS = {"it": "thing", "its": "thing", "they": "thing", "their": "thing", "them": "thing",
            "he": "person", "his": "person", "him": "person", "she": "person", "her": "person"}


@dataclass
class Arguments:
    actor: ActorMention | None = None
    target: ActorMention | None = None
    victim_token: int | None = None    # the phrase naming who suffered, even when it is no actor


class MentionIndex:
    """Which actor mention covers or heads a token, with pronouns resolved to earlier mentions."""

    def __init__(self, doc: Doc, mentions: list[ActorMention]) -> None:
        self.doc = doc
        self.mentions = mentions
        self.at: dict[int, ActorMention] = {}
        for mention in mentions:
            for i in range(mention.start, mention.end):
                self.at[i] = mention

    def of(self, token: Token | None) -> ActorMention | None:
        """The mention a phrase refers to: its own words first, then its possessor and modifiers."""
        if token is None:
            return None
        if token.i in self.at:
            return self.at[token.i]
        if token.lower_ in PRONOUNS:
            return self.antecedent(token)
        for dep in ("poss", "compound", "amod", "appos", "nmod"):
            for child in children(token, dep):
                found = self.at.get(child.i) or (self.antecedent(child) if child.lower_ in PRONOUNS else None)
                if found is not None:
                    return found
        for obj in prep_objects(token, "of"):
            if obj.i in self.at:
                return self.at[obj.i]
        return None

    def antecedent(self, pronoun: Token) -> ActorMention | None:
        """The latest subject mention of a fitting kind in this or the previous sentence, else the latest
        fitting mention."""
        wants_person = PRONOUNS[pronoun.lower_] == "person"
        sent = pronoun.sent
        floor = self.doc[sent.start - 1].sent.start if sent.start > 0 else 0
        fitting = [m for m in self.mentions if m.start < pronoun.i and m.start >= floor and not m.generic
                   and (m.kind == "person") == wants_person]
        subjects = [m for m in fitting if self.doc[m.end - 1].dep_ in ("nsubj", "nsubjpass")
                    or self.doc[m.start].dep_ in ("nsubj", "nsubjpass")]
        pool = subjects or fitting
        return pool[-1] if pool else None


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, inherited from the verb it is coordinated with or controlled by."""
    current = verb
    for _ in range(4):
        subjects = children(current, "nsubj")
        if subjects:
            return subjects[0]
        if current.dep_ in ("conj", "xcomp", "advcl") and current.head is not current:
            current = current.head
            continue
        if current.dep_ in ("acl", "relcl"):
            return current.head
        return None
    return None


def read_arguments(anchor: Token, index: MentionIndex) -> Arguments:
    if anchor.pos_ in ("VERB", "AUX"):
        return verb_arguments(anchor, index)
    return noun_arguments(anchor, index)


def verb_arguments(verb: Token, index: MentionIndex) -> Arguments:
    if is_passive(verb):
        agents = prep_objects(verb, "by")
        actor_tok = agents[0] if agents else None
        targets = children(verb, "nsubjpass")
    else:
        actor_tok = subject_of(verb)
        targets = children(verb, "dobj")
    targets += prep_objects(verb, *TARGET_PREPS, "with")
    args = Arguments(actor=index.of(actor_tok))
    # "killed by an Israeli airstrike": the instrument's owner is the actor
    if args.actor is None and actor_tok is not None:
        args.actor = noun_arguments(actor_tok, index).actor
    fill_target(args, targets, index)
    return args


def noun_arguments(noun: Token, index: MentionIndex) -> Arguments:
    args = Arguments()
    victim_noun = noun.lemma_.lower() in OF_TARGET_NOUNS or noun.lower_ in OF_TARGET_NOUNS
    if victim_noun and not prep_objects(noun, "of"):
        # "Sinwar's killing", "the leader's death": the possessor is who suffered it
        for child in children(noun, "poss"):
            args.target = index.of(child)
            args.victim_token = child.i
    for dep in ("poss", "compound", "amod", "nmod"):
        for child in children(noun, dep):
            mention = index.of(child) if child.dep_ != "amod" or child.i in index.at else None
            if mention is not None and not mention.generic and mention is not args.target:
                args.actor = mention
                break
        if args.actor:
            break
    by = prep_objects(noun, "by")
    if args.actor is None and by:
        args.actor = index.of(by[0])
    if args.actor is None and noun.dep_ in ("dobj", "pobj", "nsubjpass"):
        verb = noun.head if noun.dep_ == "dobj" else noun.head.head if noun.dep_ == "pobj" else noun.head
        if verb.lemma_.lower() in LIGHT_VERBS or noun.head.lower_ == "for" and verb.lemma_ == "responsibility":
            holder = verb.head if verb.lemma_ == "responsibility" else verb
            args.actor = index.of(subject_of(holder))
    targets = prep_objects(noun, *TARGET_PREPS)
    if victim_noun:
        targets = prep_objects(noun, "of") + targets
    for acl in children(noun, "acl"):
        targets += children(acl, "dobj")
    if args.target is None:
        fill_target(args, targets, index)
    return args


def fill_target(args: Arguments, tokens: list[Token], index: MentionIndex) -> None:
    for token in tokens:
        mention = index.of(token)
        if args.victim_token is None:
            args.victim_token = token.i
        if mention is not None and mention is not args.actor:
            args.target = mention
            return
