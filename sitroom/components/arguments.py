"""Who did it and to whom: an event's actor and target read from the dependency parse."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from sitroom.knowledge.nouns import LEADER_WORDS, site_kind
from sitroom.components.actors import ActorMention
from sitroom.components.syntax import children, is_passive, prep_objects, sentence_start

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
    victim_word: str | None = None     # the noun naming who suffered ("leader"), even when it is no actor


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
        for obj in prep_objects(token, "of", *(("for",) if token.lemma_.lower() in SPOKESPEOPLE else ())):
            found = self.at.get(obj.i) or next((self.at[c.i] for dep in ("appos", "poss") for c in obj.children
                                                if c.dep_ == dep and c.i in self.at), None)
            if found is not None:
                return found
        return None

    def role_word(self, mention: ActorMention) -> str | None:
        """A leader word written right beside a group's name: "Hamas' leader", "leader of Hamas"."""
        doc = self.doc
        near = list(doc[mention.end:min(len(doc), mention.end + 2)]) + list(doc[max(0, mention.start - 2):mention.start])
        return next((t.lower_ for t in near if t.lower_ in LEADER_WORDS), None)

    def antecedent(self, pronoun: Token) -> ActorMention | None:
        """The latest subject mention of a fitting kind in this or the previous sentence, else the latest
        fitting mention."""
        wants_person = PRONOUNS[pronoun.lower_] == "person"
        start = sentence_start(self.doc, pronoun.i)
        floor = sentence_start(self.doc, start - 1) if start > 0 else 0
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
            return min(subjects, key=lambda s: abs(s.i - current.i))
        if current.dep_ in ("conj", "xcomp", "advcl") and current.head.i != current.i:
            current = current.head
            continue
        if current.dep_ == "pcomp" and current.head.head is not current.head:
            current = current.head.head   # "even after assassinating …": the clause's subject acts
            continue
        if current.dep_ in ("acl", "relcl"):
            return current.head
        return None
    return None


def read_arguments(anchor: Token, index: MentionIndex, event_type: str) -> Arguments:
    if anchor.pos_ in ("VERB", "AUX"):
        return verb_arguments(anchor, index)
    args = noun_arguments(anchor, index)
    if anchor.dep_ == "pobj" and anchor.head.head.pos_ == "VERB" and (args.actor is None or args.target is None):
        from_frame(args, anchor.head.head, index, event_type)
    return args


def from_frame(args: Arguments, verb: Token, index: MentionIndex, event_type: str) -> None:
    """An event noun in a verb's prepositional phrase takes its sides from the verb: "pressed Netanyahu in
    talks" (the verb's subject acts on its object); for attacks the verb names who suffered: "lost its
    leader in an airstrike", "were killed in a strike"."""
    if event_type == "ASSAULT":
        victims = children(verb, "nsubjpass", "dobj") or children(verb, "nsubj")
        if args.target is None and victims:
            fill_target(args, victims, index)
        return
    if args.actor is None:
        args.actor = index.of(subject_of(verb))
    if args.target is None:
        fill_target(args, children(verb, "dobj") + prep_objects(verb, "with", "to"), index)


def verb_arguments(verb: Token, index: MentionIndex) -> Arguments:
    if is_passive(verb):
        agents = prep_objects(verb, "by")
        actor_tok = agents[0] if agents else None
        targets = children(verb, "nsubjpass") or ([verb.head] if verb.dep_ in ("acl", "amod") else [])
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
        for child in possessors(noun):
            args.target = index.of(child)
            args.victim_word = index.role_word(args.target) if args.target else child.lower_
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
    if args.actor is None:
        args.actor = light_verb_subject(quantity_head(noun), index)
    between = prep_objects(noun, "between")
    if args.actor is None and between and between[0].conjuncts:
        # "a ceasefire between Israel and Hamas", "clashes between the army and the RSF"
        args.actor, args.target = index.of(between[0]), index.of(between[0].conjuncts[0])
        return args
    targets = prep_objects(noun, *TARGET_PREPS, "with")
    if victim_noun:
        targets = prep_objects(noun, "of") + targets
    for acl in children(noun, "acl"):
        targets += children(acl, "dobj")
    if args.target is None:
        fill_target(args, targets, index)
    return args


def site_victim(token: Token) -> ActorMention | None:
    """'struck a hospital', 'an attack on a police station': the people (or force) of a place."""
    kind = site_kind(token)
    if kind is None:
        return None
    return ActorMention(token.i, token.i + 1, token.idx, token.idx + len(token.text), kind, kind, kind, None,
                        "site", generic=True)


def possessors(noun: Token) -> list[Token]:
    """Possessors, including those the parser attaches as subjects of an event noun ("Sinwar's killing")."""
    return [c for c in noun.children if c.dep_ == "poss" or (
        c.dep_ == "nsubj" and any(g.dep_ == "case" for g in c.children))]


def light_verb_subject(noun: Token, index: MentionIndex) -> ActorMention | None:
    """'Israel carried out an airstrike', 'it claimed responsibility for a drone attack': the subject of
    the verb that takes the event noun."""
    if noun.dep_ not in ("dobj", "pobj", "nsubjpass"):
        return None
    verb = noun.head.head if noun.dep_ == "pobj" else noun.head
    if noun.dep_ == "pobj" and noun.head.lower_ == "for" and verb.lemma_ == "responsibility":
        verb = verb.head
    elif verb.lemma_.lower() not in LIGHT_VERBS:
        return None
    return index.of(subject_of(verb))


SPOKESPEOPLE = {"spokesman", "spokeswoman", "spokesperson", "representative", "envoy", "official", "source",
                "adviser", "advisor", "aide", "negotiator"}
QUANTITY_HEADS = {"dozen", "dozens", "hundreds", "scores", "series", "wave", "number", "string", "spate",
                  "barrage", "round", "volley", "salvo", "couple", "handful", "flurry", "campaign"}


def quantity_head(noun: Token) -> Token:
    """'announced dozens of attacks': the attacks stand where 'dozens' stands in the clause."""
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in QUANTITY_HEADS:
        return noun.head.head
    return noun


def fill_target(args: Arguments, tokens: list[Token], index: MentionIndex) -> None:
    for token in tokens:
        mention = index.of(token) or site_victim(token)
        if args.victim_word is None:
            args.victim_word = token.lower_
        if mention is not None and mention is not args.actor:
            args.target = mention
            args.victim_word = index.role_word(mention) or args.victim_word
            return
