"""Geoparsing gold sets ("A Pragmatic Guide to Geoparsing Evaluation" release): LGL and TR-News (XML with
`<toponym><start/><end/><phrase/><gaztag><lat/><lon/></gaztag>`), GeoWebNews (XML texts plus the
`-geocoding.txt` gold: one line per article, toponyms `name,,phrase,,lat,,lon,,start,,end` joined by `||`).

Metric: accuracy within 161 km (100 miles) and median error in km, the community's figures, in two settings:
- end to end: the toponyms sitroom's `where` stage finds itself (`doc._.places`); a gold toponym counts when a
  found place overlaps it (recall is reported beside), and its error is the distance between the two points;
- given the gold toponyms: each gold phrase, at its place in the text, resolved by the `where` stage's
  `choose(name, context, known_place=True)` in the article's context as the stage reads it (the
  countries, regions and other names it finds); a phrase sitroom cannot resolve counts as the largest possible
  error (20,039 km, half the Earth's circumference), as in the guide. `candidate_recall` is the share of gold
  toponyms with a candidate within 161 km among those the gazetteer offers: the ceiling of any ranking.
Gold toponyms without coordinates are skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from .common import article, iso_date, km_between, median, run_docs

MAX_ERROR_KM = 20039.0
WITHIN_KM = 161.0


@dataclass
class Toponym:
    start: int
    end: int
    phrase: str
    lat: float
    lon: float


@dataclass
class GeoDoc:
    id: str
    text: str
    published: str | None
    toponyms: list[Toponym] = field(default_factory=list)


def load(path: str | Path) -> list[GeoDoc]:
    """LGL / TR-News XML; for GeoWebNews pass the XML and its `-geocoding.txt` is read beside it."""
    path = Path(path)
    root = ET.parse(path).getroot()
    geocoding = path.with_name(path.stem + "-geocoding.txt")
    if geocoding.exists():
        return load_geocoding(root, geocoding.read_text(encoding="utf-8"))
    return [xml_doc(i, a) for i, a in enumerate(root.findall("article"))]


def xml_doc(index: int, node: ET.Element) -> GeoDoc:
    toponyms = []
    for t in node.iter("toponym"):
        lat, lon = t.findtext("gaztag/lat"), t.findtext("gaztag/lon")
        if lat is None or lon is None or not lat.strip() or not lon.strip():
            continue
        toponyms.append(Toponym(int(t.findtext("start")), int(t.findtext("end")), t.findtext("phrase") or "",
                                float(lat), float(lon)))
    doc_id = node.get("docid") or node.get("file") or str(index)
    return GeoDoc(doc_id, node.findtext("text") or "", iso_date(node.findtext("dltime")), toponyms)


def load_geocoding(root: ET.Element, gold: str) -> list[GeoDoc]:
    lines = gold.split("\n")
    docs = []
    for index, node in enumerate(root.findall("article")):
        line = lines[index] if index < len(lines) else ""
        toponyms = []
        for item in filter(None, line.split("||")):
            parts = item.split(",,")
            if len(parts) < 6 or not parts[2].strip() or not parts[3].strip():
                continue
            toponyms.append(Toponym(int(parts[4]), int(parts[5]), parts[1], float(parts[2]), float(parts[3])))
        docs.append(GeoDoc(node.get("file") or str(index), node.findtext("text") or "", None,
                           sorted(toponyms, key=lambda t: t.start)))
    return docs


@dataclass
class Found:
    start: int
    end: int
    lat: float | None
    lon: float | None


@dataclass
class GeoPrediction:
    found: list[Found]                              # end to end: the places the where stage found
    given: list[tuple[float, float] | None]         # per gold toponym: resolve(phrase, context, span)
    candidates: list[list[tuple[float, float]]] = field(default_factory=list)   # per gold toponym


def predict(docs: list[GeoDoc]) -> list[GeoPrediction]:
    from sitroom.components.toponyms import Name

    from .common import pipeline
    stage = pipeline().get_pipe("sitroom_where")
    articles = [article(d.text, published=d.published, name=d.id) for d in docs]
    out = []
    for gold, doc in zip(docs, run_docs(articles, stages=("sitroom_actors", "sitroom_where"))):
        if doc is None:
            out.append(GeoPrediction([], [None] * len(gold.toponyms), [[] for _ in gold.toponyms]))
            continue
        found = [Found(m.start_char, m.end_char, m.place.lat, m.place.lon) for m in doc._.places or ()]
        context, _ = stage.context(doc)
        given, candidates = [], []
        for t in gold.toponyms:
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            name = Name(t.phrase, *stage.candidates(t.phrase, span, doc._.kb))
            place = stage.choose(name, context, known_place=True)
            given.append((place.lat, place.lon) if place and place.lat is not None else None)
            candidates.append([(p.lat, p.lon) for p in name.candidates if p.lat is not None])
        out.append(GeoPrediction(found, given, candidates))
    return out


def score(docs: list[GeoDoc], predictions: list[GeoPrediction]) -> dict:
    e2e_errors: list[float] = []
    given_errors: list[float] = []
    gold_n = found_n = found_on_gold = offered = 0
    misses: list[str] = []
    for doc, pred in zip(docs, predictions):
        gold_n += len(doc.toponyms)
        found_n += len(pred.found)
        found_on_gold += sum(any(f.start < t.end and t.start < f.end for t in doc.toponyms) for f in pred.found)
        for t, points in zip(doc.toponyms, pred.candidates):
            offered += any(km_between(t.lat, t.lon, *p) <= WITHIN_KM for p in points)
        for t, point in zip(doc.toponyms, pred.given):
            error = km_between(t.lat, t.lon, *point) if point else MAX_ERROR_KM
            given_errors.append(error)
            if error > WITHIN_KM:
                misses.append(t.phrase)
            hit = next((f for f in pred.found if f.start < t.end and t.start < f.end and f.lat is not None), None)
            if hit is not None:
                e2e_errors.append(km_between(t.lat, t.lon, hit.lat, hit.lon))
    within = sum(e <= WITHIN_KM for e in e2e_errors)
    return {
        "documents": len(docs), "gold_toponyms": gold_n,
        "given_acc161": _share(sum(e <= WITHIN_KM for e in given_errors), gold_n),
        "given_median_km": median(given_errors),
        "candidate_recall": _share(offered, gold_n),
        "given_resolved": _share(sum(p is not None for pred in predictions for p in pred.given), gold_n),
        "e2e_recall": _share(len(e2e_errors), gold_n),
        "e2e_precision": _share(found_on_gold, found_n),
        "e2e_acc161": _share(within, len(e2e_errors)),
        "e2e_acc161_all": _share(within, gold_n),
        "e2e_median_km": median(e2e_errors),
        "_given_misses": misses,
    }


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
