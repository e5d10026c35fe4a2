"""Temporal expressions: find them in text and turn them into date intervals against an anchor date.

Pure functions over strings and dates; the `when` component attaches the results to a spaCy Doc.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable, Literal

Tense = Literal["past", "future", "present"]
Kind = Literal["date", "duration", "set"]

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
WEEKDAYS = {name: i for i, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "few": 3, "a few": 3,
}
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
PAST_TOLERANCE_DAYS = 7
PRESENT_AHEAD_DAYS = 30
PART_OF_MONTH = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}

MONTH_RE = (r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?\.?|July?\.?|"
            r"Aug(?:ust|\.)?|Sep(?:t(?:ember)?)?\.?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
DAY_RE = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR_RE = r"(?P<year>(?:19|20)\d\d)"
WEEKDAY_RE = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
COUNT_RE = r"(?P<count>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few|few)"
UNIT_RE = r"(?P<unit>day|week|month|year)s?"


@dataclass
class TimeExpr:
    start_char: int
    end_char: int
    text: str
    kind: Kind
    rule: str
    groups: dict[str, str] = field(default_factory=dict)
    start: dt.date | None = None
    end: dt.date | None = None
    precision: str = "day"

    @property
    def resolved(self) -> bool:
        return self.start is not None


# Each pattern: (rule name, kind, regex). Longer, more specific patterns first; overlaps keep the first found.
PATTERNS: list[tuple[str, Kind, re.Pattern[str]]] = [(name, kind, re.compile(rx)) for name, kind, rx in [
    ("iso_date", "date", r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b"),
    ("weekday_date", "date", rf"\b{WEEKDAY_RE},? {MONTH_RE} {DAY_RE}(?:,? {YEAR_RE})?\b"),
    ("month_day_year", "date", rf"\b{MONTH_RE} {DAY_RE},? {YEAR_RE}\b"),
    ("day_month_year", "date", rf"\b{DAY_RE} {MONTH_RE},? {YEAR_RE}\b"),
    ("month_day_rel_year", "date", rf"\b{MONTH_RE} {DAY_RE},? (?P<rel>last|this|next) year\b"),
    ("month_day", "date", rf"\b{MONTH_RE} {DAY_RE}\b(?!,? (?:19|20)\d\d)"),
    ("day_month", "date", rf"\b{DAY_RE} {MONTH_RE}\b(?!,? (?:19|20)\d\d)"),
    ("month_year", "date", rf"\b{MONTH_RE},? {YEAR_RE}\b"),
    ("month_rel", "date", rf"\b(?i:(?P<rel>last|this|next|early|late|mid|earlier in|later in|since|in|by|until|during))[ -]{MONTH_RE}\b"),
    ("year", "date", rf"\b(?i:in|since|during|until|by|of|early|late|mid)[ -]{YEAR_RE}\b"),
    ("set", "set", r"\b(?:every|each) (?:day|night|week|month|year|morning|evening|weekend)\b|\b(?:daily|nightly|weekly)\b"),
    ("duration", "duration", rf"\b(?i:{COUNT_RE} (?:{UNIT_RE}|decades?)|many (?:years|months|weeks|days|decades)|decades|years|months|weeks) of\b"),
    ("quarter", "date", r"\b(?i:(?P<ord>first|second|third|fourth)[- ]quarter)\b"),
    ("for_duration", "duration", rf"\bfor (?:more than |over |nearly |almost |about )?(?:{COUNT_RE} )?{UNIT_RE}\b"),
    ("ago", "date", rf"\b{COUNT_RE} {UNIT_RE} ago\b"),
    ("relative_offset", "date", rf"\b{COUNT_RE} {UNIT_RE} (?P<dir>later|earlier|after|before)\b"),
    ("next_day", "date", r"\b(?:the|a) (?P<which>next|following|previous|preceding) day\b|\b(?:the )?day (?P<which2>before|after)\b|\ba day (?P<which3>earlier|later)\b"),
    ("weekday", "date", rf"\b(?:(?i:(?P<rel>last|this|next|on|early|late|since)) )?{WEEKDAY_RE}(?:'s|’s)?(?: (?P<part>morning|afternoon|evening|night))?\b"),
    ("overnight", "date", r"\b(?i:overnight|last night|tonight|late last night)\b"),
    ("today", "date", r"\b(?i:today|earlier today|this (?:morning|afternoon|evening))\b"),
    ("yesterday", "date", r"\b(?i:yesterday)\b"),
    ("tomorrow", "date", r"\btomorrow\b"),
    ("period_rel", "date", r"\b(?i:(?P<rel>last|this|next|past|previous|coming|earlier this|later this|early this|late last|early last|earlier last))[ ](?P<unit>week|weekend|month|year)\b"),
    ("recently", "date", r"\b(?i:in recent (?:days|weeks)|recently|recent|in the past (?:few )?(?:days|week))\b"),
    ("present", "date", r"\b(?i:now|currently|current|at present|presently|nowadays)\b"),
    ("future_ref", "date", r"\b(?i:the future|future|soon|in the coming (?:days|weeks|months))\b"),
    ("narrative_day", "date", r"\b(?i:(?P<which>earlier|later) that (?P<unit>day|week|month|year)|that (?:same )?day)\b"),
    ("the_period", "date", r"\b(?i:the (?:full |latest |current )?(?P<unit>year|quarter|week))\b(?![- ](?:old|long))"),
    ("weekend", "date", r"\b(?i:(?:over )?the weekend)\b"),
    ("bare_year", "date", r"(?<![\d,.$])\b(?P<year>(?:19|20)\d\d)\b(?![-/]\d)(?!\s*%)(?!\s+(?:[a-z]+s|people|men|women|children|police|personnel)\b)"),
    ("count_duration", "duration", rf"\b(?i:{COUNT_RE}[ -](?P<unit>day|week|month|year|hour|minute)s?)\b(?!-old|-olds)"),
]]
# Words that open an expression but are not part of it ("on Tuesday" is the date "Tuesday").
PREPOSITIONS = ("on ", "in ", "since ", "by ", "during ", "until ", "of ", "at ", "from ")


HISTORY = dt.timedelta(days=365)  # dated this long before its report: background, not the current picture


def is_history(start: dt.date | None, end: dt.date | None, published: dt.date | None) -> bool:
    """Dated more than a year before the article (or first article) that reports it."""
    if start is None or published is None:
        return False
    return (end or start) < published - HISTORY


def find_expressions(text: str) -> list[TimeExpr]:
    taken = bytearray(len(text))
    found: list[TimeExpr] = []
    for rule, kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            groups = {k: v.lower() for k, v in match.groupdict().items() if v}
            text_start = start
            prep = next((p for p in PREPOSITIONS if match.group(0).lower().startswith(p)), None)
            if prep:
                groups["prep"] = prep.strip()
                text_start += len(prep)
            found.append(TimeExpr(text_start, end, text[text_start:end], kind, rule, groups))
    found.sort(key=lambda e: e.start_char)
    return found


# ---- date arithmetic --------------------------------------------------------------------------------

def weekday_on_or_before(anchor: dt.date, weekday: int) -> dt.date:
    return anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7)


def weekday_on_or_after(anchor: dt.date, weekday: int) -> dt.date:
    return anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7)


def resolve_weekday(anchor: dt.date, weekday: int, tense: Tense, rel: str | None = None) -> dt.date:
    """Past tense: the most recent such day (the anchor itself counts); future: the next one.
    'last Tuesday' said on a Tuesday is a week back; 'next Tuesday' a week ahead."""
    if tense == "future" or rel == "next":
        day = weekday_on_or_after(anchor, weekday)
        return day + dt.timedelta(days=7) if rel == "next" and day == anchor else day
    day = weekday_on_or_before(anchor, weekday)
    return day - dt.timedelta(days=7) if rel == "last" and day == anchor else day


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def nearest_year(anchor: dt.date, month: int, day: int, tense: Tense) -> dt.date | None:
    """A month and day without a year: the occurrence nearest the anchor, moved back for past tense (or
    forward for future tense) when it falls on the wrong side of the anchor. February 29 moves by whole
    leap years."""
    candidates = [d for d in (safe_date(anchor.year + k, month, day) for k in range(-4, 5)) if d]
    if not candidates:
        return None
    if tense == "past":
        # past tense may still speak of a date just ahead ("the vote was set for Jan. 14")
        candidates = [d for d in candidates if d <= anchor + dt.timedelta(days=PAST_TOLERANCE_DAYS)] or candidates
    elif tense == "future":
        candidates = [d for d in candidates if d >= anchor - dt.timedelta(days=1)] or candidates
    else:
        # news in the present speaks of states that began in the past ("the war that has raged since October 7")
        # more often than of dates months ahead
        candidates = [d for d in candidates if d <= anchor + dt.timedelta(days=PRESENT_AHEAD_DAYS)] or candidates
    return min(candidates, key=lambda d: abs((d - anchor).days))


def month_name(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def count_value(text: str) -> int:
    text = text.lower()
    return int(text) if text.isdigit() else NUMBER_WORDS.get(text, 1)


# ---- resolution ---------------------------------------------------------------------------------

@dataclass
class Anchor:
    """What relative expressions are resolved against: the publication date (or only its year, when
    that is all that could be inferred) and the last date the narrative mentioned."""
    published: dt.date | None
    year: int | None = None
    narrative: dt.date | None = None


Resolver = Callable[[TimeExpr, Anchor, Tense], None]


def _set(expr: TimeExpr, start: dt.date | None, end: dt.date | None, precision: str) -> None:
    expr.start, expr.end, expr.precision = start, end, precision


def _absolute(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    g = expr.groups
    month = int(g["mon"]) if "mon" in g else month_name(g["month"])
    day = safe_date(int(g["year"]), month, int(g["day"]))
    _set(expr, day, day, "day")


def _month_day(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    month, day = month_name(expr.groups["month"]), int(expr.groups["day"])
    if not 1 <= day <= 31:
        return
    if anchor.published:
        date = nearest_year(anchor.published, month, day, tense)
    else:
        date = safe_date(anchor.year, month, day) if anchor.year else None
    _set(expr, date, date, "day")


def _month_day_rel_year(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    base = anchor.published.year if anchor.published else anchor.year
    if base is None:
        return
    offset = {"last": -1, "this": 0, "next": 1}[expr.groups["rel"]]
    date = safe_date(base + offset, month_name(expr.groups["month"]), int(expr.groups["day"]))
    _set(expr, date, date, "day")


def _month_year(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    _set(expr, *month_bounds(int(expr.groups["year"]), month_name(expr.groups["month"])), "month")


def _month_rel(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    month = month_name(expr.groups["month"])
    rel = expr.groups.get("rel")
    if anchor.published:
        base = anchor.published
        if rel == "last":
            year = base.year if month < base.month else base.year - 1
        elif rel == "next":
            year = base.year if month > base.month else base.year + 1
        elif rel == "this":
            year = base.year
        else:   # "in March", "late November": the nearest such month, on the side the tense says
            year = (nearest_year(base, month, 15, tense) or base).year
    elif anchor.year:
        year = anchor.year
    else:
        return
    start, end = month_bounds(year, month)
    part = PART_OF_MONTH.get(rel or "")
    if part is None:
        _set(expr, start, end, "month")
    else:   # "early June" is its first ten days, "mid-June" the next ten, "late June" the rest
        first, last = part
        _set(expr, start.replace(day=first), start.replace(day=min(last, end.day)), "range")


def _weekday_date(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    (_absolute if "year" in expr.groups else _month_day)(expr, anchor, tense)


def _narrative_day(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    """'later that day', 'that same day': the story's last date, or its year or month."""
    base = anchor.narrative
    if base is None:
        return
    unit = expr.groups.get("unit", "day")
    if unit == "year":
        _set(expr, dt.date(base.year, 1, 1), dt.date(base.year, 12, 31), "year")
    elif unit == "month":
        _set(expr, *month_bounds(base.year, base.month), "month")
    elif unit == "week":
        _set(expr, *week_bounds(base), "week")
    else:
        _set(expr, base, base, "day")


