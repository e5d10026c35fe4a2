"""HRDsAttack (JSON list; each item has `sample` with the article's HTML paragraphs and publication date, and
`merged_sample`, the annotators' consensus: violation types, event year/month/day, city/region/country).

Metrics (document level, as the dataset's paper frames the task):
- detection: the share of articles with at least one scorable gold violation in which sitroom finds at least
  one event that maps to a violation type;
- violation types: micro- and macro-F1 of the article's set of violation types (the five that have an event
  equivalent; `mappings/hrdsattack_violations.tsv`);
- date: on articles whose gold has a year, whether the main event's date agrees at the gold's precision
  (year; year and month; or the day);
- country: on articles whose gold names one country, whether the main event's country is it.
The main event is the earliest event (by evidence offset) that maps to a violation type, else the earliest
event; its country is its location's, else the most frequent location country among the article's events.
"""

from __future__ import annotations

import calendar
import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .common import article, iso_date, prf, read_mapping, run_results

TAGS = re.compile(r"<[^>]+>")
PARAGRAPH = re.compile(r"</p>\s*<p>|<br\s*/?>", re.IGNORECASE)
STATE_KINDS = {"state", "government", "military", "police"}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}


@dataclass
class HrdDoc:
    id: str
    text: str
    published: str | None
    violations: set[str]
    year: int | None = None
    month: int | None = None
    day: int | None = None
    country: str | None = None              # ISO3, when the gold names exactly one country
    country_text: str | None = None


def load(path: str | Path) -> list[HrdDoc]:
    return parse(json.loads(Path(path).read_text(encoding="utf-8")))


def parse(items: list[dict]) -> list[HrdDoc]:
    scored = scored_violations()
    names = country_names()
    docs = []
    for item in items:
        sample, gold = item["sample"], item.get("merged_sample") or {}
        text = html_text(sample.get("Input.article_interface") or "")
        country_text = gold.get("country")
        docs.append(HrdDoc(
            str(sample.get("Input.GLOBALEVENTID") or sample.get("HIT_id")), text,
            iso_date(sample.get("Input.publish_date")),
            {v for v in gold.get("violation_types") or [] if v in scored},
            number(gold.get("year"), 1000, 2100), month(gold.get("month")), number(gold.get("date"), 1, 31),
            names.get(normal(country_text)) if country_text else None, country_text))
    return docs


def html_text(markup: str) -> str:
    return html.unescape(TAGS.sub("", PARAGRAPH.sub("\n\n", markup))).strip()


def number(raw: object, low: int, high: int) -> int | None:
    try:
        value = int(float(str(raw).strip()))
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


def month(raw: object) -> int | None:
    """'02', '2.0', 'December' and misspellings such as 'Novermber' (first three letters)."""
    value = number(raw, 1, 12)
    if value is not None or not isinstance(raw, str):
        return value
    prefix = raw.strip().lower()[:3]
    return next((i for name, i in MONTHS.items() if name.startswith(prefix)), None) if len(prefix) == 3 else None


def normal(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().strip(".")).casefold()


