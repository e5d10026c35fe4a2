"""The toponym ranker: what each candidate place of a name has for it in its document, and the trained weights
that turn those features into a probability (a logistic regression, in the spirit of Mordecai3's ranker).

The features are those Mordecai3 found to matter, computed offline: how well the name matches, the kind and
size of the place, whether its country and first-level region are named elsewhere in the article or in its
dateline, and how far it lies from the places the article names unambiguously. Ranking runs twice: the first
pass reads each name alone; the second also weighs what the first pass made of the article's other names (the
regions and countries their likely places lie in, and how far away their best places are), which is how "Paris"
in a story about Henry County deputies in Tennessee ends up in Tennessee. `python -m sitroom.training.toponyms`
fits both passes on LGL (dev) and the annotated conflict stories and writes `weights/toponyms.json`.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sitroom.components.geo import km_between
from sitroom.errors import ModelError
from sitroom.knowledge.gazetteer import Place, normalise

WEIGHTS = Path(__file__).resolve().parent.parent / "weights" / "toponyms.json"
KINDS = ("country", "admin1", "admin2", "city", "water", "region", "site")
FEATURES = (
    "primary_name", "alias_only", *(f"kind_{kind}" for kind in KINDS), "log_population", "largest_city",
    "country_named", "country_share", "dateline_country", "in_named_region", "is_named_region", "near_km",
    "near_unknown", "log_candidates", "only_candidate", "wants_region", "wants_water", "abbreviation",
    "region_support", "country_support", "pick_km", "pick_unknown",
    "alias_abroad", "named_population", "abroad_population", "kb_state",
)
PICK_PROBABILITY = 0.5   # a first-pass best place this likely anchors the second pass
PROMINENT_POPULATION = 100_000   # a city this size is a place whatever its probability; smaller ones need one


def prominent(place: Place, name: str) -> bool:
    """A country, region, sea or site, or a large city by its own name: never taken for a misread person's or
    company's name ("Boni" is also an old name of Bonn)."""
    if place.kind not in ("city", "admin2"):
        return True
    return place.population >= PROMINENT_POPULATION and normalise(place.name) == normalise(name)


@dataclass
class PlaceContext:
    """What the rest of the article says about where it is."""
    countries: Counter = field(default_factory=Counter)          # ISO3 -> how often named
    regions: Counter = field(default_factory=Counter)            # (ISO3, admin1) -> how often named
    points: list[tuple[float, float]] = field(default_factory=list)   # places named unambiguously
    dateline: str | None = None                                  # the dateline's country
    # from the first pass: each other name's candidates, weighted by their probability, and its best place
    votes: list[tuple[str, Place, float]] = field(default_factory=list)
    picks: list[tuple[str, float, float]] = field(default_factory=list)
    _support: dict | None = None

    def vote(self, name: str, candidates: tuple[Place, ...], probabilities: np.ndarray, qualified: bool) -> None:
        # a name never supports itself, but "Paris, Tenn." supports a later bare "Paris"
        key = normalise(name) + ("#qualified" if qualified else "")
        total = float(probabilities.sum()) or 1.0
        for place, probability in zip(candidates, probabilities):
            self.votes.append((key, place, float(probability) / total))
        best = int(np.argmax(probabilities))
        if probabilities[best] >= PICK_PROBABILITY and candidates[best].lat is not None:
            self.picks.append((key, candidates[best].lat, candidates[best].lon))
        self._support = None

    def support(self, key: str) -> tuple[Counter, Counter, int]:
        """(weight by region, weight by country, number of names) of the names other than this one."""
        if self._support is None:
            regions: dict[str, Counter] = {}
            countries: dict[str, Counter] = {}
            for name, place, weight in self.votes:
                if place.country:
                    countries.setdefault(name, Counter())[place.country] += weight
                    if place.admin1 and place.kind != "country":
                        regions.setdefault(name, Counter())[(place.country, place.admin1)] += weight
            self._support = {"regions": regions, "countries": countries,
                             "all_regions": sum(regions.values(), Counter()),
                             "all_countries": sum(countries.values(), Counter())}
        data = self._support
        names = len(data["countries"]) - (key in data["countries"])
        return (data["all_regions"] - data["regions"].get(key, Counter()),
                data["all_countries"] - data["countries"].get(key, Counter()), names)


