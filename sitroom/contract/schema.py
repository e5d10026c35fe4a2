"""The output contract: one article's result. These models are the single source of its JSON Schema."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PloverType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]
ActorKind = Literal[
    "state", "government", "military", "police", "armed_group", "party", "igo", "ngo",
    "media", "person", "civilians", "unknown",
]
Status = Literal["reported", "claimed", "denied", "accused", "negated", "planned", "hypothetical"]
HAPPENED: frozenset[str] = frozenset({"reported", "claimed", "denied", "accused"})   # told as having taken place
Qualifier = Literal["exact", "at_least", "more_than", "about", "at_most", "range"]
DatePrecision = Literal["day", "week", "month", "quarter", "year", "range"]
PlacePrecision = Literal["point", "city", "admin2", "admin1", "region", "country"]
RelationType = Literal["part_of", "backed_by", "leader_of", "ally_of", "member_of"]
CasualtyKind = Literal["killed", "injured", "missing", "abducted", "arrested", "displaced"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    start: int = Field(description="character offset of the first character, in the text as given")
    end: int = Field(description="character offset one past the last character")


class ArticleMeta(_Model):
    id: str = Field(description="content hash of the text as given")
    source: str | None = None
    published: dt.date | None = None
    title: str | None = None
    url: str | None = None
    dateline: str | None = Field(None, description="the wire dateline's place, e.g. BEIRUT")


class Relation(_Model):
    type: RelationType
    actor: str = Field(description="id of the related actor")
    evidence: Span | None = Field(None, description="where the text states it; null for knowledge-base facts")


class ActorRef(_Model):
    id: str
    name: str
    kind: ActorKind
    country: str | None = Field(None, description="ISO 3166-1 alpha-3")


class Actor(ActorRef):
    mentions: list[tuple[int, int]] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)


class Acled(_Model):
    event_type: str
    sub_event_type: str


class DateInfo(_Model):
    start: dt.date | None = Field(description="null when the expression could not be anchored")
    end: dt.date | None
    precision: DatePrecision
    text: str | None = Field(None, description="the temporal expression, as written")
    rule: str = Field(description="how the date was chosen: attached (to the trigger in the parse), clause, "
                                  "report (the date of the statement reporting it), article (the lead's date), "
                                  "published (none stated: the day before publication, as wire stories mostly report)")


class Location(_Model):
    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: PlacePrecision
    relation: str | None = Field(None, description="near, north of, … when the text places it relative to the named place")
    text: str | None = Field(None, description="the place mention, as written")
    rule: str = Field("attached", description="how the place was chosen: attached (to the trigger in the parse), "
                      "clause, dateline, actor (the target's country), setting (the town the story is set in, "
                      "in that country or the article's), article (the article's country)")


class Casualty(_Model):
    kind: CasualtyKind
    count: int | None = Field(description="best single figure (the lower bound for 'at least' and ranges)")
    min: int | None = None
    max: int | None = None
    qualifier: Qualifier = "exact"
    group: str | None = Field(None, description="a subgroup such as children, when the figure is one")
    cumulative: bool = Field(False, description="a running total over a war or a period ('since October', "
                                                "'in the offensive'): kept as evidence, never the event's toll")
    text: str = Field(description="the phrase stating the figure")


class Evidence(Span):
    sentence: str


class Event(_Model):
    id: str
    type: PloverType
    mode: str | None = None
    cameo: str | None = None
    acled: Acled | None = None
    actor: ActorRef | None = None
    target: ActorRef | None = None
    date: DateInfo | None = None
    location: Location | None = None
    fatalities: int | None = None
    fatalities_qualifier: Qualifier | None = None
    injured: int | None = None
    casualties: list[Casualty] = Field(default_factory=list)
    status: Status = "reported"
    background: bool = Field(False, description="history or a summary rather than the current picture: dated "
                                                "more than a year before publication, a whole war, a running "
                                                "toll, something habitual; stores leave these out by default")
    claimed_by: ActorRef | None = None
    reported_by: ActorRef | None = None
    evidence: Evidence
    mentions: list[Span] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)


class ArticleResult(_Model):
    article: ArticleMeta
    actors: list[Actor] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)


def json_schema() -> dict:
    return ArticleResult.model_json_schema()