def country_names() -> dict[str, str]:
    """Country name -> ISO3: sitroom's country table plus the aliases in the mapping table."""
    import csv

    from sitroom.knowledge.gazetteer import PLACES
    names = {}
    with (PLACES / "countries.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            names[normal(row["name"])] = row["iso3"]
    for row in read_mapping("hrdsattack_countries.tsv"):
        names[normal(row["name"])] = row["iso3"]
    return names


# ---- events -> violation types --------------------------------------------------------------------------

@dataclass
class Rule:
    violation: str
    plover: str = ""
    mode: str = ""
    acled_sub_event: str = ""
    casualty: str = ""
    actor_kinds: set[str] = field(default_factory=set)

    def matches(self, event) -> bool:
        kind = event.actor.kind if event.actor else "unknown"
        return ((not self.plover or event.type == self.plover)
                and (not self.mode or event.mode == self.mode)
                and (not self.acled_sub_event or (event.acled and event.acled.sub_event_type == self.acled_sub_event))
                and (not self.casualty or any(c.kind == self.casualty and (c.count or 0) > 0 for c in event.casualties)
                     or (self.casualty == "killed" and (event.fatalities or 0) > 0))
                and (not self.actor_kinds or kind in self.actor_kinds))


def rules() -> list[Rule]:
    return [Rule(r["violation"], r["plover"], r["mode"], r["acled_sub_event"], r["casualty"],
                 set(filter(None, r["actor_kinds"].split("|")))) for r in read_mapping("hrdsattack_violations.tsv")]


def scored_violations() -> set[str]:
    return {r.violation for r in rules()}


def violations_of(event, table: list[Rule]) -> set[str]:
    return {r.violation for r in table if r.matches(event)}


@dataclass
class HrdPrediction:
    violations: set[str]
    date: tuple[str, str] | None = None    # ISO start, end of the main event
    country: str | None = None


def predict(docs: list[HrdDoc]) -> list[HrdPrediction]:
    table = rules()
    results = run_results([article(d.text, published=d.published, name=d.id) for d in docs])
    return [summarise(result.events if result else [], table) for result in results]


def summarise(events: list, table: list[Rule]) -> HrdPrediction:
    found = [(e, violations_of(e, table)) for e in sorted(events, key=lambda e: e.evidence.start)]
    kinds = set().union(*(v for _, v in found)) if found else set()
    main = next((e for e, v in found if v), found[0][0] if found else None)
    if main is None:
        return HrdPrediction(set())
    date = (main.date.start.isoformat(), main.date.end.isoformat()) \
        if main.date and main.date.start and main.date.end else None
    country = main.location.country if main.location and main.location.country else None
    if country is None:
        counts = Counter(e.location.country for e, _ in found if e.location and e.location.country)
        country = counts.most_common(1)[0][0] if counts else None
    return HrdPrediction(kinds, date, country)


def date_agrees(doc: HrdDoc, date: tuple[str, str] | None) -> bool:
    if date is None or doc.year is None:
        return False
    start = date[0]
    year, mon, day = int(start[:4]), int(start[5:7]), int(start[8:10])
    if year != doc.year:
        return False
    if doc.month is not None and mon != doc.month:
        return False
    return doc.day is None or doc.month is None or day == doc.day


def score(docs: list[HrdDoc], predictions: list[HrdPrediction]) -> dict:
    labels = sorted(scored_violations())
    per = {}
    tp_all = fp_all = fn_all = 0
    for label in labels:
        tp = sum(label in d.violations and label in p.violations for d, p in zip(docs, predictions))
        fp = sum(label not in d.violations and label in p.violations for d, p in zip(docs, predictions))
        fn = sum(label in d.violations and label not in p.violations for d, p in zip(docs, predictions))
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        per[label] = dict(zip(("precision", "recall", "f1"), prf(tp, fp, fn)), support=tp + fn)
    with_gold = [(d, p) for d, p in zip(docs, predictions) if d.violations]
    dated = [(d, p) for d, p in zip(docs, predictions) if d.year is not None]
    placed = [(d, p) for d, p in zip(docs, predictions) if d.country]
    return {
        "documents": len(docs),
        "detection": sum(bool(p.violations) for _, p in with_gold) / len(with_gold) if with_gold else 0.0,
        "detection_n": len(with_gold),
        "violation_micro_f1": prf(tp_all, fp_all, fn_all)[2],
        "violation_macro_f1": sum(v["f1"] for v in per.values()) / len(per) if per else 0.0,
        "per_violation": per,
        "date_accuracy": sum(date_agrees(d, p.date) for d, p in dated) / len(dated) if dated else 0.0,
        "date_n": len(dated),
        "country_accuracy": sum(p.country == d.country for d, p in placed) / len(placed) if placed else 0.0,
        "country_n": len(placed),
    }