def _the_period(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    """'the year', 'the week' of the story; 'the quarter' the one last reported (the one before)."""
    base = anchor.published
    if base is None:
        return
    unit = expr.groups["unit"]
    if unit == "year":
        _set(expr, dt.date(base.year, 1, 1), dt.date(base.year, 12, 31), "year")
    elif unit == "week":
        _set(expr, *week_bounds(base), "week")
    else:
        year, month = add_months(base.year, (base.month - 1) // 3 * 3 + 1, -3)
        _set(expr, dt.date(year, month, 1), month_bounds(year, month + 2)[1], "quarter")


def _weekend(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    if anchor.published:
        saturday = weekday_on_or_before(anchor.published, 5) if tense != "future" else \
            weekday_on_or_after(anchor.published, 5)
        _set(expr, saturday, saturday + dt.timedelta(days=1), "range")


def _quarter(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    base = anchor.published
    if base is None:
        return
    quarter = {"first": 1, "second": 2, "third": 3, "fourth": 4}[expr.groups["ord"]]
    year = base.year if (quarter - 1) * 3 + 1 <= base.month or tense == "future" else base.year - 1
    start = dt.date(year, (quarter - 1) * 3 + 1, 1)
    _set(expr, start, month_bounds(year, quarter * 3)[1], "quarter")


def _year(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    year = int(expr.groups["year"])
    _set(expr, dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def _weekday(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    if not anchor.published:
        return
    day = resolve_weekday(anchor.published, WEEKDAYS[expr.groups["weekday"].lower()], tense,
                          expr.groups.get("rel"))
    _set(expr, day, day, "day")


def _overnight(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    if anchor.published:
        if expr.text.lower() == "tonight":
            _set(expr, anchor.published, anchor.published + dt.timedelta(days=1), "day")
        else:
            _set(expr, anchor.published - dt.timedelta(days=1), anchor.published, "day")


def _shift(days: int) -> Resolver:
    def resolve(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
        if anchor.published:
            day = anchor.published + dt.timedelta(days=days)
            _set(expr, day, day, "day")
    return resolve


def _ago(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    if not anchor.published:
        return
    unit, count = expr.groups["unit"], count_value(expr.groups["count"])
    if unit == "day":
        day = anchor.published - dt.timedelta(days=count)
        _set(expr, day, day, "day")
    elif unit == "week":
        _set(expr, *week_bounds(anchor.published - dt.timedelta(days=7 * count)), "week")
    elif unit == "month":
        _set(expr, *month_bounds(*add_months(anchor.published.year, anchor.published.month, -count)), "month")
    else:
        year = anchor.published.year - count
        _set(expr, dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def _relative_offset(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    relational = expr.groups["dir"] in ("after", "before")
    # "X comes a day after Y": said in the present, the reference is now (the publication), not the story's
    # last date
    base = anchor.published if relational and tense == "present" and anchor.published else \
        anchor.narrative or anchor.published
    if base is None:
        return
    # "two days later" moves on from the story's last date; "two days after X" dates X two days before it
    sign = 1 if expr.groups["dir"] in ("later", "before") else -1
    count, unit = count_value(expr.groups["count"]), expr.groups["unit"]
    if unit == "year":
        year = base.year + sign * count
        _set(expr, dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    elif unit == "month":
        _set(expr, *month_bounds(*add_months(base.year, base.month, sign * count)), "month")
    else:
        day = base + dt.timedelta(days=sign * count * UNIT_DAYS[unit])
        _set(expr, day, day, "day")


def _next_day(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    base = anchor.narrative
    if base is None:
        return
    which = expr.groups.get("which") or expr.groups.get("which2") or expr.groups.get("which3")
    sign = 1 if which in ("next", "following", "after", "later") else -1
    day = base + dt.timedelta(days=sign)
    _set(expr, day, day, "day")


def _period_rel(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    if not anchor.published:
        if anchor.year and expr.groups["unit"] == "year":
            offset = -1 if "last" in expr.groups["rel"] or expr.groups["rel"] in ("past", "previous") else 0
            _set(expr, dt.date(anchor.year + offset, 1, 1), dt.date(anchor.year + offset, 12, 31), "year")
        return
    pub, rel, unit = anchor.published, expr.groups["rel"], expr.groups["unit"]
    offset = -1 if rel in ("last", "past", "previous", "late last", "early last", "earlier last") else (
        1 if rel in ("next", "coming") else 0)
    if unit in ("week", "weekend"):
        start, end = week_bounds(pub + dt.timedelta(days=7 * offset))
        if unit == "weekend":
            # "over the weekend" said on a Monday is the two days just past
            start = end - dt.timedelta(days=1) if offset else weekday_on_or_before(pub, 5)
            end = start + dt.timedelta(days=1)
            _set(expr, start, end, "range")
            return
        if rel.startswith("earlier") or rel.startswith("early"):
            end = min(end, pub)
        _set(expr, start, end, "week")
    elif unit == "month":
        start, end = month_bounds(*add_months(pub.year, pub.month, offset))
        if offset == 0 and rel.startswith("earlier"):
            end = pub
        _set(expr, start, end, "month")
    else:
        year = pub.year + offset
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if offset == 0 and rel.startswith("earlier"):
            end = pub
        _set(expr, start, end, "year")


def _recently(expr: TimeExpr, anchor: Anchor, tense: Tense) -> None:
    if anchor.published:
        _set(expr, anchor.published - dt.timedelta(days=14), anchor.published, "range")


RESOLVERS: dict[str, Resolver] = {
    "iso_date": _absolute, "month_day_year": _absolute, "day_month_year": _absolute,
    "month_day_rel_year": _month_day_rel_year, "month_day": _month_day, "day_month": _month_day,
    "month_year": _month_year, "month_rel": _month_rel, "year": _year, "weekday": _weekday,
    "overnight": _overnight, "today": _shift(0), "yesterday": _shift(-1), "tomorrow": _shift(1),
    "ago": _ago, "relative_offset": _relative_offset, "next_day": _next_day, "period_rel": _period_rel,
    "recently": _recently, "present": _shift(0), "weekday_date": _weekday_date, "quarter": _quarter,
    "future_ref": lambda expr, anchor, tense: None, "narrative_day": _narrative_day, "the_period": _the_period,
    "weekend": _weekend, "bare_year": _year,
}


def resolve(expr: TimeExpr, anchor: Anchor, tense: Tense = "past") -> TimeExpr:
    if expr.kind == "date":
        RESOLVERS[expr.rule](expr, anchor, tense)
    return expr


def infer_publication_year(expressions: list[TimeExpr]) -> int | None:
    """Without a publication date, 'Oct. 7 last year' beside 'Oct. 7, 2023' says the story is of 2024."""
    full = {(month_name(e.groups["month"]), int(e.groups["day"])): int(e.groups["year"])
            for e in expressions if e.rule in ("month_day_year", "day_month_year")}
    for expr in expressions:
        if expr.rule == "month_day_rel_year":
            year = full.get((month_name(expr.groups["month"]), int(expr.groups["day"])))
            if year:
                return year - {"last": -1, "this": 0, "next": 1}[expr.groups["rel"]]
    return None
