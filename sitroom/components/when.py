"""The `when` stage: every temporal expression, normalised against the publication date and the narrative."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitroom.components import temporal
from sitroom.components.temporal import Anchor, Tense, TimeExpr
from sitroom.components import extensions  # noqa: F401  (registers the Doc extensions)
from sitroom.components.syntax import governing_verb

FUTURE_AUX = {"will", "shall", "'ll", "wo"}
REPORTING_VERBS = {"say", "tell", "report", "announce", "claim", "state", "confirm", "add"}
FUTURE_VERBS = {"plan", "intend", "expect", "schedule", "set", "due", "aim", "prepare"}


@dataclass
class TimeMention:
    expr: TimeExpr
    start: int           # token span
    end: int
    head: int            # the token the expression hangs from (for attachment)
    tense: Tense
    sentence: int        # index of the sentence's first token

    @property
    def is_date(self) -> bool:
        return self.expr.kind == "date"


def clause_tense(token: Token) -> Tense:
    verb = governing_verb(token)
    if verb is None:
        return "present"
    for child in verb.children:
        if child.dep_ == "aux" and child.lower_ in FUTURE_AUX:
            return "future"
    if verb.lemma_ in FUTURE_VERBS and verb.dep_ != "amod":
        return "future"
    head = verb.head
    if verb.dep_ == "xcomp" and head.lemma_ in FUTURE_VERBS | {"go"}:
        return "future" if not head.morph.get("Tense") == ["Past"] else "past"
    if "Past" in verb.morph.get("Tense") or any(
            c.dep_ in ("aux", "auxpass") and ("Past" in c.morph.get("Tense") or c.lemma_ == "have")
            for c in verb.children):
        return "past"
    return "present"


def reference_tense(span: Span, tense: Tense) -> Tense:
    """'X comes a day after Y was killed': the offset counts from the clause the 'after' clause hangs on, so
    that clause's tense says whether it counts from now or from the story's last date."""
    marker = next((t for t in span if t.lower_ in ("after", "before") and t.dep_ in ("mark", "prep")), None)
    if marker is None or marker.head.dep_ != "advcl":
        return tense
    return clause_tense(marker.head.head)


def finite_present(token: Token) -> bool:
    """A present-tense main verb other than a reporting one ("talks resume Monday", not "says")."""
    verb = governing_verb(token)
    return verb is not None and verb.tag_ in ("VBZ", "VBP") and verb.lemma_ not in REPORTING_VERBS


def consistent_years(expressions: list[TimeExpr]) -> dict[tuple[int, int], int]:
    """A month and day that the article also writes with its year take that year everywhere."""
    years = {}
    for expr in expressions:
        if expr.rule in ("month_day_year", "day_month_year", "month_day_rel_year") and expr.start:
            years[(expr.start.month, expr.start.day)] = expr.start.year
    return years


@Language.factory("sitroom_when", assigns=["doc._.times", "doc._.default_date"], requires=["token.dep"])
def make_when(nlp: Language, name: str) -> "WhenStage":
    return WhenStage()


class WhenStage:
    def __call__(self, doc: Doc) -> Doc:
        article = doc._.article
        published = article.published if article else None
        expressions = temporal.find_expressions(doc.text)
        anchor = Anchor(published, published.year if published else temporal.infer_publication_year(expressions))
        mentions = []
        for expr in expressions:
            span = doc.char_span(expr.start_char, expr.end_char, alignment_mode="expand")
            if span is None or expr.start_char < doc._.body_start:
                continue
            tense = clause_tense(span.root)
            if tense == "present" and expr.rule == "weekday" and finite_present(span.root):
                tense = "future"   # "talks resume Monday"; a past Monday would take the past tense
            elif expr.rule == "relative_offset":
                tense = reference_tense(span, tense)
            temporal.resolve(expr, anchor, tense)
            if expr.kind == "date" and expr.precision == "day" and expr.start:
                anchor.narrative = expr.start
            mentions.append(TimeMention(expr, span.start, span.end, span.root.i, tense, span.sent.start))
        fix_years(mentions, consistent_years([m.expr for m in mentions]))
        doc._.times = mentions
        doc._.default_date = lead_date(doc, mentions)
        return doc


def fix_years(mentions: list[TimeMention], years: dict[tuple[int, int], int]) -> None:
    for mention in mentions:
        expr = mention.expr
        if expr.rule in ("month_day", "day_month") and expr.start:
            year = years.get((expr.start.month, expr.start.day))
            if year and year != expr.start.year:
                expr.start = expr.end = expr.start.replace(year=year)


def lead_date(doc: Doc, mentions: list[TimeMention]) -> TimeMention | None:
    """A wire story's lead ('… on Tuesday') dates the story's news when a sentence has no date of its own."""
    sentences = [s for s in doc.sents if s.end_char > doc._.body_start and s.text.strip()]
    if not sentences:
        return None
    lead = sentences[0]
    for mention in mentions:
        if lead.start <= mention.start < lead.end and mention.is_date and mention.expr.start \
                and mention.expr.precision == "day":
            return mention
    return None
