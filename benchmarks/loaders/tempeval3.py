"""TempEval-3 (TimeML .tml files): normalised-value F1 of temporal expressions, the task's official notion.

Scoring follows the TempEval-3 evaluation toolkit for task A (TIMEX3): a system expression and a gold one
match *strictly* when their character spans are equal and *relaxedly* when they overlap (each expression
matched at most once); value F1 is the F1 of relaxed matches whose normalised values are equal, i.e.
precision = correct values / system expressions, recall = correct values / gold expressions. The document
creation time (the `<DCT>` TIMEX3) is the input anchor, not an expression to find: it is left out.

sitroom's `when` stage gives each expression an interval (start, end) and a precision; `timex_value` turns
that into a TIMEX3 value string (the table is in docs/scoreboard.md).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from .common import article, run_docs

TAG = re.compile(r"<(/?)([A-Za-z0-9]+)((?:\s+[^>]*?)?)\s*(/?)>")
ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class TimeMLDoc:
    name: str
    dct: str | None
    text: str
    timexes: list[Timex] = field(default_factory=list)


def load(path: str | Path) -> list[TimeMLDoc]:
    """Every .tml file under `path` (a folder, searched recursively, or one file), sorted by name."""
    path = Path(path)
    files = [path] if path.is_file() else sorted(path.rglob("*.tml"))
    return [parse(f.read_text(encoding="utf-8"), f.stem) for f in files]


def parse(xml: str, name: str) -> TimeMLDoc:
    dct = re.search(r"<DCT>.*?value=\"([^\"]+)\".*?</DCT>", xml, re.DOTALL)
    body = re.search(r"<TEXT>(.*?)</TEXT>", xml, re.DOTALL)
    text, timexes = strip_tags(body.group(1) if body else "")
    return TimeMLDoc(name, dct.group(1)[:10] if dct else None, text, timexes)


def strip_tags(marked: str) -> tuple[str, list[Timex]]:
    """The plain text of TimeML markup and its TIMEX3 elements with offsets into that text."""
    out: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    timexes = []
    position = 0
    for tag in TAG.finditer(marked):
        piece = html.unescape(marked[position:tag.start()])
        out.append(piece)
        length += len(piece)
        position = tag.end()
        closing, name = tag.group(1) == "/", tag.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            attrs = dict(ATTR.findall(tag.group(3)))
            if tag.group(4):  # an empty <TIMEX3 .../> marks an implicit expression: nothing to find
                continue
            open_timex.append((length, attrs))
        elif open_timex:
            start, attrs = open_timex.pop()
            timexes.append(Timex(start, length, "", attrs.get("type", ""), attrs.get("value", "")))
    tail = html.unescape(marked[position:])
    out.append(tail)
    text = "".join(out)
    for timex in timexes:
        timex.text = text[timex.start:timex.end]
    return text, sorted(timexes, key=lambda t: t.start)


# ---- sitroom's expressions as TIMEX3 values --------------------------------------------------------------

UNIT_LETTER = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "DE"}
VAGUE_COUNTS = {"several", "few", "a few", "many"}
PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}


def timex_value(kind: str, rule: str, text: str, start: dt.date | None, end: dt.date | None,
                precision: str, groups: dict[str, str]) -> tuple[str, str | None]:
    """(TIMEX3 type, value) of one of sitroom's expressions; value None when sitroom left it unresolved."""
    lowered = text.lower()
    if kind == "duration":
        return "DURATION", duration_value(lowered, groups)
    if kind == "set":
        unit = next((u for u in ("week", "month", "year") if u in lowered), "day")
        return "SET", f"P1{UNIT_LETTER[unit]}"
    if rule == "recently":
        return "DATE", "PAST_REF"
    if rule == "present":
        return "DATE", "PRESENT_REF"
    if rule == "future_ref":
        return "DATE", "FUTURE_REF"
    if start is None:
        return "DATE", None
    part = next((code for word, code in PARTS.items() if word in lowered), None)
    if rule == "overnight":
        return "TIME", f"{start.isoformat()}TNI"
    if precision == "year":
        return "DATE", f"{start.year:04d}"
    if precision == "month" or (precision == "range" and rule == "month_rel"):   # "late November": 1999-11
        return "DATE", f"{start.year:04d}-{start.month:02d}"
    if precision == "quarter":
        return "DATE", f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    if precision == "week":
        year, week, _ = start.isocalendar()
        return "DATE", f"{year:04d}-W{week:02d}"
    if "weekend" in lowered:
        year, week, _ = start.isocalendar()
        return "DATE", f"{year:04d}-W{week:02d}-WE"
    if part:
        return "TIME", f"{start.isoformat()}T{part}"
    return "DATE", start.isoformat()


