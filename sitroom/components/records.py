"""The event stage's working records: one Mention per trigger, one EventRecord per real event."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitroom.components.actors import ActorMention
from sitroom.components.arguments import Arguments
from sitroom.components.casualties import CasualtyMention
from sitroom.components.triggers import TriggerHit

if TYPE_CHECKING:
    from sitroom.components.choices import DateChoice, PlaceChoice
    from sitroom.components.status import StatusInfo


@dataclass(eq=False)
class Mention:
    hit: TriggerHit
    args: Arguments
    status: "StatusInfo"
    casualties: list[CasualtyMention] = field(default_factory=list)
    verbal: bool = False
    type: str = ""             # the lexicon's coding, unless the context recodes it
    mode: str | None = None
    cameo: str | None = None

    def __post_init__(self) -> None:
        self.type = self.type or self.hit.entry.type
        self.mode = self.mode or self.hit.entry.mode
        self.cameo = self.cameo or self.hit.entry.cameo

    @property
    def anchor(self) -> int:
        return self.hit.anchor

    @property
    def entry(self) -> Any:
        return self.hit.entry


@dataclass(eq=False)
class EventRecord:
    type: str
    mode: str | None
    cameo: str | None
    mentions: list[Mention]
    actor: ActorMention | None = None
    target: ActorMention | None = None
    victim_word: str | None = None      # the noun naming the victim ("leader" in "Hamas' leader")
    status: "StatusInfo | None" = None
    casualties: list[CasualtyMention] = field(default_factory=list)
    date: "DateChoice | None" = None
    place: "PlaceChoice | None" = None
    background: bool = False            # the conflict as a whole, or something ongoing or habitual
    agreement: float = 1.0              # the share of its type in its mentions' type distributions (model)
    confidence: float = 0.0

    @classmethod
    def of(cls, mention: Mention) -> "EventRecord":
        return cls(mention.type, mention.mode, mention.cameo, [mention])

    @property
    def primary(self) -> Mention:
        return self.mentions[0]

    def anchors(self) -> set[int]:
        return {m.anchor for m in self.mentions}

    def absorb(self, other: "EventRecord") -> None:
        self.mentions.extend(other.mentions)
