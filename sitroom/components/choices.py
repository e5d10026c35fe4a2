"""How a date or a place was chosen for an event, and which choice wins: the records the placing rules
make and the event records hold."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sitroom.components.geo import km_between
from sitroom.knowledge.gazetteer import Place

DATE_RANKS = {"attached": 0, "clause": 1, "report": 2, "article": 3, "published": 4}
PLACE_RANKS = {"attached": 0, "clause": 1, "dateline": 2, "actor": 3, "setting": 4, "article": 5}
PRECISION_ORDER = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "region": 4, "country": 5}
SAME_PLACE_KM = 50.0


@dataclass
class DateChoice:
    start: dt.date | None
    end: dt.date | None
    precision: str
    text: str | None
    rule: str

    def better_than(self, other: "DateChoice") -> bool:
        if DATE_RANKS[self.rule] != DATE_RANKS[other.rule]:
            return DATE_RANKS[self.rule] < DATE_RANKS[other.rule]
        return bool(self.start and other.start and (self.end - self.start) < (other.end - other.start))

    def conflicts(self, other: "DateChoice") -> bool:
        stated = ("attached", "clause")
        if self.rule not in stated or other.rule not in stated or not (self.start and other.start):
            return False
        return self.end < other.start or other.end < self.start


@dataclass
class PlaceChoice:
    place: Place
    precision: str
    relation: str | None
    text: str | None
    rule: str

    def better_than(self, other: "PlaceChoice") -> bool:
        if PLACE_RANKS[self.rule] != PLACE_RANKS[other.rule]:
            return PLACE_RANKS[self.rule] < PLACE_RANKS[other.rule]
        return PRECISION_ORDER[self.precision] < PRECISION_ORDER[other.precision]

    def conflicts(self, other: "PlaceChoice") -> bool:
        """Places the text gives both events that cannot be the same place."""
        if self.rule not in ("attached", "clause") or other.rule not in ("attached", "clause"):
            return False
        a, b = self.place, other.place
        if a.country and b.country and a.country != b.country:
            return True
        if a.kind in ("city", "site") and b.kind in ("city", "site") and None not in (a.lat, b.lat):
            return km_between(a.lat, a.lon, b.lat, b.lon) > SAME_PLACE_KM
        return False