def duration_value(lowered: str, groups: dict[str, str]) -> str:
    unit = groups.get("unit") or next((u for u in ("decade", "year", "month", "week", "day", "hour", "minute")
                                       if u in lowered), "year")
    count = groups.get("count")
    if count is None or count in VAGUE_COUNTS or lowered.startswith(("many", "decades", "years", "months", "weeks")):
        number = "X"
    elif count.isdigit():
        number = count
    else:
        from sitroom.components.temporal import count_value
        number = str(count_value(count))
    if unit in ("hour", "minute"):
        return f"PT{number}{unit[0].upper()}"
    return f"P{number}{UNIT_LETTER.get(unit, 'Y')}"


@dataclass
class SysTimex:
    start: int
    end: int
    type: str
    value: str | None


def predict(docs: list[TimeMLDoc]) -> list[list[SysTimex]]:
    """sitroom's `when` stage on each document's text, anchored at its DCT (the other stages are off)."""
    articles = [article(d.text, published=d.dct, name=d.name) for d in docs]
    out = []
    for doc in run_docs(articles, stages=("sitroom_when",)):
        found = []
        for mention in (doc._.times or []) if doc is not None else []:
            e = mention.expr
            type_, value = timex_value(e.kind, e.rule, e.text, e.start, e.end, e.precision, e.groups)
            found.append(SysTimex(e.start_char, e.end_char, type_, value))
        out.append(found)
    return out


def score(docs: list[TimeMLDoc], predictions: list[list[SysTimex]]) -> dict:
    gold_n = sys_n = strict = relaxed = value_ok = type_ok = 0
    errors: list[tuple[str, str, str | None]] = []
    missed: list[tuple[str, str]] = []
    for doc, found in zip(docs, predictions):
        gold_n += len(doc.timexes)
        sys_n += len(found)
        used: set[int] = set()
        for g in doc.timexes:
            match = next((i for i, s in enumerate(found) if i not in used and s.start < g.end and g.start < s.end),
                         None)
            if match is None:
                missed.append((g.text, g.value))
                continue
            used.add(match)
            s = found[match]
            relaxed += 1
            strict += s.start == g.start and s.end == g.end
            type_ok += s.type == g.type
            if s.value is not None and s.value.upper() == g.value.upper():
                value_ok += 1
            else:
                errors.append((g.text, g.value, s.value))
    sf = _prf(strict, sys_n, gold_n)[2]
    rp, rr, rf = _prf(relaxed, sys_n, gold_n)
    vp, vr, vf = _prf(value_ok, sys_n, gold_n)
    return {"documents": len(docs), "gold_timex": gold_n, "system_timex": sys_n,
            "strict_f1": sf, "relaxed_f1": rf, "relaxed_precision": rp, "relaxed_recall": rr,
            "value_f1": vf, "value_precision": vp, "value_recall": vr,
            "type_f1": _prf(type_ok, sys_n, gold_n)[2],
            "value_accuracy_on_matches": value_ok / relaxed if relaxed else 0.0,
            "_value_errors": errors, "_missed": missed}


def _prf(correct: int, system: int, gold: int) -> tuple[float, float, float]:
    p = correct / system if system else 0.0
    r = correct / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