@dataclass
class Cue:
    """What the words around a name ask for: 'Kebbi state' a region, 'the Red Sea' a sea; whether they
    narrowed its candidates ('Paris, Tenn.'); whether they make it a place ('in Caesarea', 'north of Bakhmut')."""
    wants_region: bool = False
    wants_water: bool = False
    qualified: bool = False
    locative: bool = False
    state: str | None = None    # the state the knowledge base knows by this name ("Jordan", "Israeli")


@dataclass
class Name:
    """A name found in the article, with its candidate places and its cue."""
    text: str
    candidates: tuple[Place, ...]
    cue: Cue


def cast_votes(context: PlaceContext, names: list[Name], first) -> None:
    """The first pass: each name ranked alone (in the article's base context), its reading recorded."""
    alone = PlaceContext(context.countries, context.regions, context.points, context.dateline)
    for name in names:
        if name.candidates:
            probabilities = first(features(name.text, name.candidates, alone, name.cue))
            context.vote(name.text, name.candidates, probabilities, name.cue.qualified)


def features(name: str, candidates: tuple[Place, ...], context: PlaceContext, cue: Cue) -> np.ndarray:
    key = normalise(name)
    letters = name.replace(".", "").strip()
    abbreviation = 2 <= len(letters) <= 5 and (letters.isupper() or "." in name)
    total = sum(context.countries.values()) or 1
    largest = max((p.population for p in candidates if p.kind == "city"), default=0)
    regions, countries, names = context.support(key)
    names = names or 1
    picks = [(lat, lon) for other, lat, lon in context.picks if other != key]
    rows = []
    for place in candidates:
        primary = normalise(place.name) == key
        near = min((km_between(place.lat, place.lon, lat, lon) for lat, lon in context.points),
                   default=None) if place.lat is not None else None
        pick = min((km_between(place.lat, place.lon, lat, lon) for lat, lon in picks),
                   default=None) if place.lat is not None else None
        rows.append([
            float(primary), float(not primary),
            *(float(place.kind == kind) for kind in KINDS),
            math.log10(place.population + 1) / 7,
            float(place.kind == "city" and place.population == largest),
            float(place.country in context.countries),
            context.countries[place.country] / total if place.country else 0.0,
            float(place.country is not None and place.country == context.dateline),
            float(place.kind in ("admin1", "admin2", "city") and (place.country, place.admin1) in context.regions),
            float(place.kind == "admin1" and (place.country, place.admin1) in context.regions),
            math.log10(near + 1) / 4 if near is not None else 0.0,
            float(near is None),
            math.log10(len(candidates)),
            float(len(candidates) == 1),
            float(cue.wants_region and place.kind in ("admin1", "admin2")),
            float(cue.wants_water and place.kind == "water"),
            float(abbreviation and place.kind in ("country", "admin1")),
            regions[(place.country, place.admin1)] / names if place.admin1 else 0.0,
            countries[place.country] / names if place.country else 0.0,
            math.log10(pick + 1) / 4 if pick is not None else 0.0,
            float(pick is None),
            # a place abroad needs its own name and its size more than one in a country the article names
            float(not primary and bool(context.countries) and place.country not in context.countries),
            math.log10(place.population + 1) / 7 * (place.country in context.countries),
            math.log10(place.population + 1) / 7 * (bool(context.countries) and place.country not in context.countries),
            float(place.kind == "country" and place.country == cue.state),
        ])
    return np.asarray(rows, dtype=np.float64)


class Model:
    """A standardised logistic regression."""

    def __init__(self, weights: dict) -> None:
        self.mean = np.asarray(weights["mean"], dtype=np.float64)
        self.scale = np.asarray(weights["scale"], dtype=np.float64)
        self.coef = np.asarray(weights["coef"], dtype=np.float64)
        self.intercept = float(weights["intercept"])
        if not self.mean.shape == self.scale.shape == self.coef.shape == (len(FEATURES),):
            raise ValueError(f"expected {len(FEATURES)} weights per feature list")

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(((rows - self.mean) / self.scale) @ self.coef + self.intercept)))


class Ranker:
    def __init__(self, weights: dict) -> None:
        if tuple(weights["features"]) != FEATURES:
            raise ValueError("the weights were fitted on other features; rebuild them")
        self.first = Model(weights["first"])
        self.second = Model(weights["second"])
        self.min_probability = float(weights["min_probability"])
        self.figures = weights.get("figures", {})


@functools.lru_cache(maxsize=1)
def load_ranker(path: Path = WEIGHTS) -> Ranker:
    try:
        return Ranker(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ModelError("E015", name=path.name, folder=str(path.parent),
                         reason=f"{type(err).__name__}: {err}") from None
